"""What changed between two OpenAPI specs, and which changes break clients.

Usage::

    python -m eaccounting.spec_diff OLD NEW [--json] [--full] [--fail-on-breaking]

``OLD`` and ``NEW`` are paths or http(s) URLs of OpenAPI 3.x documents (YAML or JSON).
The report covers paths, operations (method + path, with operationId when present), component
schemas, properties (added, removed, renamed, including case-only and irregular-acronym renames),
newly required and newly read-only properties, type/format/nullability changes of properties,
and parameter changes of operations present in both specs. Breaking changes are prefixed
``BREAKING``.

Exit codes: ``0`` the diff ran (breaking changes or not); ``1`` with ``--fail-on-breaking`` when
there is at least one breaking change; ``2`` usage error or a spec that cannot be read.

The module needs only the standard library to diff JSON specs; reading YAML needs PyYAML
(``pip install 'visma-eaccounting[cli]'``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "Change",
    "Operation",
    "ParameterChange",
    "PropertyChange",
    "PropertyRef",
    "Rename",
    "SpecDiff",
    "SpecDiffError",
    "SpecStats",
    "diff",
    "load",
    "main",
]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_YAML_HINT = "reading YAML specs needs PyYAML: pip install 'visma-eaccounting[cli]'"

RenameKind = Literal["plain", "acronym", "inferred"]
"""How a property (or schema) was renamed.

``plain``: only the first letter's case flipped (``dueDate`` → ``DueDate``).
``acronym``: any other case-only change (``gln`` → ``GLN``, ``glAccount`` → ``GLAccount``).
``inferred``: a different name with an identical definition, the only candidate on both sides.
"""


class SpecDiffError(Exception):
    """A spec could not be read or is not an OpenAPI document."""


# --------------------------------------------------------------------------- loading


def _yaml_load(text: str) -> Any:
    try:
        yaml = importlib.import_module("yaml")
    except ImportError as exc:
        raise SpecDiffError(_YAML_HINT) from exc
    base = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    # A safe loader that keeps timestamps as strings: the 2024-02 spec has unquoted ones in
    # its examples, which PyYAML would turn into datetime objects that JSON cannot hold.
    loader: Any = type("_StringTimestampLoader", (base,), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise SpecDiffError(f"not valid YAML/JSON: {exc}") from exc


def load(source: str | Path) -> dict[str, Any]:
    """Read an OpenAPI document from a path or an http(s) URL (YAML or JSON)."""
    text_source = str(source)
    if text_source.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(text_source, timeout=60) as response:
                text = response.read().decode("utf-8")
        except (urllib.error.URLError, OSError, UnicodeDecodeError) as exc:
            raise SpecDiffError(f"cannot fetch {text_source}: {exc}") from exc
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SpecDiffError(f"cannot read {text_source}: {exc}") from exc
    doc: Any = None
    if text.lstrip().startswith("{"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError:
            doc = None
    if doc is None:
        doc = _yaml_load(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("paths", {}), dict):
        raise SpecDiffError(f"{text_source} is not an OpenAPI document (no 'paths' mapping)")
    return doc


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, order=True)
class Operation:
    method: str
    """Upper-case HTTP method."""
    path: str
    operation_id: str | None = None

    def __str__(self) -> str:
        suffix = f" ({self.operation_id})" if self.operation_id else ""
        return f"{self.method} {self.path}{suffix}"


@dataclass(frozen=True, order=True)
class PropertyRef:
    schema: str
    name: str
    required: bool = False

    def __str__(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True, order=True)
class Rename:
    scope: str
    """The schema a renamed property belongs to ("" for a schema rename)."""
    old: str
    new: str
    kind: RenameKind

    def __str__(self) -> str:
        prefix = f"{self.scope}." if self.scope else ""
        return f"{prefix}{self.old} → {self.new}"


@dataclass(frozen=True, order=True)
class PropertyChange:
    schema: str
    name: str
    """The property's name in the new spec."""
    aspect: Literal["type", "format", "nullable"]
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.schema}.{self.name} {self.aspect}: {self.old} → {self.new}"


