"""The operations of a spec by (method, path), with the tag the generator files them under."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .results import Operation

__all__ = ["HTTP_METHODS", "first_tag", "has_operations", "operations"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def has_operations(item: Any) -> bool:
    return isinstance(item, Mapping) and any(m in item for m in HTTP_METHODS)


def first_tag(op: Mapping[str, Any]) -> str | None:
    """The tag the generator files an operation under (only the first counts)."""
    tags = op.get("tags")
    if isinstance(tags, list) and tags and isinstance(tags[0], str):
        return tags[0]
    return None


def operations(spec: Mapping[str, Any]) -> dict[tuple[str, str], Operation]:
    found: dict[tuple[str, str], Operation] = {}
    for path, item in (spec.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, Mapping):
                op_id = op.get("operationId")
                found[(method, path)] = Operation(
                    method.upper(),
                    path,
                    op_id if isinstance(op_id, str) else None,
                    first_tag(op),
                )
    return found
