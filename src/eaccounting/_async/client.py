"""The client: configuration, the request pipeline, raw and paged calls, the resources."""

from __future__ import annotations

import asyncio  # unasync: remove
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from .._config import (
    DEFAULT_CALL_TIMEOUT,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    BaseClient,
    Config,
    clean_params,
    env_proxy,
    identity,
    json_body,
)
from .._json_wire import dumps as dumps_json
from .._pages import MAX_PAGE_SIZE, Page, parse_page
from ..api import bind_async_api, make_generated_client
from ..auth import DEFAULT_SCOPES
from ..ratelimit import RateLimiter
from ..retries import RetryPolicy
from ..tokens import Token, TokenStore
from .paging import AsyncPager
from .resources import AsyncResources
from .transport import AsyncPipelineClient, AsyncPipelineTransport

if TYPE_CHECKING:
    from eaccounting_api.namespace import AsyncApiOperations

    from .mixins import AsyncRequester

__all__ = ["AsyncClient"]

T = TypeVar("T")


class AsyncClient(BaseClient, AsyncResources):
    """The Visma eAccounting API v2 client, asynchronous.

    Auth: pass ``access_token`` for a static bearer token, or ``client_id``/``client_secret``
    with a ``token_store`` for managed OAuth2 (proactive refresh, single-flight rotation).
    Every request — facade resources, :meth:`request`, and generated operations through
    :attr:`api` — runs through one pipeline: auth, 600/min per-path limiter, retries, typed
    errors, and logging. The sync and the async client take the same arguments.

    ``timeout`` bounds each network read; ``call_timeout`` (seconds, None for none) bounds a
    whole request, its retries and waits included (``APITimeoutError`` past it). The bearer
    token goes only to ``base_url``'s origin; plain ``http://`` off loopback is refused unless
    ``allow_insecure_http=True``.
    """

    def __init__(
        self,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        token_store: TokenStore | None = None,
        access_token: str | None = None,
        environment: str = "production",
        base_url: str | None = None,
        identity_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout | float | None = DEFAULT_TIMEOUT,
        call_timeout: float | None = DEFAULT_CALL_TIMEOUT,
        max_retries: int = 2,
        retry: RetryPolicy | None = None,
        rate_limit: int | RateLimiter | None = 600,
        refresh_skew: float = 300.0,
        redirect_uri: str | None = None,
        scopes: Sequence[str] = DEFAULT_SCOPES,
        max_page_size: int = MAX_PAGE_SIZE,
        headers: Mapping[str, str] | None = None,
        allow_insecure_http: bool = False,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        config = Config(locals())
        if transport is None:
            transport = httpx.AsyncHTTPTransport(retries=0, proxy=env_proxy(config))
        self._setup(config, transport, sleep, owns=True)

    def _setup(
        self,
        config: Config,
        inner: httpx.AsyncBaseTransport,
        sleep: Callable[[float], Awaitable[None]],
        *,
        owns: bool,
    ) -> None:
        self._config = config
        self._inner = inner
        self._sleep = sleep
        self._owns_transport = owns
        self._transport = AsyncPipelineTransport(
            inner, self._pipeline(async_sleep=sleep), owns_inner=owns
        )
        self._http = AsyncPipelineClient(
            base_url=config.environment.api_base_url,
            transport=self._transport,
            timeout=config.timeout,
            headers=config.headers,
            trust_env=False,
        )
        self._api: AsyncApiOperations | None = None
        self._api_client: Any = None

    @classmethod
    def from_env(cls, **overrides: Any) -> AsyncClient:
        """Build from keyword arguments, then ``EACCOUNTING_*`` variables (CLIENT_ID,
        CLIENT_SECRET, ACCESS_TOKEN, TOKEN_FILE, ENVIRONMENT, BASE_URL, IDENTITY_URL,
        REDIRECT_URI), then the profile ``eaccounting auth login`` stored (see
        :mod:`eaccounting.settings`). Raises ``ConfigurationError`` without credentials."""
        from ..settings import client_settings

        return cls(**client_settings(overrides))

    def with_options(
        self,
        *,
        timeout: httpx.Timeout | float | None = NOT_GIVEN,
        call_timeout: float | None = NOT_GIVEN,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        retry_non_idempotent: bool | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> AsyncClient:
        """A client sharing this one's connection pool, tokens and limiter, with overrides."""
        config = self._derive(
            timeout=timeout,
            call_timeout=call_timeout,
            max_retries=max_retries,
            retry=retry,
            retry_non_idempotent=retry_non_idempotent,
            headers=headers,
        )
        clone = AsyncClient.__new__(AsyncClient)
        clone._setup(config, self._inner, self._sleep, owns=False)
        return clone

    # -- lifecycle ---------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the connection pool (only the root client owns it)."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- auth --------------------------------------------------------------------------------

    async def exchange_code(
        self, *, code: str, redirect_uri: str | None = None, code_verifier: str | None = None
    ) -> Token:
        """Exchange the callback's ``code`` for tokens and save them in the token store."""
        manager = self._require_manager()
        return await manager.aexchange_code(
            self._inner,
            code=code,
            redirect_uri=redirect_uri or self._config.redirect_uri or "",
            code_verifier=code_verifier,
        )

    async def refresh_token(self) -> Token:
        """Refresh now (single-flight) and return the new token."""
        manager = self._require_manager()
        current = manager.current()
        return await manager.arefresh(self._inner, stale=current.access_token if current else None)

    # -- requests ----------------------------------------------------------------------------

    @property
    def http(self) -> httpx.AsyncClient:
        """The httpx client whose transport is the pipeline (base URL = API base incl. /v2)."""
        return self._http

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send a request to ``path`` (relative to the API base) and return the raw response.

        ``json`` is encoded with every digit of a ``Decimal``. Raises the typed
        :class:`~eaccounting.errors.APIError` subclass for error statuses.
        """
        if json is not None and content is None:
            content = dumps_json(json)
            headers = {"Content-Type": "application/json", **(headers or {})}
        return await self._http.request(
            method, path, params=clean_params(params), content=content, headers=headers
        )

    async def get_json(self, path: str, *, params: Mapping[str, Any] | None = None) -> Any:
        """GET ``path`` and decode the JSON body (None for an empty body)."""
        return json_body(await self.request("GET", path, params=params))

    def paginate(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        parse: Callable[[Any], T] = identity,
        page_size: int | None = None,
        start_page: int = 1,
        prefetch: int = 0,
    ) -> AsyncPager[T]:
        """A pager over a list endpoint; ``parse`` turns each raw item into a value."""
        base = dict(clean_params(params) or {})

        async def fetch(page: int, size: int) -> Page[T]:
            query = {**base, "$page": page, "$pagesize": size}
            body = json_body(await self.request("GET", path, params=query))
            return parse_page(body, parse, page=page, page_size=size)

        return AsyncPager(
            fetch,
            page_size=page_size,
            start_page=start_page,
            prefetch=prefetch,
            max_page_size=self._config.max_page_size,
            path=path,
        )

    # -- generated operations ----------------------------------------------------------------

    @property
    def api_client(self) -> Any:
        """The generated package's client bound to this client's pipeline."""
        if self._api_client is None:
            self._api_client = make_generated_client(self.base_url, async_client=self._http)
        return self._api_client

    @property
    def api(self) -> AsyncApiOperations:
        """Every generated operation, typed and bound: ``client.api.customers.list_customers()``."""
        if self._api is None:
            self._api = bind_async_api(lambda: self.api_client)
        return self._api


if TYPE_CHECKING:

    def _is_a_requester(client: AsyncClient) -> AsyncRequester:
        """mypy checks here that the client is what its facades expect of it."""
        return client
