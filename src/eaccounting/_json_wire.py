"""Request bodies as JSON bytes, ``Decimal`` written with every digit.

``json.dumps`` knows no Decimal, and going through float loses digits
(``Decimal('12345678901234567.89')`` would be sent as ``1.2345678901234568e+16``). Each Decimal
is written as a marked string first and the mark then replaced by the number's own digits.
Everything else is encoded exactly as httpx's ``json=`` does (compact, UTF-8, no NaN).
"""

from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal
from typing import Any

__all__ = ["dumps"]

# A per-process mark no caller's string will contain.
_MARK = f"\x00{uuid.uuid4().hex}:"
_MARKED = re.compile(r'"\\u0000' + _MARK[1:] + r'([^"\\]+)\\u0000"')


def _default(value: object) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value!r} is not a finite number and has no JSON form")
        return f"{_MARK}{value}\x00"
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def dumps(value: Any) -> bytes:
    """``value`` as compact JSON bytes; Decimals keep every digit, NaN/∞ raise ValueError."""
    text = json.dumps(
        value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_default
    )
    return _MARKED.sub(r"\1", text).encode("utf-8")
