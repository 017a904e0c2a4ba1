"""spec-diff on what users see: tags (client.api), empty paths, servers, security, and the
public Python names each breaking change moves. Small synthetic specs, exact expected output."""

from __future__ import annotations

import copy
import importlib
import pkgutil
from typing import Any

import pytest

from eaccounting._spec import effective_spec
from eaccounting.cli.spec_diff import Rename, diff, names
from eaccounting.cli.spec_diff.operations import operations
from eaccounting.cli.spec_diff.text import render


def _op(op_id: str, tag: str, scopes: list[str] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": op_id,
        "tags": [tag],
        "responses": {"200": {"description": "ok"}},
    }
    if scopes is not None:
        op["security"] = [{"oauth": scopes}]
    return op


def _spec(paths: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://eaccountingapi.vismaonline.com/v2/"}],
        "paths": paths,
        "components": {"schemas": {}},
        **extra,
    }


def _section(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(title) + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith(" ")), len(lines))
    return lines[start:end]


LABELS = {
    "/customerlabels": {"get": _op("list_customer_labels", "CustomerLabels")},
    "/customerlabels/{id}": {"get": _op("get_customer_label", "CustomerLabels")},
    "/customers": {"get": _op("list_customers", "Customers")},
}


def test_tag_rename_moves_every_client_api_name() -> None:
    new = copy.deepcopy(LABELS)
    for item in (new["/customerlabels"], new["/customerlabels/{id}"]):
        item["get"]["tags"] = ["CustomerTags"]
    result = diff(_spec(LABELS), _spec(new))
    assert result.tags_renamed == [Rename("", "CustomerLabels", "CustomerTags", "inferred")]
    assert (result.tags_added, result.tags_removed, result.operations_retagged) == ([], [], [])
    assert _section(render(result), "Tags (client.api namespaces)") == [
        "  BREAKING tag renamed (inferred): CustomerLabels → CustomerTags",
        "      public names: client.api.customer_labels → client.api.customer_tags; "
        "eaccounting_api.api.customer_labels → eaccounting_api.api.customer_tags",
    ]
    assert "  tags         +0 -0, 1 renamed, 0 operations moved tag" in render(result)


def test_case_only_tag_rename_is_breaking_only_if_the_package_name_changes() -> None:
    same, split = copy.deepcopy(LABELS), copy.deepcopy(LABELS)
    for item in (same["/customerlabels"], same["/customerlabels/{id}"]):
        item["get"]["tags"] = ["customerLabels"]  # still customer_labels
    for item in (split["/customerlabels"], split["/customerlabels/{id}"]):
        item["get"]["tags"] = ["Customerlabels"]  # now customerlabels
    kept = diff(_spec(LABELS), _spec(same))
    assert [(c.text, c.breaking) for c in kept.changes()] == [
        ("tag renamed (plain): CustomerLabels → customerLabels (the Python names stay)", False)
    ]
    moved = diff(_spec(LABELS), _spec(split))
    assert [(c.text, c.breaking, c.names) for c in moved.changes()] == [
        (
            "tag renamed (acronym): CustomerLabels → Customerlabels",
            True,
            (
                "client.api.customer_labels → client.api.customerlabels",
                "eaccounting_api.api.customer_labels → eaccounting_api.api.customerlabels",
            ),
        )
    ]


def test_tag_removed_added_and_operation_moved_between_tags() -> None:
    new = {
        "/customerlabels/{id}": {"get": _op("get_customer_label", "Customers")},
        "/customers": {"get": _op("list_customers", "Customers")},
        "/kivra": {"get": _op("kivra_status", "Kivra")},
    }
    result = diff(_spec(LABELS), _spec(new))
    assert (result.tags_removed, result.tags_added) == (["CustomerLabels"], ["Kivra"])
    # Not a rename: the surviving operation went to a tag that already existed.
    assert result.tags_renamed == []
    assert _section(render(result), "Tags (client.api namespaces)") == [
        "  BREAKING tag removed: CustomerLabels",
        "      public names: client.api.customer_labels removed; "
        "eaccounting_api.api.customer_labels removed",
        "  tag added: Kivra",
        "  BREAKING operation moved from tag CustomerLabels to Customers: "
        "GET /customerlabels/{id} (get_customer_label)",
        "      public names: client.api.customer_labels.get_customer_label → "
        "client.api.customers.get_customer_label; "
        "eaccounting_api.api.customer_labels.get_customer_label → "
        "eaccounting_api.api.customers.get_customer_label",
    ]
    assert _section(render(result), "Operations") == [
        "  BREAKING operation removed: GET /customerlabels (list_customer_labels)",
        "      public names: client.api.customer_labels.list_customer_labels removed; "
        "eaccounting_api.api.customer_labels.list_customer_labels removed; "
        # Every tag has a facade now, so the diff names the facade the removal reaches.
        "client.customer_labels loses GET /customerlabels",
        "  operation added: GET /kivra (kivra_status)",
    ]


