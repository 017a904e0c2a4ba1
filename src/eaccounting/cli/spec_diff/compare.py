"""Comparing two OpenAPI documents: paths, operations, schemas, properties and parameters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .matching import fingerprint, match_names, type_of
from .operations import HTTP_METHODS, first_tag, has_operations, operations
from .results import (
    ParameterChange,
    PathGained,
    PropertyChange,
    PropertyRef,
    Rename,
    SpecDiff,
    SpecStats,
)
from .surface import diff_servers_and_security, diff_tags

__all__ = ["diff"]


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
        empty_paths=sum(1 for item in paths.values() if not has_operations(item)),
        operations=len(operations(spec)),
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
        return fingerprint(old_props[o], schema_renames) == fingerprint(
            new_props[n], schema_renames
        )

    exact, renames, removed, added = match_names(old_props, new_props, same_definition=same)
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
        ot, of, on = type_of(old_p, schema_renames)
        nt, nf, nn = type_of(new_p, schema_renames)
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
        new_op = new_item[nm]
        raw_id = new_op.get("operationId")
        op_id = raw_id if isinstance(raw_id, str) else None
        tag = first_tag(new_op)
        for where in sorted({k[0] for k in old_params} | {k[0] for k in new_params}):
            o_names = [k[1] for k in old_params if k[0] == where]
            n_names = [k[1] for k in new_params if k[0] == where]
            exact, renames, removed, added = match_names(o_names, n_names)
            for o, n, _ in renames:
                result.parameter_changes.append(
                    ParameterChange(label, where, n, "renamed", o, n, operation_id=op_id, tag=tag)
                )
            for o in removed:
                result.parameter_changes.append(
                    ParameterChange(label, where, o, "removed", operation_id=op_id, tag=tag)
                )
            for n in added:
                required = bool(new_params[(where, n)].get("required"))
                result.parameter_changes.append(
                    ParameterChange(
                        label,
                        where,
                        n,
                        "added",
                        "",
                        "required" if required else "",
                        operation_id=op_id,
                        tag=tag,
                    )
                )
            for o, n in list(exact.items()) + [(o, n) for o, n, _ in renames]:
                old_p, new_p = old_params[(where, o)], new_params[(where, n)]
                o_req, n_req = bool(old_p.get("required")), bool(new_p.get("required"))
                if n_req and not o_req:
                    result.parameter_changes.append(
                        ParameterChange(
                            label, where, n, "newly-required", operation_id=op_id, tag=tag
                        )
                    )
                elif o_req and not n_req:
                    result.parameter_changes.append(
                        ParameterChange(
                            label, where, n, "no-longer-required", operation_id=op_id, tag=tag
                        )
                    )
                ot, of, _ = type_of(old_p.get("schema"), schema_renames)
                nt, nf, _ = type_of(new_p.get("schema"), schema_renames)
                if ot != nt:
                    result.parameter_changes.append(
                        ParameterChange(
                            label, where, n, "type", ot, nt, operation_id=op_id, tag=tag
                        )
                    )
                if of != nf:
                    result.parameter_changes.append(
                        ParameterChange(
                            label,
                            where,
                            n,
                            "format",
                            of or "(none)",
                            nf or "(none)",
                            operation_id=op_id,
                            tag=tag,
                        )
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

    # Empty path items: Visma declares endpoints before serving them, then adds the methods.
    old_items, new_items = old.get("paths") or {}, new.get("paths") or {}
    result.paths_added_empty = [p for p in result.paths_added if not has_operations(new_items[p])]
    for p in sorted(old_paths & new_paths) + sorted(path_map):
        target = path_map.get(p, p)
        if not has_operations(old_items[p]) and has_operations(new_items[target]):
            methods = tuple(m.upper() for m in HTTP_METHODS if m in new_items[target])
            result.paths_gained.append(PathGained(target, methods))

    # Operations.
    old_ops, new_ops = operations(old), operations(new)
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
    exact, renames, removed, added = match_names(old_schemas, new_schemas)
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
    diff_tags(result, old_ops, new_ops, op_pairs)
    diff_servers_and_security(result, old, new, op_pairs)
    return result
