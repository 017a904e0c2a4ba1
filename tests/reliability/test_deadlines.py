"""Issue 16 item 5 (the call's part): every wait of a call is bounded.

- ``call_timeout`` bounds one call, retries, their waits and the body included: a server that
  trickles a byte every few milliseconds is cut off (httpx's timeout bounds each read only);
- retries stop when their wait would pass the deadline (virtual time: no real sleeping);
- 429 waits never exceed ``RetryPolicy.max_rate_limit_wait``, not even through a shared
  limiter told to pause by a ``Retry-After`` of 10^6 seconds.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from eaccounting import (
    APIConnectionError,
    APITimeoutError,
    AsyncClient,
    Client,
    ConfigurationError,
    RateLimiter,
    RateLimitError,
    RetryPolicy,
)
from eaccounting.testing.clock import ManualClock
from tests.facade import twins

from .conftest import VirtualTime

API = "https://visma.test"


class Trickle(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A 200 body of ``size`` bytes, one byte every ``gap`` seconds (real time)."""

    def __init__(self, size: int = 2000, gap: float = 0.002) -> None:
        self.size = size
        self.gap = gap
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.size):
            time.sleep(self.gap)
            self.sent += 1
            yield b" "

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.size):
            await asyncio.sleep(self.gap)
            self.sent += 1
            yield b" "


def _client(handler: Any, **kwargs: Any) -> Any:
    options: dict[str, Any] = {
        "base_url": f"{API}/v2",
        "identity_url": API,
        "access_token": "t",
        "transport": httpx.MockTransport(handler),
    }
    options.update(kwargs)
    running = twins.current()
    if running is not None and running.loop is not None:
        sleep = options.pop("sleep", None)
        if isinstance(sleep, VirtualTime):
            options["sleep"] = sleep.asleep
        return twins.blocking(AsyncClient(**options), running.loop)
    return Client(**options)


def test_a_trickling_body_is_cut_off_at_the_call_deadline(flavour: str) -> None:
    body = Trickle()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "application/json"}, stream=body)

    client = _client(handler, call_timeout=0.05, max_retries=3)
    with pytest.raises(APITimeoutError) as caught:
        client.request("GET", "/customers")
    error = caught.value
    assert str(error) == (
        "call_timeout of 0.05 s passed waiting for the response: GET https://visma.test/v2/customers"
    )
    assert isinstance(error.__cause__, httpx.ReadTimeout)
    assert error.method == "GET"
    # Cut off, and not retried: the deadline is for the whole call.
    assert 0 < body.sent < body.size


def test_without_a_deadline_the_same_body_arrives_whole(flavour: str) -> None:
    body = Trickle(size=20, gap=0.001)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=body)

    client = _client(handler, call_timeout=None)
    assert client.request("GET", "/customers").content == b" " * 20


def _throttled(seconds: int) -> httpx.Response:
    return httpx.Response(
        429,
        json={
            "ErrorCode": 4010,
            "DeveloperErrorMessage": f"API calls quota exceeded! Try again in {seconds} seconds.",
        },
    )


def test_retries_stop_when_their_wait_would_pass_the_deadline(flavour: str) -> None:
    clock = ManualClock(1000.0)
    sleep = VirtualTime(clock)
    calls: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(clock.time())
        return _throttled(50)

    client = _client(
        handler,
        call_timeout=120,
        max_retries=10,
        rate_limit=None,
        sleep=sleep,
        monotonic=clock.time,
    )
    with pytest.raises(RateLimitError) as caught:
        client.request("GET", "/customers")
    assert caught.value.retry_after == 50
    # Sent at 0, 50 and 100 s; a third 50 s wait would end past the 120 s deadline.
    assert [t - calls[0] for t in calls] == [0, 50, 100]
    assert sleep.calls == [50, 50]