def test_empty_path_gaining_operations_and_new_empty_paths() -> None:
    old = _spec({"/kivra/status": {}, "/customers": LABELS["/customers"]})
    new = _spec(
        {
            "/kivra/status": {"get": _op("kivra_status", "Kivra"), "put": _op("set", "Kivra")},
            "/kivra/register": {"summary": "declared, not served yet"},
            "/customers": LABELS["/customers"],
        }
    )
    result = diff(old, new)
    assert [(g.path, g.methods) for g in result.paths_gained] == [("/kivra/status", ("GET", "PUT"))]
    assert result.paths_added_empty == ["/kivra/register"]
    assert _section(render(result), "Paths") == [
        "  path added: /kivra/register (no operations)",
        "  empty path gained operations: /kivra/status (GET, PUT); an overlay that removes "
        "empty path items must now keep it",
    ]
    assert "  empty paths  1 added, 1 gained operations" in render(result)
    assert not result.has_breaking  # new operations break nobody; the pipeline must keep them


def test_server_change_names_the_environment_preset() -> None:
    old = _spec(LABELS)
    new = _spec(LABELS, servers=[{"url": "https://api.spiris.se/v2"}])
    result = diff(old, new)
    assert _section(render(result), "Servers") == [
        "  BREAKING server changed: https://eaccountingapi.vismaonline.com/v2 → "
        "https://api.spiris.se/v2",
        "      public names: eaccounting.environments.ENVIRONMENTS['production'].api_base_url "
        "still https://eaccountingapi.vismaonline.com/v2; "
        "eaccounting.environments.ENVIRONMENTS['sandbox'].api_base_url "
        "still https://eaccountingapi.vismaonline.com/v2",
    ]
    added = diff(old, _spec(LABELS, servers=[*old["servers"], {"url": "https://x.test/v2"}]))
    assert [(c.text, c.breaking) for c in added.changes()] == [
        ("server added: https://x.test/v2", False)
    ]


def _oauth(token_url: str, scopes: list[str]) -> dict[str, Any]:
    flow = {
        "authorizationUrl": "https://identity.vismaonline.com/connect/authorize",
        "tokenUrl": token_url,
        "scopes": {s: s for s in scopes},
    }
    return {"securitySchemes": {"oauth": {"type": "oauth2", "flows": {"authorizationCode": flow}}}}


def test_security_schemes_flows_scopes_and_required_scopes() -> None:
    token = "https://identity.vismaonline.com/connect/token"
    old = _spec(
        {"/customers": {"get": _op("list_customers", "Customers", ["ea:api", "ea:sales"])}},
        components={"schemas": {}, **_oauth(token, ["ea:api", "ea:sales", "ea:old"])},
    )
    new = _spec(
        {
            "/customers": {
                "get": _op("list_customers", "Customers", ["ea:api", "ea:sales", "ea:crm"])
            }
        },
        components={
            "schemas": {},
            **_oauth("https://identity.spiris.se/connect/token", ["ea:api", "ea:sales", "ea:crm"]),
        },
    )
    result = diff(old, new)
    assert _section(render(result), "Security") == [
        "  BREAKING security scheme oauth authorizationCode tokenUrl: "
        "https://identity.vismaonline.com/connect/token → https://identity.spiris.se/connect/token",
        "      public names: eaccounting.environments (identity_url: authorize_url, token_url)",
        "  BREAKING security scheme oauth authorizationCode: scope ea:old removed",
        "  security scheme oauth authorizationCode: scope ea:crm added",
        "  BREAKING operation GET /customers (list_customers) now requires oauth:ea:crm",
        "      public names: client.api.customers.list_customers needs oauth:ea:crm; "
        "eaccounting_api.api.customers.list_customers needs oauth:ea:crm",
    ]
    assert "  servers      0 changes; security 4 changes" in render(result)
    back = diff(new, old)
    assert "  operation GET /customers (list_customers) no longer requires oauth:ea:crm" in (
        _section(render(back), "Security")
    )
    gone = diff(old, _spec(old["paths"], components={"schemas": {}}))
    assert [c.text for c in gone.breaking if c.category == "security"] == [
        "security scheme removed: oauth"
    ]


