"""What the sync and async token flows share: the token in memory, persisting a rotation,
and turning the token endpoint's refusals into typed errors."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from ._concurrency import coordinator_for
from ._logging import logger
from .errors import (
    ConfigurationError,
    EAccountingError,
    ReconsentRequiredError,
    TokenPersistenceError,
    TokenStoreAccessError,
)
from .tokens import Token, TokenStore

__all__ = [
    "DEFAULT_LOCK_WAIT_SECONDS",
    "TokenEndpointError",
    "TokenPersistenceError",
    "TokenState",
    "authlib_httpx",
    "translate_oauth_error",
]


class TokenEndpointError(EAccountingError):
    """The token endpoint refused a request for a reason other than ``invalid_grant``."""

    def __init__(self, message: str, *, error: str | None = None) -> None:
        super().__init__(message)
        self.error = error


#: How long a refresh waits for another process's refresh lock when neither the store
#: (``lock_wait_seconds``) nor the client's timeout says (``timeout=None``).
DEFAULT_LOCK_WAIT_SECONDS = 60.0


def lock_wait_of(timeout: httpx.Timeout | float | None) -> float:
    """The call's timeout as one bound for waiting on a refresh lock: its longest part."""
    if timeout is None:
        return DEFAULT_LOCK_WAIT_SECONDS
    if not isinstance(timeout, httpx.Timeout):
        return float(timeout)
    parts = [timeout.connect, timeout.read, timeout.write, timeout.pool]
    finite = [float(part) for part in parts if part is not None]
    return max(finite) if finite else DEFAULT_LOCK_WAIT_SECONDS


def translate_oauth_error(exc: Exception, grant: str = "refresh_token") -> EAccountingError:
    error = getattr(exc, "error", None)
    description = getattr(exc, "description", None) or ""
    if error == "invalid_grant" and grant == "authorization_code":
        return ReconsentRequiredError(
            "re-consent required: the token endpoint rejected the authorization code "
            "(invalid_grant). A code is single-use and short-lived, and redirect_uri and the "
            "PKCE verifier must match the authorization request; start the authorization flow "
            "again."
        )
    if error == "invalid_grant":
        return ReconsentRequiredError(
            "re-consent required: the token endpoint rejected the refresh token (invalid_grant). "
            "It was used already, revoked, or the user changed password; send the user through "
            "the authorization flow again."
        )
    return TokenEndpointError(
        f"token endpoint error {error or 'unknown'}: {description}".rstrip(": "), error=error
    )


