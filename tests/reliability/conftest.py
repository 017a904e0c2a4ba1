"""Shared helpers for the reliability tests: a virtual clock, seeded data, a loopback server.

Figures (how many faults were injected, requests served, ...) are collected with the
``figures`` fixture; with ``RELIABILITY_FIGURES=path`` they are written there as JSON at the
end of the session (docs/reliability.md quotes them).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

testing = pytest.importorskip("eaccounting.testing")
pytest.importorskip("eaccounting_api.models.customer_api")

from eaccounting.testing import Emulator  # noqa: E402
from eaccounting.testing.clock import ManualClock  # noqa: E402
from tests.facade import twins  # noqa: E402
from tests.facade.twins import flavour  # noqa: E402, F401 (the fixture)

_FIGURES: dict[str, Any] = {}


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> dict[str, Any]:
    """A dict whose contents are reported under the test's name."""
    entry: dict[str, Any] = {}
    _FIGURES[request.node.name] = entry
    return entry


def pytest_sessionfinish(session: pytest.Session) -> None:
    target = os.environ.get("RELIABILITY_FIGURES")
    if target and _FIGURES:
        Path(target).write_text(json.dumps(_FIGURES, indent=2, sort_keys=True, default=str))


class VirtualTime:
    """Sleeps that advance a :class:`ManualClock` instead of waiting (thread-safe)."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.calls: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, seconds: float) -> None:
        with self._lock:
            self.calls.append(seconds)
            self.clock.advance(seconds)

    async def asleep(self, seconds: float) -> None:
        self(seconds)
        await asyncio.sleep(0)

    @property
    def total(self) -> float:
        return sum(self.calls)


def client_of(emu: Emulator, **kwargs: Any) -> Any:
    """``emu.client(...)``; under the ``flavour`` fixture's async run ``emu.async_client(...)``
    (sleeping through the emulator's async sleep), driven through a blocking view."""
    running = twins.current()
    if running is None or running.loop is None:
        return emu.client(**kwargs)
    kwargs.setdefault("sleep", emu.async_sleep)
    return twins.blocking(emu.async_client(**kwargs), running.loop)


def count_requests(emu: Emulator) -> Counter[tuple[str, str]]:
    """Count every request the emulator sees from now on, by (method, path)."""
    seen: Counter[tuple[str, str]] = Counter()
    handle = emu.core.handle

    def counting(method: str, path: str, *args: Any) -> Any:
        seen[(method, path)] += 1
        return handle(method, path, *args)

    emu.core.handle = counting  # type: ignore[method-assign]
    return seen


def seed_customers(emu: Emulator, count: int) -> list[str]:
    """``count`` customers in the emulator's company (inserted directly: fast), their ids."""
    client = emu.client()
    terms = client.terms_of_payment.list().items[0]
    first = client.customers.create(
        {
            "Name": "Customer 00000",
            "InvoiceCity": "Stockholm",
            "InvoicePostalCode": "11122",
            "TermsOfPaymentId": str(terms.id),
            "IsPrivatePerson": False,
            "IsActive": True,
        }
    )
    coll = emu.core.company.coll("customers")
    template = dict(coll[str(first.id)])
    for i in range(1, count - len(coll) + 1):
        record = dict(template)
        record["Id"] = emu.core.ids.guid()
        record["Name"] = f"Customer {i:05d}"
        record["CustomerNumber"] = str(100000 + i)
        coll[record["Id"]] = record
    assert len(coll) == count
    return list(coll)


@contextlib.contextmanager
def loopback(emulator_factory: Any) -> Iterator[Emulator]:
    """Serve ``emulator_factory(origin)`` with uvicorn on 127.0.0.1 in a background thread."""
    from eaccounting.testing.loopback import LoopbackServer

    server = LoopbackServer(start_timeout=5)
    emu: Emulator = emulator_factory(server.origin)
    try:
        with server.serving(emu.app):
            yield emu
    finally:
        emu.close()
