"""What a diff found: one record type per kind of change, and the ``SpecDiff`` that holds them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from . import names
from .facades import facades_for_model, facades_for_path
from .matching import RenameKind

__all__ = [
    "Change",
    "Operation",
    "ParameterChange",
    "PathGained",
    "PropertyChange",
    "PropertyRef",
    "Rename",
    "Retag",
    "SpecDiff",
    "SpecStats",
    "SurfaceChange",
]


@dataclass(frozen=True, order=True)
class Operation:
    method: str
    """Upper-case HTTP method."""
    path: str
    operation_id: str | None = None
    tag: str | None = None
    """The operation's first tag: where the generator puts it (``client.api.<tag>``)."""

    def __str__(self) -> str:
        suffix = f" ({self.operation_id})" if self.operation_id else ""
        return f"{self.method} {self.path}{suffix}"

    def public_names(self, tag: str | None = None) -> tuple[str, str]:
        """``client.api…`` and ``eaccounting_api.api…`` names of the operation (under ``tag``)."""
        return names.operation_names(
            self.method, self.path, self.operation_id, tag if tag is not None else self.tag
        )


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
    operation_id: str | None = None
    tag: str | None = None

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
    """paths, operations, tags, schemas, properties, required, readOnly, types, parameters,
    servers, security."""
    kind: str
    breaking: bool
    text: str
    names: tuple[str, ...] = ()
    """Public Python names the change moves or removes (breaking changes only), e.g.
    ``client.api.customers.get_customer removed`` or ``eaccounting_api.models.A → …B``."""


@dataclass(frozen=True, order=True)
class Retag:
    """An operation present in both specs whose first tag changed (outside a tag rename)."""

    operation: Operation
    """The operation in the new spec."""
    old_tag: str | None
    new_tag: str | None

    @property
    def breaking(self) -> bool:
        return names.tag_package(self.old_tag) != names.tag_package(self.new_tag)


@dataclass(frozen=True, order=True)
class PathGained:
    """A path item that had no operations in the old spec and has some in the new one."""

    path: str
    methods: tuple[str, ...]


