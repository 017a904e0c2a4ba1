"""Resource facades: typed models, safe update, client-side validation, client.api."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from eaccounting import F, NotFoundError, ValidationError

from .conftest import BASE, make_async_client, make_client, paged

pytest.importorskip("eaccounting_api.models.customer_api")

CUSTOMER_ID = "0b6a2c6e-5a4f-4c0e-9d1b-2f3a4b5c6d7e"
TERMS_ID = "9f8e7d6c-5b4a-4321-8fed-cba987654321"


def customer_json(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "Id": CUSTOMER_ID,
        "CustomerNumber": "1001",
        "Name": "Acme AB",
        "InvoiceAddress1": "Storgatan 1",
        "InvoiceCity": "Stockholm",
        "InvoicePostalCode": "11122",
        "EmailAddress": "billing@acme.example",
        "TermsOfPaymentId": TERMS_ID,
        "IsPrivatePerson": False,
        "IsActive": True,
        "ChangedUtc": "2016-02-17T14:42:56.7582722",
        "UnpaidInvoicesAmount": 1250.5,
        "Notes": [],
        "SomeFieldVismaAddedLater": {"x": 1},
    }
    body.update(overrides)
    return body


class CustomerApi:
    """In-memory /customers with full-replace PUT semantics (omitted fields become null)."""

    def __init__(self) -> None:
        self.stored = customer_json()
        self.requests: list[tuple[str, str, Any]] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.requests.append((request.method, request.url.path, body))
        path = request.url.path
        if path == f"/v2/customers/{CUSTOMER_ID}":
            if request.method == "GET":
                return httpx.Response(200, json=self.stored)
            if request.method == "PUT":
                replaced = {k: None for k in self.stored}
                replaced.update(body)
                for read_only in ("Id", "ChangedUtc", "UnpaidInvoicesAmount", "Notes"):
                    replaced[read_only] = self.stored[read_only]
                self.stored = replaced
                return httpx.Response(200, json=self.stored)
            if request.method == "DELETE":
                return httpx.Response(200)
        if path == "/v2/customers" and request.method == "GET":
            return paged([self.stored, customer_json(Id=str(uuid.UUID(int=7)))], 1, 50, 2)
        if path == "/v2/customers" and request.method == "POST":
            return httpx.Response(
                201, json={**customer_json(), **body, "Id": str(uuid.UUID(int=9))}
            )
        return httpx.Response(
            404, json={"ErrorCode": 3000, "DeveloperErrorMessage": "not found", "ErrorId": "x"}
        )


def test_safe_update_keeps_untouched_fields_and_never_sends_read_only_ones(flavour: str) -> None:
    api = CustomerApi()
    client, _ = make_client(api.handler)
    updated = client.customers.update(CUSTOMER_ID, {"EmailAddress": "new@acme.example"})
    method, path, sent = api.requests[-1]
    assert (method, path) == ("PUT", f"/v2/customers/{CUSTOMER_ID}")
    expected = customer_json(EmailAddress="new@acme.example")
    for read_only in ("Id", "ChangedUtc", "UnpaidInvoicesAmount", "Notes"):
        expected.pop(read_only)
    assert sent == expected
    assert api.stored["Name"] == "Acme AB"
    assert api.stored["InvoiceAddress1"] == "Storgatan 1"
    assert updated.email_address == "new@acme.example"
    assert updated.name == "Acme AB"


def test_safe_update_accepts_snake_case_fields_and_models(flavour: str) -> None:
    from eaccounting_api.models.customer_api import CustomerApi as Model

    api = CustomerApi()
    client, _ = make_client(api.handler)
    client.customers.update(CUSTOMER_ID, invoice_city="Göteborg", is_active=False)
    sent = api.requests[-1][2]
    assert sent["InvoiceCity"] == "Göteborg"
    assert sent["IsActive"] is False
    assert sent["Name"] == "Acme AB"
    assert "invoice_city" not in sent

    partial = Model.from_dict(
        {
            "Name": "Acme Nordic AB",
            "InvoiceCity": "Malmö",
            "InvoicePostalCode": "21120",
            "TermsOfPaymentId": TERMS_ID,
            "IsPrivatePerson": False,
            "IsActive": True,
        }
    )
    client.customers.update(CUSTOMER_ID, partial)
    sent = api.requests[-1][2]
    assert sent["Name"] == "Acme Nordic AB"
    assert sent["InvoiceAddress1"] == "Storgatan 1"
    assert sent["EmailAddress"] == "billing@acme.example"


def test_get_parses_a_naive_7_digit_timestamp_and_keeps_unknown_fields(flavour: str) -> None:
    api = CustomerApi()
    client, _ = make_client(api.handler)
    customer = client.customers.get(CUSTOMER_ID)
    assert customer.name == "Acme AB"
    assert customer.changed_utc is not None
    assert customer.changed_utc.microsecond == 758272
    assert customer.to_dict()["SomeFieldVismaAddedLater"] == {"x": 1}


def test_list_and_iterate_return_models_and_send_odata(flavour: str) -> None:
    api = CustomerApi()
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return api.handler(request)

    client, _ = make_client(handler)
    page = client.customers.list(
        filter=(F("Name") == "O'Brien") & F("IsActive").eq(True),
        orderby=[F("Name").desc()],
        select=["Id", "Name"],
        page_size=50,
    )
    assert [c.name for c in page.items] == ["Acme AB", "Acme AB"]
    params = dict(seen[0].params)
    assert params == {
        "$filter": "Name eq 'O''Brien' and IsActive eq true",
        "$orderby": "Name desc",
        "$select": "Id,Name",
        "$page": "1",
        "$pagesize": "50",
    }
    assert [str(c.id) for c in client.customers.iterate()] == [CUSTOMER_ID, str(uuid.UUID(int=7))]


def test_create_strips_read_only_and_validates_before_sending(flavour: str) -> None:
    api = CustomerApi()
    client, _ = make_client(api.handler)
    created = client.customers.create(
        {
            "Id": CUSTOMER_ID,
            "Name": "New AB",
            "InvoiceCity": "Umeå",
            "InvoicePostalCode": "90325",
            "TermsOfPaymentId": uuid.UUID(TERMS_ID),
            "IsPrivatePerson": False,
            "IsActive": True,
        }
    )
    assert created.name == "New AB"
    sent = api.requests[-1][2]
    assert "Id" not in sent
    assert sent["TermsOfPaymentId"] == TERMS_ID


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"Name": "x" * 51}, "Name is 51 characters long; the API allows at most 50"),
        (
            {"Name": "A", "TermsOfPaymentId": "not-a-guid"},
            "TermsOfPaymentId='not-a-guid' is not a GUID",
        ),
        (
            {"Name": "A", "LastInvoiceDate": "2026-13-45"},
            None,  # read-only: dropped, not validated
        ),
        (
            {"Name": "A", "AutoInvoiceActivationEmailSentDate": "31/01/2026"},
            "AutoInvoiceActivationEmailSentDate='31/01/2026' is not a date (expected yyyy-MM-dd",
        ),
    ],
)
def test_obviously_wrong_input_is_rejected_before_any_request(
    body: dict[str, Any], message: str | None, flavour: str
) -> None:
    api = CustomerApi()
    client, _ = make_client(api.handler)
    if message is None:
        client.customers.create(body)
        assert "LastInvoiceDate" not in api.requests[-1][2]
        return
    with pytest.raises(ValidationError) as info:
        client.customers.create(body)
    assert str(info.value).startswith(message)
    assert api.requests == []


def test_ids_are_validated_and_named(flavour: str) -> None:
    client, _ = make_client(lambda r: httpx.Response(500))
    with pytest.raises(ValidationError) as info:
        client.customers.get("42")
    assert str(info.value).startswith("customer_id='42' is not a GUID")
    assert info.value.field == "customer_id"


def test_not_found_from_a_resource(flavour: str) -> None:
    api = CustomerApi()
    client, _ = make_client(api.handler)
    with pytest.raises(NotFoundError):
        client.suppliers.get(CUSTOMER_ID)


def test_delete(flavour: str) -> None:
    api = CustomerApi()
    client, _ = make_client(api.handler)
    assert client.customers.delete(CUSTOMER_ID) is None
    assert api.requests[-1][:2] == ("DELETE", f"/v2/customers/{CUSTOMER_ID}")


def test_generated_operations_run_through_the_pipeline(flavour: str) -> None:
    api = CustomerApi()
    auth: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        auth.append(request.headers.get("Authorization", ""))
        return api.handler(request)

    client, _ = make_client(handler)
    # Calling the bound operation runs .sync on a Client and .asyncio on an AsyncClient.
    customer = client.api.customers.get_customer(customer_id=uuid.UUID(CUSTOMER_ID))
    assert customer.name == "Acme AB"
    assert auth == ["Bearer static-token"]
    with pytest.raises(NotFoundError):
        client.api.suppliers.get_supplier(id=uuid.UUID(CUSTOMER_ID))


def test_api_namespace_reports_unknown_names(flavour: str) -> None:
    client, _ = make_client(lambda r: httpx.Response(200))
    # Plain classes (generated per tag): mypy reports these names before they ever run.
    with pytest.raises(AttributeError, match=r"'(Async)?ApiOperations' object has no attribute"):
        _ = client.api.nope
    with pytest.raises(
        AttributeError, match=r"'(Async)?CustomersOperations' object has no attribute 'nope'"
    ):
        _ = client.api.customers.nope


def test_customer_invoice_pdf_and_draft_convert(flavour: str) -> None:
    invoice_id = str(uuid.UUID(int=5))

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/print"):
            return httpx.Response(
                200, content=b"%PDF-1.7", headers={"Content-Type": "application/pdf"}
            )
        if request.url.path.endswith("/convert"):
            return httpx.Response(201, json={"Id": invoice_id, "CustomerId": CUSTOMER_ID})
        return httpx.Response(404)

    client, _ = make_client(handler)
    assert client.customer_invoices.pdf(invoice_id) == b"%PDF-1.7"
    converted = client.customer_invoice_drafts.convert(invoice_id)
    assert str(converted.id) == invoice_id


def test_base_url_joins_without_double_slash(flavour: str) -> None:
    urls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        return httpx.Response(200, json={})

    client, _ = make_client(handler, base_url=BASE + "/")
    client.request("GET", "/companysettings")
    assert urls == [f"{BASE}/companysettings"]


def test_a_null_in_a_non_nullable_field_does_not_break_a_list(flavour: str) -> None:
    broken = customer_json(TermsOfPaymentId=None, IsActive=None, Id=str(uuid.UUID(int=3)))

    def handler(request: httpx.Request) -> httpx.Response:
        return paged([customer_json(), broken], 1, 50, 2)

    client, _ = make_client(handler)
    items = list(client.customers.iterate())
    assert [str(c.id) for c in items] == [CUSTOMER_ID, str(uuid.UUID(int=3))]
    assert items[1].terms_of_payment_id is None


async def test_async_list_and_iterate() -> None:
    api = CustomerApi()
    client, _ = make_async_client(api.handler)
    async with client:
        page = await client.customers.list(page_size=10)
        names = [c.name async for c in client.customers.iterate(prefetch=2)]
    assert page.total_results == 2
    assert names == ["Acme AB", "Acme AB"]


def test_any_generated_list_operation_can_be_iterated(flavour: str) -> None:
    labels = [{"Id": str(uuid.UUID(int=i)), "Name": f"L{i}"} for i in range(5)]

    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["$page"])
        size = int(request.url.params["$pagesize"])
        return paged(labels[(page - 1) * size : page * size], page, size, len(labels))

    client, _ = make_client(handler)
    operation = client.api.article_labels.list_article_labels
    # A generated operation bound to an AsyncClient iterates with aiterate.
    iterate = operation.aiterate if flavour == "async" else operation.iterate
    items = list(iterate(page_size=2))
    assert [x.name for x in items] == ["L0", "L1", "L2", "L3", "L4"]
