"""From any accepted upstream document to the effective spec, stage by stage, in memory.

``python -m spec overlay`` (strict, for the build) and ``python -m spec check`` (a report on any
spec) share this, so what a check predicts is what the build does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from spec.decisions import Decisions
from spec.generate import validation_errors
from spec.normalise import declared_version, own_version_errors, to_openapi_31
from spec.render_overlays import EMPTY_PATH_REASON, Rendering, render


@dataclass
class Build:
    declared: str
    own_version_errors: list[str]
    rendering: Rendering | None = None
    validation_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Would ``make generate`` go on from here?"""
        return (
            not self.own_version_errors
            and self.rendering is not None
            and not self.rendering.report.unmatched
            and not self.rendering.undecided
            and not self.validation_errors
        )

    @property
    def removed_empty_paths(self) -> list[str]:
        if self.rendering is None:
            return []
        return [
            r.target[len("$.paths['") : -len("']")]
            for r in self.rendering.report.results
            if r.description == EMPTY_PATH_REASON and r.matches
        ]

    def lines(self) -> list[str]:
        """Everything that stops the build, one line (or block) each, in stage order."""
        out = [f"invalid for OpenAPI {self.declared}: {e}" for e in self.own_version_errors]
        if self.rendering is not None:
            out += [line for line in self.rendering.report.render().splitlines()]
            out += self.rendering.undecided_lines()
        out += [f"INVALID after overlays: {e}" for e in self.validation_errors]
        return out


def build(upstream: Mapping[str, Any], decisions: Decisions, provisional: bool = False) -> Build:
    """Normalise, render and apply the overlays, validate; stop at the first stage that fails.

    With ``provisional``, operations without a name decision get a mechanical name so the later
    stages still run (for a check); the build itself never uses that.
    """
    result = Build(declared_version(upstream), own_version_errors(upstream))
    if result.own_version_errors:
        return result
    result.rendering = render(to_openapi_31(upstream), decisions, provisional_names=provisional)
    stopped = result.rendering.report.unmatched or result.rendering.undecided
    if stopped and not provisional:
        return result
    result.validation_errors = validation_errors(result.rendering.effective)
    return result
