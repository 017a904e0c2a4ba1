"""The normalisation stage: OpenAPI 3.0.x in, 3.1 out; each input judged by its own version."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from spec.normalise import (
    TARGET_VERSION,
    NormaliseError,
    declared_version,
    own_version_errors,
    to_openapi_31,
)


def doc30(schemas: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "openapi": "3.0.4",
        "info": {"title": "t", "version": "1"},
        "paths": extra.pop("paths", {}),
        "components": {"schemas": schemas, **extra},
    }


def test_nullable_becomes_a_type_array_in_place() -> None:
    out = to_openapi_31(doc30({"A": {"type": "string", "nullable": True, "maxLength": 3}}))
    assert out["openapi"] == TARGET_VERSION
    schema = out["components"]["schemas"]["A"]
    assert schema == {"type": ["string", "null"], "maxLength": 3}
    assert list(schema) == ["type", "maxLength"]


def test_nullable_false_is_dropped_and_enums_admit_null() -> None:
    out = to_openapi_31(
        doc30(
            {
                "A": {"type": "integer", "nullable": False},
                "B": {"type": "integer", "enum": [0, 1], "nullable": True},
            }
        )
    )
    assert out["components"]["schemas"]["A"] == {"type": "integer"}
    assert out["components"]["schemas"]["B"] == {"type": ["integer", "null"], "enum": [0, 1, None]}


def test_a_nullable_reference_becomes_any_of_it_or_null() -> None:
    ref = {"$ref": "#/components/schemas/B", "nullable": True}
    out = to_openapi_31(doc30({"A": {"type": "object", "properties": {"b": ref}}, "B": {}}))
    assert out["components"]["schemas"]["A"]["properties"]["b"] == {
        "anyOf": [{"$ref": "#/components/schemas/B"}, {"type": "null"}]
    }


def test_schemas_are_found_everywhere_a_3_0_document_keeps_them() -> None:
    nullable = {"type": "string", "nullable": True}
    out = to_openapi_31(
        doc30(
            {"A": {"type": "array", "items": {"allOf": [copy.deepcopy(nullable)]}}},
            parameters={"P": {"name": "p", "in": "query", "schema": copy.deepcopy(nullable)}},
            paths={
                "/x": {
                    "parameters": [{"name": "q", "in": "query", "schema": dict(nullable)}],
                    "post": {
                        "requestBody": {
                            "content": {"application/json": {"schema": dict(nullable)}}
                        },
                        "responses": {
                            "200": {
                                "description": "ok",
                                "headers": {"H": {"schema": dict(nullable)}},
                                "content": {
                                    "application/json": {
                                        "schema": {
                                            "type": "object",
                                            "additionalProperties": dict(nullable),
                                        }
                                    }
                                },
                            }
                        },
                    },
                }
            },
        )
    )
    widened = {"type": ["string", "null"]}
    assert out["components"]["schemas"]["A"]["items"]["allOf"] == [widened]
    assert out["components"]["parameters"]["P"]["schema"] == widened
    item = out["paths"]["/x"]
    assert item["parameters"][0]["schema"] == widened
    assert item["post"]["requestBody"]["content"]["application/json"]["schema"] == widened
    response = item["post"]["responses"]["200"]
    assert response["headers"]["H"]["schema"] == widened
    assert response["content"]["application/json"]["schema"]["additionalProperties"] == widened
    assert own_version_errors(out) == []


def test_exclusive_bounds_take_the_numeric_3_1_form() -> None:
    out = to_openapi_31(
        doc30(
            {
                "A": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
                "B": {"type": "number", "maximum": 9, "exclusiveMaximum": False},
            }
        )
    )
    assert out["components"]["schemas"]["A"] == {"type": "number", "exclusiveMinimum": 0}
    assert out["components"]["schemas"]["B"] == {"type": "number", "maximum": 9}


def test_a_schema_example_becomes_examples_but_a_parameter_example_stays() -> None:
    parameter = {"name": "p", "in": "query", "example": "x", "schema": {"type": "string"}}
    out = to_openapi_31(
        doc30(
            {"A": {"type": "string", "example": "2026-01-01", "format": "date"}},
            parameters={"P": parameter},
        )
    )
    schema = out["components"]["schemas"]["A"]
    assert schema == {"type": "string", "examples": ["2026-01-01"], "format": "date"}
    assert list(schema) == ["type", "examples", "format"]
    assert out["components"]["parameters"]["P"]["example"] == "x"


def test_a_3_1_document_passes_through_unchanged_and_the_input_is_never_touched() -> None:
    doc = doc30({"A": {"type": "string", "nullable": True}})
    before = copy.deepcopy(doc)
    to_openapi_31(doc)
    assert doc == before
    doc31 = {**copy.deepcopy(doc), "openapi": "3.1.1"}
    assert to_openapi_31(doc31) == doc31


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"swagger": "2.0"}, "not an OpenAPI 3.0.x or 3.1.x document (no 'openapi' field)"),
        ({"openapi": "3.2.0"}, "not an OpenAPI 3.0.x or 3.1.x document (openapi: '3.2.0')"),
        ("<html>", "not an OpenAPI 3.0.x or 3.1.x document (no 'openapi' field)"),
    ],
)
def test_other_versions_are_refused_by_name(doc: Any, message: str) -> None:
    with pytest.raises(NormaliseError) as excinfo:
        declared_version(doc)
    assert str(excinfo.value) == message + "; the pipeline accepts both forms"


def test_each_document_is_validated_against_the_version_it_declares() -> None:
    # A 3.1 type array is not 3.0; `nullable` is fine in 3.0. The same schema, judged twice.
    in_31_form = doc30({"A": {"type": ["string", "null"]}})
    assert own_version_errors(in_31_form) == [
        "components/schemas/A/type: ['string', 'null'] is not of type 'string'"
    ]
    assert own_version_errors({**in_31_form, "openapi": "3.1.1"}) == []
    assert own_version_errors(doc30({"A": {"type": "string", "nullable": True}})) == []
