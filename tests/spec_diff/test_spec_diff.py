"""eaccounting.cli.spec_diff: the §10 facts on the real specs, plus small synthetic cases.

The real-spec figures are the acceptance facts of ``../shared/reference/visma-api.md`` §10
(2024-02 camelCase spec → 2026-02 spec). The specs are read from ``../shared/spec`` and never
copied into the repository.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import eaccounting.cli.spec_diff.command as spec_diff_command
from eaccounting.cli.spec_diff import SpecDiff, SpecDiffError, diff, load, main
from eaccounting.cli.spec_diff.text import render

REPO = Path(__file__).resolve().parents[2]
SHARED_SPEC = REPO.parent / "shared" / "spec"
OLD_SPEC = SHARED_SPEC / "eaccounting-v2.2024-02.camelcase.yaml"
NEW_SPEC = SHARED_SPEC / "eaccounting-v2.2026-02.yaml"

needs_specs = pytest.mark.skipif(
    not (OLD_SPEC.exists() and NEW_SPEC.exists()),
    reason=f"the upstream specs are not in {SHARED_SPEC} (they are never committed)",
)


# --------------------------------------------------------------------------- real specs


@pytest.fixture(scope="module")
def docs() -> dict[Path, dict[str, Any]]:
    """Both real specs, read once per module (about 0.3 s each with the C loader)."""
    if not (OLD_SPEC.exists() and NEW_SPEC.exists()):
        pytest.skip(f"the upstream specs are not in {SHARED_SPEC} (they are never committed)")
    return {OLD_SPEC: load(OLD_SPEC), NEW_SPEC: load(NEW_SPEC)}


@pytest.fixture(scope="module")
def real(docs: dict[Path, dict[str, Any]]) -> SpecDiff:
    return diff(docs[OLD_SPEC], docs[NEW_SPEC], old_label="2024-02", new_label="2026-02")


@needs_specs
def test_paths_237_to_250_plus_14_minus_1(real: SpecDiff) -> None:
    assert (real.old.paths, real.new.paths) == (237, 250)
    assert (real.old.empty_paths, real.new.empty_paths) == (78, 86)  # §9b defect 3
    assert real.paths_removed == ["/customerlabels/{customerLabelId}"]
    assert real.paths_rekeyed == [
        ("/customerlabels/{customerLabelId}", "/customerlabels/{customerlabelid}")
    ]
    assert real.paths_added == sorted(
        [
            "/allocationperiods/deleted",
            "/articlelabels/{articlelabelid}",
            "/company/kivra/register",
            "/company/kivra/status",
            "/customerlabels/{customerlabelid}",
            "/customers/kivra/lookup",
            "/integrations/amili/cases/{customerInvoiceId}",
            "/integrations/amili/onboarding",
            "/integrations/amili/onboarding/status",
            "/integrations/amili/url",
            "/salespricelists/prices/{salesPriceListId}",
            "/supplierinvoices/{creditInvoiceId}/offset",
            "/supplierinvoices/{creditInvoiceId}/offsetcandidates",
            "/supplierinvoices/{invoiceId}/offset/undo",
        ]
    )


@needs_specs
def test_operations_223_to_228_plus_8_minus_3(real: SpecDiff) -> None:
    assert (real.old.operations, real.new.operations) == (223, 228)
    removed = {(o.method, o.path) for o in real.operations_removed}
    added = {(o.method, o.path) for o in real.operations_added}
    labels_old = "/customerlabels/{customerLabelId}"
    labels_new = "/customerlabels/{customerlabelid}"
    assert removed == {(m, labels_old) for m in ("GET", "PUT", "DELETE")}
    rekeyed = {(m, labels_new) for m in ("GET", "PUT", "DELETE")}
    new_ops = {
        ("GET", "/articlelabels/{articlelabelid}"),
        ("GET", "/salespricelists/prices/{salesPriceListId}"),
        ("POST", "/supplierinvoices/{creditInvoiceId}/offset"),
        ("GET", "/supplierinvoices/{creditInvoiceId}/offsetcandidates"),
        ("POST", "/supplierinvoices/{invoiceId}/offset/undo"),
    }
    assert added == rekeyed | new_ops
    assert len(real.operations_added) == 8 and len(real.operations_removed) == 3
    assert {(a.method, a.path, b.path) for a, b in real.operations_rekeyed} == {
        (m, labels_old, labels_new) for m in ("GET", "PUT", "DELETE")
    }
    # Neither spec has operationIds (§9b defect 1).
    assert all(o.operation_id is None for o in real.operations_added)
    # Re-keyed operations keep their URLs, so they are not breaking; nothing else was removed.
    assert not [c for c in real.breaking if c.category in ("paths", "operations")]


@needs_specs
def test_schemas_minus_90_plus_13_none_renamed(real: SpecDiff) -> None:
    assert (real.old.schemas, real.new.schemas) == (359, 282)
    assert len(real.schemas_removed) == 90
    assert real.schemas_shared == 269
    assert real.schemas_renamed == []
    assert real.schemas_added == sorted(
        [
            "AmiliApplicationUrlMobileOnlyApi",
            "AmiliOnboardingStatusMobileOnlyApi",
            "CreateAgreementRequestApi",
            "CreateAmiliCaseMobileOnlyApi",
            "DeletedAllocationPeriodApi",
            "GetAmiliCaseIdMobileOnlyApi",
            "KivraLookupResponseApi",
            "KivraStatusApi",
            "PaginatedResponseOfDeletedAllocationPeriodApi",
            "SupplierInvoiceOffsetCandidateApi",
            "SupplierInvoiceOffsetCreateApi",
            "SupplierInvoiceOffsetResponseApi",
            "SupplierInvoiceOffsetUndoResponseApi",
        ]
    )
    # §10 says "Amili*MobileOnlyApi (5)", but its own list then sums to 14, not 13: there are
    # 4 *MobileOnlyApi schemas (2 named Amili*, plus CreateAmiliCase… and GetAmiliCaseId…).
    assert len([n for n in real.schemas_added if n.endswith("MobileOnlyApi")]) == 4
    # All removed schemas are leaked framework types, not domain models (no "...Api" names).
    leaked = {
        "HttpContext",
        "HttpRequest",
        "HttpResponse",
        "ConnectionInfo",
        "ISession",
        "ClaimsPrincipal",
        "X509Certificate2",
        "AsymmetricAlgorithm",
        "IEdmModel",
        "SkipTokenHandler",
        "WaitHandle",
        "PipeWriter",
        "WebSocketManager",
    }
    assert leaked <= set(real.schemas_removed)
    assert any(n.startswith("ODataQueryOptionsOf") for n in real.schemas_removed)
    # 75 of them were reachable from an operation (through the leaked `options` query param of
    # POST /supplierinvoices/transactionalcosts); 15 were used by nothing, so not breaking.
    assert len(real.schemas_removed_unused) == 15
    assert set(real.schemas_removed_unused) < set(real.schemas_removed)
    assert "HttpContext" not in real.schemas_removed_unused
    assert len([c for c in real.breaking if c.category == "schemas"]) == 75
    domain = [n for n in real.schemas_removed if n.endswith("Api")]
    assert domain == ["ODataQueryOptionsOfCustomerInvoiceBookkeepingHistoryApi"]


@needs_specs
def test_renames_2285_of_which_2281_plain_and_4_irregular_acronyms(real: SpecDiff) -> None:
    assert len(real.properties_renamed) == 2285
    assert len(real.renames("plain")) == 2281
    assert len(real.renames("inferred")) == 0
    assert sorted((r.scope, r.old, r.new) for r in real.renames("acronym")) == [
        ("CompanySettingsExtendedApi", "glAccount", "GLAccount"),
        ("CustomerApi", "gln", "GLN"),
        ("CustomerLedgerItemApi", "vatAmountInvoiceCurrency", "VATAmountInvoiceCurrency"),
        (
            "CustomerLedgerItemWithVoucherApi",
            "vatAmountInvoiceCurrency",
            "VATAmountInvoiceCurrency",
        ),
    ]
    plain = {(r.scope, r.old, r.new) for r in real.renames("plain")}
    assert ("CustomerInvoiceApi", "dueDate", "DueDate") in plain
    assert ("CommonPaginationMetadata", "currentPage", "CurrentPage") in plain
    assert {"meta", "data"} <= {r.old for r in real.renames("plain")}
    # Every rename is camelCase -> PascalCase (case-only).
    assert all(r.old.lower() == r.new.lower() for r in real.properties_renamed)
    assert all(r.old[0].islower() and r.new[0].isupper() for r in real.properties_renamed)


@needs_specs
def test_six_properties_added_none_removed(real: SpecDiff) -> None:
    assert real.properties_removed == []
    assert sorted(str(p) for p in real.properties_added) == [
        "ArticleApi.SupplierArticleNumber",
        "AttachmentUploadApi.Comment",
        "CompanySettingsApi.InvoicePrintSettingsType",
        "SupplierInvoiceApi.IsIncludedInVatReport",
        "SupplierInvoiceApi.OffsetInvoiceIds",
        "SupplierInvoiceApi.VatReportId",
    ]
    assert not any(p.required for p in real.properties_added)


@needs_specs
def test_project_status_newly_required(real: SpecDiff) -> None:
    assert [str(p) for p in real.newly_required] == ["ProjectApi.Status"]
    assert real.no_longer_required == []


@needs_specs
def test_37_properties_newly_read_only(real: SpecDiff) -> None:
    assert len(real.newly_read_only) == 37
    assert real.no_longer_read_only == []
    names = {str(p) for p in real.newly_read_only}
    assert {"CompanySettingsApi.ActivatedModules", "CostCenterApi.Items"} <= names
    collections = {
        "Notes",
        "MessageThreads",
        "SalesDocumentAttachments",
        "AllocationPeriods",
        "Approvers",
        "VatSpecification",
        "CreditedBy",
    }
    named_in_reference = [p for p in real.newly_read_only if p.name in collections]
    # §10 names these collections "on the main documents" plus the two above; the remaining 4
    # are collections too, just not named in the prose.
    assert len(named_in_reference) == 31
    assert sorted(str(p) for p in real.newly_read_only if p.name not in collections) == [
        "CompanySettingsApi.ActivatedModules",
        "CostCenterApi.Items",
        "CustomerInvoiceApi.CollectiveCustomerInvoiceRowsRelationToOrders",
        "CustomerInvoiceValuationHistoryApi.RelatedVouchers",
        "CustomerInvoiceValuationHistoryApi.ValuationHistory",
        "VatReportApi.ApprovalEventsHistory",
    ]


@needs_specs
def test_no_type_format_or_nullability_changes(real: SpecDiff) -> None:
    assert real.property_changes == []
    counts = real.as_dict()["counts"]["properties"]
    assert (counts["type_changes"], counts["format_changes"], counts["nullability_changes"]) == (
        0,
        0,
        0,
    )


@needs_specs
def test_only_parameter_change_is_the_leaked_options_param(real: SpecDiff) -> None:
    # §10: 89 operations changed params only by losing bogus schema titles (not a change we
    # report), except POST /supplierinvoices/transactionalcosts, which lost `options`.
    assert [(p.operation, p.location, p.name, p.change) for p in real.parameter_changes] == [
        ("POST /supplierinvoices/transactionalcosts", "query", "options", "removed")
    ]


@needs_specs
def test_breaking_changes_and_rendering(real: SpecDiff) -> None:
    # 75 used schemas removed + 2,285 renames + 1 newly required + 37 newly read-only + 1 param.
    assert len(real.breaking) == 75 + 2285 + 1 + 37 + 1
    text = render(real)
    assert "  paths        237 → 250: +14 -1 (1 re-keyed)" in text
    assert "  operations   223 → 228: +8 -3 (3 re-keyed)" in text
    assert "  schemas      359 → 282: +13 -90 (269 shared, 0 renamed, 15 " in text
    assert "BREAKING property became required: ProjectApi.Status" in text
    assert "BREAKING property renamed: CustomerApi.gln → GLN" in text
    assert "BREAKING 2,281 properties renamed by a first-letter case flip" in text
    assert "BREAKING property renamed: CustomerApi.name → Name" not in text
    assert "BREAKING property renamed: CustomerApi.name → Name" in render(real, full=True)
    assert "  path added: /allocationperiods/deleted (no operations)\n" in text
    # Case flips mostly keep Python names (the generator snake-cases both spellings), except
    # a digit after a capital: address1 → address1, but Address1 → address_1.
    assert "2,281 properties renamed by a first-letter case flip" in text
    assert "2,269 keep their Python names, the 12 below do not; --full lists them" in text
    assert "BREAKING property renamed: SupplierApi.address1 → Address1\n" in text
    assert (
        "      public names: eaccounting_api.models.SupplierApi.address1 → "
        "eaccounting_api.models.SupplierApi.address_1; "
        "client.suppliers results: .address1 → .address_1\n"
    ) in text
    assert "      public names: eaccounting_api.models.CustomerApi.gln unchanged\n" in text
    assert "      public names: eaccounting_api.models.HttpContext removed\n" in text
    data = real.as_dict()
    json.dumps(data)  # JSON-ready
    assert data["counts"]["breaking"] == len(data["breaking"]) == 2399


@needs_specs
def test_no_tag_server_or_security_changes_and_8_new_empty_paths(real: SpecDiff) -> None:
    assert (real.tags_added, real.tags_removed, real.tags_renamed) == ([], [], [])
    assert real.operations_retagged == [] and real.surface_changes == []
    assert real.paths_gained == []
    # §9b defect 3: 78 → 86 empty path items; the 8 new ones are Kivra, Amili and one list.
    assert real.paths_added_empty == [
        "/allocationperiods/deleted",
        "/company/kivra/register",
        "/company/kivra/status",
        "/customers/kivra/lookup",
        "/integrations/amili/cases/{customerInvoiceId}",
        "/integrations/amili/onboarding",
        "/integrations/amili/onboarding/status",
        "/integrations/amili/url",
    ]
    # Neither spec has operationIds: names are the generator's fallback (method + path).
    [options] = [c for c in real.breaking if c.category == "parameters"]
    assert options.names == (
        "client.api.supplier_invoices.post_supplierinvoices_transactionalcosts(options=) removed",
        "eaccounting_api.api.supplier_invoices.post_supplierinvoices_transactionalcosts"
        "(options=) removed",
    )


@needs_specs
def test_main_on_real_specs(
    docs: dict[Path, dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(spec_diff_command, "load", lambda source: docs[Path(source)])
    assert main([str(OLD_SPEC), str(NEW_SPEC)]) == 0
    out = capsys.readouterr().out
    assert "newly required" in out and "BREAKING" in out
    assert main([str(OLD_SPEC), str(NEW_SPEC), "--fail-on-breaking", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["operations"] == {
        "old": 223,
        "new": 228,
        "added": 8,
        "removed": 3,
        "rekeyed": 3,
    }


# --------------------------------------------------------------------------- synthetic


def _spec(schemas: dict[str, Any] | None = None, paths: dict[str, Any] | None = None) -> Any:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths if paths is not None else {},
        "components": {"schemas": schemas or {}},
    }


def _op(op_id: str | None = None, params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"responses": {"200": {"description": "ok"}}}
    if op_id:
        op["operationId"] = op_id
    if params:
        op["parameters"] = params
    return op


def _obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        schema["required"] = required
    return schema


UUID = {"type": "string", "format": "uuid"}


def test_identical_specs_have_no_changes() -> None:
    spec = _spec({"A": _obj({"Id": UUID})}, {"/a": {"get": _op("list_a")}})
    result = diff(spec, copy.deepcopy(spec))
    assert list(result.changes()) == []
    assert not result.has_breaking
    assert render(result).endswith("No breaking changes.\n")


def test_case_only_renames_plain_and_acronym() -> None:
    old = _spec({"A": _obj({"dueDate": {"type": "string"}, "gln": {"type": "string"}})})
    new = _spec({"A": _obj({"DueDate": {"type": "string"}, "GLN": {"type": "string"}})})
    result = diff(old, new)
    assert [(r.old, r.new, r.kind) for r in result.properties_renamed] == [
        ("dueDate", "DueDate", "plain"),
        ("gln", "GLN", "acronym"),
    ]
    assert result.properties_added == result.properties_removed == []
    assert len(result.breaking) == 2
    assert "BREAKING property renamed: A.gln → GLN" in render(result)


def test_rename_inferred_from_identical_definition() -> None:
    number = {"type": "string", "maxLength": 20, "description": "The customer number"}
    old = _spec({"A": _obj({"customerNo": number, "other": {"type": "integer"}})})
    new = _spec({"A": _obj({"CustomerNumber": dict(number), "Other": {"type": "integer"}})})
    result = diff(old, new)
    assert {(r.old, r.new, r.kind) for r in result.properties_renamed} == {
        ("customerNo", "CustomerNumber", "inferred"),
        ("other", "Other", "plain"),
    }
    # Different definitions are not paired: an add and a remove.
    new2 = _spec({"A": _obj({"CustomerNumber": {"type": "integer"}, "other": {"type": "integer"}})})
    result2 = diff(old, new2)
    assert [str(p) for p in result2.properties_removed] == ["A.customerNo"]
    assert [str(p) for p in result2.properties_added] == ["A.CustomerNumber"]
    assert [c.text for c in result2.breaking] == ["property removed: A.customerNo"]


def test_schema_case_rename_is_matched_and_refs_follow_it() -> None:
    old = _spec({"CustomerAPI": _obj({"id": UUID}), "B": _obj({"c": {"$ref": "#/x/CustomerAPI"}})})
    new = _spec({"CustomerApi": _obj({"Id": UUID}), "B": _obj({"C": {"$ref": "#/x/CustomerApi"}})})
    result = diff(old, new)
    assert [(r.old, r.new, r.kind) for r in result.schemas_renamed] == [
        ("CustomerAPI", "CustomerApi", "acronym")
    ]
    assert result.schemas_added == result.schemas_removed == []
    assert result.property_changes == []  # the $ref target was renamed, not retyped
    assert len(result.properties_renamed) == 2


def test_removed_schema_is_breaking_only_if_an_operation_used_it() -> None:
    ref = {"$ref": "#/components/schemas/Used"}
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Wrap"}}}}
    old = _spec(
        {"Used": _obj({"Id": UUID}), "Wrap": _obj({"Item": ref}), "Orphan": _obj({})},
        {"/a": {"post": {**_op(), "requestBody": body}}},
    )
    new = _spec({"Wrap": _obj({"Item": {"type": "object"}})}, {"/a": {"post": _op()}})
    result = diff(old, new)
    assert result.schemas_removed == ["Orphan", "Used"]
    assert result.schemas_removed_unused == ["Orphan"]
    assert [c.text for c in result.breaking if c.category == "schemas"] == ["schema removed: Used"]
    assert "  schema removed: Orphan (no operation used it)\n" in render(result)


def test_removed_operation_is_breaking_added_is_not() -> None:
    old = _spec(paths={"/a": {"get": _op("list_a"), "delete": _op("delete_a")}})
    new = _spec(paths={"/a": {"get": _op("list_a"), "post": _op("create_a")}, "/b": {}})
    result = diff(old, new)
    assert [str(o) for o in result.operations_removed] == ["DELETE /a (delete_a)"]
    assert [str(o) for o in result.operations_added] == ["POST /a (create_a)"]
    assert result.paths_added == ["/b"]
    assert [c.text for c in result.breaking] == ["operation removed: DELETE /a (delete_a)"]
    assert "  BREAKING operation removed: DELETE /a (delete_a)\n" in render(result)
    assert "  operation added: POST /a (create_a)\n" in render(result)


def test_rekeyed_path_template_is_not_breaking_but_removed_path_is() -> None:
    old = _spec(paths={"/x/{xId}": {"get": _op()}, "/gone": {"get": _op()}})
    new = _spec(paths={"/x/{xid}": {"get": _op()}})
    result = diff(old, new)
    assert result.paths_rekeyed == [("/x/{xId}", "/x/{xid}")]
    assert [(a.path, b.path) for a, b in result.operations_rekeyed] == [("/x/{xId}", "/x/{xid}")]
    assert sorted(c.text for c in result.breaking) == [
        "operation removed: GET /gone",
        "path removed: /gone",
    ]


def test_newly_required_and_read_only_are_breaking() -> None:
    old = _spec({"P": _obj({"status": {"type": "integer"}, "notes": {"type": "array"}})})
    new = _spec(
        {
            "P": _obj(
                {"Status": {"type": "integer"}, "Notes": {"type": "array", "readOnly": True}},
                required=["Status"],
            )
        }
    )
    result = diff(old, new)
    assert [str(p) for p in result.newly_required] == ["P.Status"]
    assert [str(p) for p in result.newly_read_only] == ["P.Notes"]
    texts = {c.text for c in result.breaking}
    assert "property became required: P.Status" in texts
    assert "property became readOnly: P.Notes" in texts
    # And the reverse is not breaking.
    back = diff(new, old)
    assert [str(p) for p in back.no_longer_required] == ["P.status"]
    assert [str(p) for p in back.no_longer_read_only] == ["P.notes"]
    assert {c.kind for c in back.breaking} == {"renamed-plain"}


def test_added_required_property_is_breaking() -> None:
    old = _spec({"A": _obj({"Id": UUID})})
    new = _spec({"A": _obj({"Id": UUID, "Code": {"type": "string"}}, required=["Code"])})
    result = diff(old, new)
    assert [(str(p), p.required) for p in result.properties_added] == [("A.Code", True)]
    assert [c.text for c in result.breaking] == ["property added: A.Code (required)"]


def test_type_format_and_nullability_changes() -> None:
    old = _spec(
        {
            "A": _obj(
                {
                    "Number": {"type": "integer"},
                    "Date": {"type": "string", "format": "date-time"},
                    "Name": {"type": "string"},
                    "Ids": {"type": "array", "items": UUID},
                }
            )
        }
    )
    new = _spec(
        {
            "A": _obj(
                {
                    "Number": {"type": "string"},
                    "Date": {"type": "string", "format": "date"},
                    "Name": {"type": ["string", "null"]},
                    "Ids": {"type": "array", "items": {"type": "string"}},
                }
            )
        }
    )
    result = diff(old, new)
    assert sorted(str(c) for c in result.property_changes) == [
        "A.Date format: date-time → date",
        "A.Ids format: items:uuid → (none)",
        "A.Name nullable: non-nullable → nullable",
        "A.Number type: integer → string",
    ]
    assert len(result.breaking) == 4
    assert "BREAKING property A.Number type: integer → string" in render(result)


def test_openapi_30_nullable_equals_31_null_type() -> None:
    old = _spec({"A": _obj({"name": {"type": "string", "nullable": True}, "b": {"$ref": "#/B"}})})
    new = _spec({"A": _obj({"Name": {"type": ["string", "null"]}, "B": {"$ref": "#/B"}})})
    result = diff(old, new)
    assert result.property_changes == []
    # A nullable $ref written as anyOf [ref, null] is still the same type, now nullable.
    new["components"]["schemas"]["A"]["properties"]["B"] = {
        "anyOf": [{"$ref": "#/B"}, {"type": "null"}]
    }
    assert [str(c) for c in diff(old, new).property_changes] == [
        "A.B nullable: non-nullable → nullable"
    ]


def test_parameter_changes() -> None:
    def q(name: str, required: bool = False, typ: str = "string") -> dict[str, Any]:
        return {"in": "query", "name": name, "required": required, "schema": {"type": typ}}

    old = _spec(paths={"/a": {"get": _op(params=[q("options"), q("top"), q("page")])}})
    new = _spec(
        paths={
            "/a": {"get": _op(params=[q("top", True), q("page", typ="integer"), q("mode", True)])}
        }
    )
    result = diff(old, new)
    assert sorted((p.name, p.change, p.breaking) for p in result.parameter_changes) == [
        ("mode", "added", True),
        ("options", "removed", True),
        ("page", "type", True),
        ("top", "newly-required", True),
    ]


def test_render_and_as_dict_shapes() -> None:
    old = _spec({"A": _obj({"x": {"type": "string"}})}, {"/a": {"get": _op()}})
    new = _spec({"A": _obj({"X": {"type": "string"}}), "B": _obj({})}, {"/a": {"get": _op()}})
    result = diff(old, new, old_label="v1.yaml", new_label="v2.yaml")
    text = render(result)
    assert text.startswith("Spec diff: v1.yaml → v2.yaml\n")
    assert "  schema added: B\n" in text
    data = result.as_dict()
    assert data["counts"]["schemas"]["added"] == 1
    assert data["properties"]["renamed"] == [
        {"scope": "A", "old": "x", "new": "X", "kind": "plain"}
    ]
    assert data["breaking"] == ["property renamed: A.x → X"]


# --------------------------------------------------------------------------- load and main


def test_load_yaml_keeps_timestamps_as_strings(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "openapi: 3.1.0\npaths: {}\ncomponents:\n  schemas:\n    A:\n"
        "      example: {createdUtc: 2024-02-08T10:00:00Z, d: 2024-02-08}\n",
        encoding="utf-8",
    )
    doc = load(path)
    assert doc["components"]["schemas"]["A"]["example"] == {
        "createdUtc": "2024-02-08T10:00:00Z",
        "d": "2024-02-08",
    }


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(SpecDiffError, match="cannot read"):
        load(tmp_path / "missing.yaml")
    bad = tmp_path / "list.yaml"
    bad.write_text("- 1\n", encoding="utf-8")
    with pytest.raises(SpecDiffError, match="not an OpenAPI document"):
        load(bad)


def test_without_pyyaml_json_still_loads_and_yaml_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)  # makes `import yaml` fail
    as_json = tmp_path / "s.json"
    as_json.write_text(json.dumps(_spec()), encoding="utf-8")
    assert load(as_json)["openapi"] == "3.1.0"
    as_yaml = tmp_path / "s.yaml"
    as_yaml.write_text("openapi: 3.1.0\npaths: {}\n", encoding="utf-8")
    with pytest.raises(SpecDiffError, match=r"pip install 'visma-eaccounting\[cli\]'"):
        load(as_yaml)


def test_main_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old.json"
    new = tmp_path / "new.json"
    old.write_text(json.dumps(_spec(paths={"/a": {"get": _op(), "delete": _op()}})), "utf-8")
    new.write_text(json.dumps(_spec(paths={"/a": {"get": _op()}})), "utf-8")

    assert main([str(old), str(new)]) == 0  # a successful diff, breaking or not
    out = capsys.readouterr().out
    assert "BREAKING operation removed: DELETE /a" in out
    assert main([str(old), str(new), "--fail-on-breaking"]) == 1
    capsys.readouterr()
    assert main([str(new), str(old), "--fail-on-breaking"]) == 0  # only an addition
    assert "No breaking changes." in capsys.readouterr().out
    assert main([str(old), str(tmp_path / "nope.yaml")]) == 2
    assert "cannot read" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main([str(old)])
    assert exc.value.code == 2


def test_runnable_as_module(tmp_path: Path) -> None:
    spec = tmp_path / "s.json"
    spec.write_text(json.dumps(_spec(paths={"/a": {"get": _op()}})), "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "eaccounting.cli.spec_diff", str(spec), str(spec)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "No breaking changes." in done.stdout
