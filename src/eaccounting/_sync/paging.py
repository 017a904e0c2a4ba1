# Derived from src/eaccounting/_async/paging.py by scripts/unasync.py: do not edit.
# Change the async source and run `make unasync` (`make lint` fails when they drift).
"""The pager: iterates a list operation item by item, or page by page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from .._concurrency import prefetched
from .._pages import (
    MAX_PAGE_SIZE,
    Page,
    PageWalk,
    served_size,
    validate_page,
    validate_page_size,
)
from ..errors import ValidationError

__all__ = ["SyncPager"]

T = TypeVar("T")


class SyncPager(Generic[T]):
    """Iterates a list operation: ``for x in pager`` or ``for p in pager.pages()``."""

    def __init__(
        self,
        fetch: Callable[[int, int], Page[T]],
        *,
        page_size: int | None = None,
        start_page: int = 1,
        prefetch: int = 0,
        max_page_size: int = MAX_PAGE_SIZE,
        path: str = "",
    ) -> None:
        self._fetch = fetch
        self.path = path  # named in a PagingError
        # None: the largest page the client allows (one request per 1,000 rows, not per 50).
        self.page_size = validate_page_size(
            max_page_size if page_size is None else page_size, maximum=max_page_size
        )
        self.start_page = validate_page(start_page)
        if isinstance(prefetch, bool) or not isinstance(prefetch, int) or prefetch < 0:
            raise ValidationError(f"prefetch={prefetch!r} must be an integer >= 0")
        self.prefetch = prefetch

    def first_page(self) -> Page[T]:
        return self._fetch(self.start_page, self.page_size)

    def pages(self) -> Iterator[Page[T]]:
        """Pages in order: up to the first empty one, never past the last page the server
        reports; a page repeating the one before raises PagingError."""
        first = self.first_page()
        yield first
        size = served_size(first, self.page_size)
        walk = PageWalk(first, self.start_page, self.path)
        if self.prefetch <= 1:
            for number in walk.numbers():
                page = self._fetch(number, size)
                walk.accept(page)
                yield page
            return
        # numbers() is read lazily, so nothing past an empty page (or past the last page a
        # later Meta reports) is submitted; what is already in flight is cancelled on close.
        ahead = prefetched(self._fetch, walk.numbers(), size, self.prefetch)
        try:
            for page in ahead:
                walk.accept(page)
                yield page
                if walk.finished:
                    return
        finally:
            ahead.close()

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items
