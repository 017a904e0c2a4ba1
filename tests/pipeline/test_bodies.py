"""Request bodies as TypedDicts (spec/bodies.py → eaccounting_api/bodies.py)."""

from __future__ import annotations

import typing
from decimal import Decimal
from typing import Any, Literal

import pytest

from spec import bodies

bodies_module = pytest.importorskip("eaccounting_api.bodies")

REF = "#/components/schemas/"


def tiny_spec() -> dict[str, Any]:
    """One create operation whose body nests a row list, a ref'd object and a shared enum."""
    return {
        "paths": {
            "/things": {
                "post": {
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": REF + "ThingApi"}}}
                    }
                },
                "get": {"responses": {}},
            },
            "/things/batch": {
                "put": {
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"$ref": REF + "BatchApi"}}
                            }
                        }
                    }
                }
            },
        },
        "components": {
            "schemas": {
                "ThingApi": {
                    "type": "object",
                    "required": ["Name", "Id", "Rows"],
                    "properties": {
                        "Id": {"type": "string", "format": "uuid", "readOnly": True},
                        "Name": {"type": "string", "description": 'Say "hi"'},
                        "Note": {"type": ["string", "null"]},
                        "Amount": {"type": "number", "format": "double"},
                        "Kind": {"$ref": REF + "Kind"},
                        "Status": {"type": "integer", "enum": [1, 2, 3]},
                        "Day": {"type": "string", "format": "date"},
                        "Rows": {"type": ["array", "null"], "items": {"$ref": REF + "RowApi"}},
                        "Owner": {"$ref": REF + "OwnerApi", "readOnly": True},
                        "Tags": {"type": "array", "items": {"type": "string", "format": "uuid"}},
                    },
                },
                "RowApi": {
                    "type": "object",
                    "properties": {
                        "Total": {"type": "number", "readOnly": True},
                        "Quantity": {"type": ["number", "null"]},
                        "IsText": {"type": "boolean"},
                    },
                },
                "OwnerApi": {"type": "object", "properties": {"Name": {"type": "string"}}},
                "BatchApi": {"type": "object", "properties": {"Count": {"type": "integer"}}},
                "Kind": {"type": "integer", "enum": [0, 1, 2]},
                "Unused": {"type": "object", "properties": {"X": {"type": "string"}}},
            }
        },
    }


def test_the_body_schemas_are_those_reachable_through_writable_properties() -> None:
    # OwnerApi hangs off a read-only property, Unused off nothing, Kind is no object.
    assert bodies.body_schemas(tiny_spec()) == ["BatchApi", "RowApi", "ThingApi"]


def test_a_body_class_has_the_api_names_required_keys_and_no_read_only_field() -> None:
    source = bodies.render(tiny_spec())
    thing = source.split("class ThingApiBody(TypedDict):", 1)[1].split("\n\n\n", 1)[0]
    fields = [line.strip() for line in thing.splitlines() if ":" in line and '"""' not in line]
    assert fields == [
        "Name: str",
        "Note: NotRequired[str | None]",
        "Amount: NotRequired[Decimal | int]",
        "Kind: NotRequired[Literal[0, 1, 2]]",
        "Status: NotRequired[Literal[1, 2, 3]]",
        "Day: NotRequired[str]",
        "Rows: list[RowApiBody] | None",
        "Tags: NotRequired[list[str]]",
    ]
    assert '"""Say \\"hi\\""""' in thing  # a closing quote cannot end the docstring early
    row = source.split("class RowApiBody(TypedDict):", 1)[1].split("\n\n\n", 1)[0]
    assert "Total" not in row and "Quantity: NotRequired[Decimal | int | None]" in row
    assert '__all__ = ["BatchApiBody", "RowApiBody", "ThingApiBody"]' in source


def test_the_rendered_module_runs_and_its_typeddicts_say_what_is_required() -> None:
    namespace: dict[str, Any] = {}
    exec(compile(bodies.render(tiny_spec()), "bodies.py", "exec", dont_inherit=True), namespace)
    thing = namespace["ThingApiBody"]
    assert thing.__required_keys__ == frozenset({"Name", "Rows"})
    assert "Id" not in thing.__annotations__ and "Owner" not in thing.__annotations__
    hints = typing.get_type_hints(thing, globalns=namespace)
    assert hints["Amount"] == Decimal | int
    assert hints["Kind"] == Literal[0, 1, 2]


def test_the_same_spec_renders_the_same_bytes() -> None:
    assert bodies.render(tiny_spec()) == bodies.render(tiny_spec())


def test_an_unsupported_shape_is_refused_naming_it() -> None:
    spec = tiny_spec()
    spec["components"]["schemas"]["RowApi"]["properties"]["Odd"] = {"type": ["string", "integer"]}
    with pytest.raises(ValueError, match=r"unsupported property type \['string', 'integer'\]"):
        bodies.render(spec)


# -- the generated module against the effective spec ---------------------------------------------


