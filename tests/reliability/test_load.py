"""Issue 8 §6: the loopback emulator under 20 concurrent clients for 60 s of mixed reads and
writes: no 5xx, no lost write, consistent state at the end.

Ten sync clients (one thread each) and ten async clients (one event loop) talk HTTP to uvicorn
on 127.0.0.1. Each creates, updates, deletes, reads back and lists customers, checking every
read against what it wrote. Quotas are off on both sides (a load loop, not a limit test).
``RELIABILITY_LOAD_SECONDS`` shortens or lengthens the run (default 60).
"""

from __future__ import annotations

import asyncio
import os
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from eaccounting import AsyncClient, Client, NotFoundError
from eaccounting.testing import Emulator
from eaccounting.testing.clock import SystemClock

from .conftest import loopback

DURATION = float(os.environ.get("RELIABILITY_LOAD_SECONDS", "60"))
SYNC_CLIENTS = 10
ASYNC_CLIENTS = 10


@dataclass
class Worker:
    """What one client wrote, so every later read can be checked against it."""

    number: int
    terms_id: str
    rng: random.Random = field(init=False)
    live: dict[str, str | None] = field(default_factory=dict)  # id → expected telephone
    deleted: set[str] = field(default_factory=set)
    created: int = 0
    ops: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.number)

    def body(self) -> dict[str, Any]:
        self.created += 1
        return {
            "Name": f"Load W{self.number:02d} #{self.created:05d}",
            "InvoiceCity": "Stockholm",
            "InvoicePostalCode": "11122",
            "TermsOfPaymentId": self.terms_id,
            "IsPrivatePerson": False,
            "IsActive": True,
        }

    def choose(self) -> str:
        if not self.live:
            return "create"
        roll = self.rng.random()
        for op, share in (("create", 0.25), ("update", 0.15), ("delete", 0.05), ("get", 0.30)):
            if roll < share:
                return op
            roll -= share
        return "list"

    def check(self, ident: str, customer: Any) -> None:
        expected = self.live[ident]
        if str(customer.id) != ident or (customer.telephone or None) != expected:
            self.problems.append(f"{ident}: read {customer.telephone!r}, wrote {expected!r}")


def run_sync(client: Client, worker: Worker, deadline: float) -> None:
    try:
        while time.monotonic() < deadline:
            op = worker.choose()
            worker.ops[op] += 1
            if op == "create":
                created = client.customers.create(worker.body())
                worker.live[str(created.id)] = None
            elif op == "update":
                ident = worker.rng.choice(sorted(worker.live))
                phone = f"+46 8 {worker.rng.randrange(10**6):06d}"
                updated = client.customers.update(ident, {"Telephone": phone})
                worker.live[ident] = phone
                worker.check(ident, updated)
            elif op == "delete":
                ident = worker.rng.choice(sorted(worker.live))
                client.customers.delete(ident)
                del worker.live[ident]
                worker.deleted.add(ident)
            elif op == "get":
                ident = worker.rng.choice(sorted(worker.live))
                worker.check(ident, client.customers.get(ident))
            else:
                page = client.customers.list(page=worker.rng.randint(1, 5), page_size=50)
                assert page.total_results >= len(worker.live)
    except Exception as exc:  # reported by the test
        worker.problems.append(f"{type(exc).__name__}: {exc}")


async def run_async(client: AsyncClient, worker: Worker, deadline: float) -> None:
    try:
        while time.monotonic() < deadline:
            op = worker.choose()
            worker.ops[op] += 1
            if op == "create":
                created = await client.customers.create(worker.body())
                worker.live[str(created.id)] = None
            elif op == "update":
                ident = worker.rng.choice(sorted(worker.live))
                phone = f"+46 8 {worker.rng.randrange(10**6):06d}"
                updated = await client.customers.update(ident, {"Telephone": phone})
                worker.live[ident] = phone
                worker.check(ident, updated)
            elif op == "delete":
                ident = worker.rng.choice(sorted(worker.live))
                await client.customers.delete(ident)
                del worker.live[ident]
                worker.deleted.add(ident)
            elif op == "get":
                ident = worker.rng.choice(sorted(worker.live))
                worker.check(ident, await client.customers.get(ident))
            else:
                page = await client.customers.list(page=worker.rng.randint(1, 5), page_size=50)
                assert page.total_results >= len(worker.live)
    except Exception as exc:  # reported by the test
        worker.problems.append(f"{type(exc).__name__}: {exc}")


