"""Pages of Visma's ``{"Meta": {...}, "Data": [...]}`` envelope: the model and its parsing.

``$page`` is 1-based and ``$pagesize`` defaults to 50. Iteration stops after
``Meta.TotalNumberOfPages`` (and after the first page when that is 0, which an empty result
returns).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

import attrs

from ._gc_pause import collector_paused
from .errors import ValidationError

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "Page",
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
