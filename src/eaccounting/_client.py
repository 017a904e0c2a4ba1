"""``Client`` and ``AsyncClient``: configuration, the request pipeline, raw and paged calls."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import httpx

from ._logging import setup_logging
from ._transport import AsyncPipelineTransport, Pipeline, PipelineTransport
from .auth import DEFAULT_SCOPES, AuthorizationRequest, TokenManager, build_authorization_url
from .environments import Environment, resolve_environment
from .paging import MAX_PAGE_SIZE, AsyncPager, Page, SyncPager, parse_page
from .ratelimit import RateLimiter
from .retries import RetryPolicy
from .tokens import FileTokenStore, MemoryTokenStore, Token, TokenStore

if TYPE_CHECKING:
    from .api import ApiNamespace
    from .resources import (
        AccountBalances,
        Accounts,
        Articles,
        AsyncAccountBalances,
        AsyncAccounts,
        AsyncArticles,
        AsyncAttachments,
        AsyncBankAccounts,
        AsyncBankTransactions,
        AsyncCompanySettings,
        AsyncCostCenterItems,
        AsyncCostCenters,
        AsyncCustomerInvoiceDrafts,
        AsyncCustomerInvoices,
        AsyncCustomerLedgerItems,
        AsyncCustomers,
        AsyncFiscalYears,
        AsyncInvoicePayments,
        AsyncOrders,
        AsyncProjects,
        AsyncQuotes,
        AsyncResources,
        AsyncSupplierInvoiceDrafts,
        AsyncSupplierInvoices,
        AsyncSuppliers,
        AsyncTermsOfPayment,
        AsyncUnits,
        AsyncUsers,
        AsyncVatCodes,
        AsyncVoucherDrafts,
        AsyncVouchers,
        Attachments,
        BankAccounts,
        BankTransactions,
        CompanySettings,
        CostCenterItems,
        CostCenters,
        CustomerInvoiceDrafts,
        CustomerInvoices,
        CustomerLedgerItems,
        Customers,
        FiscalYears,
        InvoicePayments,
        Orders,
        Projects,
        Quotes,
        SupplierInvoiceDrafts,
        SupplierInvoices,
        Suppliers,
        SyncResources,
        TermsOfPayment,
        Units,
        Users,
        VatCodes,
        VoucherDrafts,
        Vouchers,
    )

__all__ = ["AsyncClient", "Client"]

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
USER_AGENT = "visma-eaccounting-python/0.1.0"

_NOT_GIVEN: Any = object()


def _identity(value: Any) -> Any:
    return value


class _Config:
    """Everything a client and its ``with_options`` copies share or copy."""

    def __init__(
        self,
        *,
        client_id: str | None,
        client_secret: str | None,
        token_store: TokenStore | None,
        access_token: str | None,
        environment: str,
        base_url: str | None,
        identity_url: str | None,
        timeout: httpx.Timeout | float | None,
        max_retries: int,
        retry: RetryPolicy | None,
        rate_limit: int | RateLimiter | None,
        refresh_skew: float,
        redirect_uri: str | None,
        scopes: Sequence[str],
        max_page_size: int,
        headers: Mapping[str, str] | None,
        clock: Callable[[], float],
        monotonic: Callable[[], float],
    ) -> None:
        setup_logging()
        self.environment: Environment = resolve_environment(
            environment, base_url=base_url, identity_url=identity_url
        )
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.scopes = tuple(scopes)
        if (
            isinstance(max_page_size, bool)
            or not isinstance(max_page_size, int)
            or max_page_size < 1
        ):
            raise ValueError(f"max_page_size={max_page_size!r} must be an integer >= 1")
        self.max_page_size = max_page_size
        self.timeout: httpx.Timeout = (
            timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        )
        self.retry = retry if retry is not None else RetryPolicy(max_retries=max_retries)
        # An int is requests per minute per endpoint path (Visma: 600); pass a RateLimiter to
        # share one between clients or to use another window.
        if isinstance(rate_limit, RateLimiter):
            self.limiter: RateLimiter | None = rate_limit
        else:
            self.limiter = RateLimiter(rate_limit, 60.0, clock=monotonic) if rate_limit else None
        self.static_token = access_token
        self.headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
        if access_token is not None:
            self.token_manager: TokenManager | None = None
        elif token_store is not None or client_id is not None:
            self.token_manager = TokenManager(
                store=token_store if token_store is not None else MemoryTokenStore(),
                client_id=client_id,
                client_secret=client_secret,
                token_url=self.environment.token_url,
                refresh_skew=refresh_skew,
                clock=clock,
                timeout=self.timeout,
            )
        else:
            self.token_manager = None


def _env_proxy(config: _Config) -> str | None:
    """The HTTP(S)_PROXY for the API host, honouring NO_PROXY.

    The pipeline owns the transport, so httpx's own environment handling (which would mount
    separate transports that bypass the pipeline) is off; this keeps proxies working.
    """
    from urllib.request import getproxies, proxy_bypass

    url = httpx.URL(config.environment.api_base_url)
    proxy = getproxies().get(url.scheme)
    if not proxy or proxy_bypass(url.host):
        return None
    return proxy


def _env_settings() -> dict[str, Any]:
    env = os.environ
    settings: dict[str, Any] = {
        "client_id": env.get("EACCOUNTING_CLIENT_ID"),
        "client_secret": env.get("EACCOUNTING_CLIENT_SECRET"),
        "access_token": env.get("EACCOUNTING_ACCESS_TOKEN"),
        "environment": env.get("EACCOUNTING_ENVIRONMENT", "production"),
        "base_url": env.get("EACCOUNTING_BASE_URL"),
        "identity_url": env.get("EACCOUNTING_IDENTITY_URL"),
        "redirect_uri": env.get("EACCOUNTING_REDIRECT_URI"),
    }
    token_file = env.get("EACCOUNTING_TOKEN_FILE")
    if token_file:
        settings["token_store"] = FileTokenStore(token_file)
    return settings


class _BaseClient:
    _config: _Config
    _owns_transport: bool

    @property
    def environment(self) -> Environment:
        return self._config.environment

    @property
    def base_url(self) -> str:
        return self._config.environment.api_base_url

    @property
    def token_store(self) -> TokenStore | None:
        manager = self._config.token_manager
        return manager.store if manager is not None else None

    @property
    def token_manager(self) -> TokenManager | None:
        return self._config.token_manager

    @property
    def retry_policy(self) -> RetryPolicy:
        return self._config.retry

    @property
    def timeout(self) -> httpx.Timeout:
        return self._config.timeout

    def authorization_url(
        self,
        *,
        redirect_uri: str | None = None,
        scopes: Sequence[str] | None = None,
        state: str | None = None,
        prompt: str | None = "select_account",
        use_pkce: bool = True,
    ) -> AuthorizationRequest:
        """Build the URL to send the user to (PKCE, state, ``prompt=select_account``)."""
        config = self._config
        if not config.client_id:
            raise ValueError("client_id is required to build an authorization URL")
        return build_authorization_url(
            authorize_url=config.environment.authorize_url,
            client_id=config.client_id,
            redirect_uri=redirect_uri or config.redirect_uri or "",
            scopes=scopes or config.scopes,
            state=state,
            prompt=prompt,
            use_pkce=use_pkce,
        )

    def _require_manager(self) -> TokenManager:
        if self._config.token_manager is None:
            raise ValueError(
                "this client has no OAuth configuration: pass client_id, client_secret and "
                "token_store (not access_token)"
            )
        return self._config.token_manager

    def _derive(self, **changes: Any) -> _Config:
        config = _Config.__new__(_Config)
        config.__dict__.update(self._config.__dict__)
        timeout = changes.get("timeout", _NOT_GIVEN)
        if timeout is not _NOT_GIVEN:
            config.timeout = (
                timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
            )
        retry: RetryPolicy = changes.get("retry") or self._config.retry
        overrides: dict[str, Any] = {}
        if changes.get("max_retries") is not None:
            overrides["max_retries"] = changes["max_retries"]
        if changes.get("retry_non_idempotent") is not None:
            overrides["retry_non_idempotent"] = changes["retry_non_idempotent"]
        if overrides:
            retry = attrs.evolve(retry, **overrides)
        config.retry = retry
        if changes.get("headers"):
            config.headers = {**config.headers, **changes["headers"]}
        return config

    def _pipeline(self, sleep: Callable[[float], None], async_sleep: Any) -> Pipeline:
        config = self._config
        return Pipeline(
            retry=config.retry,
            token_manager=config.token_manager,
            static_token=config.static_token,
            limiter=config.limiter,
            sleep=sleep,
            async_sleep=async_sleep,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"


class Client(_BaseClient):
    """A synchronous client for the Visma eAccounting API v2.

    Auth: pass ``access_token`` for a static bearer token, or ``client_id``/``client_secret``
    with a ``token_store`` for managed OAuth2 (proactive refresh, single-flight rotation).
    Every request — facade resources, :meth:`request`, and generated operations through
    :attr:`api` — runs through one pipeline: auth, 600/min per-path limiter, retries, typed
    errors, and logging.
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
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout | float | None = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        retry: RetryPolicy | None = None,
        rate_limit: int | RateLimiter | None = 600,
        refresh_skew: float = 300.0,
        redirect_uri: str | None = None,
        scopes: Sequence[str] = DEFAULT_SCOPES,
        max_page_size: int = MAX_PAGE_SIZE,
        headers: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        config = _Config(
            client_id=client_id,
            client_secret=client_secret,
            token_store=token_store,
            access_token=access_token,
            environment=environment,
            base_url=base_url,
            identity_url=identity_url,
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            rate_limit=rate_limit,
            refresh_skew=refresh_skew,
            redirect_uri=redirect_uri,
            scopes=scopes,
            max_page_size=max_page_size,
            headers=headers,
            clock=clock,
            monotonic=monotonic,
        )
        if transport is None:
            transport = httpx.HTTPTransport(retries=0, proxy=_env_proxy(config))
        self._setup(config, transport, sleep, owns=True)

    def _setup(
        self,
        config: _Config,
        inner: httpx.BaseTransport,
        sleep: Callable[[float], None],
        *,
        owns: bool,
    ) -> None:
        self._config = config
        self._inner = inner
        self._sleep = sleep
        self._owns_transport = owns
        self._transport = PipelineTransport(
            inner, self._pipeline(sleep, asyncio.sleep), owns_inner=owns
        )
        self._http = httpx.Client(
            base_url=config.environment.api_base_url,
            transport=self._transport,
            timeout=config.timeout,
            headers=config.headers,
            trust_env=False,
        )
        self._api: ApiNamespace | None = None
        self._api_client: Any = None
        self._resources: SyncResources | None = None

    @classmethod
    def from_env(cls, **overrides: Any) -> Client:
        """Build from ``EACCOUNTING_*`` variables: CLIENT_ID, CLIENT_SECRET, ACCESS_TOKEN,
        TOKEN_FILE, ENVIRONMENT, BASE_URL, IDENTITY_URL, REDIRECT_URI. Keyword arguments win."""
        settings = _env_settings()
        settings.update(overrides)
        return cls(**settings)

    def with_options(
        self,
        *,
        timeout: httpx.Timeout | float | None = _NOT_GIVEN,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        retry_non_idempotent: bool | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Client:
        """A client sharing this one's connection pool, tokens and limiter, with overrides."""
        config = self._derive(
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            retry_non_idempotent=retry_non_idempotent,
            headers=headers,
        )
        clone = Client.__new__(Client)
        clone._setup(config, self._inner, self._sleep, owns=False)
        return clone

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection pool (only the root client owns it)."""
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- auth --------------------------------------------------------------------------------

    def exchange_code(
        self, *, code: str, redirect_uri: str | None = None, code_verifier: str | None = None
    ) -> Token:
        """Exchange the callback's ``code`` for tokens and save them in the token store."""
        manager = self._require_manager()
        return manager.exchange_code(
            self._inner,
            code=code,
            redirect_uri=redirect_uri or self._config.redirect_uri or "",
            code_verifier=code_verifier,
        )

    def refresh_token(self) -> Token:
        """Refresh now (single-flight) and return the new token."""
        manager = self._require_manager()
        current = manager.current()
        return manager.refresh(self._inner, stale=current.access_token if current else None)

    # -- requests ----------------------------------------------------------------------------

    @property
    def http(self) -> httpx.Client:
        """The httpx client whose transport is the pipeline (base URL = API base incl. /v2)."""
        return self._http

    def request(
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

        Raises the typed :class:`~eaccounting.errors.APIError` subclass for error statuses.
        """
        return self._http.request(
            method, path, params=_clean(params), json=json, content=content, headers=headers
        )

    def get_json(self, path: str, *, params: Mapping[str, Any] | None = None) -> Any:
        """GET ``path`` and decode the JSON body (None for an empty body)."""
        return _json(self.request("GET", path, params=params))

    def paginate(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        parse: Callable[[Any], T] = _identity,
        page_size: int | None = None,
        start_page: int = 1,
        prefetch: int = 0,
    ) -> SyncPager[T]:
        """A pager over a list endpoint; ``parse`` turns each raw item into a value."""
        base = dict(_clean(params) or {})

        def fetch(page: int, size: int) -> Page[T]:
            query = {**base, "$page": page, "$pagesize": size}
            body = _json(self.request("GET", path, params=query))
            return parse_page(body, parse, page=page, page_size=size)

        return SyncPager(
            fetch,
            page_size=page_size,
            start_page=start_page,
            prefetch=prefetch,
            max_page_size=self._config.max_page_size,
        )

    # -- generated operations and resources --------------------------------------------------

    @property
    def api_client(self) -> Any:
        """The generated package's client bound to this client's pipeline."""
        if self._api_client is None:
            from .api import make_generated_client

            self._api_client = make_generated_client(self.base_url, sync_client=self._http)
        return self._api_client

    @property
    def api(self) -> ApiNamespace:
        """Every generated operation, pre-bound: ``client.api.customers.list_customers(...)``."""
        if self._api is None:
            from .api import ApiNamespace

            self._api = ApiNamespace(lambda: self.api_client, is_async=False)
        return self._api

    # -- resource facades -------------------------------------------------------------------

    def _res(self) -> SyncResources:
        if self._resources is None:
            from .resources import SyncResources

            self._resources = SyncResources(self)
        return self._resources

    @property
    def customers(self) -> Customers:
        return self._res().customers

    @property
    def suppliers(self) -> Suppliers:
        return self._res().suppliers

    @property
    def articles(self) -> Articles:
        return self._res().articles

    @property
    def customer_invoices(self) -> CustomerInvoices:
        return self._res().customer_invoices

    @property
    def customer_invoice_drafts(self) -> CustomerInvoiceDrafts:
        return self._res().customer_invoice_drafts

    @property
    def supplier_invoices(self) -> SupplierInvoices:
        return self._res().supplier_invoices

    @property
    def supplier_invoice_drafts(self) -> SupplierInvoiceDrafts:
        return self._res().supplier_invoice_drafts

    @property
    def vouchers(self) -> Vouchers:
        return self._res().vouchers

    @property
    def voucher_drafts(self) -> VoucherDrafts:
        return self._res().voucher_drafts

    @property
    def accounts(self) -> Accounts:
        return self._res().accounts

    @property
    def account_balances(self) -> AccountBalances:
        return self._res().account_balances

    @property
    def fiscal_years(self) -> FiscalYears:
        return self._res().fiscal_years

    @property
    def vat_codes(self) -> VatCodes:
        return self._res().vat_codes

    @property
    def terms_of_payment(self) -> TermsOfPayment:
        return self._res().terms_of_payment

    @property
    def projects(self) -> Projects:
        return self._res().projects

    @property
    def cost_centers(self) -> CostCenters:
        return self._res().cost_centers

    @property
    def cost_center_items(self) -> CostCenterItems:
        return self._res().cost_center_items

    @property
    def orders(self) -> Orders:
        return self._res().orders

    @property
    def quotes(self) -> Quotes:
        return self._res().quotes

    @property
    def attachments(self) -> Attachments:
        return self._res().attachments

    @property
    def bank_accounts(self) -> BankAccounts:
        return self._res().bank_accounts

    @property
    def bank_transactions(self) -> BankTransactions:
        return self._res().bank_transactions

    @property
    def customer_ledger_items(self) -> CustomerLedgerItems:
        return self._res().customer_ledger_items

    @property
    def invoice_payments(self) -> InvoicePayments:
        return self._res().invoice_payments

    @property
    def units(self) -> Units:
        return self._res().units

    @property
    def users(self) -> Users:
        return self._res().users

    @property
    def company_settings(self) -> CompanySettings:
        return self._res().company_settings


class AsyncClient(_BaseClient):
    """The asyncio twin of :class:`Client` (same constructor, ``async`` methods)."""

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
        max_retries: int = 2,
        retry: RetryPolicy | None = None,
        rate_limit: int | RateLimiter | None = 600,
        refresh_skew: float = 300.0,
        redirect_uri: str | None = None,
        scopes: Sequence[str] = DEFAULT_SCOPES,
        max_page_size: int = MAX_PAGE_SIZE,
        headers: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        config = _Config(
            client_id=client_id,
            client_secret=client_secret,
            token_store=token_store,
            access_token=access_token,
            environment=environment,
            base_url=base_url,
            identity_url=identity_url,
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            rate_limit=rate_limit,
            refresh_skew=refresh_skew,
            redirect_uri=redirect_uri,
            scopes=scopes,
            max_page_size=max_page_size,
            headers=headers,
            clock=clock,
            monotonic=monotonic,
        )
        if transport is None:
            transport = httpx.AsyncHTTPTransport(retries=0, proxy=_env_proxy(config))
        self._setup(config, transport, sleep, owns=True)

    def _setup(
        self,
        config: _Config,
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
            inner, self._pipeline(time.sleep, sleep), owns_inner=owns
        )
        self._http = httpx.AsyncClient(
            base_url=config.environment.api_base_url,
            transport=self._transport,
            timeout=config.timeout,
            headers=config.headers,
            trust_env=False,
        )
        self._api: ApiNamespace | None = None
        self._api_client: Any = None
        self._resources: AsyncResources | None = None

    @classmethod
    def from_env(cls, **overrides: Any) -> AsyncClient:
        """Build from ``EACCOUNTING_*`` variables (see :meth:`Client.from_env`)."""
        settings = _env_settings()
        settings.update(overrides)
        return cls(**settings)

    def with_options(
        self,
        *,
        timeout: httpx.Timeout | float | None = _NOT_GIVEN,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        retry_non_idempotent: bool | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> AsyncClient:
        """A client sharing this one's connection pool, tokens and limiter, with overrides."""
        config = self._derive(
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            retry_non_idempotent=retry_non_idempotent,
            headers=headers,
        )
        clone = AsyncClient.__new__(AsyncClient)
        clone._setup(config, self._inner, self._sleep, owns=False)
        return clone

    async def aclose(self) -> None:
        """Close the connection pool (only the root client owns it)."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

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

    @property
    def http(self) -> httpx.AsyncClient:
        """The httpx client whose transport is the pipeline."""
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
        """Send a request and return the raw response; typed errors for error statuses."""
        return await self._http.request(
            method, path, params=_clean(params), json=json, content=content, headers=headers
        )

    async def get_json(self, path: str, *, params: Mapping[str, Any] | None = None) -> Any:
        """GET ``path`` and decode the JSON body."""
        return _json(await self.request("GET", path, params=params))

    def paginate(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        parse: Callable[[Any], T] = _identity,
        page_size: int | None = None,
        start_page: int = 1,
        prefetch: int = 0,
    ) -> AsyncPager[T]:
        """An async pager over a list endpoint."""
        base = dict(_clean(params) or {})

        async def fetch(page: int, size: int) -> Page[T]:
            query = {**base, "$page": page, "$pagesize": size}
            body = _json(await self.request("GET", path, params=query))
            return parse_page(body, parse, page=page, page_size=size)

        return AsyncPager(
            fetch,
            page_size=page_size,
            start_page=start_page,
            prefetch=prefetch,
            max_page_size=self._config.max_page_size,
        )

    @property
    def api_client(self) -> Any:
        """The generated package's client bound to this client's pipeline."""
        if self._api_client is None:
            from .api import make_generated_client

            self._api_client = make_generated_client(self.base_url, async_client=self._http)
        return self._api_client

    @property
    def api(self) -> ApiNamespace:
        """Every generated operation: ``await client.api.customers.list_customers(...)``."""
        if self._api is None:
            from .api import ApiNamespace

            self._api = ApiNamespace(lambda: self.api_client, is_async=True)
        return self._api

    # -- resource facades -------------------------------------------------------------------

    def _res(self) -> AsyncResources:
        if self._resources is None:
            from .resources import AsyncResources

            self._resources = AsyncResources(self)
        return self._resources

    @property
    def customers(self) -> AsyncCustomers:
        return self._res().customers

    @property
    def suppliers(self) -> AsyncSuppliers:
        return self._res().suppliers

    @property
    def articles(self) -> AsyncArticles:
        return self._res().articles

    @property
    def customer_invoices(self) -> AsyncCustomerInvoices:
        return self._res().customer_invoices

    @property
    def customer_invoice_drafts(self) -> AsyncCustomerInvoiceDrafts:
        return self._res().customer_invoice_drafts

    @property
    def supplier_invoices(self) -> AsyncSupplierInvoices:
        return self._res().supplier_invoices

    @property
    def supplier_invoice_drafts(self) -> AsyncSupplierInvoiceDrafts:
        return self._res().supplier_invoice_drafts

    @property
    def vouchers(self) -> AsyncVouchers:
        return self._res().vouchers

    @property
    def voucher_drafts(self) -> AsyncVoucherDrafts:
        return self._res().voucher_drafts

    @property
    def accounts(self) -> AsyncAccounts:
        return self._res().accounts

    @property
    def account_balances(self) -> AsyncAccountBalances:
        return self._res().account_balances

    @property
    def fiscal_years(self) -> AsyncFiscalYears:
        return self._res().fiscal_years

    @property
    def vat_codes(self) -> AsyncVatCodes:
        return self._res().vat_codes

    @property
    def terms_of_payment(self) -> AsyncTermsOfPayment:
        return self._res().terms_of_payment

    @property
    def projects(self) -> AsyncProjects:
        return self._res().projects

    @property
    def cost_centers(self) -> AsyncCostCenters:
        return self._res().cost_centers

    @property
    def cost_center_items(self) -> AsyncCostCenterItems:
        return self._res().cost_center_items

    @property
    def orders(self) -> AsyncOrders:
        return self._res().orders

    @property
    def quotes(self) -> AsyncQuotes:
        return self._res().quotes

    @property
    def attachments(self) -> AsyncAttachments:
        return self._res().attachments

    @property
    def bank_accounts(self) -> AsyncBankAccounts:
        return self._res().bank_accounts

    @property
    def bank_transactions(self) -> AsyncBankTransactions:
        return self._res().bank_transactions

    @property
    def customer_ledger_items(self) -> AsyncCustomerLedgerItems:
        return self._res().customer_ledger_items

    @property
    def invoice_payments(self) -> AsyncInvoicePayments:
        return self._res().invoice_payments

    @property
    def units(self) -> AsyncUnits:
        return self._res().units

    @property
    def users(self) -> AsyncUsers:
        return self._res().users

    @property
    def company_settings(self) -> AsyncCompanySettings:
        return self._res().company_settings


def _clean(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Drop None values; render booleans the way the API expects."""
    if not params:
        return None
    out: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        out[key] = ("true" if value else "false") if isinstance(value, bool) else value
    return out


def _json(response: httpx.Response) -> Any:
    if not response.content:
        return None
    return response.json()
