"""Derive ``schema_rules.json`` from the effective spec (run after ``make generate``).

    python -m eaccounting.resources.build_rules generated/openapi.json

For every component schema it records what the facade needs at run time without shipping
the spec: read-only property names (never sent on create/update), nested schema references
(to apply those rules recursively), ``maxLength`` and ``uuid``/``date``/``date-time`` formats
(to reject obviously wrong input before a request).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

RULES_FILE = Path(__file__).with_name("schema_rules.json")


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return ref.rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key) or []:
            name = _ref_name(option)
            if name:
                return name
    return None


def _types(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type")
    if isinstance(declared, list):
        return {str(t) for t in declared}
    return {str(declared)} if declared else set()


def build_rules(spec: dict[str, Any]) -> dict[str, Any]:
    """The rules table for every component schema that has at least one rule."""
    rules: dict[str, Any] = {}
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        entry: dict[str, Any] = {}
        read_only: list[str] = []
        refs: dict[str, str] = {}
        max_length: dict[str, int] = {}
        formats: dict[str, str] = {}
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
        if read_only:
            entry["readOnly"] = read_only
        if refs:
            entry["refs"] = refs
        if max_length:
            entry["maxLength"] = max_length
        if formats:
            entry["format"] = formats
        if entry:
            rules[name] = entry
    return rules


def render(spec: dict[str, Any]) -> str:
    return json.dumps(build_rules(spec), sort_keys=True, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    source = Path(args[0] if args else "generated/openapi.json")
    spec = json.loads(source.read_text(encoding="utf-8"))
    RULES_FILE.write_text(render(spec), encoding="utf-8")
    print(f"wrote {RULES_FILE} from {source}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
