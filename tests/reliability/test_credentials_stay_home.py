"""Issue 16 item 4: the bearer token goes only to the configured API origin.

A mock network records the ``Authorization`` header each host received. Redirects that httpx
follows to another origin, and absolute URLs to another origin passed to ``client.request()``
or ``client.http``, must reach that host without our token; the API origin itself still gets
it (so the tests cannot pass by sending no token at all). Plain ``http://`` to a host that is
not loopback is refused when the client is built, unless explicitly allowed.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import httpx
import pytest

from eaccounting import (
    AsyncClient,
    AuthenticationError,
    Client,
    ConfigurationError,
    MemoryTokenStore,
    Token,
)
from tests.facade import twins

API = "https://visma.test"
EVIL = "https://collector.example"
TOKEN = "secret-bearer-0123456789"


class Network:
    """Routes by host; remembers the Authorization header of every request, per host."""

    def __init__(self) -> None:
        self.seen: dict[str, list[str | None]] = defaultdict(list)
        self.token_calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        origin = f"{request.url.scheme}://{request.url.netloc.decode()}"
        self.seen[origin].append(request.headers.get("Authorization"))
        path = request.url.path
        if origin == API and path == "/connect/token":
            self.token_calls += 1
            return httpx.Response(200, json={"access_token": "new", "expires_in": 3600})
        if origin == API and path == "/v2/go-away":
            return httpx.Response(302, headers={"Location": f"{EVIL}/landing"})
        if origin == API and path == "/v2/go-next-door":
            return httpx.Response(302, headers={"Location": "/v2/companysettings"})
        if origin == API and path == "/v2/downgrade":
            return httpx.Response(302, headers={"Location": "http://visma.test/v2/x"})
        if origin == EVIL and path == "/who-am-i":
            return httpx.Response(401)
        return httpx.Response(200, json={"ok": True})


def _client(network: Network, **kwargs: Any) -> Any:
    options: dict[str, Any] = {
        "base_url": f"{API}/v2",
        "identity_url": API,
        "access_token": TOKEN,
        "max_retries": 0,
    }
    options.update(kwargs)
    running = twins.current()
    if running is not None and running.loop is not None:
        client = AsyncClient(transport=httpx.MockTransport(network), **options)
        return twins.blocking(client, running.loop)
    return Client(transport=httpx.MockTransport(network), **options)


def test_a_followed_redirect_to_another_origin_carries_no_bearer(flavour: str) -> None:
    network = Network()
    client = _client(network)
    response = client.http.get("/go-away", follow_redirects=True)
    assert response.status_code == 200
    assert network.seen[API] == [f"Bearer {TOKEN}"]
    assert network.seen[EVIL] == [None]


def test_a_followed_redirect_within_the_api_origin_keeps_the_bearer(flavour: str) -> None:
    network = Network()
    client = _client(network)
    assert client.http.get("/go-next-door", follow_redirects=True).status_code == 200
    assert network.seen[API] == [f"Bearer {TOKEN}", f"Bearer {TOKEN}"]


def test_a_redirect_to_plain_http_on_the_same_host_carries_no_bearer(flavour: str) -> None:
    network = Network()
    client = _client(network)
    client.http.get("/downgrade", follow_redirects=True)
    assert network.seen[API] == [f"Bearer {TOKEN}"]
    assert network.seen["http://visma.test"] == [None]


@pytest.mark.parametrize("how", ["request", "http.get"])
def test_an_absolute_url_to_another_origin_carries_no_bearer(flavour: str, how: str) -> None:
    network = Network()
    client = _client(network)
    if how == "request":
        client.request("GET", f"{EVIL}/collect")
    else:
        client.http.get(f"{EVIL}/collect")
    client.request("GET", "/companysettings")
    assert network.seen[EVIL] == [None]
    assert network.seen[API] == [f"Bearer {TOKEN}"]


def test_a_header_a_caller_set_is_dropped_for_another_origin(flavour: str) -> None:
    network = Network()
    client = _client(network, headers={"Authorization": f"Bearer {TOKEN}"})
    client.http.get(f"{EVIL}/collect")
    assert network.seen[EVIL] == [None]


def test_a_401_from_another_origin_spends_no_refresh(flavour: str) -> None:
    network = Network()
    store = MemoryTokenStore(Token(access_token=TOKEN, refresh_token="r", expires_at=4e9))
    client = _client(
        network, access_token=None, client_id="cid", client_secret="cs", token_store=store
    )
    with pytest.raises(AuthenticationError, match="401"):
        client.http.get(f"{EVIL}/who-am-i")
    assert network.token_calls == 0
    assert network.seen[EVIL] == [None]


@pytest.mark.parametrize("cls", [Client, AsyncClient])
@pytest.mark.parametrize(
    ("setting", "url"),
    [
        ("base_url", "http://eaccountingapi.example/v2"),
        ("identity_url", "http://identity.example"),
        ("base_url", "http://10.0.0.7:8080/v2"),
    ],
)
def test_plain_http_off_loopback_is_refused(cls: type[Any], setting: str, url: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        cls(access_token=TOKEN, **{setting: url})
    message = str(caught.value)
    assert f"{setting}={url!r}" in message
    assert "allow_insecure_http=True" in message
    assert TOKEN not in message


@pytest.mark.parametrize("cls", [Client, AsyncClient])
@pytest.mark.parametrize(
    "origin",
    ["http://127.0.0.1:8765", "http://127.8.9.10", "http://[::1]:8080", "http://localhost"],
)
def test_plain_http_on_loopback_is_allowed(cls: type[Any], origin: str) -> None:
    client = cls(access_token=TOKEN, base_url=f"{origin}/v2", identity_url=origin)
    assert client.base_url == f"{origin}/v2"


@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_plain_http_can_be_allowed_explicitly(cls: type[Any]) -> None:
    client = cls(
        access_token=TOKEN,
        base_url="http://test-server.internal/v2",
        identity_url="http://test-server.internal",
        allow_insecure_http=True,
    )
    assert client.base_url == "http://test-server.internal/v2"


def test_from_env_opts_in_only_on_an_explicit_yes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EACCOUNTING_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("EACCOUNTING_BASE_URL", "http://test-server.internal/v2")
    monkeypatch.setenv("EACCOUNTING_IDENTITY_URL", "https://identity.example")
    monkeypatch.setenv("EACCOUNTING_ALLOW_INSECURE_HTTP", "no")
    with pytest.raises(ConfigurationError, match=r"base_url='http://test-server\.internal/v2'"):
        Client.from_env()
    monkeypatch.setenv("EACCOUNTING_ALLOW_INSECURE_HTTP", "1")
    assert Client.from_env().base_url == "http://test-server.internal/v2"
