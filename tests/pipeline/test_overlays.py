"""Overlays apply strictly: every action matches, and what no longer matches is explained."""

from __future__ import annotations

import re
from typing import Any

import pytest

from spec.documents import load_yaml
from spec.generate import validation_errors
from spec.overlays import apply_documents, apply_overlays, explain_unmatched, overlay_files

from ..conftest import SHARED_SPEC

RAW = SHARED_SPEC / "eaccounting-v2.2026-02.yaml"
CAMEL = SHARED_SPEC / "eaccounting-v2.2024-02.camelcase.yaml"


@pytest.fixture(scope="module")
def raw_spec() -> dict[str, Any]:
    return load_yaml(RAW)


@pytest.fixture(scope="module")
def applied(raw_spec: dict[str, Any]) -> Any:
    return apply_overlays(raw_spec)


def test_every_action_of_every_overlay_matches(applied: Any) -> None:
    _, report = applied
    assert report.counts() == {
        "01-operation-ids.yaml": (228, 228),
        "02-paths.yaml": (96, 96),
        "03-security.yaml": (228, 228),
        "04-paging.yaml": (60, 60),
        "05-dates.yaml": (111, 111),
        "06-schemas.yaml": (22, 22),
        "07-responses.yaml": (234, 234),
        "08-links.yaml": (27, 27),
    }
    assert report.unmatched == []


def test_overlays_apply_in_file_name_order() -> None:
    names = [p.name for p in overlay_files()]
    assert names == sorted(names) and names[0] == "01-operation-ids.yaml"


def test_every_action_is_overlay_1_0_with_a_one_line_reason() -> None:
    for path in overlay_files():
        doc = load_yaml(path)
        assert doc["overlay"] == "1.0.0", path.name
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


def test_the_2024_camelcase_spec_reports_exactly_what_no_longer_applies() -> None:
    effective, report = apply_overlays(load_yaml(CAMEL))
    # Moving /customerlabels/{customerlabelid} lands on the 2024 template that already has the
    # operations: validation names the duplicated parameter (one per operation).
    assert validation_errors(effective) == ["<root>: Duplicate parameter 'customerLabelId'"] * 3
    assert report.counts() == {
        "01-operation-ids.yaml": (228, 220),
        "02-paths.yaml": (96, 86),
        "03-security.yaml": (228, 224),
        "04-paging.yaml": (60, 59),
        "05-dates.yaml": (111, 9),
        "06-schemas.yaml": (22, 13),
        "07-responses.yaml": (234, 230),
        "08-links.yaml": (27, 27),
    }
    reasons = [r.reason for r in report.unmatched]
    assert len(reasons) == 138
    # The casing flip explains 115 (dates, the ROT enum, the two label templates) ...
    assert sum("a case-only rename" in r for r in reasons) == 115
    # ... and the rest are exactly what Visma added in 2026 (reference §10).
    added_in_2026 = {
        "$.paths has no ['/salespricelists/prices/{salesPriceListId}']",
        "$.paths has no ['/supplierinvoices/{creditInvoiceId}/offsetcandidates']",
        "$.paths has no ['/supplierinvoices/{creditInvoiceId}/offset']",
        "$.paths has no ['/supplierinvoices/{invoiceId}/offset/undo']",
        "$.paths has no ['/allocationperiods/deleted']",
        "$.paths has no ['/company/kivra/register']",
        "$.paths has no ['/company/kivra/status']",
        "$.paths has no ['/customers/kivra/lookup']",
        "$.paths has no ['/integrations/amili/onboarding']",
        "$.paths has no ['/integrations/amili/onboarding/status']",
        "$.paths has no ['/integrations/amili/url']",
        "$.paths has no ['/integrations/amili/cases/{customerInvoiceId}']",
        "$.components.schemas has no SupplierInvoiceOffsetCandidateApi",
        "$.components.schemas has no SupplierInvoiceOffsetCreateApi",
    }
    assert {r for r in reasons if "case-only" not in r} == added_in_2026
