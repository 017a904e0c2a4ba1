"""Issue 16 item 7: every failure a caller can see is an ``EAccountingError``, cause chained.

The sweep runs each case with the sync and the async client over a mock transport: a server
reply (``reply``) and a way of calling (``call``: the facade, ``client.request``,
``client.http``, a generated operation through ``client.api``). Each case names the error type
it must raise and, where the failure started as another exception, the type of the chained
cause. Add a case to ``CASES`` for each new failure mode.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from eaccounting import (
    APIConnectionError,
    AsyncClient,
    Client,
    EAccountingError,
    RateLimitError,
    UnexpectedRedirectError,
)
from tests.facade import twins

API = "https://visma.test"
TOKEN = "bearer-never-shown-0123456789"
CUSTOMER_ID = "8c1e2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
SIGNIN = "https://login.example/signin?code=SECRET-CODE&sig=SECRET-SIG"


@dataclass(frozen=True)
class Case:
    name: str
    reply: Callable[[httpx.Request], httpx.Response]
    call: Callable[[Any], Any]
    error: type[EAccountingError]
    cause: type[BaseException] | None = None


def _redirect(status: int, location: str | None = SIGNIN) -> Callable[..., httpx.Response]:
    headers = {"Location": location} if location else {}
    return lambda request: httpx.Response(status, headers=headers, text="<html>sign in</html>")


def _loop(request: httpx.Request) -> httpx.Response:
    return httpx.Response(302, headers={"Location": f"{request.url.path}x"})


def _quota_for_days(request: httpx.Request) -> httpx.Response:
    return httpx.Response(429, headers={"Retry-After": "1000000"})


CALLS: dict[str, Callable[[Any], Any]] = {
    "facade get": lambda c: c.customers.get(CUSTOMER_ID),
    "facade list": lambda c: c.customers.list(),
    "client.api": lambda c: c.api.customers.get_customer(customer_id=uuid.UUID(CUSTOMER_ID)),
    "client.request": lambda c: c.request("GET", "/customers"),
    "client.http": lambda c: c.http.get("/customers"),
}

CASES = [
    *(
        Case(f"302 via {how}", _redirect(302), call, UnexpectedRedirectError)
        for how, call in CALLS.items()
    ),
    *(
        Case(
            f"{status} via facade get",
            _redirect(status),
            CALLS["facade get"],
            UnexpectedRedirectError,
        )
        for status in (301, 303, 307, 308)
    ),
    Case(
        "302 without Location", _redirect(302, None), CALLS["client.api"], UnexpectedRedirectError
    ),
    Case("304 unasked", _redirect(304, None), CALLS["facade get"], UnexpectedRedirectError),
    Case(
        "redirect loop followed",
        _loop,
        lambda c: c.http.get("/customers", follow_redirects=True),
        APIConnectionError,
        httpx.TooManyRedirects,
    ),
    Case("Retry-After of days", _quota_for_days, CALLS["facade list"], RateLimitError),
]


def _client(reply: Callable[[httpx.Request], httpx.Response]) -> Any:
    options: dict[str, Any] = {
        "base_url": f"{API}/v2",
        "identity_url": API,
        "access_token": TOKEN,
        "transport": httpx.MockTransport(reply),
        "max_retries": 1,
        "rate_limit": None,
    }
    running = twins.current()
    if running is not None and running.loop is not None:
        return twins.blocking(AsyncClient(**options), running.loop)
    return Client(**options)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_every_failure_is_typed(flavour: str, case: Case) -> None:
    client = _client(case.reply)
    with pytest.raises(EAccountingError) as caught:
        case.call(client)
    error = caught.value
    assert type(error) is case.error, repr(error)
    if case.cause is not None:
        assert isinstance(error.__cause__, case.cause)
    assert TOKEN not in f"{error} {error!r}"


@pytest.mark.parametrize("how", list(CALLS))
def test_a_redirect_error_names_status_and_location_but_no_secret(flavour: str, how: str) -> None:
    client = _client(_redirect(302))
    with pytest.raises(UnexpectedRedirectError) as caught:
        CALLS[how](client)
    error = caught.value
    assert error.status == 302
    assert error.location == "https://login.example/signin?…"
    assert error.method == "GET"
    text = str(error)
    assert text.startswith("302 Found | GET https://visma.test/v2/customers")
    assert "redirected to https://login.example/signin?…" in text
    for secret in ("SECRET-CODE", "SECRET-SIG", TOKEN):
        assert secret not in f"{text} {error!r} {error.location}"


def test_a_redirect_the_caller_follows_within_the_api_is_no_error(flavour: str) -> None:
    def reply(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v2/old":
            return httpx.Response(301, headers={"Location": "/v2/companysettings"})
        return httpx.Response(200, json={"Name": "Acme"})

    client = _client(reply)
    response = client.http.get("/old", follow_redirects=True)
    assert response.json() == {"Name": "Acme"}
    assert [r.status_code for r in response.history] == [301]


def test_a_304_answering_a_conditional_request_is_returned(flavour: str) -> None:
    client = _client(_redirect(304, None))
    response = client.http.get("/customers", headers={"If-None-Match": '"v1"'})
    assert response.status_code == 304


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        (
            "https://user:hunter2@files.example/a.pdf?sig=s1gn4ture#p",
            "https://files.example/a.pdf?…",
        ),
        ("/v2/elsewhere?code=s1gn4ture", "https://visma.test/v2/elsewhere?…"),
        ("//other.example/p", "https://other.example/p"),
    ],
)
def test_the_location_shown_has_no_user_info_and_no_query(
    flavour: str, location: str, shown: str
) -> None:
    client = _client(_redirect(307, location))
    with pytest.raises(UnexpectedRedirectError) as caught:
        client.customers.get(CUSTOMER_ID)
    assert caught.value.location == shown
    for secret in ("hunter2", "s1gn4ture"):
        assert secret not in str(caught.value)


@pytest.mark.parametrize("status", [300, 301, 307])
def test_only_a_304_answers_a_conditional_request(flavour: str, status: int) -> None:
    # If-None-Match makes a 304 an answer; any other 3xx is still a redirect.
    client = _client(_redirect(status))
    with pytest.raises(UnexpectedRedirectError) as caught:
        client.request("GET", "/customers", headers={"If-None-Match": '"v1"'})
    assert caught.value.status == status
    unchanged = _client(_redirect(304, None))
    response = unchanged.request("GET", "/customers", headers={"If-None-Match": '"v1"'})
    assert response.status_code == 304
