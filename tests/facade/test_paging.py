"""Paging over Meta/Data: item and page iteration, prefetch, validation."""

from __future__ import annotations

import asyncio
import threading
from urllib.parse import parse_qs

import httpx
import pytest

from eaccounting import ValidationError
from eaccounting.paging import AsyncPager, Page, SyncPager, parse_page

from .conftest import make_client, paged

TOTAL = 2500
RECORDS = [{"Id": f"id-{i:05d}", "Name": f"Customer {i}"} for i in range(TOTAL)]


class PagedApi:
    def __init__(self, records: list[dict[str, str]]) -> None:
        self.records = records
        self.requests: list[tuple[int, int]] = []
        self.lock = threading.Lock()

    def handler(self, request: httpx.Request) -> httpx.Response:
        query = {k: v[0] for k, v in parse_qs(request.url.query.decode()).items()}
        page = int(query.get("$page", "1"))
        size = int(query.get("$pagesize", "50"))
        with self.lock:
            self.requests.append((page, size))
        start = (page - 1) * size
        return paged(self.records[start : start + size], page, size, len(self.records))


@pytest.mark.parametrize("prefetch", [0, 3])
def test_2500_records_over_3_pages_are_yielded_exactly_once(prefetch: int, flavour: str) -> None:
    api = PagedApi(RECORDS)
    client, _ = make_client(api.handler)
    items = list(client.paginate("/customers", page_size=1000, prefetch=prefetch))
    assert items == RECORDS
    assert sorted(api.requests) == [(1, 1000), (2, 1000), (3, 1000)]


def test_pages_carry_the_metadata(flavour: str) -> None:
    api = PagedApi(RECORDS)
    client, _ = make_client(api.handler)
    pages = list(client.paginate("/customers", page_size=1000).pages())
    assert [(p.page, p.page_size, p.total_pages, p.total_results, len(p)) for p in pages] == [
        (1, 1000, 3, 2500, 1000),
        (2, 1000, 3, 2500, 1000),
        (3, 1000, 3, 2500, 500),
    ]
    assert pages[0].server_time_utc == "2026-02-17T14:42:56.7582722Z"
    assert pages[0].has_next_page() and not pages[2].has_next_page()


def test_empty_result_stops_after_the_first_page(flavour: str) -> None:
    api = PagedApi([])
    client, _ = make_client(api.handler)
    assert list(client.paginate("/customers")) == []
    assert api.requests == [(1, 1000)]  # unset page_size: the largest page the client allows


def test_parse_page_ignores_key_case_and_accepts_a_bare_list() -> None:
    page = parse_page(
        {
            "meta": {
                "currentPage": 2,
                "pageSize": 1,
                "totalNumberOfPages": 3,
                "totalNumberOfResults": 3,
            },
            "data": [1],
        },
        lambda x: x * 10,
    )
    assert page == Page([10], 2, 1, 3, 3, None)
    assert parse_page([1, 2], str) == Page(["1", "2"], 1, 2, 1, 2, None)


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (0, "page_size=0 must be between 1 and 1000"),
        (1001, "page_size=1001 must be between 1 and 1000"),
        ("50", "page_size='50' must be an integer between 1 and 1000"),
        (True, "page_size=True must be an integer between 1 and 1000"),
    ],
)
def test_page_size_is_validated(size: object, message: str, flavour: str) -> None:
    client, _ = make_client(lambda r: httpx.Response(500))
    with pytest.raises(ValidationError) as info:
        client.paginate("/customers", page_size=size)  # type: ignore[arg-type]
    assert str(info.value) == message
    assert info.value.field == "page_size"


def test_max_page_size_is_configurable(flavour: str) -> None:
    client, _ = make_client(lambda r: httpx.Response(500), max_page_size=200)
    with pytest.raises(ValidationError, match="page_size=500 must be between 1 and 200"):
        client.paginate("/customers", page_size=500)


def test_prefetch_runs_requests_concurrently() -> None:
    """With prefetch=4, four page requests are in flight at once (threads)."""
    in_flight = 0
    peak = 0
    lock = threading.Lock()
    release = threading.Event()

    def fetch(page: int, size: int) -> Page[int]:
        nonlocal in_flight, peak
        if page > 1:
            with lock:
                in_flight += 1
                peak = max(peak, in_flight)
                if in_flight == 4:
                    release.set()
            release.wait(timeout=5)
            with lock:
                in_flight -= 1
        return Page([page], page, size, 9, 9)

    pager = SyncPager(fetch, page_size=1, prefetch=4)
    assert list(pager) == list(range(1, 10))
    assert peak == 4


async def test_async_prefetch_runs_requests_concurrently() -> None:
    in_flight = 0
    peak = 0
    gate = asyncio.Event()

    async def fetch(page: int, size: int) -> Page[int]:
        nonlocal in_flight, peak
        if page > 1:
            in_flight += 1
            peak = max(peak, in_flight)
            if in_flight == 3:
                gate.set()
            await asyncio.wait_for(gate.wait(), 5)
            in_flight -= 1
        return Page([page], page, size, 7, 7)

    pager = AsyncPager(fetch, page_size=1, prefetch=3)
    assert [x async for x in pager] == list(range(1, 8))
    assert peak == 3


def test_parsing_a_page_pauses_the_collector_and_restores_its_state() -> None:
    import gc

    seen: list[bool] = []

    def parse(item: dict[str, str]) -> str:
        seen.append(gc.isenabled())
        return item["Id"]

    body = {"Meta": {"TotalNumberOfPages": 1}, "Data": RECORDS[:3]}
    assert gc.isenabled()
    assert parse_page(body, parse).items == ["id-00000", "id-00001", "id-00002"]
    assert seen == [False, False, False] and gc.isenabled()

    def failing(item: dict[str, str]) -> str:
        raise ValueError("bad row")

    with pytest.raises(ValueError, match="bad row"):
        parse_page(body, failing)
    assert gc.isenabled()

    gc.disable()  # a caller's own choice is left alone
    try:
        parse_page(body, parse)
        assert not gc.isenabled()
    finally:
        gc.enable()