class TokenState:
    """A token manager's state and the steps its sync and async flows share."""

    def __init__(
        self,
        *,
        store: TokenStore,
        client_id: str | None,
        client_secret: str | None,
        token_url: str,
        refresh_skew: float = 300.0,
        clock: Callable[[], float] = time.time,
        timeout: httpx.Timeout | float | None = 30.0,
    ) -> None:
        if refresh_skew < 0:
            raise ValueError(f"refresh_skew={refresh_skew!r} must be >= 0")
        self.store = store
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_url = token_url
        self.refresh_skew = refresh_skew
        self.clock = clock
        self.timeout = timeout
        self.lock_wait = lock_wait_of(timeout)
        self._coordinator = coordinator_for(store)
        self._token: Token | None = None
        #: How many refresh requests this manager sent (for tests and diagnostics).
        self.refresh_count = 0

    def __repr__(self) -> str:
        return f"TokenManager(store={self.store!r}, token_url={self.token_url!r})"

    # -- reading -----------------------------------------------------------------------------

    def _fresh(self, token: Token | None) -> bool:
        return token is not None and not token.expires_within(self.refresh_skew, now=self.clock())

    def current(self) -> Token | None:
        """The token in memory, loading it from the store the first time."""
        if self._token is None:
            self._token = self.store.load()
        return self._token

    def _newest(self, stored: Token | None) -> Token | None:
        """The stored pair, unless it is older than a pair we hold unsaved."""
        unsaved: Token | None = self._coordinator.unsaved
        if unsaved is None:
            return stored
        if stored is None or stored.refresh_token in self._coordinator.superseded:
            return unsaved
        # The store moved on: the caller saved our pair, or another process refreshed.
        self._coordinator.unsaved = None
        return stored

    def _reuse(self, stale: str | None) -> Token | None:
        """Under the lock: a token someone else already refreshed, if there is one."""
        stored = self._newest(self.store.load())
        if stored is not None and stored.access_token != stale and self._fresh(stored):
            self._token = stored
            return stored
        return None

    def _rotated_in_store(self, spent: str) -> Token | None:
        """A pair in the store whose refresh token is not ``spent`` (rotated by another worker)."""
        stored = self.store.load()
        if stored is not None and stored.refresh_token not in (None, spent):
            self._token = stored
            return stored
        return None

    def _refresh_token_of(self, token: Token | None) -> str:
        if token is None:
            raise ReconsentRequiredError(
                "re-consent required: the token store is empty; authorize the app first"
            )
        if not token.refresh_token:
            raise ReconsentRequiredError(
                "re-consent required: the access token expired and there is no refresh token "
                "(request the offline_access scope)"
            )
        if not self.client_id or not self.client_secret:
            raise ConfigurationError(
                "client_id and client_secret are required to refresh a token (pass them, or "
                "set EACCOUNTING_CLIENT_ID and EACCOUNTING_CLIENT_SECRET)"
            )
        return token.refresh_token

    def _check_store_writable(self) -> None:
        """Before a refresh token or code is spent: can the store take the new pair?"""
        check = getattr(self.store, "check_writable", None)
        writable = getattr(self.store, "writable", None)
        try:
            if callable(check):
                check()
                return
            ok = writable() if callable(writable) else True
        except EAccountingError:
            raise
        except Exception as exc:
            raise TokenStoreAccessError(
                f"checking that {self.store!r} can be written failed ({type(exc).__name__}); "
                "no refresh token was spent"
            ) from exc
        if not ok:
            raise TokenStoreAccessError(
                f"the token store {self.store!r} cannot be written now; no refresh token was spent"
            )

    def _persist(self, payload: Mapping[str, Any], previous: Token | None) -> Token:
        data = dict(payload)
        if "expires_at" not in data or data.get("expires_in") is not None:
            data["expires_at"] = self.clock() + float(data.get("expires_in") or 3600)
        if not data.get("refresh_token") and previous is not None:
            data["refresh_token"] = previous.refresh_token
        if not data.get("scope") and previous is not None:
            data["scope"] = previous.scope
        token = Token.from_dict(data)
        if previous is not None and previous.refresh_token:
            self._coordinator.superseded.append(previous.refresh_token)
        elif previous is None:  # a new consent replaces whatever the store holds
            with contextlib.suppress(Exception):
                stored = self.store.load()
                if stored is not None and stored.refresh_token:
                    self._coordinator.superseded.append(stored.refresh_token)
        try:
            self.store.save(token)
        except Exception as exc:
            # The old refresh token is spent: keep the new pair for this process and hand it
            # to the caller, who may persist it elsewhere. Losing it would lose the grant.
            self._token = self._coordinator.unsaved = token
            self.refresh_count += 1
            path = getattr(exc, "path", None)
            raise TokenPersistenceError(
                f"a rotated token pair was received but saving it to {self.store!r} failed "
                f"({_describe(exc)}); the pair is kept in memory, so this "
                "process's later calls use it, and is attached as .token: persist it "
                "elsewhere before the process exits, or the user must authorize again",
                path=path if isinstance(path, str) else None,
                token=token,
            ) from exc
        self._coordinator.unsaved = None
        self._token = token
        self.refresh_count += 1
        logger.debug("eaccounting: access token refreshed, expires_at=%.0f", token.expires_at)
        return token


def _describe(exc: Exception) -> str:
    """Our own and the OS's messages carry no secrets; a custom store's might: name it only."""
    if isinstance(exc, (OSError, EAccountingError)):
        return f"{type(exc).__name__}: {exc}"
    return type(exc).__name__


def authlib_httpx() -> Any:
    """authlib's httpx integration, imported on first token request.

    authlib >= 1.9 warns that its plain-httpx fallback is deprecated in favour of the
    ``httpx2`` package; the integration works unchanged with httpx 0.28, so the warning is
    silenced here rather than shown to every user.
    """
    import warnings

    # authlib.deprecate installs an "always" filter when imported: import it first so the
    # "ignore" below takes precedence.
    from authlib.deprecate import AuthlibDeprecationWarning  # type: ignore[import-untyped]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AuthlibDeprecationWarning)
        import authlib.integrations.httpx_client as module  # type: ignore[import-untyped]
    return module
