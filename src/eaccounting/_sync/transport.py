# Derived from src/eaccounting/_async/transport.py by scripts/unasync.py: do not edit.
# Change the async source and run `make unasync` (`make lint` fails when they drift).
"""The request pipeline as an httpx transport: auth, rate limit, retries, typed errors, logging.

Putting the pipeline in a transport means every request made with the client's httpx client
goes through it: the facade's own calls and every generated operation (``client.api``) alike.
"""

from __future__ import annotations

import httpx

from .._logging import logger
from .._pipeline import Pipeline, after_exception, after_response, log, log_retry
from ..errors import APIError

__all__ = ["PipelineTransport"]


def _read(response: httpx.Response) -> None:
    try:
        response.read()
    finally:
        response.close()


class PipelineTransport(httpx.BaseTransport):
    """Wraps a transport with the client pipeline."""

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
                    log(request, type(exc).__name__, started, pipeline)
                decision = after_exception(pipeline, request, exc, attempt)
                if decision.delay is None:
                    assert decision.error is not None
                    raise decision.error from exc
                attempt += 1
                log_retry(request, type(exc).__name__, decision.delay, attempt)
                pipeline.sleep(decision.delay)
                continue
            if debug:
                log(request, response.status_code, started, pipeline)
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
            decision = after_response(pipeline, request, response, attempt)
            if decision.delay is None:
                assert isinstance(decision.error, APIError)
                raise decision.error
            attempt += 1
            log_retry(request, response.status_code, decision.delay, attempt)
            pipeline.sleep(decision.delay)

    def close(self) -> None:
        if self.owns_inner:
            self.inner.close()
