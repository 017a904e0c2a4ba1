"""The request pipeline's decisions, shared by both transports: retry or raise, and logging."""

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
    APITimeoutError,
    RateLimitError,
    error_from_response,
)
from .ratelimit import RateLimiter
from .retries import RetryPolicy

__all__ = ["Pipeline", "after_exception", "after_response", "log", "log_retry"]


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


def log(request: httpx.Request, status: int | str, started: float, pipeline: Pipeline) -> None:
    elapsed_ms = (pipeline.perf_counter() - started) * 1000
    logger.debug("%s %s -> %s (%.1f ms)", request.method, _shown(request), status, elapsed_ms)


class _Decision:
    """What to do after one attempt."""

    __slots__ = ("delay", "error")

    def __init__(self, delay: float | None, error: Exception | None) -> None:
        self.delay = delay  # seconds to wait before the next attempt, None = stop
        self.error = error  # what to raise when stopping (None = return the response)


def after_response(
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


def log_retry(request: httpx.Request, reason: object, delay: float, attempt: int) -> None:
    logger.info(
        "retrying %s %s after %s in %.2f s (retry %d)",
        request.method,
        _shown(request),
        reason,
        delay,
        attempt,
    )


def after_exception(
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
