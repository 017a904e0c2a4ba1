"""The pager: iterates a list operation item by item, or page by page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Generic, TypeVar

from .._concurrency import aprefetched
from .._pages import MAX_PAGE_SIZE, Page, served_size, validate_page, validate_page_size
from ..errors import ValidationError

__all__ = ["AsyncPager"]

T = TypeVar("T")


class AsyncPager(Generic[T]):
    """Iterates a list operation: ``async for x in pager`` or ``async for p in pager.pages()``."""

    def __init__(
        self,
        fetch: Callable[[int, int], Awaitable[Page[T]]],
        *,
        page_size: int | None = None,
        start_page: int = 1,
        prefetch: int = 0,
        max_page_size: int = MAX_PAGE_SIZE,
    ) -> None:
        self._fetch = fetch
        # None: the largest page the client allows (one request per 1,000 rows, not per 50).
        self.page_size = validate_page_size(
            max_page_size if page_size is None else page_size, maximum=max_page_size
        )
        self.start_page = validate_page(start_page)
        if isinstance(prefetch, bool) or not isinstance(prefetch, int) or prefetch < 0:
            raise ValidationError(f"prefetch={prefetch!r} must be an integer >= 0")
        self.prefetch = prefetch

    async def first_page(self) -> Page[T]:
        return await self._fetch(self.start_page, self.page_size)

    async def pages(self) -> AsyncIterator[Page[T]]:
        first = await self.first_page()
        yield first
        size = served_size(first, self.page_size)
        last = first.total_pages
        next_page = self.start_page + 1
        if next_page > last:
            return
        if self.prefetch <= 1:
            for number in range(next_page, last + 1):
                page = await self._fetch(number, size)
                yield page
                if not page.items:
                    return
            return
        numbers = range(next_page, last + 1)
        async for page in aprefetched(self._fetch, numbers, size, self.prefetch):
            yield page

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item
