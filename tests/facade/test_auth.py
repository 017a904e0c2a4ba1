"""OAuth2: authorization URL, code exchange, single-flight refresh with rotation."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import threading
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from eaccounting import (
    AsyncClient,
    AuthenticationError,
    Client,
    MemoryTokenStore,
    ReconsentRequiredError,
    Token,
    TokenPersistenceError,
)

from . import twins
from .conftest import BASE, NOW, ORIGIN
from .fake_identity import CLIENT_ID, CLIENT_SECRET, FakeVisma


def _expired(access: str = "access-0", refresh: str = "refresh-0") -> Token:
    return Token(access_token=access, refresh_token=refresh, expires_at=NOW - 10)


def _client(fake: FakeVisma, store: object, **kw: object) -> Client:
    """A Client, or under the ``flavour`` fixture's async run an AsyncClient driven blocking."""
    options: dict[str, Any] = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "token_store": store,
        "base_url": BASE,
        "identity_url": ORIGIN,
        # Late-bound: a test may replace fake.handler.
        "transport": httpx.MockTransport(lambda request: fake.handler(request)),
        "clock": lambda: NOW,
    }
    options.update(kw)
    flavour = twins.current()
    if flavour is not None and flavour.loop is not None:
        return twins.blocking(AsyncClient(**options), flavour.loop)  # type: ignore[no-any-return]
    return Client(**options)


def _aclient(fake: FakeVisma, store: object) -> AsyncClient:
    return AsyncClient(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        token_store=store,  # type: ignore[arg-type]
        base_url=BASE,
        identity_url=ORIGIN,
        transport=httpx.MockTransport(fake.ahandler),
        clock=lambda: NOW,
    )


async def test_20_coroutines_with_an_expired_token_cause_exactly_one_refresh() -> None:
    fake = FakeVisma(valid_access="nothing-valid")
    store = MemoryTokenStore(_expired())
    async with _aclient(fake, store) as client:
        responses = await asyncio.gather(
            *(client.request("GET", f"/customers/{i}") for i in range(20))
        )
    assert fake.refresh_calls == 1
    assert [r.json()["auth"] for r in responses] == ["access-1"] * 20
    assert store.load() == Token(
        access_token="access-1",
        refresh_token="refresh-1",
        expires_at=NOW + 3600,
        scope="ea:api offline_access",
    )