def test_the_deadline_shrinks_each_httpx_timeout_to_the_time_left(flavour: str) -> None:
    clock = ManualClock(0.0)
    sleep = VirtualTime(clock)
    seen: list[dict[str, float]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.extensions["timeout"]))
        return httpx.Response(503) if len(seen) == 1 else httpx.Response(200)

    client = _client(
        handler,
        call_timeout=30,
        timeout=httpx.Timeout(30.0, connect=10.0),
        retry=RetryPolicy(max_retries=1, initial_backoff=16, max_backoff=16, rng=random.Random(7)),
        rate_limit=None,
        sleep=sleep,
        monotonic=clock.time,
    )
    assert client.request("GET", "/customers").status_code == 200
    assert seen[0] == {"connect": 10.0, "read": 30.0, "write": 30.0, "pool": 30.0}
    left = 30 - sleep.total  # the backoff (8 to 16 s of jitter) was slept
    assert seen[1] == {"connect": 10.0, "read": left, "write": left, "pool": left}


class SharedLimiter(RateLimiter):
    """A limiter shared between workers, like ``stores.RedisRateLimiter``: ``pause`` holds the
    path for everyone, ``reserve`` answers how long to wait."""

    def __init__(self, clock: ManualClock) -> None:
        super().__init__()
        self.clock = clock
        self.paused_until = 0.0
        self.pauses: list[float] = []

    def reserve(self, key: str) -> float:
        return max(0.0, self.paused_until - self.clock.time())

    def pause(self, key: str, seconds: float) -> None:
        self.pauses.append(seconds)
        self.paused_until = self.clock.time() + seconds


@pytest.mark.parametrize("header", ["1000000", "Fri, 31 Dec 9999 23:59:59 GMT"])
def test_a_huge_retry_after_never_becomes_a_huge_wait(flavour: str, header: str) -> None:
    clock = ManualClock(0.0)
    sleep = VirtualTime(clock)
    limiter = SharedLimiter(clock)
    replies = [httpx.Response(429, headers={"Retry-After": header})]

    def handler(request: httpx.Request) -> httpx.Response:
        return replies.pop(0) if replies else httpx.Response(200, json={"ok": True})

    client = _client(handler, rate_limit=limiter, sleep=sleep, monotonic=clock.time, max_retries=5)
    cap = client.retry_policy.max_rate_limit_wait
    assert cap == 65.0
    with pytest.raises(RateLimitError) as caught:
        client.request("GET", "/customers")
    assert caught.value.retry_after is not None and caught.value.retry_after > 10**5
    # The next call (of this or any worker sharing the limiter) waits at most the cap.
    assert json.loads(client.request("GET", "/customers").content) == {"ok": True}
    assert limiter.pauses == [cap]
    assert sleep.calls == [cap]


def test_with_options_sets_and_clears_the_deadline(flavour: str) -> None:
    body = Trickle()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=body)

    client = _client(handler)  # the default deadline: 300 s
    with pytest.raises(APITimeoutError, match=r"^call_timeout of 0\.05 s passed"):
        client.with_options(call_timeout=0.05).request("GET", "/customers")
    assert 0 < body.sent < body.size


@pytest.mark.parametrize("value", [0, -1, "30", True])
def test_a_bad_call_timeout_is_refused_naming_it(value: object) -> None:
    with pytest.raises(ConfigurationError) as caught:
        Client(access_token="t", call_timeout=value)  # type: ignore[arg-type]
    assert str(caught.value) == (
        f"call_timeout={value!r} must be a number of seconds > 0, or None for no deadline"
    )


# -- the deadline's edges (what mutation testing found untested: make mutation transport) ----


class _HalfJitter(random.Random):
    """Backoff without randomness: full jitter at its midpoint (``ceiling / 2``)."""

    def random(self) -> float:
        return 0.0


def _policy(backoff: float) -> RetryPolicy:
    return RetryPolicy(
        max_retries=3, initial_backoff=backoff * 2, max_backoff=backoff * 2, rng=_HalfJitter()
    )


