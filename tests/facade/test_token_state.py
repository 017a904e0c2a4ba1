"""The token manager's shared steps (eaccounting._oauth), message by message and value by value.

A refresh against a fake identity server: what is kept from the previous pair when the response
leaves it out, how expiry is computed, when a refresh is due, and what each refusal says.
"""

from __future__ import annotations

import httpx
import pytest

from eaccounting import MemoryTokenStore, ReconsentRequiredError, Token
from eaccounting._oauth import TokenEndpointError, translate_oauth_error
from eaccounting.auth import TokenManager

from .fake_identity import CLIENT_ID, CLIENT_SECRET, FakeVisma

NOW = 10_000.0
TOKEN_URL = "https://visma.test/connect/token"


def _manager(store: MemoryTokenStore, **kwargs: object) -> TokenManager:
    options: dict[str, object] = {
        "store": store,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "token_url": TOKEN_URL,
        "clock": lambda: NOW,
    }
    options.update(kwargs)
    return TokenManager(**options)  # type: ignore[arg-type]


def _answering(body: dict[str, object]) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(200, json=body))


def test_a_response_without_refresh_token_or_scope_keeps_the_previous_ones() -> None:
    store = MemoryTokenStore(Token("a0", "r0", expires_at=NOW - 1, scope="ea:api offline_access"))
    manager = _manager(store)
    new = manager.refresh(_answering({"access_token": "a1", "expires_in": 60}), stale="a0")
    assert new == Token("a1", "r0", expires_at=NOW + 60, scope="ea:api offline_access")
    assert store.load() == new
    assert manager.refresh_count == 1


def test_a_response_without_expiry_lasts_an_hour() -> None:
    store = MemoryTokenStore(Token("a0", "r0", expires_at=NOW - 1))
    new = _manager(store).refresh(
        _answering({"access_token": "a1", "refresh_token": "r1"}), stale="a0"
    )
    assert (new.expires_at, new.refresh_token) == (NOW + 3600, "r1")


def test_each_refresh_is_counted() -> None:
    fake = FakeVisma()
    store = MemoryTokenStore(Token("access-0", "refresh-0", expires_at=NOW - 1))
    manager = _manager(store)
    transport = httpx.MockTransport(fake.handler)
    manager.refresh(transport, stale="access-0")
    manager.refresh(transport, stale="access-1")
    assert (manager.refresh_count, fake.refresh_calls) == (2, 2)


@pytest.mark.parametrize(("expires_at", "due"), [(NOW + 300, True), (NOW + 301, False)])
def test_a_refresh_is_due_within_the_skew(expires_at: float, due: bool) -> None:
    fake = FakeVisma()
    store = MemoryTokenStore(Token("access-0", "refresh-0", expires_at=expires_at))
    token = _manager(store).access_token(httpx.MockTransport(fake.handler))
    assert (token, fake.refresh_calls) == (("access-1", 1) if due else ("access-0", 0))


def test_a_negative_skew_is_refused_and_zero_allowed() -> None:
    with pytest.raises(ValueError, match=r"^refresh_skew=-1 must be >= 0$"):
        _manager(MemoryTokenStore(), refresh_skew=-1)
    assert _manager(MemoryTokenStore(), refresh_skew=0).refresh_skew == 0


def test_no_refresh_token_says_to_request_offline_access() -> None:
    store = MemoryTokenStore(Token("a0", None, expires_at=NOW - 1))
    with pytest.raises(ReconsentRequiredError, match=r"request the offline_access scope\)$"):
        _manager(store).access_token(_answering({}))


def test_refreshing_needs_the_client_credentials() -> None:
    store = MemoryTokenStore(Token("a0", "r0", expires_at=NOW - 1))
    for missing in ({"client_id": None}, {"client_secret": ""}):
        with pytest.raises(ValueError, match=r"^client_id and client_secret are required"):
            _manager(store, **missing).access_token(_answering({}))


