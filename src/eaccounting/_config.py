"""What ``Client`` and ``AsyncClient`` share: configuration, environment, properties."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any

import attrs
import httpx

from ._json_wire import decode_response
from ._logging import setup_logging
from ._origins import check_transport_security, origin_of
from ._pipeline import Pipeline
from .auth import AuthorizationRequest, TokenManager, build_authorization_url
from .environments import Environment, resolve_environment
from .errors import ConfigurationError
from .ratelimit import RateLimiter
from .retries import RetryPolicy
from .tokens import MemoryTokenStore, TokenStore

__all__ = [
    "DEFAULT_CALL_TIMEOUT",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "USER_AGENT",
    "BaseClient",
    "Config",
    "clean_params",
    "env_proxy",
    "identity",
    "json_body",
]

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
#: Seconds one call may take in all (retries, 429 waits and a slow body included): room for
#: the default two retries after two capped 65 s quota waits and full 30 s reads.
DEFAULT_CALL_TIMEOUT = 300.0
USER_AGENT = "visma-eaccounting-python/0.1.0"

NOT_GIVEN: Any = object()


def identity(value: Any) -> Any:
    return value


class Config:
    """Everything a client and its ``with_options`` copies share or copy."""

    def __init__(self, arguments: Mapping[str, Any]) -> None:
        """Built from the client constructor's arguments (``locals()``): its signature is the
        one place the parameters are written."""
        a: Any = SimpleNamespace(**arguments)
        setup_logging()
        self.environment: Environment = resolve_environment(
            a.environment, base_url=a.base_url, identity_url=a.identity_url
        )
        self.allow_insecure_http = bool(a.allow_insecure_http)
        for setting, url in (
            ("base_url", self.environment.api_base_url),
            ("identity_url", self.environment.identity_url),
        ):
            check_transport_security(
                url, setting=setting, allow_insecure_http=self.allow_insecure_http
            )
        self.client_id = a.client_id
        self.client_secret = a.client_secret
        self.redirect_uri = a.redirect_uri
        self.scopes = tuple(a.scopes)
        if (
            isinstance(a.max_page_size, bool)
            or not isinstance(a.max_page_size, int)
            or a.max_page_size < 1
        ):
            raise ValueError(f"max_page_size={a.max_page_size!r} must be an integer >= 1")
        self.max_page_size = a.max_page_size
        self.timeout: httpx.Timeout = (
            a.timeout if isinstance(a.timeout, httpx.Timeout) else httpx.Timeout(a.timeout)
        )
        self.retry = a.retry if a.retry is not None else RetryPolicy(max_retries=a.max_retries)
        self.call_timeout = _check_call_timeout(a.call_timeout)
        self.monotonic = a.monotonic
        # An int is requests per minute per endpoint path (Visma: 600); pass a RateLimiter to
        # share one between clients or to use another window.
        if isinstance(a.rate_limit, RateLimiter):
            self.limiter: RateLimiter | None = a.rate_limit
        else:
            self.limiter = (
                RateLimiter(a.rate_limit, 60.0, clock=a.monotonic) if a.rate_limit else None
            )
        self.static_token = a.access_token
        self.headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **(a.headers or {})}
        if a.access_token is not None:
            self.token_manager: TokenManager | None = None
        elif a.token_store is not None or a.client_id is not None:
            self.token_manager = TokenManager(
                store=a.token_store if a.token_store is not None else MemoryTokenStore(),
                client_id=a.client_id,
                client_secret=a.client_secret,
                token_url=self.environment.token_url,
                refresh_skew=a.refresh_skew,
                clock=a.clock,
                timeout=self.timeout,
            )
        else:
            self.token_manager = None


def _check_call_timeout(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ConfigurationError(
            f"call_timeout={value!r} must be a number of seconds > 0, or None for no deadline"
        )
    return float(value)


def env_proxy(config: Config) -> str | None:
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


class BaseClient:
    _config: Config
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

    def _derive(self, **changes: Any) -> Config:
        config = Config.__new__(Config)
        config.__dict__.update(self._config.__dict__)
        timeout = changes.get("timeout", NOT_GIVEN)
        if timeout is not NOT_GIVEN:
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
        call_timeout = changes.get("call_timeout", NOT_GIVEN)
        if call_timeout is not NOT_GIVEN:
            config.call_timeout = _check_call_timeout(call_timeout)
        if changes.get("headers"):
            config.headers = {**config.headers, **changes["headers"]}
        return config

    def _pipeline(self, **sleep: Any) -> Pipeline:
        """The pipeline with this client's ``sleep`` (``sleep=`` or ``async_sleep=``)."""
        config = self._config
        return Pipeline(
            retry=config.retry,
            token_manager=config.token_manager,
            static_token=config.static_token,
            limiter=config.limiter,
            api_origin=origin_of(config.environment.api_base_url),
            call_timeout=config.call_timeout,
            monotonic=config.monotonic,
            **sleep,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"


def clean_params(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Drop None values; render booleans the way the API expects."""
    if not params:
        return None
    out: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        out[key] = ("true" if value else "false") if isinstance(value, bool) else value
    return out


def json_body(response: httpx.Response) -> Any:
    """The decoded body (None when empty): numbers as Decimal, see ``_json_wire``."""
    return decode_response(response)
