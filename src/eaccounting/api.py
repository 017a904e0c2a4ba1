"""``client.api``: every generated operation, typed and bound to the client's pipeline.

``client.api.<tag>.<operation_id>`` is an instance of a class generated with the client
(``eaccounting_api.namespace``, written by ``make generate`` from the generated operations), so
mypy knows each tag, operation, parameter and result: ``client.api.customers.list_customerz``
or ``get_customer(customer_id=42)`` is a type error, not a runtime surprise.

On a :class:`~eaccounting.Client` an operation is called directly (``.sync`` and
``.sync_detailed`` too) and paged lists have ``.iterate()``; on an
:class:`~eaccounting.AsyncClient` the same call returns an awaitable (``.asyncio``,
``.asyncio_detailed``) and paged lists have ``.aiterate()``. Every request runs through the
client's pipeline: auth, limits, retries and typed errors.

This module holds the runtime bases the generated classes extend. The generated package is
imported only when ``client.api`` is first used (one tag at a time), keeping ``import
eaccounting`` cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import httpx

from ._pages import Page
from .paging import AsyncPager, SyncPager

if TYPE_CHECKING:
    from eaccounting_api.namespace import ApiOperations, AsyncApiOperations

__all__ = [
    "AsyncOperation",
    "AsyncPagedOperation",
    "SyncOperation",
    "SyncPagedOperation",
    "TagOperations",
    "bind_async_api",
    "bind_sync_api",
    "make_generated_client",
]

GENERATED_PACKAGE = "eaccounting_api"
NAMESPACE = f"{GENERATED_PACKAGE}.namespace"

T = TypeVar("T")


def make_generated_client(
    base_url: str,
    *,
    sync_client: httpx.Client | None = None,
    async_client: httpx.AsyncClient | None = None,
) -> Any:
    """A generated ``AuthenticatedClient`` that sends through the given httpx client(s).

    The token field is unused: the pipeline transport sets the Authorization header.
    """
    module = importlib.import_module(f"{GENERATED_PACKAGE}.client")
    # Error statuses never reach the generated code (the pipeline raises typed errors); an
    # undocumented success status (204 for a declared 200) must not raise either.
    generated = module.AuthenticatedClient(
        base_url=base_url, token="", raise_on_unexpected_status=False
    )
    if sync_client is not None:
        generated.set_httpx_client(sync_client)
    if async_client is not None:
        generated.set_async_httpx_client(async_client)
    return generated


def bind_sync_api(get_client: Callable[[], Any]) -> ApiOperations:
    """``client.api`` of a sync client (``get_client`` returns its generated client)."""
    namespace = importlib.import_module(NAMESPACE)
    api: ApiOperations = namespace.ApiOperations(get_client)
    return api


def bind_async_api(get_client: Callable[[], Any]) -> AsyncApiOperations:
    """``client.api`` of an AsyncClient: every operation returns an awaitable."""
    namespace = importlib.import_module(NAMESPACE)
    api: AsyncApiOperations = namespace.AsyncApiOperations(get_client)
    return api


class TagOperations:
    """Base of the generated ``<Tag>Operations`` classes (one per ``client.api.<tag>``)."""

    def __init__(self, get_client: Callable[[], Any]) -> None:
        self._get_client = get_client

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class _Operation:
    #: The generated operation module (``eaccounting_api.api.<tag>.<operation_id>``).
    module: ClassVar[ModuleType]

    def __init__(self, get_client: Callable[[], Any]) -> None:
        self._get_client = get_client

    def _client(self) -> Any:
        return self._get_client()

    def __repr__(self) -> str:
        return f"<operation {self.module.__name__}>"


class SyncOperation(_Operation):
    """Base of a generated operation bound to a sync client."""


class AsyncOperation(_Operation):
    """Base of a generated operation bound to an AsyncClient."""


class SyncPagedOperation(SyncOperation, Generic[T]):
    """A paged list operation on a sync client: ``.iterate()`` follows its pages."""

    def _pager(self, page_size: int | None, prefetch: int, params: dict[str, Any]) -> SyncPager[T]:
        module = self.module

        def fetch(page: int, size: int) -> Page[T]:
            parsed = module.sync(client=self._client(), page=page, pagesize=size, **params)
            return _page_of(parsed, page, size, module.__name__)

        return SyncPager(fetch, page_size=page_size, prefetch=prefetch, path=module.__name__)


class AsyncPagedOperation(AsyncOperation, Generic[T]):
    """A paged list operation on an AsyncClient: ``.aiterate()`` follows its pages."""

    def _pager(self, page_size: int | None, prefetch: int, params: dict[str, Any]) -> AsyncPager[T]:
        module = self.module

        async def fetch(page: int, size: int) -> Page[T]:
            parsed = await module.asyncio(client=self._client(), page=page, pagesize=size, **params)
            return _page_of(parsed, page, size, module.__name__)

        return AsyncPager(fetch, page_size=page_size, prefetch=prefetch, path=module.__name__)


def _page_of(parsed: Any, page: int, size: int, operation: str) -> Page[Any]:
    meta = getattr(parsed, "meta", None)
    data = getattr(parsed, "data", None)
    if meta is None or data is None:
        raise TypeError(f"{operation} is not a paged list operation (no Meta/Data in its result)")

    def number(name: str, default: int) -> int:
        value = getattr(meta, name, None)
        return value if isinstance(value, int) else default

    server_time: Any = getattr(meta, "server_time_utc", None)
    return Page(
        items=list(data or []),
        page=number("current_page", page),
        page_size=number("page_size", size),
        total_pages=number("total_number_of_pages", page),
        total_results=number("total_number_of_results", len(data or [])),
        server_time_utc=(
            server_time.isoformat() if hasattr(server_time, "isoformat") else server_time
        ),
        raw=parsed,
    )
