"""The request pipeline as an httpx transport: auth, rate limit, retries, typed errors, logging.

Putting the pipeline in a transport means every request made with the client's httpx client
goes through it: the facade's own calls and every generated operation (``client.api``) alike.
The bearer token is added per hop, so it goes only where the pipeline says (the API origin),
whatever URL a caller names or a redirect leads to.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from .._logging import logger
from .._pipeline import (
    Pipeline,
    after_exception,
    after_response,
    deadline_error,
    log,
    log_retry,
    redirect_error,
)
from ..errors import APIConnectionError

__all__ = ["AsyncPipelineClient", "AsyncPipelineTransport"]

_CONDITIONAL = ("If-None-Match", "If-Modified-Since")


class _AsyncDeadlineStream(httpx.AsyncByteStream):
    """A response body that fails like a read timeout once the call's deadline has passed.

    httpx bounds each read, so a server sending a byte every few seconds would never time out.
    """

    def __init__(
        self,
        inner: httpx.AsyncByteStream,
        request: httpx.Request,
        deadline: float,
        clock: Callable[[], float],
    ) -> None:
        self._inner = inner
        self._request = request
        self._deadline = deadline
        self._clock = clock

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            if self._clock() > self._deadline:
                raise httpx.ReadTimeout(
                    "the call deadline passed while the response body was arriving",
                    request=self._request,
                )
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


async def _aread(response: httpx.Response) -> None:
    try:
        await response.aread()
    finally:
        await response.aclose()


def _bounded_timeouts(request: httpx.Request, base: Any, remaining: float) -> None:
    """Each of connect/read/write/pool waits at most what is left of the call's time."""
    if not isinstance(base, dict):
        return
    request.extensions["timeout"] = {
        key: remaining if value is None else min(value, remaining) for key, value in base.items()
    }


class AsyncPipelineTransport(httpx.AsyncBaseTransport):
    """Wraps a transport with the client pipeline."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport, pipeline: Pipeline, *, owns_inner: bool = True
    ) -> None:
        self.inner = inner
        self.pipeline = pipeline
        self.owns_inner = owns_inner

    async def _authorize(self, request: httpx.Request) -> str | None:
        pipeline = self.pipeline
        if not pipeline.sends_token_to(request.url):
            # Another origin (an absolute URL, a redirect hop): no credential of ours goes there.
            request.headers.pop("Authorization", None)
            return None
        if pipeline.token_manager is not None:
            token: str | None = await pipeline.token_manager.aaccess_token(self.inner)
        else:
            token = pipeline.static_token
        if token is not None:
            request.headers["Authorization"] = f"Bearer {token}"
        return token

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        pipeline = self.pipeline
        attempt = 0
        # One refresh per attempt: a token may die again while a later retry waits (a 429
        # burst), but a token rejected right after its own refresh is a real 401.
        reauthorized_at = -1
        key = request.url.path
        debug = logger.isEnabledFor(10)
        timeouts = request.extensions.get("timeout")
        deadline: float | None = None
        while True:
            if pipeline.limiter is not None:
                wait = pipeline.limiter.reserve(key)
                remaining = pipeline.remaining(deadline)
                if remaining is not None and wait > remaining:
                    raise deadline_error(pipeline, request, f"before a {wait:g} s quota wait")
                if wait > 0:
                    await pipeline.async_sleep(wait)
            # The call's clock starts once the client's own quota queue lets it go: a batch
            # of many calls queues for as long as the quota needs, each call is then bounded.
            if deadline is None:
                deadline = pipeline.deadline()
            remaining = pipeline.remaining(deadline)
            if remaining is not None:
                if remaining <= 0:
                    raise deadline_error(pipeline, request, "before the request was sent")
                _bounded_timeouts(request, timeouts, remaining)
            # After the quota wait: a token must not age (or die) while the request queues.
            token = await self._authorize(request)
            started = pipeline.perf_counter()
            try:
                response = await self.inner.handle_async_request(request)
                if deadline is not None:
                    assert isinstance(response.stream, httpx.AsyncByteStream)
                    response.stream = _AsyncDeadlineStream(
                        response.stream, request, deadline, pipeline.monotonic
                    )
                # Read the body here, inside the retry loop: a body cut off mid-stream is a
                # transport failure like any other (retried for idempotent methods), not a
                # raw httpx error surfacing later from the caller's read.
                await _aread(response)
            except httpx.TransportError as exc:
                if debug:
                    log(request, type(exc).__name__, started, pipeline)
                remaining = pipeline.remaining(deadline)
                if remaining is not None and remaining <= 0:
                    raise deadline_error(pipeline, request, "waiting for the response") from exc
                decision = after_exception(pipeline, request, exc, attempt)
                if decision.delay is None or (remaining is not None and decision.delay > remaining):
                    raise decision.error from exc
                attempt += 1
                log_retry(request, type(exc).__name__, decision.delay, attempt)
                await pipeline.async_sleep(decision.delay)
                continue
            if debug:
                log(request, response.status_code, started, pipeline)
            if response.status_code < 400:
                return response
            if (
                response.status_code == 401
                and token is not None
                and pipeline.token_manager is not None
                and reauthorized_at != attempt
            ):
                reauthorized_at = attempt
                await pipeline.token_manager.arefresh(self.inner, stale=token)
                continue
            decision = after_response(pipeline, request, response, attempt)
            remaining = pipeline.remaining(deadline)
            if decision.delay is None or (remaining is not None and decision.delay > remaining):
                raise decision.error
            attempt += 1
            log_retry(request, response.status_code, decision.delay, attempt)
            await pipeline.async_sleep(decision.delay)

    async def aclose(self) -> None:
        if self.owns_inner:
            await self.inner.aclose()


class AsyncPipelineClient(httpx.AsyncClient):
    """The httpx client of :attr:`AsyncClient.http`: a redirect it does not follow is an error.

    The API never answers a call with a 3xx; one that reaches a caller (a proxy's login page,
    a wrong base URL) would otherwise come back as an empty "success" (``None`` from
    ``client.api``, a ``TypeError`` in the facade). Redirects a caller asks httpx to follow
    still work: the pipeline sends the bearer only to the API origin.
    """

    async def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        auth: Any = httpx.USE_CLIENT_DEFAULT,
        follow_redirects: Any = httpx.USE_CLIENT_DEFAULT,
    ) -> httpx.Response:
        try:
            response = await super().send(
                request, stream=stream, auth=auth, follow_redirects=follow_redirects
            )
        except httpx.TooManyRedirects as exc:
            url = str(request.url.copy_with(query=None))
            raise APIConnectionError(
                f"too many redirects ({exc}): {request.method} {url}",
                method=request.method,
                url=url,
            ) from exc
        if 300 <= response.status_code < 400 and not (
            response.status_code == 304
            and any(name in response.request.headers for name in _CONDITIONAL)
        ):
            await response.aclose()
            raise redirect_error(response.request, response)
        return response