@pytest.mark.slow
def test_twenty_clients_for_a_minute_lose_nothing(figures: dict[str, Any]) -> None:
    statuses: Counter[int] = Counter()

    def make(origin: str) -> Emulator:
        emu = Emulator("se", clock=SystemClock(), origin=origin, rate_limit=None)
        handle = emu.core.handle
        lock = threading.Lock()

        def counted(*args: Any) -> Any:
            reply = handle(*args)
            with lock:
                statuses[reply.status] += 1
            return reply

        emu.core.handle = counted  # type: ignore[method-assign]
        return emu

    with loopback(make) as emu:
        terms_id = next(iter(emu.core.company.coll("termsofpayments")))
        before = set(emu.core.company.coll("customers"))
        options: dict[str, Any] = {"rate_limit": None}
        sync_clients = [
            emu.client(transport=httpx.HTTPTransport(), **options) for _ in range(SYNC_CLIENTS)
        ]
        workers = [Worker(i, terms_id) for i in range(SYNC_CLIENTS + ASYNC_CLIENTS)]
        started = time.monotonic()
        deadline = started + DURATION

        async def async_side() -> None:
            clients = [
                emu.async_client(transport=httpx.AsyncHTTPTransport(), **options)
                for _ in range(ASYNC_CLIENTS)
            ]
            try:
                await asyncio.gather(
                    *(
                        run_async(c, w, deadline)
                        for c, w in zip(clients, workers[SYNC_CLIENTS:], strict=True)
                    )
                )
            finally:
                for c in clients:
                    await c.aclose()

        threads = [
            threading.Thread(target=run_sync, args=(c, w, deadline))
            for c, w in zip(sync_clients, workers[:SYNC_CLIENTS], strict=True)
        ]
        threads.append(threading.Thread(target=asyncio.run, args=(async_side(),)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(DURATION + 120)
        assert not [t for t in threads if t.is_alive()], "a load thread is stuck"
        elapsed = time.monotonic() - started
        during_load = Counter(statuses)

        problems = [p for w in workers for p in w.problems]
        assert not problems, problems[:5]
        assert not [s for s in during_load if s >= 500], during_load

        # No lost write: everything written reads back as written, every delete stuck ...
        checker = sync_clients[0]
        for worker in workers:
            for ident, phone in worker.live.items():
                assert (checker.customers.get(ident).telephone or None) == phone
            for ident in worker.deleted:
                with pytest.raises(NotFoundError):
                    checker.customers.get(ident)
        # ... and the collection is exactly the seed plus the live writes: list and get agree.
        expected = before | {i for w in workers for i in w.live}
        listed = [str(c.id) for c in checker.customers.iterate(page_size=500)]
        assert len(listed) == len(set(listed))
        assert set(listed) == expected
        assert set(emu.core.company.coll("customers")) == expected
        for client in sync_clients:
            client.close()

    ops: Counter[str] = Counter()
    for worker in workers:
        ops.update(worker.ops)
    served = sum(during_load.values())
    figures.update(
        seconds=round(elapsed, 1),
        clients=SYNC_CLIENTS + ASYNC_CLIENTS,
        requests_served=served,
        requests_per_second=round(served / elapsed),
        statuses=dict(sorted(during_load.items())),
        requests_checking_at_end=sum(statuses.values()) - served,
        operations=dict(sorted(ops.items())),
        customers_live_at_end=len(expected) - len(before),
        deleted=sum(len(w.deleted) for w in workers),
    )
    assert served > 20 * DURATION  # it was under load, not idling
