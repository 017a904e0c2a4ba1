"""JSON on the wire: money is ``Decimal`` both ways, never a float.

Sending: ``json.dumps`` knows no Decimal, and going through float loses digits
(``Decimal('12345678901234567.89')`` would be sent as ``1.2345678901234568e+16``). Each Decimal
is written as a marked string first and the mark then replaced by the number's own digits.
Everything else is encoded exactly as httpx's ``json=`` does (compact, UTF-8, no NaN).

Receiving: every response body is decoded here (the facade, the generated operations and
``client.get_json``), by msgspec with each number that has a fraction or an exponent handed
over as its text to ``Decimal``: ``0.1`` is ``Decimal('0.1')``, not ``Decimal(0.1)``. Integers
stay ``int``. A body that is not JSON raises :class:`~eaccounting.errors.ResponseDecodeError`.
"""

from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal
from typing import Any

import httpx

from ._gc_pause import collector_paused
from ._logging import redact
from .errors import ResponseDecodeError

__all__ = ["decode_response", "dumps", "loads"]

# A per-process mark no caller's string will contain.
_MARK = f"\x00{uuid.uuid4().hex}:"
_MARKED = re.compile(r'"\\u0000' + _MARK[1:] + r'([^"\\]+)\\u0000"')
# How the mark looks once encoded: a body without it (no Decimal) skips the substitution.
_MARK_IN_JSON = "\\u0000" + _MARK[1:]


def _default(value: object) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value!r} is not a finite number and has no JSON form")
        return f"{_MARK}{value}\x00"
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def dumps(value: Any, *, indent: int | None = None) -> bytes:
    """``value`` as JSON bytes (compact unless ``indent``); Decimals keep every digit,
    NaN/∞ raise ValueError."""
    text = json.dumps(
        value,
        ensure_ascii=False,
        indent=indent,
        separators=(",", ":") if indent is None else (",", ": "),
        allow_nan=False,
        default=_default,
    )
    if _MARK_IN_JSON in text:
        text = _MARKED.sub(r"\1", text)
    return text.encode("utf-8")


# msgspec's decoder, made on first use (importing msgspec is kept out of ``import eaccounting``).
_decoder: Any = None


def _make_decoder() -> Any:
    global _decoder
    import msgspec

    _decoder = msgspec.json.Decoder(float_hook=Decimal)
    return _decoder


_BOM = b"\xef\xbb\xbf"
EXCERPT_BYTES = 120
# A body this large (a page of a few dozen rows) decodes with the garbage collector paused.
_LARGE = 64 * 1024


def loads(content: bytes | str) -> Any:
    """JSON text as Python objects, numbers with a fraction or exponent as ``Decimal``.

    Raises ``ValueError`` (msgspec's ``DecodeError``) for anything that is not one JSON value,
    including NaN and Infinity, which JSON does not have, and for a number beyond the range of
    ``Decimal`` or an integer too long to read (thousands of digits).
    """
    if isinstance(content, bytes) and content.startswith(_BOM):
        content = content[3:]
    decoder = _decoder or _make_decoder()
    try:
        if len(content) < _LARGE:
            return decoder.decode(content)
        with collector_paused():  # decoded JSON holds no reference cycles
            return decoder.decode(content)
    except ArithmeticError as exc:  # Decimal refuses an exponent beyond its range (1e999…9)
        raise ValueError(f"a JSON number is out of Decimal's range ({exc!r})") from exc


def decode_response(response: httpx.Response) -> Any:
    """The JSON body of ``response`` (None when empty); not JSON: ``ResponseDecodeError``."""
    content = response.content
    if not content:
        return None
    try:
        return loads(content)
    except ValueError as exc:  # msgspec.DecodeError
        raise _decode_error(response, exc) from exc


def _decode_error(response: httpx.Response, exc: Exception) -> ResponseDecodeError:
    try:
        method, url = response.request.method, str(response.request.url.copy_with(query=None))
    except RuntimeError:  # a Response built without its request
        method, url = "?", "?"
    content = response.content
    excerpt = redact(content[:EXCERPT_BYTES].decode("utf-8", errors="replace"))
    more = "..." if len(content) > EXCERPT_BYTES else ""
    return ResponseDecodeError(
        f"{response.status_code} {method} {url}: the body is not valid JSON "
        f"({exc}); {len(content):,} bytes, starting {excerpt!r}{more}",
        status=response.status_code,
        method=method,
        url=url,
        excerpt=excerpt,
        size=len(content),
    )
