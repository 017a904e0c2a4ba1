"""Tests written so that a one-line break of a promise fails them (issue 16, "tests that can fail").

Each test here forces the case the older tests reached only by luck: every refresh caller on the
cold path at once, read-only fields below the top level of a body.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import httpx

from eaccounting import AsyncClient, Client, MemoryTokenStore, Token
from eaccounting._bodies import rules_for
from eaccounting.testing import Emulator
from tests.facade.conftest import BASE, NOW, ORIGIN
from tests.facade.fake_identity import CLIENT_ID, CLIENT_SECRET, FakeVisma

from .conftest import client_of
from .test_writes import invoice_body

# -- the in-process refresh lock ------------------------------------------------------------


class ColdStore(MemoryTokenStore):
    """Its first ``parties`` loads wait for each other.

    Every client loads the store once before deciding whether to refresh, so with one party per
    client all of them have seen the expired token before any of them can refresh: the cold path
    every time, not only when the scheduler happens to line the callers up.
    """

    def __init__(self, token: Token, parties: int) -> None:
        super().__init__(token)
        self._barrier = threading.Barrier(parties, timeout=60)
        self._count = 0
        self._count_lock = threading.Lock()

    def load(self) -> Token | None:
        with self._count_lock:
            self._count += 1
            first = self._count <= self._barrier.parties
        if first:
            self._barrier.wait()
        return super().load()


class OverlapProbe:
    """Counts refresh requests in flight at once; holds the first one open for a second one.

    With the lock a second refresh never comes and the hold ends after ``hold`` seconds (the
    result is the same however long that takes); without it the other callers, all past the
    cold check, reach the token endpoint while the first is held.
    """

    def __init__(self, fake: FakeVisma, hold: float = 1.0) -> None:
        self.fake = fake
        self.hold = hold
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        self._second = threading.Event()

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != "/connect/token":
            return self.fake.handler(request)
        with self._lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            first = self.in_flight == 1
        try:
            if first:
                self._second.wait(self.hold)
            else:
                self._second.set()
            return self.fake.handler(request)
        finally:
            with self._lock:
                self.in_flight -= 1

    async def ahandler(self, request: httpx.Request) -> httpx.Response:
        return self.handler(request)


def _options(store: MemoryTokenStore) -> dict[str, Any]:
    return {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "token_store": store,
        "base_url": BASE,
        "identity_url": ORIGIN,
        "clock": lambda: NOW,
    }


def test_refresh_lock_50_callers_on_the_cold_path_send_one_refresh() -> None:
    """20 threads and 3 event loops of 10 tasks share one MemoryTokenStore (no file lock)."""
    fake = FakeVisma(valid_access="nothing-valid")
    probe = OverlapProbe(fake)
    sync_threads, loops, tasks = 20, 3, 10
    store = ColdStore(Token("access-0", "refresh-0", expires_at=NOW - 10), sync_threads + loops)
    results: list[object] = []
    record_lock = threading.Lock()

    def record(values: list[object]) -> None:
        with record_lock:
            results.extend(values)

    def sync_caller(i: int) -> None:
        transport = httpx.MockTransport(probe.handler)
        try:
            with Client(transport=transport, **_options(store)) as client:
                record([client.request("GET", f"/customers/{i}").json()["auth"]])
        except Exception as exc:  # reported by the assertion below
            record([exc])

    async def async_callers(loop_number: int) -> None:
        transport = httpx.MockTransport(probe.ahandler)
        async with AsyncClient(transport=transport, **_options(store)) as client:

            async def one(i: int) -> object:
                try:
                    response = await client.request("GET", f"/articles/{loop_number}-{i}")
                    return response.json()["auth"]
                except Exception as exc:  # reported by the assertion below
                    return exc

            record(list(await asyncio.gather(*(one(i) for i in range(tasks)))))

    threads = [threading.Thread(target=sync_caller, args=(i,)) for i in range(sync_threads)]
    threads += [
        threading.Thread(target=asyncio.run, args=(async_callers(n),)) for n in range(loops)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not [t for t in threads if t.is_alive()], "a caller is stuck (deadlock?)"
    assert probe.most_in_flight == 1, "two refreshes were in flight at once"
    assert fake.refresh_calls == 1
    assert results == ["access-1"] * (sync_threads + loops * tasks)
    assert store.load() == Token(
        "access-1", "refresh-1", expires_at=NOW + 3600, scope="ea:api offline_access"
    )


# -- read-only fields at every depth ---------------------------------------------------------

#: What a caller who read an invoice back and re-sent its rows would pass: every read-only
#: property of an invoice row, with a value of its type.
ROW_READ_ONLY_VALUES = {
    "Amount": 1000.0,
    "AmountNoVat": 800.0,
    "ArticleNumber": "A-1",
    "DiscountFixedAmount": 0.0,
    "FreightCosts": 0.0,
    "Id": "0badc0de-0000-4000-8000-000000000001",
    "IsDiscountInFixedAmount": False,
    "IsServiceArticle": True,
    "IsTextRow": False,
    "IsWorkCost": False,
    "LineNumber": 7,
    "PercentVat": 0.25,
    "PurchasePrice": 0.0,
    "UnitAbbreviation": "h",
    "UnitAbbreviationEnglish": "h",
    "UnitId": "0badc0de-0000-4000-8000-000000000002",
    "VatRate": 0.25,
}


def test_read_only_row_fields_never_reach_the_wire(flavour: str) -> None:
    row_read_only = set(rules_for("CustomerInvoiceRowApi")["readOnly"])
    assert set(ROW_READ_ONLY_VALUES) == row_read_only  # the spec still says what this test says
    emu = Emulator("se")
    client = client_of(emu)
    body = invoice_body(client)
    body["Rows"] = [dict(row, **ROW_READ_ONLY_VALUES) for row in body["Rows"] * 2]
    body["Id"] = "0badc0de-0000-4000-8000-000000000003"  # top level: read-only too
    sent: list[bytes] = []
    handle = emu.core.handle

    def capture(method: str, path: str, query: str, headers: Any, raw: bytes) -> Any:
        if (method, path) == ("POST", "/v2/customerinvoices"):
            sent.append(raw)
        return handle(method, path, query, headers, raw)

    emu.core.handle = capture  # type: ignore[method-assign]
    client.customer_invoices.create(body)
    assert len(sent) == 1
    wire = json.loads(sent[0])
    assert "Id" not in wire
    assert len(wire["Rows"]) == 2
    for row in wire["Rows"]:
        assert sorted(set(row) & row_read_only) == []
        assert row["Quantity"] == 1  # what the caller may write is still sent
