"""What ``update()`` compares: the properties another writer changed between two reads of an
object, and whether they touch the ones the caller is about to write.

Visma has no ``If-Match`` and its PUT replaces the whole object, so the client detects a
concurrent change itself by comparing reads. Whole objects are compared, not only
``ChangedUtc``/``ModifiedUtc``: a timestamp with a resolution of a second (or none at all on
some resources) would miss two writes in the same second; the timestamp is still part of what
is compared. Property names are matched the way the merge matches them (case and underscores
ignored); nested objects are compared property by property.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ._bodies import _normalise

__all__ = ["FieldPath", "changed_paths", "clashes", "dotted", "value_at", "written_paths"]

#: A property, nested ones as a path: ``("InvoiceAddress", "City")`` (the server's spelling).
FieldPath = tuple[str, ...]


def _by_key(obj: Mapping[str, Any]) -> dict[str, tuple[str, Any]]:
    return {_normalise(str(k)): (str(k), v) for k, v in obj.items()}


def changed_paths(before: Any, after: Any, prefix: FieldPath = ()) -> set[FieldPath]:
    """Every property whose value differs between two reads (absent counts as null)."""
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        old, new = _by_key(before), _by_key(after)
        out: set[FieldPath] = set()
        for key in old.keys() | new.keys():
            name, was = old.get(key, (None, None))
            name2, now = new.get(key, (None, None))
            out |= changed_paths(was, now, (*prefix, name2 or name or key))
        return out
    return set() if before == after else {prefix}


def written_paths(delta: Mapping[str, Any], prefix: FieldPath = ()) -> set[FieldPath]:
    """The properties a change sets (nested mappings are merged, so their leaves count)."""
    out: set[FieldPath] = set()
    for key, value in delta.items():
        path = (*prefix, str(key))
        if isinstance(value, Mapping) and value:
            out |= written_paths(value, path)
        else:
            out.add(path)
    return out


def _same(a: FieldPath, b: FieldPath) -> bool:
    """One path is the other or inside it (``Address`` and ``Address.City`` clash)."""
    n = min(len(a), len(b))
    return [_normalise(x) for x in a[:n]] == [_normalise(x) for x in b[:n]]


def clashes(changed: Iterable[FieldPath], written: Iterable[FieldPath]) -> tuple[str, ...]:
    """The changed properties the caller also writes, dotted and sorted."""
    mine = list(written)
    return tuple(sorted({dotted(c) for c in changed if any(_same(c, w) for w in mine)}))


def dotted(path: FieldPath) -> str:
    return ".".join(path)


def value_at(obj: Any, path: FieldPath) -> Any:
    """The value at ``path`` in a JSON object (None where a step is missing)."""
    for step in path:
        if not isinstance(obj, Mapping):
            return None
        obj = _by_key(obj).get(_normalise(step), (None, None))[1]
    return obj
