"""VCR cassettes: where they live, how requests match, and how secrets are scrubbed out.

Cassettes always name the production API host, whatever was recorded (the emulator on a
loopback port or a regional sandbox), so a replay run asks for exactly what was recorded.
Nothing that authenticates survives recording: Authorization and cookie headers are dropped,
identity-server traffic (/connect/...) is not recorded at all, and token-shaped JSON fields are
replaced. ``find_secrets`` is the guard the tests run over every committed cassette.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import vcr
from vcr.errors import CannotOverwriteExistingCassetteException

CASSETTES_DIR = Path(__file__).resolve().parent / "cassettes"
CANONICAL_API = "https://eaccountingapi.vismaonline.com/v2"
MODES = ("replay", "record", "live")

# host carries the loopback port of the recording run; the rest are per-machine noise.
_DROP_REQUEST_HEADERS = (
    "authorization",
    "cookie",
    "user-agent",
    "host",
    "connection",
    "accept-encoding",
)
_DROP_RESPONSE_HEADERS = ("set-cookie", "date", "server")
_SECRET_FIELDS = ("access_token", "refresh_token", "id_token", "client_secret", "code")
_SECRET_PATTERNS = (
    re.compile(r"(?i)^\s*-?\s*authorization\s*:"),  # a header key, not Visma's error text
    re.compile(r"(?i)bearer\s+[a-z0-9._~+/-]{8,}"),
    re.compile(r"eyJ[a-zA-Z0-9_-]{10,}\.[a-zA-Z0-9_-]{10,}"),  # JWT
    re.compile(r"(?i)(access|refresh|id)_token"),
    re.compile(r"(?i)client_secret"),
    re.compile(r"(?i)code_verifier"),
)

MissingInteraction = CannotOverwriteExistingCassetteException


def canonical_uri(uri: str, recorded_base: str) -> str:
    """Rewrite ``recorded_base`` (e.g. http://127.0.0.1:8123/v2) to the production API base."""
    if recorded_base and uri.startswith(recorded_base):
        return CANONICAL_API + uri[len(recorded_base) :]
    return uri


def _is_identity_call(uri: str) -> bool:
    return "/connect/" in urlsplit(uri).path


def _scrub(value: Any) -> tuple[Any, bool]:
    """``value`` with every token field replaced, at any depth; and whether anything was."""
    if isinstance(value, dict):
        out, found = {}, False
        for key, item in value.items():
            if key in _SECRET_FIELDS:
                out[key], found = "<scrubbed>", True
            else:
                out[key], deeper = _scrub(item)
                found = found or deeper
        return out, found
    if isinstance(value, list):
        pairs = [_scrub(item) for item in value]
        return [item for item, _ in pairs], any(found for _, found in pairs)
    return value, False


def _scrub_json(text: str) -> str:
    try:
        data = json.loads(text)
    except ValueError:
        return text
    scrubbed, found = _scrub(data)
    return json.dumps(scrubbed) if found else text


def make_vcr(
    mode: str, region: str, recorded_base: str = "", directory: Path = CASSETTES_DIR
) -> vcr.VCR:
    """A VCR for ``region``: ``replay`` never touches the network, ``record`` rewrites."""
    if mode not in ("replay", "record"):
        raise ValueError(f"cassettes are used in replay and record modes, not {mode!r}")

    def before_record_request(request: Any) -> Any:
        if _is_identity_call(request.uri):
            return None
        request.uri = canonical_uri(request.uri, recorded_base)
        for name in list(request.headers):
            if name.lower() in _DROP_REQUEST_HEADERS:
                del request.headers[name]
        return request

    def before_record_response(response: dict[str, Any]) -> dict[str, Any]:
        headers = response.get("headers", {})
        for name in list(headers):
            if name.lower() in _DROP_RESPONSE_HEADERS:
                del headers[name]
        body = response.get("body", {})
        raw = body.get("string")
        if isinstance(raw, bytes) and raw[:1] in (b"{", b"["):
            scrubbed = _scrub_json(raw.decode("utf-8", "replace")).encode("utf-8")
            if scrubbed != raw:
                body["string"] = scrubbed
                for name in list(headers):
                    if name.lower() == "content-length":
                        headers[name] = [str(len(scrubbed))]
        return response

    return vcr.VCR(
        cassette_library_dir=str(directory / region),
        record_mode="none" if mode == "replay" else "all",
        match_on=["method", "scheme", "host", "port", "path", "query", "body"],
        before_record_request=before_record_request,
        before_record_response=before_record_response,
        decode_compressed_response=True,
    )


def cassette_name(tag: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", tag.lower()).strip("_") + ".yaml"


def find_secrets(directory: Path = CASSETTES_DIR) -> list[str]:
    """Every line of every cassette that looks like a credential, as 'file:line: text'."""
    hits = []
    for path in sorted(directory.rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if any(p.search(line) for p in _SECRET_PATTERNS):
                hits.append(f"{path.relative_to(directory)}:{number}: {line.strip()[:120]}")
    return hits


def origin(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))