@dataclass(frozen=True, order=True)
class SurfaceChange:
    """A change to the servers or to security (schemes, flows, scopes, required scopes)."""

    category: Literal["servers", "security"]
    kind: str
    text: str
    breaking: bool
    names: tuple[str, ...] = ()


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
    paths_added_empty: list[str] = field(default_factory=list)
    """Added paths that have no operations (Visma declares endpoints before it serves them)."""
    paths_gained: list[PathGained] = field(default_factory=list)
    """Paths in both specs that were empty (no operations) and now have operations."""
    tags_added: list[str] = field(default_factory=list)
    tags_removed: list[str] = field(default_factory=list)
    tags_renamed: list[Rename] = field(default_factory=list)
    """Tags (of operations) renamed: case-only, or ``inferred`` when every operation moved."""
    operations_retagged: list[Retag] = field(default_factory=list)
    surface_changes: list[SurfaceChange] = field(default_factory=list)
    """Server and security changes."""
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
        """Every change, one record each, breaking ones flagged and naming the public names
        they move."""
        rekeyed = dict(self.paths_rekeyed)
        rekeyed_to = {new: old for old, new in self.paths_rekeyed}
        rekeyed_ops = dict(self.operations_rekeyed)
        rekeyed_ops_to = {new: old for old, new in self.operations_rekeyed}
        same_urls = "same URLs, only the template parameter name changed"
        empty_added = set(self.paths_added_empty)
        gone: tuple[str, ...]
        moved: tuple[str, ...]
        for p in self.paths_removed:
            if p in rekeyed:
                text = f"path re-keyed: {p} → {rekeyed[p]} ({same_urls})"
                yield Change("paths", "rekeyed", False, text)
            else:
                gone = tuple(f"{f} loses {p}" for f in facades_for_path(p))
                yield Change("paths", "removed", True, f"path removed: {p}", gone)
        for p in self.paths_added:
            note = f" (re-keyed from {rekeyed_to[p]})" if p in rekeyed_to else ""
            note += " (no operations)" if p in empty_added else ""
            yield Change("paths", "added", False, f"path added: {p}{note}")
        for g in self.paths_gained:
            text = (
                f"empty path gained operations: {g.path} ({', '.join(g.methods)}); an overlay "
                "that removes empty path items must now keep it"
            )
            yield Change("paths", "gained-operations", False, text)
        for o in self.operations_removed:
            if o in rekeyed_ops:
                text = f"operation re-keyed: {o} → {rekeyed_ops[o].path}"
                yield Change("operations", "rekeyed", False, text)
            else:
                gone = tuple(f"{n} removed" for n in o.public_names())
                gone += tuple(f"{f} loses {o.method} {o.path}" for f in facades_for_path(o.path))
                yield Change("operations", "removed", True, f"operation removed: {o}", gone)
        for o in self.operations_added:
            note = f" (re-keyed from {rekeyed_ops_to[o].path})" if o in rekeyed_ops_to else ""
            yield Change("operations", "added", False, f"operation added: {o}{note}")
        yield from self._tag_changes()
        unused = set(self.schemas_removed_unused)
        for s in self.schemas_removed:
            if s in unused:
                text = f"schema removed: {s} (no operation used it)"
                yield Change("schemas", "removed-unused", False, text)
            else:
                gone = (f"{names.model(s)} removed",)
                gone += tuple(f"{f} returns it" for f in facades_for_model(s))
                yield Change("schemas", "removed", True, f"schema removed: {s}", gone)
        for s in self.schemas_added:
            yield Change("schemas", "added", False, f"schema added: {s}")
        for r in self.schemas_renamed:
            moved = (_moved(names.model(r.old), names.model(r.new)),)
            moved += tuple(f"{f} returns it" for f in facades_for_model(r.old))
            yield Change("schemas", "renamed", True, f"schema renamed ({r.kind}): {r}", moved)
        for pr in self.properties_removed:
            gone = (f"{names.model_attribute(pr.schema, pr.name)} removed",)
            attr = names.identifier(pr.name)
            gone += tuple(f"{f} results lose .{attr}" for f in facades_for_model(pr.schema))
            yield Change("properties", "removed", True, f"property removed: {pr}", gone)
        for pr in self.properties_added:
            req = " (required)" if pr.required else ""
            needed = (
                (f"{names.model_attribute(pr.schema, pr.name)} new required argument",)
                if pr.required
                else ()
            )
            yield Change("properties", "added", pr.required, f"property added: {pr}{req}", needed)
        for r in self.properties_renamed:
            moved = (
                _moved(
                    names.model_attribute(r.scope, r.old), names.model_attribute(r.scope, r.new)
                ),
            )
            old_attr, new_attr = names.identifier(r.old), names.identifier(r.new)
            if old_attr != new_attr:
                moved += tuple(
                    f"{f} results: .{old_attr} → .{new_attr}" for f in facades_for_model(r.scope)
                )
            yield Change("properties", f"renamed-{r.kind}", True, f"property renamed: {r}", moved)
        for pr in self.newly_required:
            needed = (f"{names.model_attribute(pr.schema, pr.name)} now a required argument",)
            text = f"property became required: {pr}"
            yield Change("required", "newly-required", True, text, needed)
        for pr in self.no_longer_required:
            yield Change("required", "no-longer-required", False, f"no longer required: {pr}")
        for pr in self.newly_read_only:
            ro = (f"{names.model_attribute(pr.schema, pr.name)} no longer sent",)
            text = f"property became readOnly: {pr}"
            yield Change("readOnly", "newly-read-only", True, text, ro)
        for pr in self.no_longer_read_only:
            yield Change("readOnly", "no-longer-read-only", False, f"no longer readOnly: {pr}")
        for pc in self.property_changes:
            changed = (f"{names.model_attribute(pc.schema, pc.name)} {pc.aspect} changes",)
            yield Change("types", pc.aspect, True, f"property {pc}", changed)
        for prm in self.parameter_changes:
            yield Change(
                "parameters",
                prm.change,
                prm.breaking,
                f"operation {prm}",
                _parameter_names(prm) if prm.breaking else (),
            )
        for sc in self.surface_changes:
            yield Change(sc.category, sc.kind, sc.breaking, sc.text, sc.names)

    def _tag_changes(self) -> Iterator[Change]:
        for t in self.tags_removed:
            gone = tuple(f"{n} removed" for n in names.tag_names(t))
            yield Change("tags", "removed", True, f"tag removed: {t}", gone)
        for t in self.tags_added:
            yield Change("tags", "added", False, f"tag added: {t}")
        for r in self.tags_renamed:
            old, new = names.tag_names(r.old), names.tag_names(r.new)
            breaking = old != new
            moved = tuple(_moved(a, b) for a, b in zip(old, new, strict=True)) if breaking else ()
            note = "" if breaking else " (the Python names stay)"
            text = f"tag renamed ({r.kind}): {r.old} → {r.new}{note}"
            yield Change("tags", f"renamed-{r.kind}", breaking, text, moved)
        for rt in self.operations_retagged:
            op = rt.operation
            old, new = op.public_names(rt.old_tag or ""), op.public_names(rt.new_tag or "")
            moved = (
                tuple(_moved(a, b) for a, b in zip(old, new, strict=True)) if rt.breaking else ()
            )
            text = f"operation moved from tag {rt.old_tag} to {rt.new_tag}: {op}"
            yield Change("tags", "retagged", rt.breaking, text, moved)

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
                    "added_empty": len(self.paths_added_empty),
                    "gained_operations": len(self.paths_gained),
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
                    "type_changes": self.aspect_count("type"),
                    "format_changes": self.aspect_count("format"),
                    "nullability_changes": self.aspect_count("nullable"),
                },
                "tags": {
                    "added": len(self.tags_added),
                    "removed": len(self.tags_removed),
                    "renamed": len(self.tags_renamed),
                    "retagged_operations": len(self.operations_retagged),
                },
                "parameter_changes": len(self.parameter_changes),
                "server_changes": sum(c.category == "servers" for c in self.surface_changes),
                "security_changes": sum(c.category == "security" for c in self.surface_changes),
                "breaking": len(self.breaking),
            },
            "paths": {
                "added": self.paths_added,
                "removed": self.paths_removed,
                "rekeyed": [list(pair) for pair in self.paths_rekeyed],
                "added_empty": self.paths_added_empty,
                "gained_operations": [asdict(g) for g in self.paths_gained],
            },
            "tags": {
                "added": self.tags_added,
                "removed": self.tags_removed,
                "renamed": [asdict(r) for r in self.tags_renamed],
                "retagged": [
                    {**asdict(r.operation), "old_tag": r.old_tag, "new_tag": r.new_tag}
                    for r in self.operations_retagged
                ],
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
            "servers_security": [asdict(c) for c in self.surface_changes],
            "breaking": [c.text for c in self.breaking],
            "breaking_names": {c.text: list(c.names) for c in self.breaking if c.names},
        }

    def aspect_count(self, aspect: str) -> int:
        return sum(1 for c in self.property_changes if c.aspect == aspect)


def _moved(old: str, new: str) -> str:
    return f"{old} unchanged" if old == new else f"{old} → {new}"


def _parameter_names(prm: ParameterChange) -> tuple[str, ...]:
    method, _, path = prm.operation.partition(" ")
    calls = names.operation_names(method, path, prm.operation_id, prm.tag)
    if prm.change == "renamed":
        old, new = names.parameter_keyword(prm.old), names.parameter_keyword(prm.new)
        return tuple(_moved(f"{c}({old}=)", f"{c}({new}=)") for c in calls)
    keyword = names.parameter_keyword(prm.name)
    what = {
        "removed": "removed",
        "added": "new required argument",
        "newly-required": "now a required argument",
    }.get(prm.change, f"{prm.change} changes")
    return tuple(f"{c}({keyword}=) {what}" for c in calls)
