"""Retries and limits: 429 waits, backoff on 5xx, POST safety, the per-path limiter."""

from __future__ import annotations

import random

import httpx
import pytest

from eaccounting import RateLimitError, RetryPolicy, ServerError
from eaccounting.ratelimit import RateLimiter

from .conftest import make_client, visma_error

QUOTA = "API calls quota exceeded! maximum admitted 600 per Minute. Try again in {} seconds."


def _sequence(*responses: httpx.Response) -> tuple[list[httpx.Request], object]:
    calls: list[httpx.Request] = []
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return calls, handler


def test_429_waits_the_seconds_parsed_from_the_body(flavour: str) -> None:
    calls, handler = _sequence(
        visma_error(429, 4010, QUOTA.format(17)), httpx.Response(200, json={"ok": True})
    )
    client, sleeps = make_client(handler)
    response = client.request("GET", "/customers")
    assert response.json() == {"ok": True}
    assert sleeps.calls == [17.0]
    assert len(calls) == 2


def test_429_prefers_retry_after_header(flavour: str) -> None:
    _calls, handler = _sequence(
        visma_error(429, 4010, QUOTA.format(17), headers={"Retry-After": "3"}),
        httpx.Response(200, json={}),
    )
    client, sleeps = make_client(handler)
    client.request("GET", "/customers")
    assert sleeps.calls == [3.0]


def test_429_is_retried_for_post_too_because_nothing_was_processed(flavour: str) -> None:
    calls, handler = _sequence(
        visma_error(429, 4010, QUOTA.format(2)), httpx.Response(201, json={"Id": "x"})
    )
    client, sleeps = make_client(handler)
    assert client.request("POST", "/customers", json={"Name": "A"}).status_code == 201
    assert sleeps.calls == [2.0]
    assert [c.content for c in calls] == [b'{"Name":"A"}', b'{"Name":"A"}']


def test_429_longer_than_the_bound_raises_with_retry_after(flavour: str) -> None:
    calls, handler = _sequence(visma_error(429, 4010, QUOTA.format(120)))
    client, sleeps = make_client(handler)
    with pytest.raises(RateLimitError) as info:
        client.request("GET", "/customers")
    assert info.value.retry_after == 120.0
    assert sleeps.calls == []
    assert len(calls) == 1


def test_429_exhausting_retries_raises_rate_limit_error(flavour: str) -> None:
    calls, handler = _sequence(visma_error(429, 4010, QUOTA.format(1)))
    client, sleeps = make_client(handler, max_retries=2)
    with pytest.raises(RateLimitError):
        client.request("GET", "/customers")
    assert sleeps.calls == [1.0, 1.0]
    assert len(calls) == 3


def test_503_on_get_backs_off_exponentially_with_jitter(flavour: str) -> None:
    calls, handler = _sequence(
        visma_error(503, 5001, "down"),
        visma_error(503, 5001, "down"),
        visma_error(502, 5001, "down"),
        httpx.Response(200, json={}),
    )
    policy = RetryPolicy(max_retries=3, initial_backoff=1.0, max_backoff=3.0, rng=random.Random(7))
    client, sleeps = make_client(handler, retry=policy)
    client.request("GET", "/customers")
    assert len(calls) == 4
    # Each wait lies in [ceiling/2, ceiling] for ceilings 1, 2, 3 (capped).
    assert [round(x, 6) for x in sleeps.calls] == [
        round(x, 6) for x in _expected_backoff(policy_seed=7, ceilings=[1.0, 2.0, 3.0])
    ]
    for wait, ceiling in zip(sleeps.calls, [1.0, 2.0, 3.0], strict=True):
        assert ceiling / 2 <= wait <= ceiling


def _expected_backoff(policy_seed: int, ceilings: list[float]) -> list[float]:
    rng = random.Random(policy_seed)
    return [c / 2 + rng.random() * c / 2 for c in ceilings]


def test_post_is_not_retried_after_an_ambiguous_failure(flavour: str) -> None:
    calls, handler = _sequence(visma_error(503, 5001, "down"), httpx.Response(201, json={}))
    client, sleeps = make_client(handler)
    with pytest.raises(ServerError):
        client.request("POST", "/customers", json={"Name": "A"})
    assert len(calls) == 1
    assert sleeps.calls == []


def test_post_read_timeout_is_not_retried(flavour: str) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ReadTimeout("slow", request=request)

    client, _ = make_client(handler)
    with pytest.raises(Exception, match="timed out"):
        client.request("POST", "/customers", json={})
    assert len(calls) == 1


def test_post_is_retried_when_the_caller_opts_in(flavour: str) -> None:
    calls, handler = _sequence(visma_error(503, 5001, "down"), httpx.Response(201, json={}))
    client, sleeps = make_client(handler)
    opted = client.with_options(retry_non_idempotent=True)
    assert opted.request("POST", "/customers", json={}).status_code == 201
    assert len(calls) == 2
    assert len(sleeps.calls) == 1
    # The original client keeps its policy.
    assert client.retry_policy.retry_non_idempotent is False


def test_connect_error_is_retried_even_for_post(flavour: str) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(201, json={})

    client, _ = make_client(handler)
    assert client.request("POST", "/customers", json={}).status_code == 201
    assert len(calls) == 2


def test_with_options_max_retries_zero_disables_retries(flavour: str) -> None:
    calls, handler = _sequence(visma_error(503, 5001, "down"), httpx.Response(200, json={}))
    client, _ = make_client(handler)
    with pytest.raises(ServerError):
        client.with_options(max_retries=0).request("GET", "/customers")
    assert len(calls) == 1


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limiter_allows_a_burst_then_spaces_requests_per_path() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3, 60.0, margin=0.0, clock=clock)
    assert [limiter.reserve("/customers") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.reserve("/customers") == 60.0
    assert limiter.reserve("/articles") == 0.0
    clock.now += 30
    assert limiter.reserve("/customers") == 30.0
    clock.now += 31
    # Granted slots are now 1060, 1060: a third fits in the window at 1061 ...
    assert limiter.reserve("/customers") == 0.0
    # ... and a fourth must wait until the first 1060 slot is a minute old.
    assert limiter.reserve("/customers") == pytest.approx(59.0)


def test_client_limiter_sleeps_when_the_path_quota_is_used(flavour: str) -> None:
    clock = FakeClock()
    client, sleeps = make_client(
        lambda r: httpx.Response(200, json={}), rate_limit=2, monotonic=clock
    )
    for _ in range(3):
        client.request("GET", "/customers")
    client.request("GET", "/articles")
    assert sleeps.calls == [60.5]  # the window plus the default margin for arrival jitter


def test_limiter_margin_applies_only_to_requests_that_wait_for_the_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, 10.0, margin=0.25, clock=clock)
    assert [limiter.reserve("/x") for _ in range(2)] == [0.0, 0.0]
    assert limiter.reserve("/x") == 10.25
    clock.now += 100  # the window has long emptied: no wait, no margin
    assert limiter.reserve("/x") == 0.0
    with pytest.raises(ValueError, match="margin=-1 must not be negative"):
        RateLimiter(2, 10.0, margin=-1)


def test_limiter_rejects_bad_bounds() -> None:
    with pytest.raises(ValueError, match="max_requests=0 must be at least 1"):
        RateLimiter(0)
    with pytest.raises(ValueError, match="period=0 must be positive"):
        RateLimiter(10, 0)
