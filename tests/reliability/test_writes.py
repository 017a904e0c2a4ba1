"""Issue 8 §3: POST is never retried after an ambiguous failure unless the caller opts in.

The emulator's ``commit_drop`` fault applies the request and then drops the connection before
the response, the case where a blind retry creates a duplicate invoice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx
import pytest

from eaccounting import APIConnectionError, Client, RetryPolicy, ServerError
from eaccounting.testing import Emulator, Faults
from eaccounting.testing.clock import ManualClock, SystemClock

from .conftest import VirtualTime, client_of, count_requests, loopback


def script(faults: Faults, kinds: Iterable[str | None]) -> None:
    """Make the next API requests draw exactly ``kinds`` (then no faults)."""
    sequence = iter(list(kinds))

    def draw() -> str | None:
        kind = next(sequence, None)
        if kind is not None:
            faults.injected[kind] += 1
        return kind

    faults.draw = draw  # type: ignore[method-assign]


def invoice_body(client: Client) -> dict[str, Any]:
    terms = client.get_json("/termsofpayments")["Data"][0]
    customer = client.request(
        "POST",
        "/customers",
        json={
            "Name": "Duplicate Check AB",
            "InvoiceCity": "Stockholm",
            "InvoicePostalCode": "11122",
            "IsActive": True,
            "IsPrivatePerson": False,
            "TermsOfPaymentId": terms["Id"],
        },
    ).json()
    unit = client.get_json("/units")["Data"][0]
    coding = client.get_json("/articleaccountcodings")["Data"][0]
    article = client.request(
        "POST",
        "/articles",
        json={
            "Name": "Consulting hour",
            "IsActive": True,
            "UnitId": unit["Id"],
            "CodingId": coding["Id"],
            "NetPrice": 1000,
        },
    ).json()
    return {
        "CustomerId": customer["Id"],
        "EuThirdParty": False,
        "RotReducedInvoicingType": 0,
        "Rows": [{"ArticleId": article["Id"], "Quantity": 1}],
    }


def invoices(emu: Emulator) -> int:
    return len(emu.core.company.coll("customerinvoices"))


INVOICES = ("POST", "/v2/customerinvoices")


@pytest.fixture
def setup() -> tuple[Emulator, VirtualTime]:
    clock = ManualClock()
    time = VirtualTime(clock)
    return Emulator("se", clock=clock, sleep=time, async_sleep=time.asleep), time


def test_no_duplicate_invoice_when_the_connection_drops_after_commit(
    setup: tuple[Emulator, VirtualTime], figures: dict[str, Any], flavour: str
) -> None:
    emu, _ = setup
    client = client_of(emu)
    body = invoice_body(client)
    before = invoices(emu)
    seen = count_requests(emu)
    script(emu.core.faults, ["commit_drop"])

    with pytest.raises(APIConnectionError) as info:
        client.customer_invoices.create(body)

    assert str(info.value).startswith("connection failed (RemoteProtocolError): POST ")
    assert seen[INVOICES] == 1, "the POST was retried"
    assert invoices(emu) == before + 1  # committed once, never duplicated
    # The caller can reconcile: the invoice the lost response would have named is there.
    listed = client.customer_invoices.list(page_size=100).items
    assert sum(str(i.customer_id) == body["CustomerId"] for i in listed) == 1
    figures.update(posts_sent=seen[INVOICES], invoices_created=invoices(emu) - before)


def test_opting_in_retries_the_post_and_shows_why_it_is_opt_in(
    setup: tuple[Emulator, VirtualTime], figures: dict[str, Any], flavour: str
) -> None:
    emu, _ = setup
    client = client_of(emu, retry=RetryPolicy(retry_non_idempotent=True))
    body = invoice_body(client)
    before = invoices(emu)
    seen = count_requests(emu)
    script(emu.core.faults, ["commit_drop"])
    client.customer_invoices.create(body)  # succeeds on the retry ...
    assert seen[INVOICES] == 2
    assert invoices(emu) == before + 2  # ... and the invoice now exists twice
    figures.update(posts_sent=2, invoices_created=2)


@pytest.mark.parametrize(
    ("fault", "committed", "error"),
    [
        ("drop", 0, APIConnectionError),  # lost before the server acted: same error to the caller
        ("truncate", 1, APIConnectionError),  # applied, the response body cut off
        ("error", 0, ServerError),  # 500 with ErrorCode 5000
    ],
)
def test_other_ambiguous_post_failures_are_raised_not_retried(
    setup: tuple[Emulator, VirtualTime],
    fault: str,
    committed: int,
    error: type[Exception],
    flavour: str,
) -> None:
    emu, time = setup
    client = client_of(emu)
    body = invoice_body(client)
    before = invoices(emu)
    seen = count_requests(emu)
    script(emu.core.faults, [fault])
    with pytest.raises(error):
        client.customer_invoices.create(body)
    assert seen[INVOICES] == 1
    assert invoices(emu) == before + committed
    assert time.calls == []


def test_503_on_post_is_not_retried_but_429_is(
    setup: tuple[Emulator, VirtualTime], flavour: str
) -> None:
    emu, time = setup
    client = client_of(emu)
    body = invoice_body(client)
    before = invoices(emu)
    seen = count_requests(emu)
    emu.core.faults.errors_seen = 1  # the next injected 5xx is a 503
    script(emu.core.faults, ["error"])
    with pytest.raises(ServerError) as info:
        client.customer_invoices.create(body)
    assert info.value.status == 503
    assert seen[INVOICES] == 1
    # A 429 is refused before processing: retrying it cannot duplicate anything.
    script(emu.core.faults, ["burst"])
    client.customer_invoices.create(body)
    assert seen[INVOICES] == 3
    assert invoices(emu) == before + 1
    assert time.calls == [60.0]


def test_put_after_commit_drop_is_retried_safely(
    setup: tuple[Emulator, VirtualTime], flavour: str
) -> None:
    emu, _ = setup
    client = client_of(emu)
    body = invoice_body(client)
    customer_id = body["CustomerId"]
    seen = count_requests(emu)
    script(emu.core.faults, [None, None, "commit_drop"])  # update = GET, GET again, then PUT
    updated = client.customers.update(customer_id, {"Telephone": "+46 8 555 01"})
    assert updated.telephone == "+46 8 555 01"
    assert seen[("PUT", f"/v2/customers/{customer_id}")] == 2  # idempotent: retried


def test_no_duplicate_over_a_real_socket() -> None:
    """The same over loopback HTTP: uvicorn closes the connection after the commit."""
    faults = Faults()

    def make(origin: str) -> Emulator:
        return Emulator("se", clock=SystemClock(), origin=origin, faults=faults)

    with loopback(make) as emu:
        client = emu.client(transport=httpx.HTTPTransport())
        body = invoice_body(client)
        before = invoices(emu)
        seen = count_requests(emu)
        faults.configure(commit_drop_rate=1.0)
        with pytest.raises(APIConnectionError):
            client.customer_invoices.create(body)
        faults.configure(commit_drop_rate=0.0)
        assert seen[INVOICES] == 1
        assert invoices(emu) == before + 1
        client.close()