def test_50_tasks_across_threads_and_event_loops_share_one_refresh() -> None:
    fake = FakeVisma(valid_access="nothing-valid")
    store = MemoryTokenStore(_expired())
    results: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(5)

    def sync_worker() -> None:
        client = _client(fake, store)
        barrier.wait()
        for i in range(10):
            results.append(client.request("GET", f"/customers/{i}").json()["auth"])

    def async_worker() -> None:
        async def run() -> None:
            async with _aclient(fake, store) as client:
                barrier.wait()
                got = await asyncio.gather(
                    *(client.request("GET", f"/articles/{i}") for i in range(10))
                )
                results.extend(r.json()["auth"] for r in got)

        asyncio.run(run())

    def guard(target: object) -> object:
        def wrapped() -> None:
            try:
                target()  # type: ignore[operator]
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        return wrapped

    threads = [threading.Thread(target=guard(sync_worker)) for _ in range(2)]
    threads += [threading.Thread(target=guard(async_worker)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not [t for t in threads if t.is_alive()], "a caller is stuck (deadlock?)"
    assert errors == []
    assert fake.refresh_calls == 1
    assert results == ["access-1"] * 50


def test_proactive_refresh_within_the_skew(flavour: str) -> None:
    fake = FakeVisma()
    store = MemoryTokenStore(Token("access-0", "refresh-0", expires_at=NOW + 30))
    with _client(fake, store, refresh_skew=60) as client:
        assert client.request("GET", "/customers").json()["auth"] == "access-1"
    assert fake.refresh_calls == 1
    fake2 = FakeVisma()
    store2 = MemoryTokenStore(Token("access-0", "refresh-0", expires_at=NOW + 30))
    with _client(fake2, store2, refresh_skew=10) as client:
        assert client.request("GET", "/customers").json()["auth"] == "access-0"
    assert fake2.refresh_calls == 0


def test_a_401_triggers_one_refresh_and_one_retry(flavour: str) -> None:
    fake = FakeVisma(valid_access="revoked-elsewhere")
    store = MemoryTokenStore(Token("access-0", "refresh-0", expires_at=NOW + 3000))
    with _client(fake, store) as client:
        assert client.request("GET", "/customers").json()["auth"] == "access-1"
    assert fake.refresh_calls == 1
    assert fake.api_auth == [
        "Bearer access-0",
        "Bearer access-1",
    ]


def test_a_second_401_is_raised_not_looped(flavour: str) -> None:
    fake = FakeVisma()
    store = MemoryTokenStore(Token("access-0", "refresh-0", expires_at=NOW + 3000))

    def always_401(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/connect/token":
            return fake.handler(request)
        fake.api_calls.append(request)
        return httpx.Response(401, json={"ErrorCode": 4005, "DeveloperErrorMessage": "denied"})

    client = _client(fake, store, transport=httpx.MockTransport(always_401))
    with pytest.raises(AuthenticationError):
        client.request("GET", "/customers")
    assert fake.refresh_calls == 1
    assert len(fake.api_calls) == 2


def test_refresh_uses_http_basic_and_a_form_body(flavour: str) -> None:
    fake = FakeVisma()
    with _client(fake, MemoryTokenStore(_expired())) as client:
        client.request("GET", "/customers")
    (request,) = fake.token_requests
    expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    assert request.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    form = parse_qs(request.content.decode())
    assert form["grant_type"] == ["refresh_token"]
    assert form["refresh_token"] == ["refresh-0"]
    assert "client_secret" not in form


def test_invalid_grant_raises_reconsent_required(flavour: str) -> None:
    fake = FakeVisma()
    fake.revoked = True
    with (
        _client(fake, MemoryTokenStore(_expired())) as client,
        pytest.raises(ReconsentRequiredError) as info,
    ):
        client.request("GET", "/customers")
    assert str(info.value).startswith("re-consent required: the token endpoint rejected")
    assert "refresh-0" not in str(info.value)


def test_empty_store_raises_reconsent_required(flavour: str) -> None:
    with (
        _client(FakeVisma(), MemoryTokenStore()) as client,
        pytest.raises(ReconsentRequiredError, match="token store is empty"),
    ):
        client.request("GET", "/customers")


class OrderRecordingStore(MemoryTokenStore):
    def __init__(self, token: Token, log: list[str]) -> None:
        super().__init__(token)
        self.log = log

    def save(self, token: Token) -> None:
        self.log.append(f"save {token.access_token}")
        super().save(token)


def test_rotated_token_is_persisted_before_the_new_access_token_is_used(flavour: str) -> None:
    log: list[str] = []
    fake = FakeVisma()
    original = fake.handler

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path != "/connect/token":
            log.append(f"use {request.headers['Authorization'][7:]}")
        return original(request)

    fake.handler = handler  # type: ignore[method-assign]
    with _client(fake, OrderRecordingStore(_expired(), log)) as client:
        client.request("GET", "/customers")
    assert log == ["save access-1", "use access-1"]


class BrokenStore(MemoryTokenStore):
    def save(self, token: Token) -> None:
        raise OSError("disk full")


def test_failure_to_persist_a_rotated_token_keeps_the_pair_and_attaches_it(flavour: str) -> None:
    fake = FakeVisma()
    with _client(fake, BrokenStore(_expired())) as client:
        with pytest.raises(TokenPersistenceError) as info:
            client.request("GET", "/customers")
        # Not a re-consent: the new pair is in hand (in memory and on the error).
        assert not isinstance(info.value, ReconsentRequiredError)
        assert str(info.value).startswith(
            "a rotated token pair was received but saving it to MemoryTokenStore"
        )
        assert "OSError: disk full" in str(info.value)
        assert info.value.token.refresh_token == "refresh-1"
        assert "refresh-1" not in str(info.value) and "refresh-1" not in repr(info.value)
        assert "access-1" not in str(info.value) and "access-1" not in repr(info.value)
        # Nothing was sent with the unsaved token by the failed call ...
        assert fake.api_calls == []
        # ... and the next call uses it, without another refresh.
        assert client.request("GET", "/customers").json()["auth"] == "access-1"
    assert fake.refresh_calls == 1


def test_reusing_a_rotated_refresh_token_after_a_crash_asks_for_reconsent(flavour: str) -> None:
    fake = FakeVisma()
    # First process refreshed (refresh-0 consumed) but crashed before saving.
    fake.valid_refresh.discard("refresh-0")
    with (
        _client(fake, MemoryTokenStore(_expired())) as client,
        pytest.raises(ReconsentRequiredError, match="invalid_grant"),
    ):
        client.request("GET", "/customers")


def test_authorization_url_has_pkce_state_and_select_account() -> None:
    client = Client(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, identity_url=ORIGIN)
    request = client.authorization_url(
        redirect_uri="https://app.example/callback", scopes=["ea:api", "offline_access", "ea:sales"]
    )
    parts = urlsplit(request.url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{ORIGIN}/connect/authorize"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert request.code_verifier is not None
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(request.code_verifier.encode()).digest())
        .rstrip(b"=")
        .decode()
    )
    assert query == {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": "https://app.example/callback",
        "scope": "ea:api offline_access ea:sales",
        "state": request.state,
        "prompt": "select_account",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    assert len(request.state) >= 20
    assert request.code_verifier not in repr(request)


def test_the_default_scopes_reach_every_business_endpoint() -> None:
    client = Client(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, identity_url=ORIGIN)
    request = client.authorization_url(redirect_uri="https://app.example/callback")
    scope = parse_qs(urlsplit(request.url).query)["scope"][0]
    assert scope == "ea:api offline_access ea:sales ea:purchase ea:accounting"


def test_exchange_code_saves_the_token_pair(flavour: str) -> None:
    fake = FakeVisma()
    store = MemoryTokenStore()
    with _client(fake, store) as client:
        token = client.exchange_code(
            code="the-code", redirect_uri="https://app.example/cb", code_verifier="v" * 50
        )
        assert client.request("GET", "/customers").json()["auth"] == "access-1"
    assert token == store.load()
    assert token.refresh_token == "refresh-1"
    form = parse_qs(fake.token_requests[0].content.decode())
    assert form["grant_type"] == ["authorization_code"]
    assert form["code_verifier"] == ["v" * 50]
    assert form["redirect_uri"] == ["https://app.example/cb"]


def test_token_repr_hides_secrets() -> None:
    token = Token("secret-access", "secret-refresh", expires_at=1.0)
    assert "secret" not in repr(token)
    assert (
        repr(token) == "Token(access_token='***', refresh_token='***', expires_at=1.0, scope='', "
        "token_type='Bearer')"
    )


async def test_a_cancelled_caller_does_not_lose_the_rotated_token() -> None:
    fake = FakeVisma(valid_access="nothing-valid")
    store = MemoryTokenStore(_expired())
    entered = asyncio.Event()
    release = asyncio.Event()

    async def slow_identity(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/connect/token":
            entered.set()
            await release.wait()
        return fake.handler(request)

    client = AsyncClient(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        token_store=store,
        base_url=BASE,
        identity_url=ORIGIN,
        transport=httpx.MockTransport(slow_identity),
        clock=lambda: NOW,
    )
    caller = asyncio.ensure_future(client.request("GET", "/customers"))
    await entered.wait()
    caller.cancel()
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await caller
    saved = store.load()
    assert saved is not None
    assert (saved.access_token, saved.refresh_token) == ("access-1", "refresh-1")
    assert (await client.request("GET", "/customers")).json()["auth"] == "access-1"
    assert fake.refresh_calls == 1
    await client.aclose()


def test_refresh_with_a_file_store_persists_the_rotated_pair(
    tmp_path: object, flavour: str
) -> None:
    from pathlib import Path

    from eaccounting import FileTokenStore

    path = Path(str(tmp_path)) / "token.json"
    store = FileTokenStore(path)
    store.save(_expired())
    fake = FakeVisma(valid_access="nothing-valid")
    with _client(fake, store) as client:
        assert client.request("GET", "/customers").json()["auth"] == "access-1"
    reread = FileTokenStore(path).load()
    assert reread is not None
    assert (reread.access_token, reread.refresh_token) == ("access-1", "refresh-1")
    assert sorted(p.name for p in path.parent.iterdir()) == ["token.json", "token.json.lock"]
