"""The changed-since helper: filter, order, server-clock watermark."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from eaccounting import ValidationError, achanged_since, changed_since
from eaccounting.odata import Filter
from eaccounting.paging import SyncPager

from . import twins
from .conftest import make_client, paged

#: changed_since with the sync client, achanged_since with the async one (``flavour``).
changes = twins.either(changed_since, achanged_since)


class Listable:
    """The subset of a resource facade that changed_since needs."""

    modified_field = "ModifiedUtc"

    def __init__(self, client: Any) -> None:
        self.client = client

    def iterate(
        self,
        *,
        page_size: int = 50,
        filter: Filter | str | None = None,
        orderby: Any = None,
        select: Any = None,
        params: Mapping[str, Any] | None = None,
        prefetch: int = 0,
    ) -> SyncPager[Any]:
        query = {"$filter": None if filter is None else str(filter), "$orderby": orderby}
        return self.client.paginate("/vouchers", params=query, page_size=page_size)


def _handler(seen: list[dict[str, str]]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        query = {k: v[0] for k, v in parse_qs(request.url.query.decode()).items()}
        seen.append(query)
        page = int(query["$page"])
        data = [{"Id": 1}, {"Id": 2}] if page == 1 else [{"Id": 3}]
        return paged(data, page, 2, 3)

    return handler


def test_changed_since_filters_orders_and_sets_the_watermark(flavour: str) -> None:
    seen: list[dict[str, str]] = []
    client, _ = make_client(_handler(seen))
    since = dt.datetime(2026, 1, 1, 8, 30, tzinfo=dt.timezone.utc)
    result = changes(Listable(twins.unwrap(client)), since, page_size=2, filter="IsActive eq true")
    assert result.watermark is None
    assert [x["Id"] for x in result] == [1, 2, 3]
    assert seen[0]["$filter"] == "ModifiedUtc gt 2026-01-01T08:30:00Z and (IsActive eq true)"
    assert seen[0]["$orderby"] == "ModifiedUtc"
    assert result.watermark == dt.datetime(2026, 2, 17, 14, 42, 56, 758272, tzinfo=dt.timezone.utc)


def test_changed_since_none_reads_everything(flavour: str) -> None:
    seen: list[dict[str, str]] = []
    client, _ = make_client(_handler(seen))
    assert len(list(changes(Listable(twins.unwrap(client)), None, page_size=2))) == 3
    assert "$filter" not in seen[0]


def test_changed_since_needs_a_timestamp_field(flavour: str) -> None:
    client, _ = make_client(lambda r: httpx.Response(500))

    class NoTimestamp(Listable):
        modified_field = None  # type: ignore[assignment]

    with pytest.raises(ValidationError, match="NoTimestamp has no modified timestamp"):
        changes(NoTimestamp(twins.unwrap(client)), None)
    with pytest.raises(ValidationError, match="since='2026-01-01' must be a datetime"):
        changes(Listable(twins.unwrap(client)), "2026-01-01")
