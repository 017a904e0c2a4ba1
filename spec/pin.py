"""The pinned upstream spec: where it comes from and the sha256 it must have."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import tomllib
import yaml

REPO = Path(__file__).resolve().parents[1]
PIN_FILE = REPO / "spec" / "pin.toml"


class PinError(Exception):
    """The upstream spec could not be read or is not the pinned version."""


@dataclass(frozen=True)
class Pin:
    file: str
    sha256: str
    default_source: str
    provenance: str

    @classmethod
    def load(cls, path: Path = PIN_FILE) -> Pin:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return cls(data["file"], data["sha256"], data["default_source"], data["provenance"])

    def source(self) -> str:
        """``EACCOUNTING_SPEC`` if set, else the default (relative to the repository)."""
        configured = os.environ.get("EACCOUNTING_SPEC", "").strip()
        if configured:
            return configured
        if is_url(self.default_source):
            return self.default_source
        return str((REPO / self.default_source).resolve())


def read_source(source: str) -> bytes:
    """Read a spec from a local path or an http(s) URL."""
    if is_url(source):
        try:
            # Short connect timeout: without network this must fail in seconds, not minutes.
            response = httpx.get(
                source, follow_redirects=True, timeout=httpx.Timeout(60, connect=10)
            )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise PinError(f"could not fetch the spec from {source}: {reason}") from exc
        return response.content
    path = Path(source)
    if not path.is_file():
        raise PinError(
            f"no spec file at {source}; set EACCOUNTING_SPEC to a path or URL of Visma's spec"
        )
    return path.read_bytes()


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify(data: bytes, pin: Pin, source: str) -> None:
    actual = sha256(data)
    if actual != pin.sha256:
        raise PinError(
            f"the spec at {source} is not the pinned version.\n"
            f"  pinned sha256: {pin.sha256} ({pin.file})\n"
            f"  actual sha256: {actual}\n"
            "To accept a new upstream version: review `make spec-diff OLD=<old> NEW=<new>`, "
            f"then run `make spec-update EACCOUNTING_SPEC={source}` and regenerate."
        )


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, prefix=f".{path.name}.") as tmp:
        tmp.write(data)
    os.replace(tmp.name, path)


def fetch(out: Path, pin: Pin | None = None) -> str:
    """Copy the pinned spec to ``out`` after checking its hash; return the sha256."""
    pin = pin or Pin.load()
    source = pin.source()
    data = read_source(source)
    verify(data, pin, source)
    write_atomically(out, data)
    return pin.sha256


def parse_spec(data: bytes, source: str) -> Any:
    """Parse spec bytes (YAML or JSON) into a document, or say in one line why not."""
    from spec.documents import parse_document
    from spec.normalise import NormaliseError, declared_version

    try:
        doc = parse_document(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PinError(f"{source} is not a YAML or JSON document: {first}") from exc
    try:
        declared_version(doc)
    except NormaliseError as exc:
        raise PinError(f"{source}: {exc}") from exc
    return doc


def update(
    source: str, path: Path = PIN_FILE, today: datetime.date | None = None
) -> tuple[str, str]:
    """Re-pin to the spec at ``source``: file, sha256, default_source and provenance together.

    Return (old sha256, new sha256). The spec is read and parsed first, so a source that cannot
    be read or is not an OpenAPI 3.0/3.1 document leaves the pin as it was.
    """
    data = read_source(source)
    doc = parse_spec(data, source)
    new = sha256(data)
    old = Pin.load(path).sha256
    info = doc.get("info") or {}
    title = " ".join(str(info.get(k, "")) for k in ("title", "version")).strip() or "untitled"
    date = (today or datetime.date.today()).isoformat()
    form = "JSON" if data.lstrip().startswith(b"{") else "YAML"
    values = {
        "file": source.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1],
        "sha256": new,
        "default_source": source if is_url(source) else _relative_to_repo(source),
        "provenance": f"{title}, OpenAPI {doc['openapi']} {form}; pinned {date} from {source}",
    }
    text = path.read_text(encoding="utf-8")
    for key, value in values.items():
        # json.dumps writes a valid TOML basic string (same escapes), on one line.
        line = f"{key} = {json.dumps(value, ensure_ascii=False)}"
        text, count = re.subn(
            rf"^{key} = .*$", lambda _m, line=line: line, text, count=1, flags=re.M
        )
        if not count:
            text = text.rstrip("\n") + f"\n{line}\n"
    write_atomically(path, text.encode("utf-8"))
    return old, new


def _relative_to_repo(source: str) -> str:
    """A path the next `make generate` finds from the repository (relative when possible)."""
    absolute = Path(source).resolve()
    try:
        return os.path.relpath(absolute, REPO)
    except ValueError:  # another drive (Windows)
        return str(absolute)
