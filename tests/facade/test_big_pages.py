"""Big pages by default, and a server that clamps the page size is followed (issue 12, item 1).

Against the emulator clamping ``$pagesize`` at 200, 500 and 1000: every row exactly once, in
order, and every request after the first asks for the size the server actually served.
"""

from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from typer.testing import CliRunner

from eaccounting import achanged_since, changed_since
from eaccounting.paging import MAX_PAGE_SIZE
from eaccounting.testing import Emulator
from tests.seeding import add_customers

from . import twins

ROWS = 2345

#: changed_since with the sync client, achanged_since with the async one (``flavour``).
changes = twins.either(changed_since, achanged_since)


class Recording(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Records the ``$page``/``$pagesize`` of every list request (sync or async inner)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.asked: list[tuple[int, int]] = []

    def _record(self, request: httpx.Request) -> None:
        query = parse_qs(request.url.query.decode())
        if "$page" in query:
            self.asked.append((int(query["$page"][0]), int(query["$pagesize"][0])))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._record(request)
        return self.inner.handle_request(request)  # type: ignore[no-any-return]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._record(request)
        return await self.inner.handle_async_request(request)  # type: ignore[no-any-return]


def _recorded_client(emu: Emulator) -> tuple[Any, Recording]:
    """``emu.client`` recording its list requests; under the ``flavour`` fixture's async run
    ``emu.async_client``, driven through a blocking view."""
    running = twins.current()
    if running is None or running.loop is None:
        transport = Recording(emu.transport())
        return emu.client(transport=transport), transport
    transport = Recording(emu.async_transport())
    return twins.blocking(emu.async_client(transport=transport), running.loop), transport


def _emulator(clamp: int) -> tuple[Emulator, list[str]]:
    """An emulator with ROWS customers, clamping ``$pagesize`` at ``clamp``."""
    emu = Emulator(rate_limit=None, max_page_size=clamp)
    return emu, add_customers(emu, ROWS)


def _expected_requests(clamp: int) -> list[tuple[int, int]]:
    """The first page asks for the largest size; the rest ask for what the server served."""
    served = min(clamp, MAX_PAGE_SIZE)
    pages = math.ceil(ROWS / served)
    return [(1, MAX_PAGE_SIZE)] + [(n, served) for n in range(2, pages + 1)]


@pytest.mark.parametrize("clamp", [200, 500, 1000])
@pytest.mark.parametrize("prefetch", [0, 4])
def test_iterate_defaults_to_the_largest_page_and_follows_a_clamp(
    clamp: int, prefetch: int, flavour: str
) -> None:
    emu, ids = _emulator(clamp)
    client, transport = _recorded_client(emu)
    with client:
        got = [str(c.id) for c in client.customers.iterate(prefetch=prefetch)]
    assert got == ids  # every row once, in order
    assert sorted(transport.asked) == _expected_requests(clamp)


@pytest.mark.parametrize("clamp", [200, 1000])
def test_generated_operation_iterate_follows_a_clamp(clamp: int, flavour: str) -> None:
    emu, ids = _emulator(clamp)
    client, transport = _recorded_client(emu)
    with client:
        operation = client.api.customers.list_customers
        iterate = operation.aiterate if flavour == "async" else operation.iterate
        got = [str(c.id) for c in iterate()]
    assert got == ids
    assert transport.asked == _expected_requests(clamp)


def test_changed_since_defaults_to_the_largest_page(flavour: str) -> None:
    emu, ids = _emulator(500)
    client, transport = _recorded_client(emu)
    with client:
        got = {str(c.id) for c in changes(client.customers, None)}
    assert got == set(ids)
    assert transport.asked == _expected_requests(500)


def test_an_explicit_page_size_is_kept(flavour: str) -> None:
    emu, ids = _emulator(1000)
    client, transport = _recorded_client(emu)
    with client:
        got = [str(c.id) for c in client.customers.iterate(page_size=50)]
    assert got == ids
    assert transport.asked == [(n, 50) for n in range(1, math.ceil(ROWS / 50) + 1)]


def test_list_still_returns_one_page_of_50(flavour: str) -> None:
    emu, _ = _emulator(1000)
    client, transport = _recorded_client(emu)
    with client:
        assert len(client.customers.list()) == 50
    assert transport.asked == [(1, 50)]


def test_emulator_refuses_a_bad_clamp() -> None:
    with pytest.raises(ValueError, match=r"max_page_size=0 must be an integer >= 1"):
        Emulator(max_page_size=0)


def test_cli_all_pages_defaults_to_the_largest_page(monkeypatch: Any) -> None:
    from eaccounting.cli import app as cli_app
    from eaccounting.cli import call as cli_call

    emu, ids = _emulator(200)
    transport = Recording(emu.transport())
    client = emu.client(transport=transport)
    monkeypatch.setattr(cli_call, "build_client", lambda connection: (client, client.close))
    result = CliRunner().invoke(
        cli_app.build_app(), ["call", "list_customers", "--all-pages", "--raw"]
    )
    assert result.exit_code == 0, result.output
    assert [row["Id"] for row in json.loads(result.stdout)] == ids
    assert transport.asked == _expected_requests(200)