def request_body_refs(spec: dict[str, Any]) -> set[str]:
    refs = set()
    for item in spec["paths"].values():
        for op in item.values():
            for media in op.get("requestBody", {}).get("content", {}).values():
                schema = media["schema"]
                ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
                refs.add(ref.removeprefix(REF))
    return refs


def test_every_request_body_schema_has_a_body_typeddict(effective_spec: dict[str, Any]) -> None:
    roots = request_body_refs(effective_spec)
    assert len(roots) == 53
    for name in roots:
        body = getattr(bodies_module, f"{name}Body")
        assert typing.is_typeddict(body), name
    assert set(bodies_module.__all__) >= {f"{n}Body" for n in roots}
    assert bodies_module.CustomerApiBody.__required_keys__ == frozenset(
        {"InvoiceCity", "InvoicePostalCode", "IsActive", "IsPrivatePerson", "Name"}
        | {"TermsOfPaymentId"}
    )


def test_every_body_has_exactly_the_writable_properties_with_the_spec_required(
    effective_spec: dict[str, Any],
) -> None:
    schemas = effective_spec["components"]["schemas"]
    checked = 0
    for exported in bodies_module.__all__:
        schema = schemas[exported.removesuffix("Body")]
        body = getattr(bodies_module, exported)
        props = schema.get("properties", {})
        writable = {n for n, p in props.items() if not p.get("readOnly")}
        assert set(body.__annotations__) == writable, exported
        relaxed = set(schema.get("x-eaccounting-optional-on-write", ()))
        required = set(schema.get("required", ())) & writable - relaxed
        assert body.__required_keys__ == required, exported
        checked += 1
    # Request bodies plus every row/object they nest (through writable properties only).
    assert checked == len(bodies.body_schemas(effective_spec)) == 83


def test_nested_rows_are_their_own_bodies_without_read_only_fields() -> None:
    hints = typing.get_type_hints(bodies_module.CustomerInvoiceApiBody)
    assert hints["Rows"] == list[bodies_module.CustomerInvoiceRowApiBody]
    row = bodies_module.CustomerInvoiceRowApiBody.__annotations__
    assert "PercentVat" not in row  # read-only in the row schema
    assert "ArticleId" in row
    assert hints["RotReducedInvoicingType"] == Literal[0, 1, 2]
    assert typing.get_type_hints(bodies_module.CustomerApiBody)["EmailAddress"] == str | None


def test_what_the_api_accepts_without_is_optional_to_write_but_required_to_read(
    effective_spec: dict[str, Any],
) -> None:
    # Evidence fact 16 (decisions.toml [optional_on_write]): POST /customerinvoices answers 201
    # without EuThirdParty and RotReducedInvoicingType although the spec requires them.
    from eaccounting_api.models import CustomerInvoiceApi

    schema = effective_spec["components"]["schemas"]["CustomerInvoiceApi"]
    assert {"EuThirdParty", "RotReducedInvoicingType"} <= set(schema["required"])
    body = bodies_module.CustomerInvoiceApiBody
    assert body.__required_keys__ == frozenset({"CustomerId", "Rows"})
    assert {"EuThirdParty", "RotReducedInvoicingType"} <= body.__optional_keys__
    annotations = CustomerInvoiceApi.__annotations__  # strings (postponed annotations)
    assert annotations["eu_third_party"] == "bool"  # responses always carry it: no Unset


def test_a_relaxed_property_in_the_tiny_spec_is_not_required() -> None:
    spec = tiny_spec()
    spec["components"]["schemas"]["ThingApi"]["x-eaccounting-optional-on-write"] = ["Name"]
    namespace: dict[str, Any] = {}
    exec(compile(bodies.render(spec), "bodies.py", "exec", dont_inherit=True), namespace)
    assert namespace["ThingApiBody"].__required_keys__ == frozenset({"Rows"})


def test_relaxing_a_property_the_spec_does_not_require_stops_the_build() -> None:
    spec = tiny_spec()
    spec["components"]["schemas"]["ThingApi"]["x-eaccounting-optional-on-write"] = ["Note"]
    with pytest.raises(
        ValueError,
        match=r"^overlays/decisions\.toml \[optional_on_write\.ThingApi\]: Note is not a "
        r"required property of ThingApi in this spec; remove the line$",
    ):
        bodies.render(spec)


def test_every_operation_with_a_json_body_takes_its_typeddict(
    effective_spec: dict[str, Any],
) -> None:
    import importlib
    import inspect
    import pkgutil

    import eaccounting_api.api

    with_body = 0
    for info in pkgutil.walk_packages(eaccounting_api.api.__path__, "eaccounting_api.api."):
        if info.ispkg:
            continue
        module = importlib.import_module(info.name)
        parameter = inspect.signature(module.sync_detailed).parameters.get("body")
        if parameter is None:
            continue
        with_body += 1
        annotation = str(parameter.annotation)
        assert "Body" in annotation and "Unset" in annotation, (info.name, annotation)
    bodies_in_spec = sum(
        "requestBody" in op for item in effective_spec["paths"].values() for op in item.values()
    )
    assert with_body == bodies_in_spec == 83
