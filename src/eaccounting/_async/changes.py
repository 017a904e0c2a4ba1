"""Incremental sync: the records of a resource changed since a watermark."""

from __future__ import annotations

import datetime as _dt
from collections.abc import AsyncIterator, Mapping
from typing import Any, Generic, Protocol, TypeVar

from .._watermark import build_filter, field_of, parse_watermark
from ..odata import Filter
from .paging import AsyncPager

__all__ = ["AsyncChangedSince", "achanged_since"]

T = TypeVar("T")


class _AsyncListable(Protocol[T]):
    """What changed-since needs of a resource facade (``client.customers`` and the like)."""

    @property
    def modified_field(self) -> str | None: ...

    def iterate(
        self,
        *,
        page_size: int | None = ...,
        filter: Filter | str | None = ...,
        orderby: Any = ...,
        select: Any = ...,
        params: Mapping[str, Any] | None = ...,
        prefetch: int = ...,
    ) -> AsyncPager[T]: ...


class AsyncChangedSince(Generic[T]):
    """Iterates the changed records; :attr:`watermark` is set once the first page arrived."""

    def __init__(self, pager: AsyncPager[T]) -> None:
        self._pager = pager
        self.watermark: _dt.datetime | None = None

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self._pager.pages():
            if self.watermark is None:
                self.watermark = parse_watermark(page.server_time_utc)
            for item in page.items:
                yield item


def achanged_since(
    resource: _AsyncListable[T],
    since: _dt.datetime | None,
    *,
    field: str | None = None,
    filter: Filter | str | None = None,
    page_size: int | None = None,
    prefetch: int = 0,
) -> AsyncChangedSince[T]:
    """Records of ``resource`` whose timestamp is after ``since`` (all when None)."""
    name = field_of(resource, field)
    pager = resource.iterate(
        page_size=page_size,
        filter=build_filter(name, since, filter),
        orderby=name,
        prefetch=prefetch,
    )
    return AsyncChangedSince(pager)
