"""One index of the effective spec (eaccounting._spec.OperationIndex) serves every consumer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eaccounting._spec import OperationIndex, operation_index

pytest.importorskip("eaccounting_api.namespace")

REPO = Path(__file__).resolve().parents[2]


def test_the_index_knows_an_operations_shape() -> None:
    index = operation_index()
    assert len(index) == 227
    get = index["get_customer"]
    assert (get.tag, get.method, get.path) == ("Customers", "GET", "/customers/{customerId}")
    assert [(p.name, p.location, p.required) for p in get.parameters] == [
        ("customerId", "path", True)
    ]
    assert (get.response_model, get.paged, get.writes) == ("CustomerApi", False, False)
    listing = index["list_customers"]
    assert (listing.paged, listing.item_model) == (True, "CustomerApi")
    assert [p.name for p in listing.query_params] == [
        "$page",
        "$pagesize",
        "$filter",
        "$orderby",
        "$select",
    ]
    create = index["create_customer"]
    assert (create.method, create.request_model, create.success_status) == (
        "POST",
        "CustomerApi",
        201,
    )
    assert {"Id", "ChangedUtc"} <= set(index.read_only("CustomerApi"))
    assert "ea:sales" in create.scopes


def test_every_consumer_reads_the_same_index() -> None:
    from eaccounting_api.namespace import OPERATIONS

    from eaccounting.cli import _operations
    from eaccounting.testing.spec import default_index

    index = operation_index()
    assert operation_index() is index  # built once per process
    assert list(default_index().operations) == list(index.operations)  # the emulator's routes
    assert sorted(_operations.operations()) == sorted(index.operations)  # the CLI's list
    assert index.packages == OPERATIONS  # client.api.<tag>
    assert _operations.operations()["get_customer"].tag == "customers"


def test_no_consumer_walks_the_spec_paths_itself() -> None:
    consumers = [
        "src/eaccounting/_write_rules.py",
        "src/eaccounting/testing/spec.py",
        "src/eaccounting/cli/_operations.py",
        "harness/cases.py",
    ]
    walking = [name for name in consumers if '"paths"' in (REPO / name).read_text()]
    assert walking == []


def spec_with(**components: Any) -> dict[str, Any]:
    ok = {"description": "ok"}
    return {
        "openapi": "3.1.0",
        "paths": {
            "/things/{thingId}": {
                "parameters": [{"name": "thingId", "in": "path", "required": True}],
                "get": {
                    "operationId": "get_thing",
                    "tags": ["Things"],
                    "parameters": [{"$ref": "#/components/parameters/select"}],
                    "responses": {"200": {"$ref": "#/components/responses/Thing"}},
                },
                "put": {"responses": {"204": ok}},  # no operationId: not an operation of ours
            },
            "/things": {
                "get": {
                    "operationId": "list_things",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Paged"}
                                }
                            },
                        }
                    },
                }
            },
        },
        "components": components,
    }


def test_refs_and_shared_parameters_are_resolved() -> None:
    index = OperationIndex(
        spec_with(
            parameters={"select": {"name": "$select", "in": "query"}},
            responses={
                "Thing": {
                    "description": "ok",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                    },
                }
            },
            schemas={
                "Thing": {"properties": {"Id": {"type": "string", "readOnly": True}}},
                "Paged": {
                    "properties": {
                        "Meta": {"type": "object"},
                        "Data": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
                    }
                },
            },
        )
    )
    assert list(index.operations) == ["get_thing", "list_things"]
    thing = index["get_thing"]
    assert [(p.name, p.location) for p in thing.parameters] == [
        ("thingId", "path"),
        ("$select", "query"),
    ]
    assert (thing.tag, thing.response_model, thing.paged) == ("Things", "Thing", False)
    listing = index["list_things"]
    assert (listing.tag, listing.item_model, listing.response_model) == (
        "default",
        "Thing",
        "Paged",
    )
    assert index.read_only("Thing") == ("Id",)
