"""Issue 16 item 6: paging cannot run away.

A ``Meta`` that claims a million pages while the rows end at page 3 costs at most the four
pages up to the first empty one, plus the prefetch window already in flight; no page past the
last one the server reports is yielded; a server that ignores ``$page`` (the same rows again)
raises ``PagingError`` naming the page and the path. Sync and async, prefetch 0, 1 and > 1.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from eaccounting import AsyncClient, Client, PagingError
from eaccounting.testing import Emulator
from tests.seeding import add_customers

BASE = "https://visma.test/v2"
PAGE_SIZE = 2
#: Past this many requests the fake server refuses (400), so a runaway fails fast, not never.
RUNAWAY = 50

Rows = Callable[[int], list[dict[str, Any]]]


def rows_up_to(last: int) -> Rows:
    """Two rows on each page up to ``last``, none after."""

    def rows(page: int) -> list[dict[str, Any]]:
        if page > last:
            return []
        return [{"Id": f"row-{page}-{i}", "Name": f"Row {page}.{i}"} for i in range(PAGE_SIZE)]

    return rows


class FakeServer:
    """A list endpoint whose every page claims ``claimed_pages`` pages; records ``$page``."""

    def __init__(self, rows: Rows, claimed_pages: Callable[[int], int]) -> None:
        self.rows = rows
        self.claimed_pages = claimed_pages
        self.asked: list[int] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        query = parse_qs(request.url.query.decode())
        page = int(query.get("$page", ["1"])[0])
        self.asked.append(page)
        if len(self.asked) > RUNAWAY:
            return httpx.Response(400, json={"ErrorCode": 9999, "DeveloperErrorMessage": "runaway"})
        meta = {
            "CurrentPage": page,
            "PageSize": PAGE_SIZE,
            "TotalNumberOfPages": self.claimed_pages(page),
            "TotalNumberOfResults": self.claimed_pages(page) * PAGE_SIZE,
            "ServerTimeUtc": "2026-01-01T00:00:00Z",
        }
        return httpx.Response(200, json={"Meta": meta, "Data": self.rows(page)})


def collect(flavour: str, server: FakeServer, prefetch: int) -> list[str]:
    """Every row id ``client.paginate('/customers')`` yields, with the chosen client."""
    transport = httpx.MockTransport(server)
    if flavour == "sync":
        with Client(access_token="static", base_url=BASE, transport=transport) as client:
            pager = client.paginate("/customers", page_size=PAGE_SIZE, prefetch=prefetch)
            return [row["Id"] for row in pager]

    async def run() -> list[str]:
        async with AsyncClient(access_token="static", base_url=BASE, transport=transport) as ac:
            pager = ac.paginate("/customers", page_size=PAGE_SIZE, prefetch=prefetch)
            return [row["Id"] async for row in pager]

    return asyncio.run(run())


FLAVOURS = ["sync", "async"]
PREFETCH = [0, 1, 4]
EXPECTED_IDS = [f"row-{p}-{i}" for p in (1, 2, 3) for i in range(PAGE_SIZE)]


@pytest.mark.parametrize("prefetch", PREFETCH)
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_million_claimed_pages_cost_the_pages_up_to_the_first_empty_one(
    flavour: str, prefetch: int
) -> None:
    server = FakeServer(rows_up_to(3), lambda page: 1_000_000)
    assert collect(flavour, server, prefetch) == EXPECTED_IDS
    if prefetch <= 1:
        assert server.asked == [1, 2, 3, 4]
    else:
        # The window already in flight when page 4 turns out empty: 2..prefetch+1 first, then
        # one more per page consumed (pages 2 and 3): at most prefetch + 3 requests, no repeats.
        assert len(server.asked) <= 3 + prefetch
        assert sorted(server.asked) == list(range(1, len(server.asked) + 1))


@pytest.mark.parametrize("prefetch", PREFETCH)
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_no_page_past_the_last_one_the_server_reports(flavour: str, prefetch: int) -> None:
    # Rows go on for ever (a server bug), but every Meta says 3 pages: pages 1-3, nothing else.
    server = FakeServer(rows_up_to(10**9), lambda page: 3)
    assert collect(flavour, server, prefetch) == EXPECTED_IDS
    assert sorted(server.asked) == [1, 2, 3]


@pytest.mark.parametrize("prefetch", PREFETCH)
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_later_meta_lowering_the_count_is_followed(flavour: str, prefetch: int) -> None:
    # Page 1 claims a million pages, page 2 says there are 3: nothing after page 3 is yielded
    # and, past the window already in flight, nothing after it is asked.
    server = FakeServer(rows_up_to(10**9), lambda page: 1_000_000 if page == 1 else 3)
    assert collect(flavour, server, prefetch) == EXPECTED_IDS
    assert max(server.asked) <= max(3, 1 + prefetch)


def same_rows_every_page(page: int) -> list[dict[str, Any]]:
    return rows_up_to(1)(1)


@pytest.mark.parametrize("prefetch", PREFETCH)
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_server_ignoring_page_is_a_paging_error(flavour: str, prefetch: int) -> None:
    server = FakeServer(same_rows_every_page, lambda page: 1_000_000)
    with pytest.raises(PagingError) as info:
        collect(flavour, server, prefetch)
    assert (info.value.page, info.value.path) == (2, "/customers")
    assert str(info.value) == (
        "page 2 of /customers returned the same 2 rows as page 1: the server seems to ignore "
        "$page; stopped instead of fetching the same page forever"
    )
    assert len(server.asked) <= 2 + prefetch


class IgnoringPage(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """The emulator behind a proxy that drops ``$page``: every page is page 1."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def _strip(self, request: httpx.Request) -> httpx.Request:
        params = [(k, v) for k, v in request.url.params.multi_items() if k != "$page"]
        request.url = request.url.copy_with(params=params)
        return request

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.inner.handle_request(self._strip(request))  # type: ignore[no-any-return]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.inner.handle_async_request(self._strip(request))  # type: ignore[no-any-return]


@pytest.mark.parametrize("prefetch", [0, 4])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_facade_names_the_resource_when_page_is_ignored(flavour: str, prefetch: int) -> None:
    emu = Emulator()
    add_customers(emu, 30)
    if flavour == "sync":
        client = emu.client(transport=IgnoringPage(emu.transport()))
        with pytest.raises(PagingError) as info:
            list(client.customers.iterate(page_size=10, prefetch=prefetch))
    else:

        async def run() -> None:
            transport = IgnoringPage(emu.async_transport())
            async with emu.async_client(transport=transport) as ac:
                [c async for c in ac.customers.iterate(page_size=10, prefetch=prefetch)]

        with pytest.raises(PagingError) as info:
            asyncio.run(run())
    assert (info.value.page, info.value.path) == (2, "/customers")


def test_generated_operations_detect_it_too() -> None:
    emu = Emulator()
    add_customers(emu, 30)
    client = emu.client(transport=IgnoringPage(emu.transport()))
    with pytest.raises(PagingError) as info:
        list(client.api.customers.list_customers.iterate(page_size=10))
    assert info.value.page == 2
    assert info.value.path.endswith("list_customers")
    honest = emu.client()
    assert len(list(honest.api.customers.list_customers.iterate(page_size=10))) == 30
