"""Pairing names across two specs (exact, case-only, identical definition) and typing properties."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

__all__ = ["RenameKind", "case_rename_kind", "fingerprint", "match_names", "type_of"]

RenameKind = Literal["plain", "acronym", "inferred"]
"""How a property (or schema, or tag) was renamed.

``plain``: only the first letter's case flipped (``dueDate`` → ``DueDate``).
``acronym``: any other case-only change (``gln`` → ``GLN``, ``glAccount`` → ``GLAccount``).
``inferred``: a different name with an identical definition, the only candidate on both sides.
"""


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(prop: Any, schema_renames: Mapping[str, str]) -> tuple[str, str, bool]:
    """(type, format, nullable) of a property schema, normalised across OAS 3.0 and 3.1.

    ``nullable: true`` (3.0) and ``type: [T, "null"]`` (3.1) are the same thing; a ``$ref``
    (also wrapped in a one-branch ``allOf``/``oneOf``/``anyOf``) is typed by its target's name,
    after mapping renamed schemas; arrays are typed by their items.
    """
    if not isinstance(prop, Mapping):
        return ("any", "", False)
    nullable = prop.get("nullable") is True
    if "$ref" in prop:
        name = _ref_name(str(prop["$ref"]))
        return (schema_renames.get(name, name), "", nullable)
    for combinator in ("allOf", "oneOf", "anyOf"):
        branches = prop.get(combinator)
        if isinstance(branches, list):
            real = [b for b in branches if not (isinstance(b, Mapping) and b.get("type") == "null")]
            nullable = nullable or len(real) < len(branches)
            if len(real) == 1:
                t, f, n = type_of(real[0], schema_renames)
                return (t, f, nullable or n)
            parts = sorted(type_of(b, schema_renames)[0] for b in real)
            return (f"{combinator}[{', '.join(parts)}]", "", nullable)
    raw = prop.get("type")
    types = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list) else []
    if "null" in types:
        nullable = True
        types = [t for t in types if t != "null"]
    fmt = str(prop.get("format", ""))
    if types == ["array"] or (not types and "items" in prop):
        item_type, item_fmt, _ = type_of(prop.get("items"), schema_renames)
        type_name = f"array[{item_type}]"
        fmt = fmt or (f"items:{item_fmt}" if item_fmt else "")
    elif types:
        type_name = "|".join(sorted(str(t) for t in types))
    else:
        type_name = "object" if "properties" in prop or "additionalProperties" in prop else "any"
    return (type_name, fmt, nullable)


_IGNORED_KEYS = frozenset({"title", "example", "examples", "description", "nullable"})


def fingerprint(prop: Any, schema_renames: Mapping[str, str]) -> str:
    """A comparable form of a property definition, for inferring non-case renames."""
    if not isinstance(prop, Mapping):
        return repr(prop)
    rest = {k: v for k, v in prop.items() if k not in _IGNORED_KEYS and k not in ("type", "$ref")}
    rest.pop("items", None)
    rest.pop("format", None)
    return json.dumps(
        [type_of(prop, schema_renames), rest, prop.get("description")],
        sort_keys=True,
        default=str,
    )


def case_rename_kind(old: str, new: str) -> RenameKind:
    if new[1:] == old[1:]:
        return "plain"
    return "acronym"


def match_names(
    old: Iterable[str],
    new: Iterable[str],
    *,
    same_definition: Callable[[str, str], bool] | None = None,
) -> tuple[dict[str, str], list[tuple[str, str, RenameKind]], list[str], list[str]]:
    """Pair names: exact, then case-insensitive, then (optionally) unique identical definitions.

    Returns (exact pairs old→new, renames, removed, added).
    """
    old_set, new_set = set(old), set(new)
    exact = {n: n for n in sorted(old_set & new_set)}
    left = sorted(old_set - new_set)
    right = sorted(new_set - old_set)
    renames: list[tuple[str, str, RenameKind]] = []

    by_lower: dict[str, list[str]] = {}
    for name in right:
        by_lower.setdefault(name.lower(), []).append(name)
    old_by_lower: dict[str, list[str]] = {}
    for name in left:
        old_by_lower.setdefault(name.lower(), []).append(name)
    for name in list(left):
        candidates = by_lower.get(name.lower(), [])
        if len(candidates) == 1 and len(old_by_lower[name.lower()]) == 1:
            target = candidates[0]
            renames.append((name, target, case_rename_kind(name, target)))
            left.remove(name)
            right.remove(target)

    if same_definition is not None and left and right:
        for name in list(left):
            matches = [t for t in right if same_definition(name, t)]
            if len(matches) != 1:
                continue
            target = matches[0]
            if sum(1 for o in left if same_definition(o, target)) != 1:
                continue
            renames.append((name, target, "inferred"))
            left.remove(name)
            right.remove(target)
    return exact, renames, left, right
