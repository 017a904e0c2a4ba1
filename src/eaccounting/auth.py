"""OAuth2 authorization-code flow (authlib) and single-flight token refresh.

Visma's refresh tokens are single-use: a refresh returns a new pair and invalidates the old
refresh token at once, with no grace period. Two concurrent refreshes with the same token
therefore lose the grant. :class:`TokenManager` makes refresh single-flight per token store:
a ``threading.Lock`` (shared by every client using that store in this process) serialises
threads, and a per-event-loop ``asyncio.Lock`` queues the tasks of one loop without blocking
it. Whoever gets the lock re-reads the store first and reuses a token another caller already
refreshed. The rotated pair is saved to the store before the new access token is used.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import threading
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import attrs
import httpx

from ._logging import logger
from .errors import APIConnectionError, APITimeoutError, EAccountingError, ReconsentRequiredError
from .tokens import Token, TokenStore

__all__ = [
    "DEFAULT_SCOPES",
    "AuthorizationRequest",
    "TokenEndpointError",
    "TokenManager",
    "TokenPersistenceError",
    "build_authorization_url",
]

# ea:api and offline_access are mandatory (the latter yields the refresh token); without a data
# scope every business endpoint answers 403/4006, so the default asks read/write on all three.
# Pass ``scopes=`` (e.g. the *_readonly ones) for least privilege.
DEFAULT_SCOPES: tuple[str, ...] = (
    "ea:api",
    "offline_access",
    "ea:sales",
    "ea:purchase",
    "ea:accounting",
)


class TokenEndpointError(EAccountingError):
    """The token endpoint refused a request for a reason other than ``invalid_grant``."""

    def __init__(self, message: str, *, error: str | None = None) -> None:
        super().__init__(message)
        self.error = error


class TokenPersistenceError(ReconsentRequiredError):
    """A rotated token pair was received but could not be saved.

    The previous refresh token is already invalid, so the user must authorize again.
    """


@attrs.frozen
class AuthorizationRequest:
    """Where to send the user, plus the values to keep until the callback (server-side)."""

    url: str
    state: str = attrs.field(repr=False)
    code_verifier: str | None = attrs.field(repr=False)


def build_authorization_url(
    *,
    authorize_url: str,
    client_id: str,
    redirect_uri: str,
    scopes: Sequence[str] = DEFAULT_SCOPES,
    state: str | None = None,
    prompt: str | None = "select_account",
    use_pkce: bool = True,
    code_verifier: str | None = None,
    extra_params: Mapping[str, str] | None = None,
) -> AuthorizationRequest:
    """The authorize URL with ``state``, PKCE (S256) and ``prompt=select_account``.

    ``prompt=select_account`` makes Visma show the company picker, because a token is bound to
    the company chosen at login.
    """
    from authlib.oauth2.rfc7636 import create_s256_code_challenge  # type: ignore[import-untyped]

    if not client_id:
        raise ValueError("client_id is required to build an authorization URL")
    if not redirect_uri:
        raise ValueError("redirect_uri is required (it must match the one registered with Visma)")
    state = state or secrets.token_urlsafe(24)
    params: dict[str, str] = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(scopes),
        "state": state,
    }
    if prompt:
        params["prompt"] = prompt
    if use_pkce:
        code_verifier = code_verifier or secrets.token_urlsafe(64)
        params["code_challenge"] = str(create_s256_code_challenge(code_verifier))
        params["code_challenge_method"] = "S256"
    else:
        code_verifier = None
    if extra_params:
        params.update(extra_params)
    return AuthorizationRequest(
        url=f"{authorize_url}?{urlencode(params)}", state=state, code_verifier=code_verifier
    )


class _KeepOpen(httpx.BaseTransport):
    """Lends a transport to authlib's client without letting it close the transport."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(request)


