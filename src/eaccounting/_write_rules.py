"""Per-schema write rules, derived at run time from the package's operation index.

The index (:func:`eaccounting._spec.operation_index`, built once from the effective spec the
generated package ships) holds the component schemas and their read-only fields; this module
records, for every component schema, what the facade needs: read-only property names (never
sent on create/update), nested schema references (to apply the rules recursively), the JSON
type, ``maxLength``, and ``uuid``/``date``/``date-time`` formats (to reject obviously wrong
input before a request). Nothing derived from the spec is committed.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ._spec import OperationIndex, operation_index
from ._spec import schema_name as _ref_name

__all__ = ["build_rules", "rules"]


def _types(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type")
    if isinstance(declared, list):
        return {str(t) for t in declared}
    return {str(declared)} if declared else set()


_JSON_TYPES = frozenset({"string", "integer", "number", "boolean", "array", "object"})


def _json_type(schema: dict[str, Any], schemas: dict[str, Any] | None = None) -> str | None:
    """The one non-null JSON type a property declares.

    A schema reference has the referenced schema's type: an object, or e.g. an integer for
    a named enum such as ``RotReducedInvoicingType``.
    """
    declared = _types(schema) - {"null"}
    if len(declared) == 1:
        (only,) = declared
        return only if only in _JSON_TYPES else None
    name = _ref_name(schema) if not declared else None
    if name is not None:
        target = (schemas or {}).get(name)
        if isinstance(target, dict) and _types(target) - {"null"}:
            return _json_type(target)
        return "object"
    return None


def build_rules(index: OperationIndex) -> dict[str, dict[str, Any]]:
    """The rules of every component schema of ``index`` that has at least one rule."""
    result: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = dict(index.schemas)
    for name, schema in sorted(schemas.items()):
        if not isinstance(schema, dict):
            continue
        read_only = list(index.read_only(name))
        refs: dict[str, str] = {}
        max_length: dict[str, int] = {}
        formats: dict[str, str] = {}
        types: dict[str, str] = {}
        for prop, sub in sorted((schema.get("properties") or {}).items()):
            if not isinstance(sub, dict):
                continue
            target = _ref_name(sub)
            if target is None and "array" in _types(sub) and isinstance(sub.get("items"), dict):
                target = _ref_name(sub["items"])
            if target:
                refs[prop] = target
            if isinstance(sub.get("maxLength"), int) and "string" in _types(sub):
                max_length[prop] = sub["maxLength"]
            fmt = sub.get("format")
            if fmt in ("uuid", "date", "date-time") and "string" in _types(sub):
                formats[prop] = fmt
            json_type = _json_type(sub, schemas)
            if json_type is not None:
                types[prop] = json_type
        entry: dict[str, Any] = {}
        if read_only:
            entry["readOnly"] = read_only
        if refs:
            entry["refs"] = refs
        if max_length:
            entry["maxLength"] = max_length
        if formats:
            entry["format"] = formats
        if types:
            entry["type"] = types
        if entry:
            result[name] = entry
    return result


@cache
def rules() -> dict[str, dict[str, Any]]:
    """The rules table, derived once per process from the packaged effective spec."""
    return build_rules(operation_index())
