"""The transport's loop, rule by rule, on both clients (mutation survivors of _async/transport.py).

Each test pins one decision of the loop: an error status is never handed back as a response,
every transport failure counts as one attempt, a quota wait under a second is still waited.
"""

from __future__ import annotations

import random

import httpx
import pytest

from eaccounting import APIConnectionError, BadRequestError, RetryPolicy
from eaccounting.ratelimit import RateLimiter

from .conftest import make_client, visma_error


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("status", [400, 404, 409])
def test_every_4xx_raises_it_is_never_returned(flavour: str, status: int) -> None:
    client, sleeps = make_client(lambda r: visma_error(status, 4000, "no"))
    with pytest.raises(BadRequestError if status == 400 else Exception) as info:
        client.request("GET", "/customers")
    assert getattr(info.value, "status", None) == status
    assert sleeps.calls == []


def test_each_transport_failure_is_one_attempt(flavour: str) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) <= 2:
            raise httpx.ReadError("reset", request=request)
        return httpx.Response(200, json={"ok": True})

    policy = RetryPolicy(max_retries=2, rng=random.Random(7))
    twin = RetryPolicy(rng=random.Random(7))  # the same draws, made here
    expected = [twin.backoff(1), twin.backoff(2)]
    client, sleeps = make_client(handler, retry=policy)
    assert client.request("GET", "/customers").json() == {"ok": True}
    assert len(calls) == 3
    assert sleeps.calls == expected  # attempts 1 and 2: 0.25 to 0.5 s, then 0.5 to 1 s


def test_the_last_transport_failure_is_raised_after_max_retries(flavour: str) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ReadError("reset", request=request)

    client, sleeps = make_client(handler, retry=RetryPolicy(max_retries=2))
    with pytest.raises(APIConnectionError, match=r"connection failed \(ReadError\): GET "):
        client.request("GET", "/customers")
    assert (len(calls), len(sleeps.calls)) == (3, 2)


def test_a_quota_wait_under_a_second_is_waited(flavour: str) -> None:
    clock = _Clock()
    limiter = RateLimiter(1, 0.5, margin=0.25, clock=clock)
    client, sleeps = make_client(lambda r: httpx.Response(200, json={}), rate_limit=limiter)
    client.request("GET", "/customers")
    client.request("GET", "/customers")
    assert sleeps.calls == [0.75]  # the 0.5 s window plus the margin
