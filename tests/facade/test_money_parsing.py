"""Money comes back as Decimal: every JSON number with a fraction is decoded straight to a
Decimal (never via float), every OpenAPI ``number`` property of a model is a Decimal, integers
stay int, and a Decimal survives create -> get on the emulator with every digit (both clients,
through the ``flavour`` fixture)."""

from __future__ import annotations

import typing
from decimal import Decimal
from typing import Any

import httpx
import pytest

from eaccounting._json_wire import dumps, loads

from . import twins
from .conftest import make_client

testing = pytest.importorskip("eaccounting.testing")
models = pytest.importorskip("eaccounting_api.models")

from eaccounting_api.models.customer_invoice_api import CustomerInvoiceApi  # noqa: E402
from eaccounting_api.models.customer_invoice_row_api import CustomerInvoiceRowApi  # noqa: E402

BIG = Decimal("12345678901234567.89")


def _client(emu: Any) -> Any:
    running = twins.current()
    if running is None or running.loop is None:
        return emu.client()
    return twins.blocking(emu.async_client(), running.loop)


def _article_and_customer(client: Any) -> tuple[Any, Any]:
    terms = client.terms_of_payment.list().items[0]
    customer = client.customers.create(
        {
            "Name": "Decimal AB",
            "InvoiceCity": "Stockholm",
            "InvoicePostalCode": "11122",
            "TermsOfPaymentId": str(terms.id),
            "IsPrivatePerson": False,
            "IsActive": True,
        }
    )
    unit = client.units.list().items[0]
    coding = client.get_json("/articleaccountcodings")["Data"][0]
    article = client.articles.create(
        {
            "Name": "Consulting",
            "UnitId": str(unit.id),
            "CodingId": coding["Id"],
            "NetPrice": Decimal("1000.10"),
            "IsActive": True,
        }
    )
    return article, customer


def test_a_decimal_survives_create_and_get_on_the_emulator(flavour: str) -> None:
    with testing.Emulator(region="se") as emu, _client(emu) as client:
        article, customer = _article_and_customer(client)
        created = client.customer_invoices.create(
            {
                "CustomerId": str(customer.id),
                "EuThirdParty": False,
                "RotReducedInvoicingType": 0,
                "Rows": [
                    {"ArticleId": str(article.id), "UnitPrice": BIG, "Quantity": Decimal("1.5")}
                ],
            }
        )
        fetched = client.customer_invoices.get(created.id)
    for invoice in (created, fetched):
        (row,) = invoice.rows
        assert type(row.unit_price) is Decimal
        assert row.unit_price == BIG
        assert str(row.unit_price) == "12345678901234567.89"
        assert (type(row.quantity), row.quantity) == (Decimal, Decimal("1.5"))
        # Amounts the emulator computes, sent as numbers with a fraction, are Decimal too.
        assert type(invoice.total_amount) is Decimal
        # Integers stay int.
        assert type(invoice.invoice_number) is int
    # to_dict() keeps the Decimal and the wire encoder sends every digit.
    sent = dumps(fetched.to_dict())
    assert b'"UnitPrice":12345678901234567.89' in sent


def _replying(body: bytes) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=body, headers={"Content-Type": "application/json;charset=UTF-8"}
        )

    return handler


ROW = b'{"ArticleId":"9f8e7d6c-5b4a-4321-8fed-cba987654321","UnitPrice":0.1,"Quantity":3,'
ROW += b'"DiscountPercentage":1.5E2,"WorkCostType":2,"VatRatePercent":0.25}'


def test_a_response_with_0_1_gives_decimal_0_1_not_the_float(flavour: str) -> None:
    client, _ = make_client(_replying(b'{"Amount":0.1,"Count":7,"Big":' + str(BIG).encode() + b"}"))
    body = client.get_json("/anything")
    assert body == {"Amount": Decimal("0.1"), "Count": 7, "Big": BIG}
    assert str(body["Amount"]) == "0.1"  # Decimal(0.1) would be 0.1000000000000000055511...
    assert type(body["Count"]) is int


