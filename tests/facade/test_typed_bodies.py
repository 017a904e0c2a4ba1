"""Typed write bodies at run time: a ``<Model>Body`` TypedDict goes where a model or a mapping
went (the facade's create/update, a generated operation's ``body=``), and ``eaccounting.types``
serves models, bodies and ``Unset`` from one place, loading them only when asked."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import httpx
import pytest

from eaccounting import ValidationError

from .conftest import BASE, make_client

pytest.importorskip("eaccounting_api.bodies")

from eaccounting_api.api.customers import create_customer
from eaccounting_api.client import AuthenticatedClient

from eaccounting.types import (
    UNSET,
    CustomerApi,
    CustomerApiBody,
    CustomerInvoiceApiBody,
    Unset,
)

CUSTOMER_ID = "0b6a2c6e-5a4f-4c0e-9d1b-2f3a4b5c6d7e"
TERMS = "8f9a3b1c-0d2e-4f5a-8b6c-7d8e9f0a1b2c"

BODY: CustomerApiBody = {
    "Name": "Acme AB",
    "InvoiceCity": "Stockholm",
    "InvoicePostalCode": "111 22",
    "TermsOfPaymentId": TERMS,
    "IsPrivatePerson": False,
    "IsActive": True,
    "EmailAddress": None,
}
RESPONSE = {**BODY, "Id": CUSTOMER_ID, "ChangedUtc": "2026-01-31T12:00:00Z"}


class Recorder:
    """Answers every request with the created customer and keeps what was sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, object]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.sent.append((request.method, request.url.path, body))
        return httpx.Response(201, json=RESPONSE)


def test_the_facade_sends_a_typed_body_as_written(flavour: str) -> None:
    wire = Recorder()
    client, _ = make_client(wire)
    created = client.customers.create(BODY)
    assert wire.sent == [("POST", "/v2/customers", dict(BODY))]
    assert isinstance(created, CustomerApi)
    assert created.name == "Acme AB"


def test_a_typed_invoice_body_keeps_its_rows_and_decimals(flavour: str) -> None:
    wire = Recorder()
    client, _ = make_client(wire)
    invoice: CustomerInvoiceApiBody = {
        "CustomerId": CUSTOMER_ID,
        "EuThirdParty": False,
        "RotReducedInvoicingType": 0,
        "Rows": [{"Text": "Consulting", "UnitPrice": Decimal("1200.50"), "Quantity": 2}],
    }
    client.customer_invoices.create(invoice)
    ((_, path, sent),) = wire.sent
    assert path == "/v2/customerinvoices"
    assert sent == {**invoice, "Rows": [{"Text": "Consulting", "UnitPrice": 1200.5, "Quantity": 2}]}


def test_a_typed_body_still_gets_the_clients_checks(flavour: str) -> None:
    client, _ = make_client(Recorder())
    bad: CustomerApiBody = {**BODY, "TermsOfPaymentId": "not-a-guid"}
    with pytest.raises(ValidationError, match=r"TermsOfPaymentId='not-a-guid' is not a GUID"):
        client.customers.create(bad)


def generated_client(wire: Recorder) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=BASE, token="static-token", httpx_args={"transport": httpx.MockTransport(wire)}
    )


def test_a_generated_operation_takes_the_typed_body_or_the_model() -> None:
    wire = Recorder()
    with generated_client(wire) as client:
        from_dict = create_customer.sync(client=client, body=BODY)
        from_model = create_customer.sync(client=client, body=CustomerApi.from_dict(BODY))
    assert isinstance(from_dict, CustomerApi) and isinstance(from_model, CustomerApi)
    assert from_dict.id == from_model.id
    sent_dict, sent_model = (body for _, _, body in wire.sent)
    assert sent_dict == dict(BODY)
    assert sent_model == dict(BODY)


