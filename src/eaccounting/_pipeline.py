"""The request pipeline's decisions, shared by both transports: retry or raise, and logging.

Also the call deadline: ``call_timeout`` bounds one request through the pipeline, retries,
their waits and a body that keeps trickling in included (httpx's timeout bounds each read).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import attrs
import httpx

from ._logging import logger, redact_url
from ._origins import Origin, origin_of
from .auth import TokenManager
from .errors import (
    APIConnectionError,
    APITimeoutError,
    RateLimitError,
    UnexpectedRedirectError,
    error_from_response,
)
from .ratelimit import RateLimiter
from .retries import RetryPolicy

__all__ = [
    "Pipeline",
    "after_exception",
    "after_response",
    "deadline_error",
    "log",
    "log_retry",
    "redirect_error",
]


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
    #: The only origin that gets the bearer token (None: the pipeline sends no token at all).
    api_origin: Origin | None = None
    #: Seconds one request may take in all, retries and waits included (None: unbounded).
    call_timeout: float | None = None
    monotonic: Callable[[], float] = time.monotonic

    def sends_token_to(self, url: httpx.URL) -> bool:
        return self.api_origin is not None and origin_of(url) == self.api_origin

    def deadline(self) -> float | None:
        """When a request that starts now must be finished (monotonic seconds)."""
        return None if self.call_timeout is None else self.monotonic() + self.call_timeout

    def remaining(self, deadline: float | None) -> float | None:
        return None if deadline is None else deadline - self.monotonic()


def _shown(request: httpx.Request) -> str:
    return redact_url(request.url)


def log(request: httpx.Request, status: int | str, started: float, pipeline: Pipeline) -> None:
    elapsed_ms = (pipeline.perf_counter() - started) * 1000
    logger.debug("%s %s -> %s (%.1f ms)", request.method, _shown(request), status, elapsed_ms)


class _Decision:
    """What to do after one attempt."""

    __slots__ = ("delay", "error")

    def __init__(self, delay: float | None, error: Exception) -> None:
        self.delay = delay  # seconds to wait before the next attempt, None = stop
        self.error = error  # what to raise when stopping (or when the wait will not fit)


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
        return _Decision(0.0 if shared_pause else wait, error)
    if response.status_code in policy.retry_statuses and policy.may_retry_method(
        request.method, sent=True
    ):
        return _Decision(policy.backoff(attempt + 1), error)
    return _Decision(None, error)


def _pause_shared_quota(pipeline: Pipeline, request: httpx.Request, error: RateLimitError) -> bool:
    """A limiter shared between workers (stores.RedisRateLimiter) pauses the path for all."""
    pause = getattr(pipeline.limiter, "pause", None)
    if callable(pause) and error.retry_after is not None:
        # Capped like our own waits: a Retry-After of days must not stall every worker for days.
        pause(request.url.path, min(error.retry_after, pipeline.retry.max_rate_limit_wait))
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
    if attempt < policy.max_retries and policy.may_retry_method(request.method, sent=sent):
        return _Decision(policy.backoff(attempt + 1), error)
    return _Decision(None, error)


def deadline_error(pipeline: Pipeline, request: httpx.Request, while_doing: str) -> APITimeoutError:
    url = str(request.url.copy_with(query=None))
    return APITimeoutError(
        f"call_timeout of {pipeline.call_timeout:g} s passed {while_doing}: {request.method} {url}",
        method=request.method,
        url=url,
    )


def _location_shown(response: httpx.Response) -> str | None:
    raw = response.headers.get("Location")
    if not raw:
        return None
    try:
        target = response.request.url.join(raw)
    except (httpx.InvalidURL, ValueError):
        return "<unparseable>"
    # No user info, no query, no fragment: a pre-signed URL or a code would be a secret.
    shown = target.copy_with(username=None, password=None, query=None, fragment=None)
    return str(shown) + ("?…" if target.query else "")


def redirect_error(request: httpx.Request, response: httpx.Response) -> UnexpectedRedirectError:
    """The typed error for a 3xx that answered an API call (and was not followed)."""
    response.request = request
    url = str(request.url.copy_with(query=None))
    location = _location_shown(response)
    status = response.status_code
    where = f"to {location}" if location else "without a Location"
    message = (
        f"{status} {response.reason_phrase or ''}".rstrip()
        + f" | {request.method} {url} | redirected {where}; the API never redirects a call, "
        "so a proxy, a login page or a wrong base_url is answering (the bearer token was not "
        "sent there)"
    )
    return UnexpectedRedirectError(
        message,
        location=location,
        status=status,
        method=request.method,
        url=url,
        response=response,
    )
