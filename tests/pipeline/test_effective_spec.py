"""The effective spec (generated/openapi.json) has what generators and users need."""

from __future__ import annotations

import re
from typing import Any

from spec.documents import load_yaml
from spec.generate import validation_errors

from ..conftest import SHARED_SPEC

METHODS = ("get", "put", "post", "delete", "patch")
PAGING = {"$page", "$pagesize", "$filter", "$orderby", "$select"}


def ops(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(p, m, item[m]) for p, item in spec["paths"].items() for m in METHODS if m in item]


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        section, name = node["$ref"].split("/")[-2:]
        node = spec["components"][section][name]
    return node


def test_it_validates_with_zero_errors(effective_spec: dict[str, Any]) -> None:
    assert validation_errors(effective_spec) == []


def test_the_raw_spec_does_not(effective_spec: dict[str, Any]) -> None:
    errors = validation_errors(load_yaml(SHARED_SPEC / "eaccounting-v2.2026-02.yaml"))
    assert len(errors) == 8 and all("customerlabelid" in e or "articlelabelid" in e for e in errors)


def test_every_operation_has_a_unique_snake_case_operation_id(
    effective_spec: dict[str, Any],
) -> None:
    ids = [op.get("operationId") for _, _, op in ops(effective_spec)]
    assert len(ids) == 227
    assert all(isinstance(i, str) and re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", i) for i in ids)
    assert len(set(ids)) == len(ids)


def test_all_228_upstream_operations_are_named_or_removed_for_a_reason(
    effective_spec: dict[str, Any],
) -> None:
    raw = load_yaml(SHARED_SPEC / "eaccounting-v2.2026-02.yaml")
    assert len(ops(raw)) == 228
    named = {op["operationId"] for _, _, op in ops(effective_spec)}
    # The one operation not in the client: an internal warm-up probe with no docs and no scope.
    assert [p for p, _, _ in ops(raw) if p.startswith("/warmup_")] == ["/warmup_wnkq2yfuzq"]
    assert "warmup" not in named and len(named) == 228 - 1


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
    effective_spec: dict[str, Any],
) -> None:
    listed = 0
    for path, method, op in ops(effective_spec):
        ok = resolve(effective_spec, op["responses"].get("200", {}))
        ref = ok.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
        if "PaginatedResponseOf" in ref:
            listed += 1
            names = {resolve(effective_spec, p)["name"] for p in op.get("parameters", [])}
            assert names >= PAGING, f"{method} {path}"
    assert listed == 59


def test_no_empty_internal_or_mismatched_paths(effective_spec: dict[str, Any]) -> None:
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
    # 86 empty items and the warm-up probe removed; 3 equivalent templates merged.
    assert len(effective_spec["paths"]) == 250 - 86 - 1 - 3


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


def test_dates_are_dates_and_schemas_are_open(effective_spec: dict[str, Any]) -> None:
    schemas = effective_spec["components"]["schemas"]
    assert schemas["CustomerInvoiceApi"]["properties"]["InvoiceDate"]["format"] == "date"
    assert schemas["CustomerInvoiceApi"]["properties"]["CreatedUtc"]["format"] == "date-time"
    date_props = [
        name
        for schema in schemas.values()
        for name, prop in schema.get("properties", {}).items()
        if prop.get("format") == "date"
    ]
    assert len(date_props) == 102
    assert not any("additionalProperties" in s for s in schemas.values())
    param = effective_spec["paths"]["/accountbalances/{date}"]["get"]["parameters"][0]
    assert param["schema"]["format"] == "date"


def test_rot_reduced_invoicing_type_is_one_shared_enum(effective_spec: dict[str, Any]) -> None:
    schemas = effective_spec["components"]["schemas"]
    refs = [
        name
        for name, schema in schemas.items()
        if schema.get("properties", {}).get("RotReducedInvoicingType", {}).get("$ref")
        == "#/components/schemas/RotReducedInvoicingType"
    ]
    assert len(refs) == 9
    assert schemas["RotReducedInvoicingType"]["enum"] == [0, 1, 2]