def test_types_serves_models_bodies_and_the_unset_marker() -> None:
    import eaccounting_api.bodies
    import eaccounting_api.models
    import eaccounting_api.types

    import eaccounting.types as types

    assert types.CustomerApi is eaccounting_api.models.CustomerApi
    assert types.CustomerApiBody is eaccounting_api.bodies.CustomerApiBody
    assert (types.Unset, types.UNSET) == (eaccounting_api.types.Unset, eaccounting_api.types.UNSET)
    assert isinstance(UNSET, Unset)
    assert {"CustomerApi", "CustomerApiBody", "Unset", "UNSET"} <= set(dir(types))


def test_types_names_what_it_does_not_have() -> None:
    import eaccounting.types as types

    with pytest.raises(AttributeError, match=r"has no attribute 'CustomerApy' \(expected a model"):
        _ = types.CustomerApy


def test_import_eaccounting_loads_no_generated_model_or_body() -> None:
    code = (
        "import sys, eaccounting, eaccounting.types; "
        "print(sorted(m for m in sys.modules if m.startswith('eaccounting_api')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "eaccounting"]


def test_a_misspelled_key_is_sent_but_named_in_a_warning(
    flavour: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Not refused: the effective spec allows unlisted properties, and the client must not
    # refuse what the spec accepts (the contract harness checks exactly that).
    wire = Recorder()
    client, _ = make_client(wire)
    body = {k if k != "EmailAddress" else "EmailAdress": v for k, v in BODY.items()}
    body["DeliveryCity"] = "Malmö"
    with caplog.at_level("WARNING", logger="eaccounting"):
        client.customers.create(body)
    assert warnings_of(caplog) == [
        "eaccounting: EmailAdress is not a property of CustomerApi, the API will ignore it; "
        "did you mean 'EmailAddress'?"
    ]
    ((_, _, sent),) = wire.sent
    assert sent["EmailAdress"] is None and "EmailAddress" not in sent


def test_snake_case_and_row_keys_are_named_with_their_place(
    flavour: str, caplog: pytest.LogCaptureFixture
) -> None:
    client, _ = make_client(Recorder())
    invoice = {
        "CustomerId": CUSTOMER_ID,
        "rows": [],
        "Rows": [{"Text": "a", "Quantity": 1}, {"Quantty": 2, "Secret": "s3cr3t"}],
    }
    with caplog.at_level("WARNING", logger="eaccounting"):
        client.customer_invoices.create(invoice)
    assert warnings_of(caplog) == [
        "eaccounting: rows is not a property of CustomerInvoiceApi, the API will ignore it; "
        "did you mean 'Rows'?",
        "eaccounting: Rows[1].Quantty is not a property of CustomerInvoiceRowApi, the API will "
        "ignore it; did you mean 'Quantity'?",
        "eaccounting: Rows[1].Secret is not a property of CustomerInvoiceRowApi, the API will "
        "ignore it",
    ]
    assert "s3cr3t" not in caplog.text  # names only, never values


def test_a_typed_body_logs_nothing(flavour: str, caplog: pytest.LogCaptureFixture) -> None:
    client, _ = make_client(Recorder())
    with caplog.at_level("WARNING", logger="eaccounting"):
        client.customers.create(BODY)
    assert warnings_of(caplog) == []


def test_an_update_warns_about_the_callers_keys_only(
    flavour: str, caplog: pytest.LogCaptureFixture
) -> None:
    # The stored customer carries a property newer than the spec: it goes back untouched and
    # unremarked. A snake_case change is matched to its property (merge); a typo is named.
    stored = {**RESPONSE, "BrandNewApiField": 7}

    def handler(request: httpx.Request) -> httpx.Response:
        wire(request)
        return httpx.Response(200, json=stored)

    wire = Recorder()
    client, _ = make_client(handler)
    with caplog.at_level("WARNING", logger="eaccounting"):
        client.customers.update(CUSTOMER_ID, {"email_address": "a@example.com", "Fax": "1"})
    (_, _, (method, _, sent)) = wire.sent  # GET, the re-read before the PUT, PUT
    assert method == "PUT"
    assert sent["EmailAddress"] == "a@example.com" and sent["BrandNewApiField"] == 7
    assert warnings_of(caplog) == [
        "eaccounting: Fax is not a property of CustomerApi, the API will ignore it"
    ]
