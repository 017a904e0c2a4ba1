"""Money goes out with every digit: a Decimal is sent as written, NaN/∞ are refused naming the
field, before any request (both clients, through the ``flavour`` fixture)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx
import pytest

from eaccounting import ValidationError
from eaccounting._json_wire import dumps

from .conftest import make_client

pytest.importorskip("eaccounting_api.models.customer_invoice_api")

CUSTOMER = "0b6a2c6e-5a4f-4c0e-9d1b-2f3a4b5c6d7e"
ARTICLE = "9f8e7d6c-5b4a-4321-8fed-cba987654321"


class Wire:
    """Keeps the raw bytes of every request body."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(request.content)
        return httpx.Response(201, json={"Id": CUSTOMER})


def invoice(unit_price: Any, quantity: Any = 1, rate: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "CustomerId": CUSTOMER,
        "Rows": [{"ArticleId": ARTICLE, "UnitPrice": unit_price, "Quantity": quantity}],
    }
    if rate is not None:
        body["CurrencyRate"] = rate
    return body


def test_a_decimal_amount_is_sent_with_every_digit(flavour: str) -> None:
    wire = Wire()
    client, _ = make_client(wire)
    client.customer_invoices.create(
        invoice(Decimal("12345678901234567.89"), Decimal("1.005"), Decimal("10.500000"))
    )
    (sent,) = wire.bodies
    assert b'"UnitPrice":12345678901234567.89' in sent
    assert b'"Quantity":1.005' in sent
    assert b'"CurrencyRate":10.500000' in sent
    assert json.loads(sent, parse_float=Decimal)["Rows"][0]["UnitPrice"] == Decimal(
        "12345678901234567.89"
    )


@pytest.mark.parametrize(
    ("body", "field", "shown"),
    [
        (invoice(float("nan")), "Rows[0].UnitPrice", "nan"),
        (invoice(Decimal("Infinity")), "Rows[0].UnitPrice", "Decimal('Infinity')"),
        (invoice(1, Decimal("NaN")), "Rows[0].Quantity", "Decimal('NaN')"),
        (invoice(1, rate=float("-inf")), "CurrencyRate", "-inf"),
    ],
)
def test_nan_and_infinity_are_refused_naming_the_field(
    body: dict[str, Any], field: str, shown: str, flavour: str
) -> None:
    wire = Wire()
    client, _ = make_client(wire)
    with pytest.raises(ValidationError) as info:
        client.customer_invoices.create(body)
    assert info.value.field == field
    assert str(info.value) == (
        f"{field}={shown} is not a finite number; the API accepts numbers only "
        "(amounts and quantities as Decimal or float)"
    )
    assert wire.bodies == []


def test_a_raw_request_keeps_decimal_digits_too(flavour: str) -> None:
    wire = Wire()
    client, _ = make_client(wire)
    client.request("POST", "/customerinvoices", json={"Amount": Decimal("0.10")})
    assert wire.bodies == [b'{"Amount":0.10}']


def test_bodies_without_decimals_are_encoded_as_httpx_encodes_them() -> None:
    value = {"Name": 'Åsa "AB"', "Rows": [1, 2.5, None, True], "Nested": {"x": "y"}}
    expected = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    assert dumps(value) == expected.encode("utf-8")
    # A caller's string that looks like a number stays a string.
    assert dumps({"Reference": "12.50"}) == b'{"Reference":"12.50"}'


def test_the_encoder_refuses_what_json_cannot_say() -> None:
    with pytest.raises(ValueError, match="Decimal\\('NaN'\\) is not a finite number"):
        dumps({"x": Decimal("NaN")})
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        dumps({"x": float("inf")})
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        dumps({"x": {1}})
