"""Apply OpenAPI Overlay 1.0 documents strictly, in order (spec.render_overlays renders them).

oas-patch performs each action (it is the maintained implementation we rely on), but it says
nothing when a target matches nothing, which is exactly what happens when Visma changes the spec
under an overlay. So every action is applied on its own after counting its matches with the same
JSONPath engine, and each action that matched nothing is reported with the first step of its
target that no longer exists.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jsonpath_ng.ext import parse as parse_jsonpath
from oas_patch import apply_overlay

# Steps of the JSONPath subset the overlays use: .name, ['key'], [?(...)], .*, [n]
_STEP = re.compile(r"\.\*|\.[A-Za-z_$][\w$-]*|\['(?:[^']|'')*'\]|\[\?\(.*?\)\]|\[\d+\]")


@dataclass(frozen=True)
class ActionResult:
    file: str
    index: int
    target: str
    description: str
    kind: str
    matches: int
    reason: str = ""


@dataclass
class OverlayReport:
    results: list[ActionResult] = field(default_factory=list)

    @property
    def unmatched(self) -> list[ActionResult]:
        return [r for r in self.results if r.matches == 0]

    def counts(self) -> dict[str, tuple[int, int]]:
        """Per overlay file: (actions, actions that matched something)."""
        out: dict[str, tuple[int, int]] = {}
        for r in self.results:
            total, matched = out.get(r.file, (0, 0))
            out[r.file] = (total + 1, matched + (r.matches > 0))
        return out

    def render(self) -> str:
        lines = []
        for name, (total, matched) in self.counts().items():
            lines.append(f"{name}: {matched}/{total} actions matched")
        for r in self.unmatched:
            lines.append(
                f"UNMATCHED {r.file} action {r.index} ({r.kind}): {r.target}\n"
                f"    why: {r.reason}\n    reason for the action: {r.description}"
            )
        return "\n".join(lines)


def explain_unmatched(target: str, doc: Any) -> str:
    """Name the first step of ``target`` that finds nothing in ``doc``."""
    steps = _STEP.findall(target[1:]) if target.startswith("$") else []
    if "$" + "".join(steps) != target:
        return "target uses JSONPath syntax the explainer does not follow; it matched nothing"
    prefix = "$"
    for step in steps:
        candidate = prefix + step
        if not parse_jsonpath(candidate).find(doc):
            return f"{prefix} has no {step.lstrip('.')}{_case_hint(prefix, step, doc)}"
        prefix = candidate
    return "matched nothing"


def _case_hint(prefix: str, step: str, doc: Any) -> str:
    """Point out a key that differs only in case (the 2024 camelCase → 2026 PascalCase flip)."""
    key = step[2:-2].replace("''", "'") if step.startswith("['") else step.lstrip(".")
    for match in parse_jsonpath(prefix).find(doc):
        if isinstance(match.value, dict):
            same = [k for k in match.value if isinstance(k, str) and k.lower() == key.lower()]
            if same:
                return f" (but has {same[0]!r}: a case-only rename)"
    return ""


def _kind(action: Mapping[str, Any]) -> str:
    return next((k for k in ("remove", "update", "copy") if k in action), "unknown")


def apply_documents(
    spec: Mapping[str, Any], overlays: Iterable[tuple[str, Mapping[str, Any]]]
) -> tuple[dict[str, Any], OverlayReport]:
    """Return the spec after the named overlay documents, and a report of every action's matches.

    ``spec`` is untouched.
    """
    doc: dict[str, Any] = copy.deepcopy(dict(spec))
    report = OverlayReport()
    for name, overlay in overlays:
        if str(overlay.get("overlay", "")).split(".")[0] != "1":
            raise ValueError(
                f"{name}: not an Overlay 1.x document (overlay: {overlay.get('overlay')!r})"
            )
        for index, action in enumerate(overlay.get("actions", []), start=1):
            target = action.get("target")
            if not isinstance(target, str) or _kind(action) == "unknown":
                raise ValueError(f"{name} action {index}: needs a target and update or remove")
            if not action.get("description"):
                raise ValueError(f"{name} action {index}: every action carries a one-line reason")
            matches = len(parse_jsonpath(target).find(doc))
            reason = "" if matches else explain_unmatched(target, doc)
            if matches:
                apply_overlay(doc, {"actions": [action]})
            report.results.append(
                ActionResult(
                    name, index, target, action["description"], _kind(action), matches, reason
                )
            )
    return doc, report
