"""Issue 16 §7: a success response whose body is not JSON (cut off by a proxy, not UTF-8,
NaN) raises the typed ``ResponseDecodeError``, never ``JSONDecodeError``: through the
resource methods, pagination, ``get_json`` and the generated operations (``client.api``), on
both clients. The error names the status, method and URL, shows a short excerpt with
credentials masked, and chains the decoder's error as its cause."""

from __future__ import annotations

import json
from typing import Any

import httpx
import msgspec
import pytest

from eaccounting import EAccountingError, ResponseDecodeError
from eaccounting._json_wire import EXCERPT_BYTES
from tests.facade.conftest import BASE, make_client

INVOICE_ID = "0b6a2c6e-5a4f-4c0e-9d1b-2f3a4b5c6d7e"
WHOLE = json.dumps(
    {"Id": INVOICE_ID, "CustomerId": INVOICE_ID, "TotalAmount": 125.5, "Rows": []}
).encode()
TRUNCATED = WHOLE[: len(WHOLE) // 2]
SECRET = "eyJhbGciOiJSUzI1NiJ9.secret-access-token"


def _serving(body: bytes, status: int = 200) -> tuple[Any, list[str]]:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        # Content-Length matches the bytes sent: the transport sees a complete response.
        return httpx.Response(
            status, content=body, headers={"Content-Type": "application/json;charset=UTF-8"}
        )

    return handler, seen


CALLS = {
    "resource get": lambda c: c.customer_invoices.get(INVOICE_ID),
    "resource list": lambda c: c.customer_invoices.list(),
    "iterate": lambda c: list(c.customer_invoices.iterate()),
    "get_json": lambda c: c.get_json("/customerinvoices", params={"secret": "x"}),
    "generated operation": lambda c: c.api.customer_invoices.get_customer_invoice.sync(
        invoice_id=INVOICE_ID
    ),
}


@pytest.mark.parametrize("call", sorted(CALLS))
def test_a_truncated_200_raises_response_decode_error(call: str, flavour: str) -> None:
    if call == "generated operation" and flavour == "async":
        op_call = lambda c: c.api.customer_invoices.get_customer_invoice.asyncio(  # noqa: E731
            invoice_id=INVOICE_ID
        )
    else:
        op_call = CALLS[call]
    handler, seen = _serving(TRUNCATED)
    client, sleeps = make_client(handler)
    with pytest.raises(ResponseDecodeError) as info:
        op_call(client)
    error = info.value
    assert isinstance(error, EAccountingError)
    assert isinstance(error.__cause__, msgspec.DecodeError)
    assert not isinstance(error, json.JSONDecodeError)
    assert (error.status, error.method, error.size) == (200, "GET", len(TRUNCATED))
    assert error.url.startswith(f"{BASE}/customerinvoices")
    assert "?" not in error.url and "secret" not in str(error)  # the query string is left out
    assert error.excerpt == TRUNCATED.decode()
    assert str(error) == (
        f"200 GET {error.url}: the body is not valid JSON (Input data was truncated); "
        f"{len(TRUNCATED)} bytes, starting {TRUNCATED.decode()!r}"
    )
    # Not retried: one request, no wait (a POST answered 200 must not be sent twice either).
    assert len(seen) == 1 and sleeps.calls == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html><body>502 Bad Gateway</body></html>", "JSON is malformed: invalid character"),
        (b'{"TotalAmount": NaN}', "JSON is malformed: invalid character"),
        (b'{"Name": "\xff\xfe"}', "Invalid UTF-8 encoded string"),
        (b'{"a": 1} trailing', "JSON is malformed: trailing characters"),
        (b'{"TotalAmount": 1e999999999999999999999}', "out of Decimal's range"),
        (b'{"Count": 1' + b"0" * 5000 + b"}", "Integer value out of range"),
    ],
)
def test_any_body_that_is_not_json_raises_the_typed_error(
    body: bytes, reason: str, flavour: str
) -> None:
    handler, _ = _serving(body)
    client, _ = make_client(handler)
    with pytest.raises(ResponseDecodeError, match=reason.replace("(", r"\(")):
        client.customer_invoices.get(INVOICE_ID)


def test_the_excerpt_is_short_and_masks_credentials(flavour: str) -> None:
    body = (
        b'{"access_token":"'
        + SECRET.encode()
        + b'","Authorization":"Bearer '
        + SECRET.encode()
        + b'","Text":"'
        + b"x" * 500
    )
    handler, _ = _serving(body)
    client, _ = make_client(handler)
    with pytest.raises(ResponseDecodeError) as info:
        client.get_json("/customerinvoices")
    error = info.value
    assert SECRET not in str(error) and SECRET not in repr(error) and SECRET not in error.excerpt
    assert "***" in error.excerpt
    assert len(error.excerpt) <= EXCERPT_BYTES
    assert str(error).endswith("...") and f"{len(body):,} bytes" in str(error)


def test_an_empty_200_is_none_not_an_error(flavour: str) -> None:
    handler, _ = _serving(b"")
    client, _ = make_client(handler)
    assert client.get_json("/customerinvoices") is None


def test_a_response_without_its_request_still_gets_the_typed_error() -> None:
    from eaccounting._json_wire import decode_response

    with pytest.raises(ResponseDecodeError) as info:
        decode_response(httpx.Response(200, content=TRUNCATED))
    assert (info.value.method, info.value.url, info.value.status) == ("?", "?", 200)
