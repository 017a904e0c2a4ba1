"""Paging over Visma's ``{"Meta": {...}, "Data": [...]}`` envelope.

``$page`` is 1-based. Visma's own default page size is 50; iteration asks for the largest page
the client allows (``MAX_PAGE_SIZE``, 1000) unless the caller sets ``page_size``, so a full sync
costs 20 times fewer requests against the quota. A server that answers with a smaller
``Meta.PageSize`` than asked (it clamps) is followed: later pages are requested in its size,
and its page numbering, so no row is skipped or repeated. Iteration stops at the first empty
page and never goes past the last page the server reports (the latest
``Meta.TotalNumberOfPages``); a page repeating the rows of the one before (a server ignoring
``$page``) raises ``PagingError``. With ``prefetch=n`` the pager fetches up to ``n`` further
pages concurrently (threads for the sync client, tasks for the async one), still yields them
in page order, and submits nothing past a page that ended the iteration.

The pages and their parsing are in ``_pages``; the pagers in ``_async/paging.py`` (written) and
``_sync/paging.py`` (derived).
"""

from __future__ import annotations

from ._async.paging import AsyncPager
from ._pages import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, parse_page, validate_page_size
from ._sync.paging import SyncPager

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "AsyncPager",
    "Page",
    "SyncPager",
    "parse_page",
    "validate_page_size",
]
