"""Incremental sync: fetch what changed since a watermark.

    result = changed_since(client.customers, since=last_watermark)
    for customer in result:
        upsert(customer)
    save(result.watermark)   # the server's clock, taken from the first page

The watermark is ``Meta.ServerTimeUtc`` of the first page (the server's clock, never the
client's), so nothing changed while the sync ran is skipped next time. Records are filtered
on the resource's timestamp (``ChangedUtc`` or ``ModifiedUtc``) with ``gt`` and ordered by it;
deletions are invisible to this API.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any, Generic, Protocol, TypeVar

from .errors import ValidationError
from .odata import F, Filter
from .paging import AsyncPager, SyncPager

__all__ = ["AsyncChangedSince", "ChangedSince", "achanged_since", "changed_since"]

T = TypeVar("T")


class _SyncListable(Protocol[T]):
    modified_field: Any

    def iterate(
        self,
        *,
        page_size: int | None = ...,
        filter: Filter | str | None = ...,
        orderby: Any = ...,
        select: Any = ...,
        params: Mapping[str, Any] | None = ...,
        prefetch: int = ...,
    ) -> SyncPager[T]: ...


class _AsyncListable(Protocol[T]):
    modified_field: Any

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


def _parse_watermark(value: str | None) -> _dt.datetime | None:
    if not value:
        return None
    text = value.strip().replace("z", "Z")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    import re

    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        moment = _dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.timezone.utc)
    return moment


def _build_filter(field: str, since: _dt.datetime | None, extra: Filter | str | None) -> str | None:
    parts: list[str] = []
    if since is not None:
        if not isinstance(since, _dt.datetime):
            raise ValidationError(
                f"since={since!r} must be a datetime (timezone-aware, or naive UTC)",
                field="since",
            )
        parts.append(str(F(field) > since))
    if extra is not None:
        parts.append(f"({extra})" if parts else str(extra))
    return " and ".join(parts) if parts else None


def _field_of(resource: Any, field: str | None) -> str:
    name = field or getattr(resource, "modified_field", None)
    if not name:
        raise ValidationError(
            f"{type(resource).__name__} has no modified timestamp; pass field=... or re-read "
            "the whole list"
        )
    return str(name)


class ChangedSince(Generic[T]):
    """Iterates the changed records; :attr:`watermark` is set once the first page arrived."""

    def __init__(self, pager: SyncPager[T]) -> None:
        self._pager = pager
        self.watermark: _dt.datetime | None = None

    def __iter__(self) -> Iterator[T]:
        for page in self._pager.pages():
            if self.watermark is None:
                self.watermark = _parse_watermark(page.server_time_utc)
            yield from page.items


class AsyncChangedSince(Generic[T]):
    """Async :class:`ChangedSince`."""

    def __init__(self, pager: AsyncPager[T]) -> None:
        self._pager = pager
        self.watermark: _dt.datetime | None = None

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self._pager.pages():
            if self.watermark is None:
                self.watermark = _parse_watermark(page.server_time_utc)
            for item in page.items:
                yield item


def changed_since(
    resource: _SyncListable[T],
    since: _dt.datetime | None,
    *,
    field: str | None = None,
    filter: Filter | str | None = None,
    page_size: int | None = None,
    prefetch: int = 0,
) -> ChangedSince[T]:
    """Records of ``resource`` whose timestamp is after ``since`` (all when None)."""
    name = _field_of(resource, field)
    pager = resource.iterate(
        page_size=page_size,
        filter=_build_filter(name, since, filter),
        orderby=name,
        prefetch=prefetch,
    )
    return ChangedSince(pager)


def achanged_since(
    resource: _AsyncListable[T],
    since: _dt.datetime | None,
    *,
    field: str | None = None,
    filter: Filter | str | None = None,
    page_size: int | None = None,
    prefetch: int = 0,
) -> AsyncChangedSince[T]:
    """Async :func:`changed_since`."""
    name = _field_of(resource, field)
    pager = resource.iterate(
        page_size=page_size,
        filter=_build_filter(name, since, filter),
        orderby=name,
        prefetch=prefetch,
    )
    return AsyncChangedSince(pager)
