"""The human-readable report of a :class:`SpecDiff`."""

from __future__ import annotations

from .results import SpecDiff

__all__ = ["render"]


def render(d: SpecDiff, *, full: bool = False) -> str:
    """Human-readable report. Breaking lines start with ``BREAKING``.

    Plain case-only property renames (thousands in a casing flip) are summarised unless
    ``full`` is true; every other change is listed.
    """
    lines: list[str] = []
    add = lines.append
    add(f"Spec diff: {d.old.label} → {d.new.label}")
    for tag, s in (("old", d.old), ("new", d.new)):
        add(
            f"  {tag}: {s.title} {s.version} (OpenAPI {s.openapi}): {s.paths:,} paths "
            f"({s.empty_paths} empty), {s.operations:,} operations, {s.schemas:,} schemas"
        )
    add("")
    add("Summary")
    add(
        f"  paths        {d.old.paths:,} → {d.new.paths:,}: +{len(d.paths_added)} "
        f"-{len(d.paths_removed)} ({len(d.paths_rekeyed)} re-keyed)"
    )
    add(
        f"  operations   {d.old.operations:,} → {d.new.operations:,}: "
        f"+{len(d.operations_added)} -{len(d.operations_removed)} "
        f"({len(d.operations_rekeyed)} re-keyed)"
    )
    add(
        f"  schemas      {d.old.schemas:,} → {d.new.schemas:,}: "
        f"+{len(d.schemas_added)} -{len(d.schemas_removed)} "
        f"({d.schemas_shared:,} shared, {len(d.schemas_renamed)} renamed, "
        f"{len(d.schemas_removed_unused)} of the removed used by no operation)"
    )
    add(
        f"  properties   +{len(d.properties_added)} -{len(d.properties_removed)}, "
        f"{len(d.properties_renamed):,} renamed ({len(d.renames('plain')):,} plain "
        f"case, {len(d.renames('acronym'))} irregular acronym, "
        f"{len(d.renames('inferred'))} inferred)"
    )
    add(
        f"  required     {len(d.newly_required)} newly required, "
        f"{len(d.no_longer_required)} no longer required"
    )
    add(
        f"  readOnly     {len(d.newly_read_only)} newly read-only, "
        f"{len(d.no_longer_read_only)} no longer read-only"
    )
    add(
        f"  types        {d.aspect_count('type')} type, "
        f"{d.aspect_count('format')} format, "
        f"{d.aspect_count('nullable')} nullability changes"
    )
    add(
        f"  tags         +{len(d.tags_added)} -{len(d.tags_removed)}, "
        f"{len(d.tags_renamed)} renamed, {len(d.operations_retagged)} operations moved tag"
    )
    add(f"  empty paths  {len(d.paths_added_empty)} added, {len(d.paths_gained)} gained operations")
    add(f"  parameters   {len(d.parameter_changes)} changes in shared operations")
    servers = sum(c.category == "servers" for c in d.surface_changes)
    security = sum(c.category == "security" for c in d.surface_changes)
    add(f"  servers      {servers} changes; security {security} changes")
    n_breaking = len(d.breaking)
    add(f"  breaking     {n_breaking:,} changes")

    n_plain = len(d.renames("plain"))
    moved = sum(
        1
        for c in d.changes()
        if c.category == "properties"
        and c.kind == "renamed-plain"
        and not all(n.endswith(" unchanged") for n in c.names)
    )
    current = ""
    summarised = False
    for change in d.changes():
        if change.category != current:
            current = change.category
            add("")
            add(_SECTION_TITLES.get(current, current))
        if (
            not full
            and change.category == "properties"
            and change.kind == "renamed-plain"
            and all(n.endswith(" unchanged") for n in change.names)
        ):
            if not summarised:
                summarised = True
                example = d.renames("plain")[0]
                python = (
                    "their Python names stay"
                    if not moved
                    else f"{n_plain - moved:,} keep their Python names, the {moved} below do not"
                )
                add(
                    f"  BREAKING {n_plain:,} properties renamed by a first-letter case flip "
                    f"(e.g. {example}); harmless to case-insensitive (de)serializers; "
                    f"{python}; --full lists them"
                )
            continue
        add(f"  {'BREAKING ' if change.breaking else ''}{change.text}")
        if change.names:
            add(f"      public names: {'; '.join(change.names)}")
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
    "tags": "Tags (client.api namespaces)",
    "servers": "Servers",
    "security": "Security",
}
