"""What users see besides schemas: tags (``client.api.<tag>``), servers and security.

A tag is where the generator files an operation, so a renamed tag moves every
``client.api.<tag>.<operation>``; a changed token URL or a newly required scope breaks every
caller whose token was issued the old way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .matching import match_names
from .operations import first_tag
from .results import Operation, Rename, Retag, SpecDiff, SurfaceChange

__all__ = ["diff_servers_and_security", "diff_tags"]

OperationKey = tuple[str, str]


def diff_tags(
    result: SpecDiff,
    old_ops: Mapping[OperationKey, Operation],
    new_ops: Mapping[OperationKey, Operation],
    pairs: Sequence[tuple[OperationKey, OperationKey]],
) -> None:
    """Tags of operations added, removed, renamed (case-only, or every operation moved to one
    new tag), and operations that moved to another tag."""
    old_tags = {o.tag for o in old_ops.values() if o.tag}
    new_tags = {o.tag for o in new_ops.values() if o.tag}
    _, case_renames, removed, added = match_names(old_tags, new_tags)
    renamed = {o: n for o, n, _ in case_renames}
    result.tags_renamed = [Rename("", o, n, kind) for o, n, kind in case_renames]
    pair_map = dict(pairs)
    # A removed tag whose surviving operations all went to one added tag, and only it did.
    moved_to: dict[str, str] = {}
    for tag in removed:
        targets = {
            new_ops[pair_map[k]].tag for k, o in old_ops.items() if o.tag == tag and k in pair_map
        }
        if len(targets) == 1 and (target := targets.pop()) in added:
            moved_to[tag] = target
    claimed = list(moved_to.values())
    for tag, target in sorted(moved_to.items()):
        if claimed.count(target) == 1:
            renamed[tag] = target
            result.tags_renamed.append(Rename("", tag, target, "inferred"))
            removed.remove(tag)
            added.remove(target)
    result.tags_removed = removed
    result.tags_added = added
    for old_key, new_key in sorted(pairs):
        old_tag, new_tag = old_ops[old_key].tag, new_ops[new_key].tag
        if new_tag != renamed.get(old_tag or "", old_tag):
            result.operations_retagged.append(Retag(new_ops[new_key], old_tag, new_tag))


# --------------------------------------------------------------------------- servers


def _servers(spec: Mapping[str, Any]) -> list[str]:
    return [
        str(s["url"]).rstrip("/")
        for s in spec.get("servers") or []
        if isinstance(s, Mapping) and "url" in s
    ]


def _environments_using(url: str) -> tuple[str, ...]:
    from eaccounting.environments import ENVIRONMENTS

    return tuple(
        f"eaccounting.environments.ENVIRONMENTS[{name!r}].api_base_url still {url}"
        for name, env in sorted(ENVIRONMENTS.items())
        if env.api_base_url.rstrip("/") == url
    )


def _diff_servers(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[SurfaceChange]:
    old_urls, new_urls = _servers(old), _servers(new)
    removed = [u for u in old_urls if u not in new_urls]
    added = [u for u in new_urls if u not in old_urls]
    if len(removed) == 1 and len(added) == 1:
        text = f"server changed: {removed[0]} → {added[0]}"
        return [SurfaceChange("servers", "changed", text, True, _environments_using(removed[0]))]
    changes = [
        SurfaceChange("servers", "removed", f"server removed: {u}", True, _environments_using(u))
        for u in removed
    ]
    changes += [SurfaceChange("servers", "added", f"server added: {u}", False) for u in added]
    return changes


# --------------------------------------------------------------------------- security


def _schemes(spec: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    return {k: v for k, v in schemes.items() if isinstance(v, Mapping)}


_FLOW_URLS = ("authorizationUrl", "tokenUrl", "refreshUrl")


def _diff_scheme(name: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[SurfaceChange]:
    changes: list[SurfaceChange] = []
    if old.get("type") != new.get("type"):
        text = f"security scheme {name} type: {old.get('type')} → {new.get('type')}"
        changes.append(SurfaceChange("security", "scheme-type", text, True))
    old_flows, new_flows = old.get("flows") or {}, new.get("flows") or {}
    for flow in sorted(set(old_flows) | set(new_flows)):
        if flow not in new_flows:
            text = f"security scheme {name}: flow {flow} removed"
            changes.append(SurfaceChange("security", "flow-removed", text, True))
            continue
        if flow not in old_flows:
            text = f"security scheme {name}: flow {flow} added"
            changes.append(SurfaceChange("security", "flow-added", text, False))
            continue
        of, nf = old_flows[flow] or {}, new_flows[flow] or {}
        for key in _FLOW_URLS:
            if of.get(key) != nf.get(key):
                text = f"security scheme {name} {flow} {key}: {of.get(key)} → {nf.get(key)}"
                names = (
                    ("eaccounting.environments (identity_url: authorize_url, token_url)",)
                    if key != "refreshUrl"
                    else ()
                )
                changes.append(SurfaceChange("security", "flow-url", text, True, names))
        old_scopes, new_scopes = set(of.get("scopes") or {}), set(nf.get("scopes") or {})
        for scope in sorted(old_scopes - new_scopes):
            text = f"security scheme {name} {flow}: scope {scope} removed"
            changes.append(SurfaceChange("security", "scope-removed", text, True))
        for scope in sorted(new_scopes - old_scopes):
            text = f"security scheme {name} {flow}: scope {scope} added"
            changes.append(SurfaceChange("security", "scope-added", text, False))
    return changes


def _required_scopes(op: Mapping[str, Any], spec: Mapping[str, Any]) -> set[str]:
    """Every scheme (and scheme:scope) any requirement of the operation names."""
    requirements = op.get("security", spec.get("security")) or []
    needed: set[str] = set()
    for requirement in requirements:
        if isinstance(requirement, Mapping):
            for scheme, scopes in requirement.items():
                needed.add(str(scheme))
                needed.update(f"{scheme}:{s}" for s in scopes or [])
    return needed


def _diff_operation_security(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    pairs: Sequence[tuple[OperationKey, OperationKey]],
) -> list[SurfaceChange]:
    changes: list[SurfaceChange] = []
    for (om, op_path), (nm, np_path) in sorted(pairs, key=lambda p: (p[1][1], p[1][0])):
        old_op, new_op = old["paths"][op_path][om], new["paths"][np_path][nm]
        before, after = _required_scopes(old_op, old), _required_scopes(new_op, new)
        op_id = new_op.get("operationId")
        label = f"{nm.upper()} {np_path}" + (f" ({op_id})" if isinstance(op_id, str) else "")
        gained = sorted(after - before)
        if gained:
            operation = Operation(
                nm.upper(), np_path, op_id if isinstance(op_id, str) else None, first_tag(new_op)
            )
            names = tuple(f"{n} needs {', '.join(gained)}" for n in operation.public_names())
            text = f"operation {label} now requires {', '.join(gained)}"
            changes.append(SurfaceChange("security", "requires", text, True, names))
        dropped = sorted(before - after)
        if dropped:
            text = f"operation {label} no longer requires {', '.join(dropped)}"
            changes.append(SurfaceChange("security", "no-longer-requires", text, False))
    return changes


def diff_servers_and_security(
    result: SpecDiff,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    pairs: Sequence[tuple[OperationKey, OperationKey]],
) -> None:
    changes = _diff_servers(old, new)
    old_schemes, new_schemes = _schemes(old), _schemes(new)
    for name in sorted(set(old_schemes) - set(new_schemes)):
        text = f"security scheme removed: {name}"
        changes.append(SurfaceChange("security", "scheme-removed", text, True))
    for name in sorted(set(new_schemes) - set(old_schemes)):
        text = f"security scheme added: {name}"
        changes.append(SurfaceChange("security", "scheme-added", text, False))
    for name in sorted(set(old_schemes) & set(new_schemes)):
        changes += _diff_scheme(name, old_schemes[name], new_schemes[name])
    changes += _diff_operation_security(old, new, pairs)
    result.surface_changes = changes
