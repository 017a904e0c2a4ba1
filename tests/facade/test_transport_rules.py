"""The transport's loop, rule by rule, on both clients (mutation survivors of _async/transport.py).

Each test pins one decision of the loop: an error status is never handed back as a response,
every transport failure counts as one attempt, a quota wait under a second is still waited.
"""

from __future__ import annotations

import logging
import random
import re

import httpx
import pytest

from eaccounting import (
    APIConnectionError,
    BadRequestError,
    MemoryTokenStore,
    RetryPolicy,
    UnexpectedRedirectError,
)
from eaccounting.ratelimit import RateLimiter

from .conftest import fresh_token, make_client, visma_error
from .fake_identity import CLIENT_ID, CLIENT_SECRET, FakeVisma


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


def test_a_401_after_a_retry_still_refreshes_once(flavour: str) -> None:
    fake = FakeVisma()
    api_calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/connect/token":
            return fake.handler(request)
        api_calls.append(request.headers["Authorization"])
        if len(api_calls) == 1:
            return visma_error(503, 5001, "down")  # attempt 0: retried
        if len(api_calls) == 2:
            return visma_error(401, 4005, "AuthorizationException")  # attempt 1: refresh
        return httpx.Response(200, json={"ok": True})

    store = MemoryTokenStore(fresh_token())
    client, _ = make_client(
        handler,
        access_token=None,
        token_store=store,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
    )
    assert client.request("GET", "/customers").json() == {"ok": True}
    assert api_calls == ["Bearer access-0", "Bearer access-0", "Bearer access-1"]
    assert fake.refresh_calls == 1


def test_each_attempt_is_logged_at_debug_level(
    flavour: str, caplog: pytest.LogCaptureFixture
) -> None:
    outcomes = iter(["drop", 503, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        outcome = next(outcomes)
        if outcome == "drop":
            raise httpx.ReadError("reset", request=request)
        return httpx.Response(int(outcome), json={})

    client, _ = make_client(handler)
    with caplog.at_level(logging.DEBUG, logger="eaccounting"):
        client.request("GET", "/customers")
    attempts = [r.getMessage() for r in caplog.records if " -> " in r.getMessage()]
    assert [re.sub(r"\(\d+\.\d ms\)", "(ms)", m) for m in attempts] == [
        "GET https://visma.test/v2/customers -> ReadError (ms)",
        "GET https://visma.test/v2/customers -> 503 (ms)",
        "GET https://visma.test/v2/customers -> 200 (ms)",
    ]


def test_only_a_401_asks_for_a_new_token(flavour: str) -> None:
    fake = FakeVisma()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/connect/token":
            return fake.handler(request)
        return visma_error(400, 4000, "bad")

    client, _ = make_client(
        handler,
        access_token=None,
        token_store=MemoryTokenStore(fresh_token()),
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
    )
    with pytest.raises(BadRequestError):
        client.request("GET", "/customers")
    assert fake.refresh_calls == 0


@pytest.mark.parametrize("status", [200, 204, 299])
def test_every_success_status_is_returned_as_it_is(flavour: str, status: int) -> None:
    client, sleeps = make_client(lambda r: httpx.Response(status, json={}))
    assert client.request("GET", "/customers").status_code == status
    assert sleeps.calls == []


@pytest.mark.parametrize("status", [301, 304, 399])
def test_a_3xx_is_neither_retried_nor_returned(flavour: str, status: int) -> None:
    # The API never redirects a call (issue 16 item 7): a typed error, not a response.
    client, sleeps = make_client(lambda r: httpx.Response(status, json={}))
    with pytest.raises(UnexpectedRedirectError) as caught:
        client.request("GET", "/customers")
    assert caught.value.status == status and caught.value.location is None
    assert sleeps.calls == []


class _Closing(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers 200 and remembers whether it was closed."""

    def __init__(self) -> None:
        self.closed = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={})

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={})

    def close(self) -> None:
        self.closed += 1

    async def aclose(self) -> None:
        self.closed += 1


def test_only_the_root_client_closes_the_transport(flavour: str) -> None:
    inner = _Closing()
    client, _ = make_client(lambda r: httpx.Response(200), transport=inner)
    clone = client.with_options(max_retries=0)
    clone.request("GET", "/customers")
    clone.close() if flavour == "sync" else clone.aclose()
    assert inner.closed == 0
    client.close() if flavour == "sync" else client.aclose()
    assert inner.closed == 1