@dataclass(frozen=True, order=True)
class ParameterChange:
    operation: str
    """``METHOD /path`` in the new spec."""
    location: str
    """``in`` of the parameter (path, query, header, cookie)."""
    name: str
    change: Literal[
        "added", "removed", "renamed", "newly-required", "no-longer-required", "type", "format"
    ]
    old: str = ""
    new: str = ""

    @property
    def breaking(self) -> bool:
        """Removed, newly required, retyped or (outside the path) renamed parameters break
        callers; a renamed path parameter does not change the URL."""
        if self.change == "added":
            return self.new == "required"
        if self.change == "no-longer-required":
            return False
        if self.change == "renamed":
            return self.location != "path"
        return True

    def __str__(self) -> str:
        what = {
            "added": f"{self.location} parameter added{' (required)' if self.new else ''}",
            "removed": f"{self.location} parameter removed",
            "renamed": f"{self.location} parameter renamed {self.old} → {self.new}",
            "newly-required": f"{self.location} parameter became required",
            "no-longer-required": f"{self.location} parameter no longer required",
            "type": f"{self.location} parameter type {self.old} → {self.new}",
            "format": f"{self.location} parameter format {self.old} → {self.new}",
        }[self.change]
        return f"{self.operation} {self.name}: {what}"


@dataclass(frozen=True)
class Change:
    """One reported change, flattened for rendering and filtering."""

    category: str
    """paths, operations, schemas, properties, required, readOnly, types, parameters."""
    kind: str
    breaking: bool
    text: str


@dataclass(frozen=True)
class SpecStats:
    label: str
    title: str
    version: str
    openapi: str
    paths: int
    empty_paths: int
    operations: int
    schemas: int