class _AsyncKeepOpen(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(request)


class _Coordinator:
    """The locks shared by every TokenManager that uses one token store."""

    def __init__(self) -> None:
        self.thread_lock = threading.Lock()
        self._loop_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._guard = threading.Lock()

    def loop_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        with self._guard:
            lock = self._loop_locks.get(loop)
            if lock is None:
                lock = self._loop_locks[loop] = asyncio.Lock()
            return lock


_coordinators: dict[int, tuple[Any, _Coordinator]] = {}
_coordinators_guard = threading.Lock()


def _coordinator_for(store: TokenStore) -> _Coordinator:
    with _coordinators_guard:
        entry = _coordinators.get(id(store))
        if entry is not None:
            ref = entry[0]
            if (ref() if isinstance(ref, weakref.ref) else ref) is store:
                return entry[1]
        coordinator = _Coordinator()
        key = id(store)
        try:
            holder: Any = weakref.ref(store, lambda _: _coordinators.pop(key, None))
        except TypeError:  # not weak-referenceable: keep it alive with its coordinator
            holder = store
        _coordinators[key] = (holder, coordinator)
        return coordinator


def _try_process_lock(store: TokenStore) -> bool:
    """Stores shared between processes (FileTokenStore) offer a non-blocking lock."""
    try_lock = getattr(store, "try_lock", None)
    return bool(try_lock()) if callable(try_lock) else True


def _process_unlock(store: TokenStore) -> None:
    unlock = getattr(store, "unlock", None)
    if callable(unlock):
        unlock()


def _lock_deadline(store: TokenStore) -> float | None:
    """When to stop waiting for a shared store's refresh lease (None: the store sets no bound)."""
    wait = getattr(store, "lock_wait_seconds", None)
    return None if wait is None else time.monotonic() + float(wait)


def _check_lock_wait(store: TokenStore, deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        from .stores.lease import StoreLockTimeoutError

        raise StoreLockTimeoutError(
            f"gave up after {getattr(store, 'lock_wait_seconds', 0):g} s waiting for the refresh "
            f"lease of {store!r}: another worker holds it and neither released it nor let it "
            "expire (check lease_seconds < wait_seconds and the store's server)"
        )


def _translate_oauth_error(exc: Exception, grant: str = "refresh_token") -> EAccountingError:
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


class TokenManager:
    """Hands out a valid access token and refreshes it single-flight.

    Holds the current token in memory and goes to the store only when a refresh is due, so a
    file store costs nothing per request.
    """

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
        self._coordinator = _coordinator_for(store)
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

    def _reuse(self, stale: str | None) -> Token | None:
        """Under the lock: a token someone else already refreshed, if there is one."""
        stored = self.store.load()
        if stored is not None and stored.access_token != stale and self._fresh(stored):
            self._token = stored
            return stored
        return None

    def access_token(self, transport: httpx.BaseTransport) -> str:
        """A valid access token, refreshing first if it expires within the skew."""
        token = self.current()
        if self._fresh(token):
            assert token is not None
            return token.access_token
        return self.refresh(transport, stale=token.access_token if token else None).access_token

    async def aaccess_token(self, transport: httpx.AsyncBaseTransport) -> str:
        """Async variant of :meth:`access_token`."""
        token = self.current()
        if self._fresh(token):
            assert token is not None
            return token.access_token
        new = await self.arefresh(transport, stale=token.access_token if token else None)
        return new.access_token

    # -- refreshing --------------------------------------------------------------------------

    def refresh(self, transport: httpx.BaseTransport, *, stale: str | None) -> Token:
        """Refresh unless another caller already replaced the token ``stale``."""
        with self._coordinator.thread_lock:
            deadline = _lock_deadline(self.store)
            while not _try_process_lock(self.store):
                _check_lock_wait(self.store, deadline)
                time.sleep(0.01)
            try:
                reused = self._reuse(stale)
                if reused is not None:
                    return reused
                current = self.store.load()
                refresh_token = self._refresh_token_of(current)
                try:
                    payload = self._post_refresh(transport, refresh_token)
                except ReconsentRequiredError:
                    newer = self._rotated_elsewhere(refresh_token, time.sleep)
                    if newer is None:
                        raise
                    return newer
                return self._persist(payload, current)
            finally:
                _process_unlock(self.store)

    async def arefresh(self, transport: httpx.AsyncBaseTransport, *, stale: str | None) -> Token:
        """Async :meth:`refresh`: one refresh per loop at a time, and one per process."""
        async with self._coordinator.loop_lock():
            # Never block the event loop on the thread lock: poll it.
            lock = self._coordinator.thread_lock
            while not lock.acquire(blocking=False):
                await asyncio.sleep(0.002)
            try:
                deadline = _lock_deadline(self.store)
                while not _try_process_lock(self.store):
                    _check_lock_wait(self.store, deadline)
                    await asyncio.sleep(0.01)
            except BaseException:
                lock.release()
                raise
            try:
                reused = self._reuse(stale)
                if reused is not None:
                    return reused
                current = self.store.load()
                refresh_token = self._refresh_token_of(current)
                # Once the request is out, the old refresh token may already be spent: finish
                # and persist the rotation even if the caller is cancelled meanwhile.
                task = asyncio.ensure_future(self._arotate(transport, refresh_token, current))
                try:
                    return await asyncio.shield(task)
                except asyncio.CancelledError:
                    with contextlib.suppress(Exception):
                        await task
                    raise
            finally:
                _process_unlock(self.store)
                lock.release()

    async def _arotate(
        self, transport: httpx.AsyncBaseTransport, refresh_token: str, current: Token | None
    ) -> Token:
        try:
            payload = await self._apost_refresh(transport, refresh_token)
        except ReconsentRequiredError:
            newer = await self._arotated_elsewhere(refresh_token)
            if newer is None:
                raise
            return newer
        return self._persist(payload, current)

    # -- shared stores (eaccounting.stores): a pair rotated by a worker whose lease ran out --

    def _rotated_elsewhere(self, spent: str, sleep: Callable[[float], None]) -> Token | None:
        """After invalid_grant: the pair a stalled lease holder saved late, if one appears.

        A worker that stalled past its lease may have spent ``spent`` and still be about to
        save the new pair; stores that say so (``rotation_wait_seconds``) are watched that
        long before the grant is declared lost. Other stores are re-read once.
        """
        deadline = time.monotonic() + float(getattr(self.store, "rotation_wait_seconds", 0.0))
        while True:
            stored = self.store.load()
            if stored is not None and stored.refresh_token not in (None, spent):
                self._token = stored
                return stored
            if time.monotonic() >= deadline:
                return None
            sleep(0.05)

    async def _arotated_elsewhere(self, spent: str) -> Token | None:
        deadline = time.monotonic() + float(getattr(self.store, "rotation_wait_seconds", 0.0))
        while True:
            stored = self.store.load()
            if stored is not None and stored.refresh_token not in (None, spent):
                self._token = stored
                return stored
            if time.monotonic() >= deadline:
                return None
            await asyncio.sleep(0.05)

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
            raise ValueError("client_id and client_secret are required to refresh a token")
        return token.refresh_token

    def _persist(self, payload: Mapping[str, Any], previous: Token | None) -> Token:
        data = dict(payload)
        if "expires_at" not in data or data.get("expires_in") is not None:
            data["expires_at"] = self.clock() + float(data.get("expires_in") or 3600)
        if not data.get("refresh_token") and previous is not None:
            data["refresh_token"] = previous.refresh_token
        if not data.get("scope") and previous is not None:
            data["scope"] = previous.scope
        token = Token.from_dict(data)
        try:
            self.store.save(token)
        except Exception as exc:
            raise TokenPersistenceError(
                "re-consent required: a rotated refresh token was received but saving it to "
                f"{self.store!r} failed ({type(exc).__name__}); the previous refresh token is "
                "no longer valid"
            ) from exc
        self._token = token
        self.refresh_count += 1
        logger.debug("eaccounting: access token refreshed, expires_at=%.0f", token.expires_at)
        return token

    def _sync_oauth(self, transport: httpx.BaseTransport) -> Any:
        return _authlib_httpx().OAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            token_endpoint_auth_method="client_secret_basic",
            transport=_KeepOpen(transport),
            timeout=self.timeout,
        )

    def _async_oauth(self, transport: httpx.AsyncBaseTransport) -> Any:
        return _authlib_httpx().AsyncOAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            token_endpoint_auth_method="client_secret_basic",
            transport=_AsyncKeepOpen(transport),
            timeout=self.timeout,
        )

    def _post_refresh(self, transport: httpx.BaseTransport, refresh_token: str) -> Any:
        with self._sync_oauth(transport) as oauth:
            return _call_token_endpoint(
                lambda: oauth.refresh_token(self.token_url, refresh_token=refresh_token),
                self.token_url,
            )

    async def _apost_refresh(self, transport: httpx.AsyncBaseTransport, refresh_token: str) -> Any:
        async with self._async_oauth(transport) as oauth:
            return await _acall_token_endpoint(
                oauth.refresh_token(self.token_url, refresh_token=refresh_token), self.token_url
            )

    # -- authorization code ------------------------------------------------------------------

    def exchange_code(
        self,
        transport: httpx.BaseTransport,
        *,
        code: str,
        redirect_uri: str,
        code_verifier: str | None = None,
    ) -> Token:
        """Exchange an authorization code for a token pair and save it to the store."""
        with self._coordinator.thread_lock, self._sync_oauth(transport) as oauth:
            payload = _call_token_endpoint(
                lambda: oauth.fetch_token(
                    self.token_url,
                    grant_type="authorization_code",
                    code=code,
                    redirect_uri=redirect_uri,
                    code_verifier=code_verifier,
                ),
                self.token_url,
                grant="authorization_code",
            )
            return self._persist(payload, None)

    async def aexchange_code(
        self,
        transport: httpx.AsyncBaseTransport,
        *,
        code: str,
        redirect_uri: str,
        code_verifier: str | None = None,
    ) -> Token:
        """Async :meth:`exchange_code`."""
        async with self._async_oauth(transport) as oauth:
            payload = await _acall_token_endpoint(
                oauth.fetch_token(
                    self.token_url,
                    grant_type="authorization_code",
                    code=code,
                    redirect_uri=redirect_uri,
                    code_verifier=code_verifier,
                ),
                self.token_url,
                grant="authorization_code",
            )
        return self._persist(payload, None)