def _on_virtual_time(handler: Any, clock: ManualClock, sleep: VirtualTime, **kwargs: Any) -> Any:
    """A client whose deadline reads ``clock`` and whose sleeps advance it (no limiter unless
    one is given)."""
    return _client(handler, sleep=sleep, monotonic=clock.time, **{"rate_limit": None, **kwargs})


def test_a_quota_wait_longer_than_the_time_left_is_not_slept(flavour: str) -> None:
    clock = ManualClock(0.0)
    sleep = VirtualTime(clock)
    limiter = SharedLimiter(clock)

    def handler(request: httpx.Request) -> httpx.Response:
        limiter.paused_until = clock.time() + 200  # another worker's 429 pauses the path
        return httpx.Response(503)

    client = _on_virtual_time(
        handler, clock, sleep, call_timeout=120, retry=_policy(1), rate_limit=limiter
    )
    with pytest.raises(APITimeoutError, match="before a 199 s quota wait"):
        client.request("GET", "/customers")
    assert sleep.calls == [1.0]  # the backoff; the 199 s wait was refused, not slept


def _refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("refused", request=request)


@pytest.mark.parametrize(
    "fail", [_refused, lambda request: httpx.Response(503)], ids=["connect error", "503"]
)
def test_a_backoff_that_ends_at_the_deadline_sends_nothing_more(
    flavour: str, fail: Callable[[httpx.Request], httpx.Response]
) -> None:
    clock = ManualClock(0.0)
    sleep = VirtualTime(clock)
    sent: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(clock.time())
        return fail(request)

    client = _on_virtual_time(handler, clock, sleep, call_timeout=10, retry=_policy(10))
    with pytest.raises(APITimeoutError, match="before the request was sent"):
        client.request("GET", "/customers")
    assert (sent, sleep.calls) == ([0.0], [10.0])


def test_a_failure_with_time_left_but_too_little_to_retry_is_the_failure(flavour: str) -> None:
    clock = ManualClock(0.0)
    sleep = VirtualTime(clock)

    def handler(request: httpx.Request) -> httpx.Response:
        clock.advance(9.5)  # half a second of the call's 10 s is left when it fails
        raise httpx.ConnectError("refused", request=request)

    client = _on_virtual_time(handler, clock, sleep, call_timeout=10, retry=_policy(5))
    with pytest.raises(APIConnectionError) as caught:
        client.request("GET", "/customers")
    # Not a timeout: the deadline had not passed; the 5 s backoff would have crossed it.
    assert type(caught.value) is APIConnectionError
    assert sleep.calls == []


def test_a_failure_exactly_at_the_deadline_is_a_timeout(flavour: str) -> None:
    clock = ManualClock(0.0)

    def handler(request: httpx.Request) -> httpx.Response:
        clock.advance(10)  # the whole call_timeout goes by before the connection fails
        raise httpx.ConnectError("refused", request=request)

    client = _on_virtual_time(handler, clock, VirtualTime(clock), call_timeout=10, retry=_policy(1))
    with pytest.raises(APITimeoutError, match="waiting for the response"):
        client.request("GET", "/customers")


def test_a_quota_wait_of_exactly_the_time_left_is_slept_then_the_call_ends(flavour: str) -> None:
    clock = ManualClock(0.0)
    sleep = VirtualTime(clock)
    limiter = SharedLimiter(clock)

    def handler(request: httpx.Request) -> httpx.Response:
        limiter.paused_until = clock.time() + 10  # 1 s backoff, then 9 s of pause: all that is left
        return httpx.Response(503)

    client = _on_virtual_time(
        handler, clock, sleep, call_timeout=10, retry=_policy(1), rate_limit=limiter
    )
    with pytest.raises(APITimeoutError, match="before the request was sent"):
        client.request("GET", "/customers")
    assert sleep.calls == [1.0, 9.0]
