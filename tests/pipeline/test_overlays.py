"""Overlays render from the decisions and apply strictly; what no longer matches is explained."""

from __future__ import annotations

import re
from typing import Any

import pytest

from spec.decisions import Decisions
from spec.documents import load_yaml
from spec.generate import validation_errors
from spec.overlays import apply_documents, explain_unmatched
from spec.render_overlays import operations, render

from ..conftest import SHARED_SPEC

RAW = SHARED_SPEC / "eaccounting-v2.2026-02.yaml"
CAMEL = SHARED_SPEC / "eaccounting-v2.2024-02.camelcase.yaml"


@pytest.fixture(scope="module")
def raw_spec() -> dict[str, Any]:
    return load_yaml(RAW)


@pytest.fixture(scope="module")
def decisions() -> Decisions:
    return Decisions.load()


@pytest.fixture(scope="module")
def applied(raw_spec: dict[str, Any], decisions: Decisions) -> Any:
    return render(raw_spec, decisions)


def test_every_action_of_every_overlay_matches(
    raw_spec: dict[str, Any], decisions: Decisions, applied: Any
) -> None:
    report = applied.report
    assert report.unmatched == [] and applied.undecided == []
    counts = report.counts()
    upstream = list(operations(raw_spec))
    empty = [p for p, item in raw_spec["paths"].items() if not item]
    # One name per upstream operation that is not removed; one removal per empty path item,
    # two actions per equivalent-path move, one per removed operation plus their record.
    assert counts["01-operation-ids.yaml"] == (len(upstream) - len(decisions.removed),) * 2
    moves = 2 * len(decisions.equivalent_paths)
    removed = len(decisions.removed) + (1 if decisions.removed else 0)
    assert counts["02-paths.yaml"] == (moves + len(empty) + removed,) * 2
    effective_ops = list(operations(applied.effective))
    paged = [
        op
        for _, _, op in effective_ops
        if "parameters" in op
        and any(p.get("$ref") == "#/components/parameters/page" for p in op["parameters"])
    ]
    assert counts["04-paging.yaml"] == (1 + len(paged),) * 2
    assert list(counts) == sorted(counts) and len(counts) == 8


def test_every_rendered_action_is_overlay_1_0_with_a_one_line_reason(applied: Any) -> None:
    for name, doc in applied.overlays.items():
        assert doc["overlay"] == "1.0.0", name
        for action in doc["actions"]:
            assert action["description"].strip() and "\n" not in action["description"], action


def test_the_raw_spec_is_left_untouched(raw_spec: dict[str, Any], applied: Any) -> None:
    assert not any(
        "operationId" in op for item in raw_spec["paths"].values() for op in item.values()
    )


def test_an_unmatched_action_is_reported_with_the_missing_step() -> None:
    spec = {"openapi": "3.1.1", "paths": {"/customers": {"get": {}}}}
    overlay = {
        "overlay": "1.0.0",
        "info": {"title": "t", "version": "1"},
        "actions": [
            {"target": "$.paths['/customers'].get", "description": "r", "update": {"x-a": 1}},
            {"target": "$.paths['/suppliers'].get", "description": "gone", "update": {"x-b": 1}},
        ],
    }
    doc, report = apply_documents(spec, [("t.yaml", overlay)])
    assert doc["paths"]["/customers"]["get"] == {"x-a": 1}
    assert [(r.index, r.matches) for r in report.results] == [(1, 1), (2, 0)]
    assert report.unmatched[0].reason == "$.paths has no ['/suppliers']"
    assert "UNMATCHED t.yaml action 2 (update): $.paths['/suppliers'].get" in report.render()


def test_a_case_only_rename_is_pointed_out() -> None:
    doc = {"components": {"schemas": {"A": {"properties": {"dueDate": {}}}}}}
    assert explain_unmatched("$.components.schemas.A.properties.DueDate", doc) == (
        "$.components.schemas.A.properties has no DueDate (but has 'dueDate': a case-only rename)"
    )


def test_an_action_without_a_reason_is_refused() -> None:
    overlay = {"overlay": "1.0.0", "actions": [{"target": "$.paths", "update": {}}]}
    with pytest.raises(
        ValueError, match=re.escape("x.yaml action 1: every action carries a one-line reason")
    ):
        apply_documents({"paths": {}}, [("x.yaml", overlay)])


def test_the_2024_camelcase_spec_reports_exactly_what_no_longer_applies(
    decisions: Decisions,
) -> None:
    rendering = render(load_yaml(CAMEL), decisions, provisional_names=True)
    # Mechanical rules are re-derived from the 2024 spec itself (its camelCase dates, its empty
    # path items), so only decisions can go stale: names of operations Visma added by 2026 ...
    added_in_2026 = {
        "$.paths has no ['/salespricelists/prices/{salesPriceListId}']",
        "$.paths has no ['/supplierinvoices/{creditInvoiceId}/offsetcandidates']",
        "$.paths has no ['/supplierinvoices/{creditInvoiceId}/offset']",
        "$.paths has no ['/supplierinvoices/{invoiceId}/offset/undo']",
    }
    reasons = [r.reason for r in rendering.report.unmatched]
    assert {r for r in reasons if "case-only" not in r} == added_in_2026
    # ... and the label templates, whose 2024 spelling differs only in case.
    case_only = [r for r in reasons if "case-only" in r]
    assert set(case_only) == {
        "$.paths has no ['/articlelabels/{articlelabelid}'] "
        "(but has '/articlelabels/{articleLabelId}': a case-only rename)",
        "$.paths has no ['/customerlabels/{customerlabelid}'] "
        "(but has '/customerlabels/{customerLabelId}': a case-only rename)",
    }
    assert len(reasons) == 10
    # The customer-label operations exist under the other spelling, which has no decision.
    assert rendering.undecided == [
        ("/customerlabels/{customerLabelId}", m) for m in ("get", "put", "delete")
    ]
    assert validation_errors(rendering.effective) == []
