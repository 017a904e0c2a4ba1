"""Pages of Visma's ``{"Meta": {...}, "Data": [...]}`` envelope: the model and its parsing.

``$page`` is 1-based and ``$pagesize`` defaults to 50. Iteration (:class:`PageWalk`) stops
at the first empty page and never asks past the last page the server reported
(``Meta.TotalNumberOfPages``, as of the latest page); a page repeating the rows of the one
before it (a server ignoring ``$page``) raises :class:`~eaccounting.errors.PagingError`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

import attrs

from ._gc_pause import collector_paused
from .errors import PagingError, ValidationError

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "Page",
    "PageWalk",
    "parse_page",
    "served_size",
    "validate_page",
    "validate_page_size",
]

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 50
#: Visma documents no maximum; this is the client's bound (override per client).
MAX_PAGE_SIZE = 1000


@attrs.frozen
class Page(Generic[T]):
    """One page of a list operation, with the envelope's metadata."""

    items: list[T]
    page: int
    page_size: int
    total_pages: int
    total_results: int
    server_time_utc: str | None = None
    raw: Any = attrs.field(default=None, repr=False, eq=False)

    def has_next_page(self) -> bool:
        return self.page < self.total_pages

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def validate_page_size(page_size: object, *, maximum: int = MAX_PAGE_SIZE) -> int:
    """``page_size`` if it is an int in 1..maximum, else a ValidationError naming it."""
    if isinstance(page_size, bool) or not isinstance(page_size, int):
        raise ValidationError(
            f"page_size={page_size!r} must be an integer between 1 and {maximum}",
            field="page_size",
        )
    if not 1 <= page_size <= maximum:
        raise ValidationError(
            f"page_size={page_size!r} must be between 1 and {maximum}", field="page_size"
        )
    return page_size


def served_size(first: Page[Any], asked: int) -> int:
    """The page size to ask for after ``first``: the server's, if it clamped ``asked``.

    Its ``TotalNumberOfPages`` counts pages of the size it served, so later pages must be asked
    in that size for the numbering to line up.
    """
    return first.page_size if 0 < first.page_size < asked else asked


def validate_page(page: object) -> int:
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise ValidationError(f"page={page!r} must be an integer >= 1 (pages are 1-based)")
    return page


def _get(mapping: dict[str, Any], name: str) -> Any:
    if name in mapping:
        return mapping[name]
    lowered = name.lower()
    for key, value in mapping.items():
        if key.lower() == lowered:
            return value
    return None


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _parse_items(data: Iterable[Any], parse_item: Callable[[Any], T]) -> list[T]:
    """``[parse_item(x) for x in data]`` with the cyclic garbage collector paused
    (see ``_gc_pause``: parsed models hold no reference cycles)."""
    with collector_paused():
        return [parse_item(x) for x in data]


def parse_page(
    body: Any, parse_item: Callable[[Any], T], *, page: int = 1, page_size: int = 0
) -> Page[T]:
    """Parse a ``Meta``/``Data`` envelope (key case ignored). A bare list is one whole page."""
    if isinstance(body, list):
        items = _parse_items(body, parse_item)
        return Page(items, 1, len(items), 1, len(items), None, body)
    if not isinstance(body, dict):
        raise ValueError(f"expected a paged response object, got {type(body).__name__}")
    meta = _get(body, "Meta") or {}
    data = _get(body, "Data") or []
    items = _parse_items(data, parse_item)
    return Page(
        items=items,
        page=_int(_get(meta, "CurrentPage"), page),
        page_size=_int(_get(meta, "PageSize"), page_size),
        total_pages=_int(_get(meta, "TotalNumberOfPages"), page),
        total_results=_int(_get(meta, "TotalNumberOfResults"), len(items)),
        server_time_utc=_get(meta, "ServerTimeUtc"),
        raw=body,
    )


def _rows_of(page: Page[Any]) -> Any:
    """What identifies ``page``'s rows: their ids when every row has one, else the rows.

    ``raw`` is the JSON envelope (or a bare list), or a generated model with ``.data``.
    """
    raw = page.raw
    if isinstance(raw, dict):
        data = _get(raw, "Data")
    else:
        data = raw if isinstance(raw, list) else getattr(raw, "data", None)
    if not isinstance(data, list) or not data:
        return None
    ids = tuple(_id_of(row) for row in data)
    return ids if None not in ids else data


def _id_of(row: Any) -> Any:
    """A row's id, or None (a generated model's unset id is a sentinel, not an id)."""
    value = _get(row, "Id") if isinstance(row, dict) else getattr(row, "id", None)
    return value if isinstance(value, (str, int, uuid.UUID)) else None


class PageWalk:
    """Which pages to ask for after the first, and whether a page ends the walk.

    One walk per iteration, shared by the sync and the async pager. ``numbers()`` is lazy: it
    is read again after every :meth:`accept`, so a prefetching pager stops submitting as soon
    as a page ends the walk. The bound is the latest ``Meta.TotalNumberOfPages``, so a first
    page claiming a million pages costs nothing once a later page says otherwise; and the first
    empty page ends the walk whatever ``Meta`` claims.
    """

    def __init__(self, first: Page[Any], start: int, path: str) -> None:
        self.path = path or "the list"
        self.last = first.total_pages
        self._ended = not first.items
        self._upcoming = start + 1  # the next number numbers() hands out
        self._accepted = start  # the number of the last page accepted
        self._previous = _rows_of(first)

    def numbers(self) -> Iterator[int]:
        """Page numbers to fetch, in order, while the walk goes on."""
        while not self.finished and self._upcoming <= self.last:
            number = self._upcoming
            self._upcoming += 1
            yield number

    def accept(self, page: Page[Any]) -> None:
        """Take the next page in order: update the bound, end the walk at an empty page, and
        refuse a page that repeats the rows of the page before it."""
        self._accepted += 1
        rows = _rows_of(page)
        if rows is not None and rows == self._previous:
            raise PagingError(
                f"page {self._accepted} of {self.path} returned the same {len(page.items)} "
                f"rows as page {self._accepted - 1}: the server seems to ignore $page; "
                "stopped instead of fetching the same page forever",
                path=self.path,
                page=self._accepted,
            )
        self._previous = rows
        if page.items:
            self.last = page.total_pages
        else:
            self._ended = True

    @property
    def finished(self) -> bool:
        """An empty page came, or the last page the server reports was accepted (a pager then
        stops, dropping pages it prefetched beyond)."""
        return self._ended or self._accepted >= self.last
