"""The model and facade views of the harness: they can fail, and they say why."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from eaccounting._spec import effective_spec
from harness.cases import load_schema
from harness.report import Cell, Matrix, Status, to_markdown
from harness.views import facade_call, read_with_facade, read_with_model

CUSTOMER = "6f1c2a52-4d0e-4a47-a3cd-8c3bd25a1c11"


@pytest.fixture(scope="module")
def schema() -> Any:
    return load_schema(effective_spec())


def _response(status: int, json: object) -> httpx.Response:
    return httpx.Response(status, json=json)


def test_the_model_view_names_what_it_cannot_read() -> None:
    assert read_with_model("get_customer", _response(200, {"Id": CUSTOMER, "Name": "A"})) is None
    problem = read_with_model("get_customer", _response(200, {"Id": "not-a-guid"}))
    assert problem == "ValueError: not a UUID: 'not-a-guid'"
    assert read_with_model("no_such_operation", _response(200, {})) == (
        "no generated module for no_such_operation"
    )


def test_every_crud_operation_of_a_facade_maps_to_its_method(schema: Any) -> None:
    found = {
        op: call.name
        for op in ("list_customers", "get_customer", "create_customer", "update_customer")
        if (o := schema.find_operation_by_id(op)) and (call := facade_call(op, o.method, o.path))
    }
    assert found == {
        "list_customers": "client.customers.list",
        "get_customer": "client.customers.get",
        "create_customer": "client.customers.create",
        "update_customer": "client.customers.update",
    }
    # Every tag has a facade now: article labels' list is its facade's ``list``.
    labels = schema.find_operation_by_id("list_article_labels")
    call = facade_call("list_article_labels", labels.method, labels.path)
    assert call is not None and call.name == "client.article_labels.list"


def test_every_operation_has_a_facade_view_but_the_cost_center_update() -> None:
    without = {
        op["operationId"]
        for path, item in effective_spec()["paths"].items()
        for method, op in item.items()
        if method in ("get", "put", "post", "delete")
        and not facade_call(op["operationId"], method, path)
    }
    # Its safe update reads the list first; one canned response cannot answer both.
    assert without == {"update_cost_center"}
    recipients = facade_call(
        "list_customer_auto_invoice_recipients",
        "get",
        "/customers/{customerId}/autoinvoicerecipients",
    )
    assert recipients is not None
    assert recipients.name == "client.customers.list_customer_auto_invoice_recipients"


def test_the_facade_view_reads_results_and_typed_errors(schema: Any) -> None:
    op = schema.find_operation_by_id("get_customer")
    call = facade_call("get_customer", op.method, op.path)
    assert call is not None
    case = op.Case(path_parameters={"customerId": CUSTOMER})
    ok = _response(200, {"Id": CUSTOMER, "Name": "A"})
    assert read_with_facade(call, case, ok, positive=True) is None
    missing = _response(404, {"ErrorCode": 3000, "DeveloperErrorMessage": "x", "ErrorId": "e"})
    assert read_with_facade(call, case, missing, positive=True) is None
    broken = httpx.Response(200, content=b'{"Id": "', headers={"Content-Type": "application/json"})
    problem = read_with_facade(call, case, broken, positive=True)
    assert problem is not None and problem.startswith("client.customers.get raised ")


def test_the_facade_view_catches_a_facade_asking_for_another_path(schema: Any) -> None:
    op = schema.find_operation_by_id("get_customer")
    wrong = facade_call("list_customers", "GET", "/customers")
    assert wrong is not None
    case = op.Case(path_parameters={"customerId": CUSTOMER})
    page = {"Meta": {"CurrentPage": 1, "TotalNumberOfPages": 1}, "Data": []}
    problem = read_with_facade(wrong, case, _response(200, page), positive=True)
    assert problem is not None and "the operation is ('GET', '/v2/customers/" in problem


def test_the_report_shows_three_views_and_fails_on_any() -> None:
    matrix = Matrix(regions=["se"], operations=["a", "b", "c"])
    matrix.cells[("se", "a")] = Cell(Status.PASSED, read=1, facade="client.x.get")
    matrix.cells[("se", "b")] = Cell(Status.FAILED, read=1, model_failures=["bad"])
    matrix.cells[("se", "c")] = Cell(Status.PASSED, read=1)
    text = to_markdown(matrix)
    assert "| `a` | ✔ ✔ ✔ |" in text and "| `b` | ✔ ✘ — |" in text and "| `c` | ✔ ✔ — |" in text
    assert "| model | 3 | 1 |" in text and "| facade | 1 | 0 |" in text
    assert "- se `b` — failed: model: bad" in text
    assert matrix.failed == 1