def test_breaking_schema_property_and_parameter_changes_name_models_and_keywords() -> None:
    old = _spec(
        {
            "/customers": {
                "get": {
                    **_op("list_customers", "Customers"),
                    "parameters": [
                        {"name": "$filter", "in": "query", "schema": {"type": "string"}}
                    ],
                }
            }
        },
        components={
            "schemas": {
                "CustomerApi": {
                    "type": "object",
                    "properties": {
                        "address1": {"type": "string"},
                        "Name": {"type": "string"},
                        "Gone": {"type": "string"},
                    },
                },
                "customerLabelApi": {"type": "object", "properties": {}},
            }
        },
    )
    new = _spec(
        {"/customers": {"get": _op("list_customers", "Customers")}},
        components={
            "schemas": {
                "CustomerApi": {
                    "type": "object",
                    "properties": {
                        "Address1": {"type": "string"},
                        "Name": {"type": "integer"},
                    },
                    "required": ["Name"],
                },
                "CustomerLabelAPI": {"type": "object", "properties": {}},
            }
        },
    )
    result = diff(old, new)
    named = {c.text: c.names for c in result.breaking}
    assert named == {
        "schema renamed (acronym): customerLabelApi → CustomerLabelAPI": (
            "eaccounting_api.models.CustomerLabelApi → eaccounting_api.models.CustomerLabelAPI",
        ),
        "property removed: CustomerApi.Gone": (
            "eaccounting_api.models.CustomerApi.gone removed",
            "client.customers results lose .gone",
        ),
        "property renamed: CustomerApi.address1 → Address1": (
            "eaccounting_api.models.CustomerApi.address1 → "
            "eaccounting_api.models.CustomerApi.address_1",
            "client.customers results: .address1 → .address_1",
        ),
        "property became required: CustomerApi.Name": (
            "eaccounting_api.models.CustomerApi.name now a required argument",
        ),
        "property CustomerApi.Name type: string → integer": (
            "eaccounting_api.models.CustomerApi.name type changes",
        ),
        "operation GET /customers $filter: query parameter removed": (
            "client.api.customers.list_customers(filter_=) removed",
            "eaccounting_api.api.customers.list_customers(filter_=) removed",
        ),
    }


# --------------------------------------------------------------------------- the naming rules


def test_naming_rules_match_the_generated_package() -> None:
    """Every tag, operation and schema of the pinned spec is where ``names`` says it is."""
    try:
        api = importlib.import_module("eaccounting_api.api")
        models = importlib.import_module("eaccounting_api.models")
    except ImportError:
        pytest.skip("the generated package is not built (make generate)")
    spec = effective_spec()
    packages = {m.name for m in pkgutil.iter_modules(api.__path__)}
    ops = operations(spec)
    assert {names.tag_package(o.tag) for o in ops.values()} == packages
    for op in ops.values():
        client_name, module_name = op.public_names()
        assert client_name == module_name.replace("eaccounting_api.api.", "client.api.", 1)
        importlib.import_module(module_name)
    for schema, definition in spec["components"]["schemas"].items():
        cls = getattr(models, names.class_name(schema), None)
        if cls is None or not hasattr(cls, "__attrs_attrs__"):
            continue  # enums and aliases are not attrs classes
        fields = {a.name for a in cls.__attrs_attrs__}
        for prop in definition.get("properties", {}):
            assert names.identifier(prop) in fields, (schema, prop)
    checked = [s for s in spec["components"]["schemas"] if hasattr(models, names.class_name(s))]
    assert len(checked) == len(spec["components"]["schemas"])


def test_a_tag_rename_in_the_pinned_spec_names_the_client_api_attributes() -> None:
    old = effective_spec()
    new = copy.deepcopy(old)
    for item in new["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("tags") == ["CustomerLabels"]:
                op["tags"] = ["CustomerTags"]
    result = diff(old, new)
    assert result.tags_renamed == [Rename("", "CustomerLabels", "CustomerTags", "inferred")]
    [change] = result.breaking
    assert change.names == (
        "client.api.customer_labels → client.api.customer_tags",
        "eaccounting_api.api.customer_labels → eaccounting_api.api.customer_tags",
    )


def test_facade_attributes_are_named_for_the_models_and_paths_they_use() -> None:
    old = _spec(
        {
            "/customers": {"get": _op("list_customers", "Customers")},
            "/customers/{customerId}": {"delete": _op("delete_customer", "Customers")},
        },
        components={
            "schemas": {
                "CustomerApi": {
                    "type": "object",
                    "properties": {"address1": {"type": "string"}, "Gln": {"type": "string"}},
                }
            }
        },
    )
    new = _spec(
        {"/customers": {"get": _op("list_customers", "Customers")}},
        components={
            "schemas": {
                "CustomerApi": {"type": "object", "properties": {"Address1": {"type": "string"}}}
            }
        },
    )
    named = {c.text: c.names for c in diff(old, new).breaking}
    assert named == {
        "path removed: /customers/{customerId}": (
            "client.customers loses /customers/{customerId}",
        ),
        "operation removed: DELETE /customers/{customerId} (delete_customer)": (
            "client.api.customers.delete_customer removed",
            "eaccounting_api.api.customers.delete_customer removed",
            "client.customers loses DELETE /customers/{customerId}",
        ),
        "property removed: CustomerApi.Gln": (
            "eaccounting_api.models.CustomerApi.gln removed",
            "client.customers results lose .gln",
        ),
        "property renamed: CustomerApi.address1 → Address1": (
            "eaccounting_api.models.CustomerApi.address1 → "
            "eaccounting_api.models.CustomerApi.address_1",
            "client.customers results: .address1 → .address_1",
        ),
    }
    listed = copy.deepcopy(new)
    listed["paths"]["/customers"]["get"]["responses"]["200"]["content"] = {
        "application/json": {"schema": {"$ref": "#/components/schemas/CustomerApi"}}
    }
    gone = diff(listed, _spec({}, components={"schemas": {}}))
    assert {c.text: c.names for c in gone.breaking}["schema removed: CustomerApi"] == (
        "eaccounting_api.models.CustomerApi removed",
        "client.customers returns it",
    )