class _AuthlibLike(Exception):
    def __init__(self, error: str | None, description: str | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.description = description


def test_refusals_become_typed_errors_with_what_the_endpoint_said() -> None:
    spent = translate_oauth_error(_AuthlibLike("invalid_grant"))
    assert type(spent) is ReconsentRequiredError
    assert "rejected the refresh token (invalid_grant)" in str(spent)
    code = translate_oauth_error(_AuthlibLike("invalid_grant"), grant="authorization_code")
    assert type(code) is ReconsentRequiredError
    assert "rejected the authorization code (invalid_grant)" in str(code)
    other = translate_oauth_error(_AuthlibLike("invalid_client", "bad secret"))
    assert type(other) is TokenEndpointError
    assert (str(other), other.error) == (
        "token endpoint error invalid_client: bad secret",
        "invalid_client",
    )
    bare = translate_oauth_error(_AuthlibLike(None))
    assert (str(bare), bare.error) == ("token endpoint error unknown", None)  # type: ignore[attr-defined]


def test_a_token_another_caller_refreshed_is_reused_whatever_its_value() -> None:
    # "a-new" sorts before the stale "z-old": reuse is about being different and fresh.
    store = MemoryTokenStore(Token("a-new", "r1", expires_at=NOW + 3600))
    calls: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: calls.append(r) or httpx.Response(500))
    assert _manager(store).refresh(transport, stale="z-old") == store.load()
    assert calls == []


def test_a_pair_rotated_by_another_worker_is_taken_after_invalid_grant() -> None:
    store = MemoryTokenStore(Token("a0", "r0", expires_at=NOW - 1))
    rotated = Token("a2", "r2", expires_at=NOW + 3600)

    def handler(request: httpx.Request) -> httpx.Response:
        store.save(rotated)  # the other worker spent r0 first and saves its pair now
        return httpx.Response(400, json={"error": "invalid_grant"})

    manager = _manager(store)
    assert manager.refresh(httpx.MockTransport(handler), stale="a0") == rotated
    assert manager.access_token(httpx.MockTransport(handler)) == "a2"


def test_the_token_endpoint_timeout_defaults_to_30_seconds() -> None:
    assert _manager(MemoryTokenStore()).timeout == 30.0


def test_a_code_exchanged_without_offline_access_gives_no_refresh_token() -> None:
    store = MemoryTokenStore()
    token = _manager(store).exchange_code(
        _answering({"access_token": "a1", "expires_in": 60, "scope": "ea:api"}),
        code="the-code",
        redirect_uri="https://app.example.com/cb",
    )
    assert token == Token("a1", None, expires_at=NOW + 60, scope="ea:api")
    assert store.load() == token


# -- what mutation testing found untested (make mutation: oauth) -----------------------------


def test_a_lock_wait_without_any_timeout_is_sixty_seconds() -> None:
    from eaccounting._oauth import lock_wait_of

    assert lock_wait_of(None) == 60.0
    assert lock_wait_of(httpx.Timeout(None)) == 60.0
    assert lock_wait_of(httpx.Timeout(5.0, read=20.0)) == 20.0


def test_the_token_endpoint_error_takes_its_error_by_keyword() -> None:
    assert TokenEndpointError("refused", error="invalid_client").error == "invalid_client"
    with pytest.raises(TypeError):
        TokenEndpointError("refused", "invalid_client")  # type: ignore[misc]


class _FailingSave(MemoryTokenStore):
    def save(self, token: Token) -> None:
        raise OSError(28, "No space left on device")


def test_a_refresh_whose_save_failed_is_counted_once() -> None:
    from eaccounting import TokenPersistenceError

    store = _FailingSave(Token("a0", "r0", expires_at=NOW - 1))
    manager = _manager(store)
    with pytest.raises(TokenPersistenceError) as info:
        manager.refresh(_answering({"access_token": "a1", "refresh_token": "r1"}), stale="a0")
    assert info.value.token == Token("a1", "r1", expires_at=NOW + 3600)
    assert manager.refresh_count == 1


class _CheckFails(MemoryTokenStore):
    def writable(self) -> bool:
        raise RuntimeError("backend down")


def test_a_store_check_that_crashes_is_a_typed_error_before_spending() -> None:
    from eaccounting import TokenStoreAccessError

    fake = FakeVisma()
    manager = _manager(_CheckFails(Token("access-0", "refresh-0", expires_at=NOW - 1)))
    with pytest.raises(TokenStoreAccessError, match=r"failed \(RuntimeError\); no refresh token"):
        manager.refresh(httpx.MockTransport(fake.handler), stale="access-0")
    assert fake.refresh_calls == 0


@pytest.mark.parametrize("stored_refresh", ["r-old", None])
def test_a_new_consent_supersedes_the_stored_refresh_token(stored_refresh: str | None) -> None:
    # A pair another worker saves late must not be taken for newer than this consent.
    store = MemoryTokenStore(Token("a-old", stored_refresh, expires_at=NOW - 1))
    manager = _manager(store)
    manager.exchange_code(
        _answering({"access_token": "a1", "refresh_token": "r1", "expires_in": 60}),
        code="the-code",
        redirect_uri="https://app.example.com/cb",
    )
    assert list(manager._coordinator.superseded) == ([stored_refresh] if stored_refresh else [])