@dataclass
class SpecDiff:
    old: SpecStats
    new: SpecStats
    paths_added: list[str] = field(default_factory=list)
    paths_removed: list[str] = field(default_factory=list)
    paths_rekeyed: list[tuple[str, str]] = field(default_factory=list)
    """(old, new) path templates that only differ in parameter names: same URLs on the wire."""
    operations_added: list[Operation] = field(default_factory=list)
    operations_removed: list[Operation] = field(default_factory=list)
    operations_rekeyed: list[tuple[Operation, Operation]] = field(default_factory=list)
    """Removed/added operation pairs with the same method on a re-keyed path."""
    schemas_added: list[str] = field(default_factory=list)
    schemas_removed: list[str] = field(default_factory=list)
    schemas_renamed: list[Rename] = field(default_factory=list)
    schemas_removed_unused: list[str] = field(default_factory=list)
    """Removed schemas that no operation of the old spec used, even indirectly: not breaking."""
    schemas_shared: int = 0
    properties_added: list[PropertyRef] = field(default_factory=list)
    properties_removed: list[PropertyRef] = field(default_factory=list)
    properties_renamed: list[Rename] = field(default_factory=list)
    newly_required: list[PropertyRef] = field(default_factory=list)
    no_longer_required: list[PropertyRef] = field(default_factory=list)
    newly_read_only: list[PropertyRef] = field(default_factory=list)
    no_longer_read_only: list[PropertyRef] = field(default_factory=list)
    property_changes: list[PropertyChange] = field(default_factory=list)
    parameter_changes: list[ParameterChange] = field(default_factory=list)

    # ----------------------------------------------------------------- views

    def renames(self, kind: RenameKind) -> list[Rename]:
        return [r for r in self.properties_renamed if r.kind == kind]

    def changes(self) -> Iterator[Change]:
        """Every change, one record each, breaking ones flagged."""
        rekeyed = dict(self.paths_rekeyed)
        rekeyed_to = {new: old for old, new in self.paths_rekeyed}
        rekeyed_ops = dict(self.operations_rekeyed)
        rekeyed_ops_to = {new: old for old, new in self.operations_rekeyed}
        same_urls = "same URLs, only the template parameter name changed"
        for p in self.paths_removed:
            if p in rekeyed:
                text = f"path re-keyed: {p} → {rekeyed[p]} ({same_urls})"
                yield Change("paths", "rekeyed", False, text)
            else:
                yield Change("paths", "removed", True, f"path removed: {p}")
        for p in self.paths_added:
            note = f" (re-keyed from {rekeyed_to[p]})" if p in rekeyed_to else ""
            yield Change("paths", "added", False, f"path added: {p}{note}")
        for o in self.operations_removed:
            if o in rekeyed_ops:
                text = f"operation re-keyed: {o} → {rekeyed_ops[o].path}"
                yield Change("operations", "rekeyed", False, text)
            else:
                yield Change("operations", "removed", True, f"operation removed: {o}")
        for o in self.operations_added:
            note = f" (re-keyed from {rekeyed_ops_to[o].path})" if o in rekeyed_ops_to else ""
            yield Change("operations", "added", False, f"operation added: {o}{note}")
        unused = set(self.schemas_removed_unused)
        for s in self.schemas_removed:
            if s in unused:
                text = f"schema removed: {s} (no operation used it)"
                yield Change("schemas", "removed-unused", False, text)
            else:
                yield Change("schemas", "removed", True, f"schema removed: {s}")
        for s in self.schemas_added:
            yield Change("schemas", "added", False, f"schema added: {s}")
        for r in self.schemas_renamed:
            yield Change("schemas", "renamed", True, f"schema renamed ({r.kind}): {r}")
        for pr in self.properties_removed:
            yield Change("properties", "removed", True, f"property removed: {pr}")
        for pr in self.properties_added:
            req = " (required)" if pr.required else ""
            yield Change("properties", "added", pr.required, f"property added: {pr}{req}")
        for r in self.properties_renamed:
            yield Change("properties", f"renamed-{r.kind}", True, f"property renamed: {r}")
        for pr in self.newly_required:
            yield Change("required", "newly-required", True, f"property became required: {pr}")
        for pr in self.no_longer_required:
            yield Change("required", "no-longer-required", False, f"no longer required: {pr}")
        for pr in self.newly_read_only:
            yield Change("readOnly", "newly-read-only", True, f"property became readOnly: {pr}")
        for pr in self.no_longer_read_only:
            yield Change("readOnly", "no-longer-read-only", False, f"no longer readOnly: {pr}")
        for pc in self.property_changes:
            yield Change("types", pc.aspect, True, f"property {pc}")
        for prm in self.parameter_changes:
            yield Change("parameters", prm.change, prm.breaking, f"operation {prm}")

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes() if c.breaking]

    @property
    def has_breaking(self) -> bool:
        return any(c.breaking for c in self.changes())

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view: stats, counts, every list, and the breaking changes."""

        def ops(items: Iterable[Operation]) -> list[dict[str, Any]]:
            return [asdict(o) for o in items]

        renames = self.properties_renamed
        return {
            "old": asdict(self.old),
            "new": asdict(self.new),
            "counts": {
                "paths": {
                    "old": self.old.paths,
                    "new": self.new.paths,
                    "added": len(self.paths_added),
                    "removed": len(self.paths_removed),
                    "rekeyed": len(self.paths_rekeyed),
                },
                "operations": {
                    "old": self.old.operations,
                    "new": self.new.operations,
                    "added": len(self.operations_added),
                    "removed": len(self.operations_removed),
                    "rekeyed": len(self.operations_rekeyed),
                },
                "schemas": {
                    "old": self.old.schemas,
                    "new": self.new.schemas,
                    "shared": self.schemas_shared,
                    "added": len(self.schemas_added),
                    "removed": len(self.schemas_removed),
                    "removed_unused": len(self.schemas_removed_unused),
                    "renamed": len(self.schemas_renamed),
                },
                "properties": {
                    "added": len(self.properties_added),
                    "removed": len(self.properties_removed),
                    "renamed": len(renames),
                    "renamed_plain": len(self.renames("plain")),
                    "renamed_acronym": len(self.renames("acronym")),
                    "renamed_inferred": len(self.renames("inferred")),
                    "newly_required": len(self.newly_required),
                    "no_longer_required": len(self.no_longer_required),
                    "newly_read_only": len(self.newly_read_only),
                    "no_longer_read_only": len(self.no_longer_read_only),
                    "type_changes": self._aspect_count("type"),
                    "format_changes": self._aspect_count("format"),
                    "nullability_changes": self._aspect_count("nullable"),
                },
                "parameter_changes": len(self.parameter_changes),
                "breaking": len(self.breaking),
            },
            "paths": {
                "added": self.paths_added,
                "removed": self.paths_removed,
                "rekeyed": [list(pair) for pair in self.paths_rekeyed],
            },
            "operations": {
                "added": ops(self.operations_added),
                "removed": ops(self.operations_removed),
                "rekeyed": [[asdict(a), asdict(b)] for a, b in self.operations_rekeyed],
            },
            "schemas": {
                "added": self.schemas_added,
                "removed": self.schemas_removed,
                "removed_unused": self.schemas_removed_unused,
                "renamed": [asdict(r) for r in self.schemas_renamed],
            },
            "properties": {
                "added": [asdict(p) for p in self.properties_added],
                "removed": [asdict(p) for p in self.properties_removed],
                "renamed": [asdict(r) for r in renames],
                "newly_required": [asdict(p) for p in self.newly_required],
                "no_longer_required": [asdict(p) for p in self.no_longer_required],
                "newly_read_only": [asdict(p) for p in self.newly_read_only],
                "no_longer_read_only": [asdict(p) for p in self.no_longer_read_only],
                "changed": [asdict(c) for c in self.property_changes],
            },
            "parameters": [{**asdict(p), "breaking": p.breaking} for p in self.parameter_changes],
            "breaking": [c.text for c in self.breaking],
        }

    def _aspect_count(self, aspect: str) -> int:
        return sum(1 for c in self.property_changes if c.aspect == aspect)

    # ----------------------------------------------------------------- text

    def render(self, *, full: bool = False) -> str:
        """Human-readable report. Breaking lines start with ``BREAKING``.

        Plain case-only property renames (thousands in a casing flip) are summarised unless
        ``full`` is true; every other change is listed.
        """
        lines: list[str] = []
        add = lines.append
        add(f"Spec diff: {self.old.label} → {self.new.label}")
        for tag, s in (("old", self.old), ("new", self.new)):
            add(
                f"  {tag}: {s.title} {s.version} (OpenAPI {s.openapi}): {s.paths:,} paths "
                f"({s.empty_paths} empty), {s.operations:,} operations, {s.schemas:,} schemas"
            )
        add("")
        add("Summary")
        add(
            f"  paths        {self.old.paths:,} → {self.new.paths:,}: +{len(self.paths_added)} "
            f"-{len(self.paths_removed)} ({len(self.paths_rekeyed)} re-keyed)"
        )
        add(
            f"  operations   {self.old.operations:,} → {self.new.operations:,}: "
            f"+{len(self.operations_added)} -{len(self.operations_removed)} "
            f"({len(self.operations_rekeyed)} re-keyed)"
        )
        add(
            f"  schemas      {self.old.schemas:,} → {self.new.schemas:,}: "
            f"+{len(self.schemas_added)} -{len(self.schemas_removed)} "
            f"({self.schemas_shared:,} shared, {len(self.schemas_renamed)} renamed, "
            f"{len(self.schemas_removed_unused)} of the removed used by no operation)"
        )
        add(
            f"  properties   +{len(self.properties_added)} -{len(self.properties_removed)}, "
            f"{len(self.properties_renamed):,} renamed ({len(self.renames('plain')):,} plain "
            f"case, {len(self.renames('acronym'))} irregular acronym, "
            f"{len(self.renames('inferred'))} inferred)"
        )
        add(
            f"  required     {len(self.newly_required)} newly required, "
            f"{len(self.no_longer_required)} no longer required"
        )
        add(
            f"  readOnly     {len(self.newly_read_only)} newly read-only, "
            f"{len(self.no_longer_read_only)} no longer read-only"
        )
        add(
            f"  types        {self._aspect_count('type')} type, "
            f"{self._aspect_count('format')} format, "
            f"{self._aspect_count('nullable')} nullability changes"
        )
        add(f"  parameters   {len(self.parameter_changes)} changes in shared operations")
        n_breaking = len(self.breaking)
        add(f"  breaking     {n_breaking:,} changes")

        n_plain = len(self.renames("plain"))
        current = ""
        summarised = False
        for change in self.changes():
            if change.category != current:
                current = change.category
                add("")
                add(_SECTION_TITLES.get(current, current))
            if not full and change.kind == "renamed-plain":
                if not summarised:
                    summarised = True
                    example = self.renames("plain")[0]
                    add(
                        f"  BREAKING {n_plain:,} properties renamed by a first-letter case flip "
                        f"(e.g. {example}); harmless to case-insensitive (de)serializers; "
                        "--full lists them"
                    )
                continue
            add(f"  {'BREAKING ' if change.breaking else ''}{change.text}")
        if n_breaking == 0:
            add("")
            add("No breaking changes.")
        return "\n".join(lines) + "\n"


_SECTION_TITLES = {
    "paths": "Paths",
    "operations": "Operations",
    "schemas": "Schemas",
    "properties": "Properties (schemas in both specs)",
    "required": "Required",
    "readOnly": "Read-only",
    "types": "Type / format / nullability",
    "parameters": "Parameters (operations in both specs)",
}


# --------------------------------------------------------------------------- diffing


def _template_shape(path: str) -> str:
    """A path with its template parameter names erased: ``/a/{x}`` and ``/a/{y}`` match."""
    out: list[str] = []
    depth = 0
    for ch in path:
        if ch == "{":
            depth += 1
            out.append("{}")
        elif ch == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def _by_path_then_method(key: tuple[str, str]) -> tuple[str, int]:
    method, path = key
    return (path, HTTP_METHODS.index(method))


def _operations(spec: Mapping[str, Any]) -> dict[tuple[str, str], Operation]:
    found: dict[tuple[str, str], Operation] = {}
    for path, item in (spec.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, Mapping):
                op_id = op.get("operationId")
                found[(method, path)] = Operation(
                    method.upper(), path, op_id if isinstance(op_id, str) else None
                )
    return found


def _schemas(spec: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    schemas = (spec.get("components") or {}).get("schemas") or {}
    return {k: v for k, v in schemas.items() if isinstance(v, Mapping)}


def _stats(spec: Mapping[str, Any], label: str) -> SpecStats:
    info = spec.get("info") or {}
    paths = spec.get("paths") or {}
    return SpecStats(
        label=label,
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        openapi=str(spec.get("openapi", spec.get("swagger", ""))),
        paths=len(paths),
        empty_paths=sum(
            1
            for item in paths.values()
            if not isinstance(item, Mapping) or not any(m in item for m in HTTP_METHODS)
        ),
        operations=len(_operations(spec)),
        schemas=len(_schemas(spec)),
    )


def _used_schemas(spec: Mapping[str, Any]) -> set[str]:
    """Component schemas that some operation uses, directly or through other components."""
    prefix = "#/components/"
    components = spec.get("components") or {}
    used: set[str] = set()
    seen_refs: set[str] = set()
    stack: list[Any] = [spec.get("paths") or {}]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(prefix) and ref not in seen_refs:
                seen_refs.add(ref)
                kind, _, name = ref[len(prefix) :].partition("/")
                if kind == "schemas":
                    used.add(name)
                target = (components.get(kind) or {}).get(name)
                if target is not None:
                    stack.append(target)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return used


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type_of(prop: Any, schema_renames: Mapping[str, str]) -> tuple[str, str, bool]:
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
                t, f, n = _type_of(real[0], schema_renames)
                return (t, f, nullable or n)
            parts = sorted(_type_of(b, schema_renames)[0] for b in real)
            return (f"{combinator}[{', '.join(parts)}]", "", nullable)
    raw = prop.get("type")
    types = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list) else []
    if "null" in types:
        nullable = True
        types = [t for t in types if t != "null"]
    fmt = str(prop.get("format", ""))
    if types == ["array"] or (not types and "items" in prop):
        item_type, item_fmt, _ = _type_of(prop.get("items"), schema_renames)
        type_name = f"array[{item_type}]"
        fmt = fmt or (f"items:{item_fmt}" if item_fmt else "")
    elif types:
        type_name = "|".join(sorted(str(t) for t in types))
    else:
        type_name = "object" if "properties" in prop or "additionalProperties" in prop else "any"
    return (type_name, fmt, nullable)


_IGNORED_KEYS = frozenset({"title", "example", "examples", "description", "nullable"})


def _fingerprint(prop: Any, schema_renames: Mapping[str, str]) -> str:
    """A comparable form of a property definition, for inferring non-case renames."""
    if not isinstance(prop, Mapping):
        return repr(prop)
    rest = {k: v for k, v in prop.items() if k not in _IGNORED_KEYS and k not in ("type", "$ref")}
    rest.pop("items", None)
    rest.pop("format", None)
    return json.dumps(
        [_type_of(prop, schema_renames), rest, prop.get("description")],
        sort_keys=True,
        default=str,
    )


def _classify_case_rename(old: str, new: str) -> RenameKind:
    if new[1:] == old[1:]:
        return "plain"
    return "acronym"


def _match_names(
    old: Iterable[str],
    new: Iterable[str],
    *,
    same_definition: Any = None,
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
            renames.append((name, target, _classify_case_rename(name, target)))
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


def _required(schema: Mapping[str, Any]) -> set[str]:
    req = schema.get("required")
    return {str(r) for r in req} if isinstance(req, list) else set()


def _properties(schema: Mapping[str, Any]) -> dict[str, Any]:
    props = schema.get("properties")
    return dict(props) if isinstance(props, Mapping) else {}


def _diff_schema(
    result: SpecDiff,
    old_name: str,
    new_name: str,
    old_schema: Mapping[str, Any],
    new_schema: Mapping[str, Any],
    schema_renames: Mapping[str, str],
) -> None:
    old_props, new_props = _properties(old_schema), _properties(new_schema)
    old_req, new_req = _required(old_schema), _required(new_schema)

    def same(o: str, n: str) -> bool:
        return _fingerprint(old_props[o], schema_renames) == _fingerprint(
            new_props[n], schema_renames
        )

    exact, renames, removed, added = _match_names(old_props, new_props, same_definition=same)
    pairs = list(exact.items()) + [(o, n) for o, n, _ in renames]
    for o, n, kind in renames:
        result.properties_renamed.append(Rename(new_name, o, n, kind))
    for o in removed:
        result.properties_removed.append(PropertyRef(old_name, o, o in old_req))
    for n in added:
        result.properties_added.append(PropertyRef(new_name, n, n in new_req))
    for o, n in sorted(pairs, key=lambda pair: pair[1]):
        ref = PropertyRef(new_name, n)
        if n in new_req and o not in old_req:
            result.newly_required.append(ref)
        elif o in old_req and n not in new_req:
            result.no_longer_required.append(ref)
        old_p, new_p = old_props[o], new_props[n]
        old_ro = isinstance(old_p, Mapping) and old_p.get("readOnly") is True
        new_ro = isinstance(new_p, Mapping) and new_p.get("readOnly") is True
        if new_ro and not old_ro:
            result.newly_read_only.append(ref)
        elif old_ro and not new_ro:
            result.no_longer_read_only.append(ref)
        ot, of, on = _type_of(old_p, schema_renames)
        nt, nf, nn = _type_of(new_p, schema_renames)
        if ot != nt:
            result.property_changes.append(PropertyChange(new_name, n, "type", ot, nt))
        if of != nf:
            result.property_changes.append(
                PropertyChange(new_name, n, "format", of or "(none)", nf or "(none)")
            )
        if on != nn:
            result.property_changes.append(
                PropertyChange(
                    new_name,
                    n,
                    "nullable",
                    "nullable" if on else "non-nullable",
                    "nullable" if nn else "non-nullable",
                )
            )


def _parameters(op: Mapping[str, Any], item: Mapping[str, Any]) -> dict[tuple[str, str], Any]:
    params: dict[tuple[str, str], Any] = {}
    for source in (item.get("parameters"), op.get("parameters")):
        for prm in source or []:
            if isinstance(prm, Mapping) and "name" in prm and "in" in prm:
                params[(str(prm["in"]), str(prm["name"]))] = prm
    return params


def _diff_parameters(
    result: SpecDiff,
    old_spec: Mapping[str, Any],
    new_spec: Mapping[str, Any],
    pairs: Sequence[tuple[tuple[str, str], tuple[str, str]]],
    schema_renames: Mapping[str, str],
) -> None:
    for (om, op_path), (nm, np_path) in pairs:
        old_item, new_item = old_spec["paths"][op_path], new_spec["paths"][np_path]
        old_params = _parameters(old_item[om], old_item)
        new_params = _parameters(new_item[nm], new_item)
        label = f"{nm.upper()} {np_path}"
        for where in sorted({k[0] for k in old_params} | {k[0] for k in new_params}):
            o_names = [k[1] for k in old_params if k[0] == where]
            n_names = [k[1] for k in new_params if k[0] == where]
            exact, renames, removed, added = _match_names(o_names, n_names)
            for o, n, _ in renames:
                result.parameter_changes.append(ParameterChange(label, where, n, "renamed", o, n))
            for o in removed:
                result.parameter_changes.append(ParameterChange(label, where, o, "removed"))
            for n in added:
                required = bool(new_params[(where, n)].get("required"))
                result.parameter_changes.append(
                    ParameterChange(label, where, n, "added", "", "required" if required else "")
                )
            for o, n in list(exact.items()) + [(o, n) for o, n, _ in renames]:
                old_p, new_p = old_params[(where, o)], new_params[(where, n)]
                o_req, n_req = bool(old_p.get("required")), bool(new_p.get("required"))
                if n_req and not o_req:
                    result.parameter_changes.append(
                        ParameterChange(label, where, n, "newly-required")
                    )
                elif o_req and not n_req:
                    result.parameter_changes.append(
                        ParameterChange(label, where, n, "no-longer-required")
                    )
                ot, of, _ = _type_of(old_p.get("schema"), schema_renames)
                nt, nf, _ = _type_of(new_p.get("schema"), schema_renames)
                if ot != nt:
                    result.parameter_changes.append(
                        ParameterChange(label, where, n, "type", ot, nt)
                    )
                if of != nf:
                    result.parameter_changes.append(
                        ParameterChange(label, where, n, "format", of or "(none)", nf or "(none)")
                    )


def diff(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    old_label: str = "old",
    new_label: str = "new",
) -> SpecDiff:
    """Compare two OpenAPI documents (already loaded) and classify every change."""
    result = SpecDiff(old=_stats(old, old_label), new=_stats(new, new_label))

    # Paths, and re-keyed templates (same URL shape, different parameter names).
    old_paths = set((old.get("paths") or {}).keys())
    new_paths = set((new.get("paths") or {}).keys())
    result.paths_removed = sorted(old_paths - new_paths)
    result.paths_added = sorted(new_paths - old_paths)
    added_by_shape: dict[str, list[str]] = {}
    for p in result.paths_added:
        added_by_shape.setdefault(_template_shape(p), []).append(p)
    path_map: dict[str, str] = {}
    for p in result.paths_removed:
        candidates = added_by_shape.get(_template_shape(p), [])
        if len(candidates) == 1:
            path_map[p] = candidates[0]
            result.paths_rekeyed.append((p, candidates[0]))

    # Operations.
    old_ops, new_ops = _operations(old), _operations(new)
    by_path = _by_path_then_method
    result.operations_removed = [
        old_ops[k] for k in sorted(old_ops.keys() - new_ops.keys(), key=by_path)
    ]
    result.operations_added = [
        new_ops[k] for k in sorted(new_ops.keys() - old_ops.keys(), key=by_path)
    ]
    op_pairs: list[tuple[tuple[str, str], tuple[str, str]]] = [
        (k, k) for k in sorted(old_ops.keys() & new_ops.keys())
    ]
    for method, path in sorted(old_ops.keys() - new_ops.keys()):
        target = path_map.get(path)
        if target is not None and (method, target) in new_ops:
            result.operations_rekeyed.append((old_ops[(method, path)], new_ops[(method, target)]))
            op_pairs.append(((method, path), (method, target)))

    # Schemas, matched exactly, then case-insensitively.
    old_schemas, new_schemas = _schemas(old), _schemas(new)
    exact, renames, removed, added = _match_names(old_schemas, new_schemas)
    schema_renames = {o: n for o, n, _ in renames}
    result.schemas_removed = removed
    used = _used_schemas(old)
    result.schemas_removed_unused = [n for n in removed if n not in used]
    result.schemas_added = added
    result.schemas_renamed = [Rename("", o, n, kind) for o, n, kind in renames]
    result.schemas_shared = len(exact) + len(renames)
    for o, n in sorted(list(exact.items()) + list(schema_renames.items()), key=lambda x: x[1]):
        _diff_schema(result, o, n, old_schemas[o], new_schemas[n], schema_renames)

    _diff_parameters(result, old, new, op_pairs, schema_renames)
    return result


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code (see the module docstring)."""
    parser = argparse.ArgumentParser(
        prog="python -m eaccounting.spec_diff",
        description="Report what changed between two OpenAPI specs and flag breaking changes.",
    )
    parser.add_argument("old", help="old spec: path or http(s) URL (YAML or JSON)")
    parser.add_argument("new", help="new spec: path or http(s) URL (YAML or JSON)")
    parser.add_argument("--json", action="store_true", help="print the diff as JSON")
    parser.add_argument(
        "--full", action="store_true", help="list every plain case-only property rename"
    )
    parser.add_argument(
        "--fail-on-breaking",
        action="store_true",
        help="exit 1 when the diff contains breaking changes",
    )
    args = parser.parse_args(argv)
    try:
        old_doc, new_doc = load(args.old), load(args.new)
    except SpecDiffError as exc:
        print(f"spec-diff: {exc}", file=sys.stderr)
        return 2
    result = diff(old_doc, new_doc, old_label=args.old, new_label=args.new)
    if args.json:
        print(json.dumps(result.as_dict(), indent=1, ensure_ascii=False))
    else:
        sys.stdout.write(result.render(full=args.full))
    if args.fail_on_breaking and result.has_breaking:
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
