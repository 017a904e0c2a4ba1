"""The request pipeline as httpx transports: auth, rate limit, retries, typed errors, logging.

Putting the pipeline in a transport means every request made with the client's httpx client
goes through it: the facade's own calls and every generated operation (``client.api``) alike.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import attrs
import httpx

from ._logging import logger, redact_url
from .auth import TokenManager
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    RateLimitError,
    error_from_response,
)
from .ratelimit import RateLimiter
from .retries import RetryPolicy

__all__ = ["AsyncPipelineTransport", "Pipeline", "PipelineTransport"]


@attrs.define
class Pipeline:
    """What the transports share: auth, limiter, retry policy, injectable time."""

    retry: RetryPolicy
    token_manager: TokenManager | None = None
    static_token: str | None = attrs.field(default=None, repr=False)
    limiter: RateLimiter | None = None
    sleep: Callable[[float], None] = time.sleep
    async_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    perf_counter: Callable[[], float] = time.perf_counter


def _shown(request: httpx.Request) -> str:
    return redact_url(request.url)


def _log(request: httpx.Request, status: int | str, started: float, pipeline: Pipeline) -> None:
    elapsed_ms = (pipeline.perf_counter() - started) * 1000
    logger.debug("%s %s -> %s (%.1f ms)", request.method, _shown(request), status, elapsed_ms)


def _read(response: httpx.Response) -> None:
    try:
        response.read()
    finally:
        response.close()


async def _aread(response: httpx.Response) -> None:
    try:
        await response.aread()
    finally:
        await response.aclose()


class _Decision:
    """What to do after one attempt."""

    __slots__ = ("delay", "error")

    def __init__(self, delay: float | None, error: Exception | None) -> None:
        self.delay = delay  # seconds to wait before the next attempt, None = stop
        self.error = error  # what to raise when stopping (None = return the response)


def _after_response(
    pipeline: Pipeline, request: httpx.Request, response: httpx.Response, attempt: int
) -> _Decision:
    """Decide on an error response whose body has been read."""
    response.request = request
    error = error_from_response(response, url=str(request.url.copy_with(query=None)))
    policy = pipeline.retry
    shared_pause = isinstance(error, RateLimitError) and _pause_shared_quota(
        pipeline, request, error
    )
    if attempt >= policy.max_retries:
        return _Decision(None, error)
    if isinstance(error, RateLimitError):
        wait = error.retry_after if error.retry_after is not None else policy.backoff(attempt + 1)
        if wait > policy.max_rate_limit_wait:
            return _Decision(None, error)
        # A shared limiter now holds the key: the retry's slot reservation does the waiting.
        return _Decision(0.0 if shared_pause else wait, None)
    if response.status_code in policy.retry_statuses and policy.may_retry_method(
        request.method, sent=True
    ):
        return _Decision(policy.backoff(attempt + 1), None)
    return _Decision(None, error)


def _pause_shared_quota(pipeline: Pipeline, request: httpx.Request, error: RateLimitError) -> bool:
    """A limiter shared between workers (stores.RedisRateLimiter) pauses the path for all."""
    pause = getattr(pipeline.limiter, "pause", None)
    if callable(pause) and error.retry_after is not None:
        pause(request.url.path, error.retry_after)
        return True
    return False


def _log_retry(request: httpx.Request, reason: object, delay: float, attempt: int) -> None:
    logger.info(
        "retrying %s %s after %s in %.2f s (retry %d)",
        request.method,
        _shown(request),
        reason,
        delay,
        attempt,
    )


def _after_exception(
    pipeline: Pipeline, request: httpx.Request, exc: httpx.TransportError, attempt: int
) -> _Decision:
    policy = pipeline.retry
    # A connect error/timeout means nothing reached the server: safe to retry any method.
    sent = not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))
    url = str(request.url.copy_with(query=None))
    if attempt < policy.max_retries and policy.may_retry_method(request.method, sent=sent):
        return _Decision(policy.backoff(attempt + 1), None)
    error: Exception
    if isinstance(exc, httpx.TimeoutException):
        error = APITimeoutError(
            f"request timed out ({type(exc).__name__}): {request.method} {url}",
            method=request.method,
            url=url,
        )
    else:
        error = APIConnectionError(
            f"connection failed ({type(exc).__name__}): {request.method} {url}",
            method=request.method,
            url=url,
        )
    return _Decision(None, error)


class PipelineTransport(httpx.BaseTransport):
    """Wraps a transport with the client pipeline (sync)."""

    def __init__(
        self, inner: httpx.BaseTransport, pipeline: Pipeline, *, owns_inner: bool = True
    ) -> None:
        self.inner = inner
        self.pipeline = pipeline
        self.owns_inner = owns_inner

    def _authorize(self, request: httpx.Request) -> str | None:
        pipeline = self.pipeline
        if pipeline.token_manager is not None:
            token: str | None = pipeline.token_manager.access_token(self.inner)
        else:
            token = pipeline.static_token
        if token is not None:
            request.headers["Authorization"] = f"Bearer {token}"
        return token

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        pipeline = self.pipeline
        attempt = 0
        # One refresh per attempt: a token may die again while a later retry waits (a 429
        # burst), but a token rejected right after its own refresh is a real 401.
        reauthorized_at = -1
        key = request.url.path
        debug = logger.isEnabledFor(10)
        while True:
            if pipeline.limiter is not None:
                wait = pipeline.limiter.reserve(key)
                if wait > 0:
                    pipeline.sleep(wait)
            # After the quota wait: a token must not age (or die) while the request queues.
            token = self._authorize(request)
            started = pipeline.perf_counter()
            try:
                response = self.inner.handle_request(request)
                # Read the body here, inside the retry loop: a body cut off mid-stream is a
                # transport failure like any other (retried for idempotent methods), not a
                # raw httpx error surfacing later from the caller's read.
                _read(response)
            except httpx.TransportError as exc:
                if debug:
                    _log(request, type(exc).__name__, started, pipeline)
                decision = _after_exception(pipeline, request, exc, attempt)
                if decision.delay is None:
                    assert decision.error is not None
                    raise decision.error from exc
                attempt += 1
                _log_retry(request, type(exc).__name__, decision.delay, attempt)
                pipeline.sleep(decision.delay)
                continue
            if debug:
                _log(request, response.status_code, started, pipeline)
            if response.status_code < 400:
                return response
            if (
                response.status_code == 401
                and pipeline.token_manager is not None
                and reauthorized_at != attempt
            ):
                reauthorized_at = attempt
                pipeline.token_manager.refresh(self.inner, stale=token)
                continue
            decision = _after_response(pipeline, request, response, attempt)
            if decision.delay is None:
                assert isinstance(decision.error, APIError)
                raise decision.error
            attempt += 1
            _log_retry(request, response.status_code, decision.delay, attempt)
            pipeline.sleep(decision.delay)

    def close(self) -> None:
        if self.owns_inner:
            self.inner.close()


class AsyncPipelineTransport(httpx.AsyncBaseTransport):
    """Wraps an async transport with the client pipeline."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport, pipeline: Pipeline, *, owns_inner: bool = True
    ) -> None:
        self.inner = inner
        self.pipeline = pipeline
        self.owns_inner = owns_inner

    async def _authorize(self, request: httpx.Request) -> str | None:
        pipeline = self.pipeline
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
        while True:
            if pipeline.limiter is not None:
                wait = pipeline.limiter.reserve(key)
                if wait > 0:
                    await pipeline.async_sleep(wait)
            # After the quota wait: a token must not age (or die) while the request queues.
            token = await self._authorize(request)
            started = pipeline.perf_counter()
            try:
                response = await self.inner.handle_async_request(request)
                await _aread(response)
            except httpx.TransportError as exc:
                if debug:
                    _log(request, type(exc).__name__, started, pipeline)
                decision = _after_exception(pipeline, request, exc, attempt)
                if decision.delay is None:
                    assert decision.error is not None
                    raise decision.error from exc
                attempt += 1
                _log_retry(request, type(exc).__name__, decision.delay, attempt)
                await pipeline.async_sleep(decision.delay)
                continue
            if debug:
                _log(request, response.status_code, started, pipeline)
            if response.status_code < 400:
                return response
            if (
                response.status_code == 401
                and pipeline.token_manager is not None
                and reauthorized_at != attempt
            ):
                reauthorized_at = attempt
                await pipeline.token_manager.arefresh(self.inner, stale=token)
                continue
            decision = _after_response(pipeline, request, response, attempt)
            if decision.delay is None:
                assert isinstance(decision.error, APIError)
                raise decision.error
            attempt += 1
            _log_retry(request, response.status_code, decision.delay, attempt)
            await pipeline.async_sleep(decision.delay)

    async def aclose(self) -> None:
        if self.owns_inner:
            await self.inner.aclose()
