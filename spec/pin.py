"""The pinned upstream spec: where it comes from and the sha256 it must have."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx
import tomllib

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
        return str((REPO / self.default_source).resolve())


def read_source(source: str) -> bytes:
    """Read a spec from a local path or an http(s) URL."""
    if source.startswith(("http://", "https://")):
        try:
            response = httpx.get(source, follow_redirects=True, timeout=60)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise PinError(f"could not fetch the spec from {source}: {exc}") from exc
        return response.content
    path = Path(source)
    if not path.is_file():
        raise PinError(
            f"no spec file at {source}; set EACCOUNTING_SPEC to a path or URL of Visma's spec"
        )
    return path.read_bytes()


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


def update(source: str, path: Path = PIN_FILE) -> tuple[str, str]:
    """Re-pin to the spec at ``source``; return (old sha256, new sha256)."""
    data = read_source(source)
    new = sha256(data)
    text = path.read_text(encoding="utf-8")
    old = Pin.load(path).sha256
    text = re.sub(r'^sha256 = "[0-9a-f]*"$', f'sha256 = "{new}"', text, count=1, flags=re.M)
    name = source.rstrip("/").rsplit("/", 1)[-1]
    text = re.sub(r'^file = ".*"$', f'file = "{name}"', text, count=1, flags=re.M)
    write_atomically(path, text.encode("utf-8"))
    return old, new
