"""The pieces of changed-since sync both clients share: the filter and the watermark."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from .errors import ValidationError
from .odata import F, Filter

__all__ = ["build_filter", "field_of", "parse_watermark"]


def parse_watermark(value: str | None) -> _dt.datetime | None:
    if not value:
        return None
    text = value.strip().replace("z", "Z")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        moment = _dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.timezone.utc)
    return moment


def build_filter(field: str, since: _dt.datetime | None, extra: Filter | str | None) -> str | None:
    parts: list[str] = []
    if since is not None:
        if not isinstance(since, _dt.datetime):
            raise ValidationError(
                f"since={since!r} must be a datetime (timezone-aware, or naive UTC)",
                field="since",
            )
        parts.append(str(F(field) > since))
    if extra is not None:
        parts.append(f"({extra})" if parts else str(extra))
    return " and ".join(parts) if parts else None


def field_of(resource: Any, field: str | None) -> str:
    name = field or getattr(resource, "modified_field", None)
    if not name:
        raise ValidationError(
            f"{type(resource).__name__} has no modified timestamp; pass field=... or re-read "
            "the whole list"
        )
    return str(name)