INVOICE = (
    b'{"Id":"0b6a2c6e-5a4f-4c0e-9d1b-2f3a4b5c6d7e",'
    b'"CustomerId":"0b6a2c6e-5a4f-4c0e-9d1b-2f3a4b5c6d7e","EuThirdParty":false,'
    b'"RotReducedInvoicingType":0,"TotalAmount":100,"CurrencyRate":null,"Rows":[' + ROW + b"]}"
)


def _check_invoice(parsed: Any) -> None:
    (row,) = parsed.rows
    assert (row.unit_price, row.quantity, row.discount_percentage) == (
        Decimal("0.1"),
        Decimal(3),
        Decimal("150"),
    )
    assert [type(v) for v in (row.unit_price, row.quantity, row.discount_percentage)] == [
        Decimal
    ] * 3
    assert str(row.unit_price) == "0.1"
    # A whole amount written without a fraction is a Decimal too; null stays None.
    assert (type(parsed.total_amount), parsed.total_amount) == (Decimal, Decimal(100))
    assert parsed.currency_rate is None
    assert type(row.work_cost_type) is int


def test_a_model_parsed_by_the_facade_has_decimal_numbers(flavour: str) -> None:
    client, _ = make_client(_replying(INVOICE))
    _check_invoice(client.customer_invoices.get("0b6a2c6e-5a4f-4c0e-9d1b-2f3a4b5c6d7e"))


def test_the_generated_operations_decode_with_decimal_too(flavour: str) -> None:
    client, _ = make_client(_replying(INVOICE))
    operation = client.api.customer_invoices.get_customer_invoice
    call = operation.asyncio if flavour == "async" else operation.sync
    _check_invoice(call(invoice_id="0b6a2c6e-5a4f-4c0e-9d1b-2f3a4b5c6d7e"))


def test_a_float_or_int_handed_to_from_dict_becomes_a_decimal_at_its_shortest_form() -> None:
    row = CustomerInvoiceRowApi.from_dict({"UnitPrice": 0.1, "Quantity": 2, "WorkCostType": 1})
    assert (row.unit_price, row.quantity) == (Decimal("0.1"), Decimal(2))
    assert str(row.unit_price) == "0.1"
    assert row.to_dict() == {"UnitPrice": Decimal("0.1"), "Quantity": Decimal(2), "WorkCostType": 1}
    # A value of another type is kept as sent (the tolerant parsers never raise on a field).
    assert CustomerInvoiceRowApi.from_dict({"UnitPrice": "n/a"}).unit_price == "n/a"


def test_every_number_property_is_typed_decimal() -> None:
    hints = typing.get_type_hints(CustomerInvoiceApi)
    assert Decimal in typing.get_args(hints["total_amount"])
    assert float not in typing.get_args(hints["total_amount"])
    row_hints = typing.get_type_hints(CustomerInvoiceRowApi)
    assert Decimal in typing.get_args(row_hints["unit_price"])
    assert int in typing.get_args(row_hints["work_cost_type"])


def test_the_decoder_keeps_ints_and_refuses_what_json_cannot_say() -> None:
    assert loads(b"[1, -0.0, 1e400, 123456789012345678901234567890]") == [
        1,
        Decimal("-0.0"),
        Decimal("1E+400"),
        123456789012345678901234567890,
    ]
    assert loads(b"\xef\xbb\xbf{}") == {}  # a UTF-8 byte order mark is skipped
    for text in (b'{"x": NaN}', b'{"x": Infinity}', b'{"x": 1'):
        with pytest.raises(ValueError):
            loads(text)


def test_a_large_body_decodes_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from eaccounting import _json_wire

    seen: list[tuple[int, bool]] = []
    real = _json_wire._decoder or _json_wire._make_decoder()

    class Recording:
        def decode(self, content: bytes) -> Any:
            seen.append((len(content), gc.isenabled()))
            return real.decode(content)

    monkeypatch.setattr(_json_wire, "_decoder", Recording())
    large = b'{"Data":[' + b",".join([b'{"Amount":0.1}'] * 10_000) + b"]}"
    assert len(large) >= 64 * 1024
    assert gc.isenabled()
    assert len(loads(large)["Data"]) == 10_000
    assert loads(b'{"Amount":0.1}') == {"Amount": Decimal("0.1")}
    with pytest.raises(ValueError):
        loads(large[:-1])
    assert seen == [(len(large), False), (14, True), (len(large) - 1, False)]
    assert gc.isenabled()
