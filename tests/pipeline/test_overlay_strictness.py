"""apply_documents refuses what it cannot apply strictly, and counts matches exactly."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from spec.overlays import apply_documents


def _overlay(*actions: dict[str, Any], version: str = "1.0.0") -> dict[str, Any]:
    return {"overlay": version, "info": {"title": "t", "version": "1"}, "actions": list(actions)}


@pytest.mark.parametrize("version", ["0.9.0", "2.0.0", "", "10.0"])
def test_only_overlay_1x_documents_are_applied(version: str) -> None:
    with pytest.raises(ValueError, match=re.escape("x.yaml: not an Overlay 1.x document")):
        apply_documents({"paths": {}}, [("x.yaml", _overlay(version=version))])
    assert apply_documents({"paths": {}}, [("x.yaml", _overlay(version="1.1.0"))])[1].results == []


@pytest.mark.parametrize(
    "action",
    [
        {"target": "$.paths", "description": "no verb"},
        {"update": {"x": 1}, "description": "no target"},
        {"target": 7, "update": {"x": 1}, "description": "target not a string"},
    ],
)
def test_an_action_needs_a_target_and_a_verb(action: dict[str, Any]) -> None:
    with pytest.raises(
        ValueError, match=re.escape("x.yaml action 1: needs a target and update or remove")
    ):
        apply_documents({"paths": {}}, [("x.yaml", _overlay(action))])


def test_counts_per_file_count_only_actions_that_matched() -> None:
    spec = {"paths": {"/a": {"get": {}}, "/b": {"get": {}}}}
    first = _overlay(
        {"target": "$.paths['/a'].get", "description": "r", "update": {"x-a": 1}},
        {"target": "$.paths['/gone'].get", "description": "r", "update": {"x-b": 1}},
        {"target": "$.paths.*.get", "description": "r", "update": {"x-c": 1}},
    )
    second = _overlay({"target": "$.paths['/b']", "description": "r", "remove": True})
    doc, report = apply_documents(spec, [("1.yaml", first), ("2.yaml", second)])
    assert report.counts() == {"1.yaml": (3, 2), "2.yaml": (1, 1)}
    assert [r.matches for r in report.results] == [1, 0, 2, 1]
    assert [r.kind for r in report.results] == ["update", "update", "update", "remove"]
    assert doc == {"paths": {"/a": {"get": {"x-a": 1, "x-c": 1}}}}
    assert report.render().splitlines()[:2] == [
        "1.yaml: 2/3 actions matched",
        "2.yaml: 1/1 actions matched",
    ]


def test_action_results_cannot_be_altered_after_the_fact() -> None:
    overlay = _overlay({"target": "$.paths", "description": "r", "update": {"x": 1}})
    (result,) = apply_documents({"paths": {}}, [("x.yaml", overlay)])[1].results
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.matches = 0  # type: ignore[misc]