def _authlib_httpx() -> Any:
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


def _call_token_endpoint(call: Callable[[], Any], url: str, grant: str = "refresh_token") -> Any:
    from authlib.common.errors import AuthlibBaseError  # type: ignore[import-untyped]

    try:
        return call()
    except AuthlibBaseError as exc:
        raise _translate_oauth_error(exc, grant) from None
    except httpx.TimeoutException as exc:
        raise APITimeoutError(
            f"token request timed out: POST {url}", method="POST", url=url
        ) from exc
    except httpx.HTTPError as exc:
        raise APIConnectionError(
            f"token request failed: POST {url}: {type(exc).__name__}", method="POST", url=url
        ) from exc
    except ValueError as exc:  # a non-JSON body from the token endpoint
        raise TokenEndpointError(f"token endpoint returned an unreadable response: {url}") from exc


async def _acall_token_endpoint(awaitable: Any, url: str, grant: str = "refresh_token") -> Any:
    from authlib.common.errors import AuthlibBaseError

    try:
        return await awaitable
    except AuthlibBaseError as exc:
        raise _translate_oauth_error(exc, grant) from None
    except httpx.TimeoutException as exc:
        raise APITimeoutError(
            f"token request timed out: POST {url}", method="POST", url=url
        ) from exc
    except httpx.HTTPError as exc:
        raise APIConnectionError(
            f"token request failed: POST {url}: {type(exc).__name__}", method="POST", url=url
        ) from exc
    except ValueError as exc:
        raise TokenEndpointError(f"token endpoint returned an unreadable response: {url}") from exc
