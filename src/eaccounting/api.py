"""Access to every generated operation through the client's pipeline.

``client.api.<tag>.<operation_id>`` returns the operation bound to the client, so
``client.api.customers.get_customer.sync(customer_id=...)`` (or ``.sync_detailed``, and
``await ... .asyncio(...)`` on an AsyncClient) runs with auth, limits, retries and typed errors.
The generated package is imported only when this is first used, keeping ``import eaccounting``
cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import httpx

from .paging import AsyncPager, Page, SyncPager

__all__ = ["ApiNamespace", "BoundOperation", "make_generated_client"]

GENERATED_PACKAGE = "eaccounting_api"


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


class BoundOperation:
    """One generated operation module with ``client=`` filled in."""

    def __init__(self, module: Any, get_client: Callable[[], Any]) -> None:
        self.module = module
        self._get_client = get_client

    def sync(self, *args: Any, **kwargs: Any) -> Any:
        return self.module.sync(*args, client=self._get_client(), **kwargs)

    def sync_detailed(self, *args: Any, **kwargs: Any) -> Any:
        return self.module.sync_detailed(*args, client=self._get_client(), **kwargs)

    async def asyncio(self, *args: Any, **kwargs: Any) -> Any:
        return await self.module.asyncio(*args, client=self._get_client(), **kwargs)

    async def asyncio_detailed(self, *args: Any, **kwargs: Any) -> Any:
        return await self.module.asyncio_detailed(*args, client=self._get_client(), **kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Sync clients: ``.sync(...)``; async clients get a coroutine via ``.asyncio``."""
        return self.sync(*args, **kwargs)

    def iterate(
        self, *, page_size: int | None = None, prefetch: int = 0, **kwargs: Any
    ) -> SyncPager[Any]:
        """Iterate a generated list operation item by item (``.pages()`` for pages).

        ``kwargs`` are the operation's other parameters (path ids, ``filter_``, ``orderby``).
        """

        def fetch(page: int, size: int) -> Page[Any]:
            parsed = self.module.sync(client=self._get_client(), page=page, pagesize=size, **kwargs)
            return _page_of(parsed, page, size, self.module.__name__)

        return SyncPager(fetch, page_size=page_size, prefetch=prefetch, path=self.module.__name__)

    def aiterate(
        self, *, page_size: int | None = None, prefetch: int = 0, **kwargs: Any
    ) -> AsyncPager[Any]:
        """Async :meth:`iterate` (for operations bound to an AsyncClient)."""

        async def fetch(page: int, size: int) -> Page[Any]:
            parsed = await self.module.asyncio(
                client=self._get_client(), page=page, pagesize=size, **kwargs
            )
            return _page_of(parsed, page, size, self.module.__name__)

        return AsyncPager(fetch, page_size=page_size, prefetch=prefetch, path=self.module.__name__)

    def __repr__(self) -> str:
        return f"<operation {self.module.__name__}>"


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


class _AsyncBoundOperation(BoundOperation):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.asyncio(*args, **kwargs)


class _TagNamespace:
    def __init__(self, package: str, get_client: Callable[[], Any], is_async: bool) -> None:
        self._package = package
        self._get_client = get_client
        self._is_async = is_async

    def __getattr__(self, name: str) -> BoundOperation:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            module = importlib.import_module(f"{self._package}.{name}")
        except ModuleNotFoundError:
            raise AttributeError(
                f"no generated operation {name!r} in {self._package.rsplit('.', 1)[-1]!r}"
            ) from None
        cls = _AsyncBoundOperation if self._is_async else BoundOperation
        bound = cls(module, self._get_client)
        setattr(self, name, bound)
        return bound

    def __dir__(self) -> list[str]:
        import pkgutil

        package = importlib.import_module(self._package)
        return sorted(m.name for m in pkgutil.iter_modules(package.__path__))


class ApiNamespace:
    """``client.api.<tag_snake>.<operation_id>``: all generated operations, bound."""

    def __init__(self, get_client: Callable[[], Any], *, is_async: bool) -> None:
        self._get_client = get_client
        self._is_async = is_async

    def __getattr__(self, name: str) -> _TagNamespace:
        if name.startswith("_"):
            raise AttributeError(name)
        package = f"{GENERATED_PACKAGE}.api.{name}"
        try:
            importlib.import_module(package)
        except ModuleNotFoundError:
            raise AttributeError(f"no generated API tag {name!r}") from None
        namespace = _TagNamespace(package, self._get_client, self._is_async)
        setattr(self, name, namespace)
        return namespace

    def __dir__(self) -> list[str]:
        import pkgutil

        package = importlib.import_module(f"{GENERATED_PACKAGE}.api")
        return sorted(m.name for m in pkgutil.iter_modules(package.__path__))
