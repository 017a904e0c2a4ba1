"""Per-schema write rules, derived at run time from the effective spec shipped in the package.

The generated package carries the effective spec (``eaccounting_api/openapi.json``). On first
use this module reads it once and records, for every component schema, what the facade needs:
read-only property names (never sent on create/update), nested schema references (to apply
the rules recursively), the JSON type, ``maxLength``, and ``uuid``/``date``/``date-time``
formats (to reject obviously wrong input before a request). Nothing derived from the spec is
committed.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ._spec import effective_spec

__all__ = ["build_rules", "load_spec", "rules"]


def load_spec() -> dict[str, Any]:
    """The effective spec shipped in the generated package (see :mod:`eaccounting._spec`)."""
    return effective_spec()


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return ref.rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key) or []:
            name = _ref_name(option) if isinstance(option, dict) else None
            if name:
                return name
    return None


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


def build_rules(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The rules of every component schema that has at least one rule."""
    result: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = spec.get("components", {}).get("schemas", {})
    for name, schema in sorted(schemas.items()):
        if not isinstance(schema, dict):
            continue
        read_only: list[str] = []
        refs: dict[str, str] = {}
        max_length: dict[str, int] = {}
        formats: dict[str, str] = {}
        types: dict[str, str] = {}
        for prop, sub in sorted((schema.get("properties") or {}).items()):
            if not isinstance(sub, dict):
                continue
            if sub.get("readOnly"):
                read_only.append(prop)
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
    return build_rules(load_spec())
