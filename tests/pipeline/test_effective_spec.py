"""The effective spec (generated/openapi.json) has what generators and users need."""

from __future__ import annotations

import re
from typing import Any

import pytest

from spec.decisions import Decisions, operation_key
from spec.documents import load_yaml
from spec.generate import validation_errors

from ..conftest import SHARED_SPEC

METHODS = ("get", "put", "post", "delete", "patch")
PAGING = {"$page", "$pagesize", "$filter", "$orderby", "$select"}


def ops(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(p, m, item[m]) for p, item in spec["paths"].items() for m in METHODS if m in item]


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    """The pinned upstream spec: expected figures are derived from it, never hard-coded."""
    return load_yaml(SHARED_SPEC / "eaccounting-v2.2026-02.yaml")


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        section, name = node["$ref"].split("/")[-2:]
        node = spec["components"][section][name]
    return node


def test_it_validates_with_zero_errors(effective_spec: dict[str, Any]) -> None:
    assert validation_errors(effective_spec) == []


def test_the_raw_spec_does_not(raw: dict[str, Any]) -> None:
    errors = validation_errors(raw)
    assert errors and all("customerlabelid" in e or "articlelabelid" in e for e in errors)


def test_every_operation_has_a_unique_snake_case_operation_id(
    effective_spec: dict[str, Any], raw: dict[str, Any]
) -> None:
    ids = [op.get("operationId") for _, _, op in ops(effective_spec)]
    assert len(ids) == len(ops(raw)) - len(Decisions.load().removed)
    assert all(isinstance(i, str) and re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", i) for i in ids)
    assert len(set(ids)) == len(ids)


def test_every_upstream_operation_is_in_the_client_or_removed_for_a_reason(
    effective_spec: dict[str, Any], raw: dict[str, Any]
) -> None:
    decisions = Decisions.load()
    removed = effective_spec.get("x-removed-operations", {})
    moved = {old: eq.path for old, eq in decisions.equivalent_paths.items()}
    for path, method, _ in ops(raw):
        key = operation_key(path, method)
        if key in removed:
            reason = removed[key]
            assert isinstance(reason, str) and reason.strip() and "\n" not in reason, key
            assert reason == decisions.removed[(path, method)]
            continue
        op = effective_spec["paths"][moved.get(path, path)][method]
        assert op["operationId"] == decisions.operations[(path, method)], key
    # Nothing is recorded as removed that upstream does not have.
    assert set(removed) <= {operation_key(p, m) for p, m, _ in ops(raw)}
    assert len(removed) == len(decisions.removed)


def test_names_read_like_the_api(effective_spec: dict[str, Any]) -> None:
    by_route = {(m, p): op["operationId"] for p, m, op in ops(effective_spec)}
    assert by_route[("get", "/customers")] == "list_customers"
    assert by_route[("get", "/customers/{customerId}")] == "get_customer"
    assert by_route[("post", "/customers")] == "create_customer"
    assert by_route[("put", "/customers/{customerId}")] == "update_customer"
    assert by_route[("delete", "/customers/{customerId}")] == "delete_customer"
    assert by_route[("post", "/customerinvoicedrafts/{customerInvoiceDraftId}/convert")] == (
        "convert_customer_invoice_draft"
    )
    assert by_route[("get", "/customerinvoices/{invoiceId}/pdf")] == "get_customer_invoice_pdf"


def test_every_list_operation_takes_paging_and_odata_parameters(
    effective_spec: dict[str, Any], raw: dict[str, Any]
) -> None:
    listed = 0
    for path, method, op in ops(effective_spec):
        ok = resolve(effective_spec, op["responses"].get("200", {}))
        ref = ok.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
        if "PaginatedResponseOf" in ref:
            listed += 1
            names = {resolve(effective_spec, p)["name"] for p in op.get("parameters", [])}
            assert names >= PAGING, f"{method} {path}"
    upstream_lists = [
        op
        for path, _, op in ops(raw)
        if "PaginatedResponseOf"
        in op["responses"]
        .get("200", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
        .get("$ref", "")
        and not path.startswith("/warmup_")
    ]
    assert listed == len(upstream_lists) > 0


def test_no_empty_internal_or_mismatched_paths(
    effective_spec: dict[str, Any], raw: dict[str, Any]
) -> None:
    shapes: dict[str, str] = {}
    for path, item in effective_spec["paths"].items():
        assert item, f"empty path item {path}"
        assert not path.startswith("/warmup_")
        template = set(re.findall(r"{(\w+)}", path))
        for method in item:
            declared = {
                p["name"] for p in item[method].get("parameters", []) if p.get("in") == "path"
            }
            assert declared == template, f"{method} {path}: {declared} != {template}"
        shape = re.sub(r"{\w+}", "{}", path)
        assert shape not in shapes, f"{path} and {shapes.get(shape)} are the same template"
        shapes[shape] = path
    # Empty items and removed operations' items gone; equivalent templates merged.
    decisions = Decisions.load()
    gone = {p for p, item in raw["paths"].items() if not item}
    gone |= {
        p
        for p, _ in decisions.removed
        if not set(raw["paths"][p]) - {m for q, m in decisions.removed if q == p}
    }
    gone |= set(decisions.equivalent_paths)
    kept = set(raw["paths"]) - gone | {eq.path for eq in decisions.equivalent_paths.values()}
    assert set(effective_spec["paths"]) == kept


def test_security_is_oauth2_with_the_scopes_from_the_prose(effective_spec: dict[str, Any]) -> None:
    scheme = effective_spec["components"]["securitySchemes"]["visma_oauth2"]
    flow = scheme["flows"]["authorizationCode"]
    assert flow["tokenUrl"] == "https://identity.vismaonline.com/connect/token"
    assert {"ea:api", "offline_access", "ea:sales", "ea:accounting_readonly"} <= set(flow["scopes"])
    op = effective_spec["paths"]["/customers"]["get"]
    assert op["security"] == [
        {"visma_oauth2": ["ea:sales"]},
        {"visma_oauth2": ["ea:sales_readonly"]},
    ]
    assert all(op.get("security") for _, _, op in ops(effective_spec))


def test_errors_and_binary_bodies_are_declared(effective_spec: dict[str, Any]) -> None:
    for _, _, op in ops(effective_spec):
        for status in ("401", "403", "429", "500", "503"):
            body = resolve(effective_spec, op["responses"][status])["content"]["application/json"]
            assert body["schema"] == {"$ref": "#/components/schemas/CommonExtendedBadRequest"}
    pdf = effective_spec["paths"]["/quotes/{id}/print"]["get"]["responses"]["200"]["content"]
    assert list(pdf) == ["application/pdf"]


def test_dates_are_dates_and_schemas_are_open(
    effective_spec: dict[str, Any], raw: dict[str, Any]
) -> None:
    schemas = effective_spec["components"]["schemas"]
    assert schemas["CustomerInvoiceApi"]["properties"]["InvoiceDate"]["format"] == "date"
    assert schemas["CustomerInvoiceApi"]["properties"]["CreatedUtc"]["format"] == "date-time"
    date_props = {
        (schema_name, name)
        for schema_name, schema in schemas.items()
        for name, prop in schema.get("properties", {}).items()
        if prop.get("format") == "date"
    }
    upstream_dates = {
        (schema_name, name)
        for schema_name, schema in raw["components"]["schemas"].items()
        for name, prop in (schema.get("properties") or {}).items()
        if prop.get("format") == "date"
        or (name.endswith("Date") and prop.get("format") == "date-time")
    }
    assert date_props == upstream_dates and date_props
    assert not any("additionalProperties" in s for s in schemas.values())
    param = effective_spec["paths"]["/accountbalances/{date}"]["get"]["parameters"][0]
    assert param["schema"]["format"] == "date"


def test_rot_reduced_invoicing_type_is_one_shared_enum(
    effective_spec: dict[str, Any], raw: dict[str, Any]
) -> None:
    schemas = effective_spec["components"]["schemas"]
    refs = [
        name
        for name, schema in schemas.items()
        if schema.get("properties", {}).get("RotReducedInvoicingType", {}).get("$ref")
        == "#/components/schemas/RotReducedInvoicingType"
    ]
    copies = [
        name
        for name, schema in raw["components"]["schemas"].items()
        if "RotReducedInvoicingType" in (schema.get("properties") or {})
    ]
    assert sorted(refs) == sorted(copies) and refs
    assert schemas["RotReducedInvoicingType"]["enum"] == [0, 1, 2]
