"""Talking to the token endpoint: hand out a valid access token, refresh single-flight.

Visma's refresh tokens are single-use, so a refresh holds the store's lock (see
``_concurrency``), re-reads the store, and reuses a token another caller already refreshed.
"""

from __future__ import annotations

import asyncio  # unasync: remove
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from .._concurrency import arefresh_lock, ashielded
from .._oauth import TokenEndpointError, TokenState, authlib_httpx, translate_oauth_error
from ..errors import APIConnectionError, APITimeoutError, ReconsentRequiredError
from ..tokens import Token

__all__ = ["AsyncTokenFlow"]


class _AsyncKeepOpen(httpx.AsyncBaseTransport):
    """Lends a transport to authlib's client without letting it close the transport."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(request)


class AsyncTokenFlow(TokenState):
    """The token manager's asynchronous methods."""

    async def aaccess_token(self, transport: httpx.AsyncBaseTransport) -> str:
        """A valid access token, refreshing first if it expires within the skew."""
        token = self.current()
        if self._fresh(token):
            assert token is not None
            return token.access_token
        new = await self.arefresh(transport, stale=token.access_token if token else None)
        return new.access_token

    async def arefresh(self, transport: httpx.AsyncBaseTransport, *, stale: str | None) -> Token:
        """Refresh unless another caller already replaced the token ``stale``."""
        async with arefresh_lock(self._coordinator, self.store, self.lock_wait):
            reused = self._reuse(stale)
            if reused is not None:
                return reused
            current = self._newest(self.store.load())
            refresh_token = self._refresh_token_of(current)
            # Spending the refresh token is irreversible: first make sure the new pair can be
            # saved (a store that cannot take it fails here, with the grant intact).
            self._check_store_writable()
            return await ashielded(self._arotate(transport, refresh_token, current))

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

    async def _arotated_elsewhere(self, spent: str) -> Token | None:
        """After invalid_grant: the pair a stalled lease holder saved late, if one appears.

        A worker that stalled past its lease (``eaccounting.stores``) may have spent ``spent``
        and still be about to save the new pair; stores that say so (``rotation_wait_seconds``)
        are watched that long before the grant is declared lost. Other stores are re-read once.
        """
        deadline = time.monotonic() + float(getattr(self.store, "rotation_wait_seconds", 0.0))
        while True:
            stored = self._rotated_in_store(spent)
            if stored is not None:
                return stored
            if time.monotonic() >= deadline:
                return None
            await asyncio.sleep(0.05)

    def _async_oauth(self, transport: httpx.AsyncBaseTransport) -> Any:
        return authlib_httpx().AsyncOAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            token_endpoint_auth_method="client_secret_basic",
            transport=_AsyncKeepOpen(transport),
            timeout=self.timeout,
        )

    async def _apost_refresh(self, transport: httpx.AsyncBaseTransport, refresh_token: str) -> Any:
        async with self._async_oauth(transport) as oauth:
            return await _acall_token_endpoint(
                lambda: oauth.refresh_token(self.token_url, refresh_token=refresh_token),
                self.token_url,
            )

    async def aexchange_code(
        self,
        transport: httpx.AsyncBaseTransport,
        *,
        code: str,
        redirect_uri: str,
        code_verifier: str | None = None,
    ) -> Token:
        """Exchange an authorization code for a token pair and save it to the store."""
        async with arefresh_lock(self._coordinator, self.store, self.lock_wait):
            self._check_store_writable()  # a code is single-use too
            async with self._async_oauth(transport) as oauth:
                payload = await _acall_token_endpoint(
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


async def _acall_token_endpoint(
    call: Callable[[], Awaitable[Any]], url: str, grant: str = "refresh_token"
) -> Any:
    from authlib.common.errors import AuthlibBaseError  # type: ignore[import-untyped]

    try:
        return await call()
    except AuthlibBaseError as exc:
        raise translate_oauth_error(exc, grant) from None
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
