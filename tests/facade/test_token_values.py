"""Token.from_dict fills what a token endpoint leaves out, the way docs/auth.md says."""

from __future__ import annotations

from pathlib import Path

import pytest

from eaccounting import FileTokenStore, MemoryTokenStore, Token, TokenStore
from eaccounting import tokens as tokens_module


def test_defaults_for_a_minimal_endpoint_response(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens_module.time, "time", lambda: 1_000.0)
    token = Token.from_dict({"access_token": "a"})
    assert (token.expires_at, token.token_type, token.scope, token.refresh_token) == (
        4_600.0,
        "Bearer",
        "",
        None,
    )


def test_given_values_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens_module.time, "time", lambda: 1_000.0)
    token = Token.from_dict(
        {"access_token": "a", "expires_in": 60, "token_type": "bearer", "scope": "ea:api"}
    )
    assert (token.expires_at, token.token_type, token.scope) == (1_060.0, "bearer", "ea:api")
    assert Token.from_dict({"access_token": "a", "expires_at": 5, "expires_in": 60}).expires_at == 5


@pytest.mark.parametrize(("now", "expected"), [(89.0, False), (90.0, True), (91.0, True)])
def test_expires_within_counts_the_boundary_as_expired(now: float, expected: bool) -> None:
    assert Token("a", "r", expires_at=100.0).expires_within(10, now=now) is expected


def test_stores_satisfy_the_protocol_at_run_time(tmp_path: Path) -> None:
    assert isinstance(MemoryTokenStore(), TokenStore)
    assert isinstance(FileTokenStore(tmp_path / "t.json"), TokenStore)
    assert not isinstance(object(), TokenStore)


def test_the_file_store_creates_missing_folders(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "a" / "b" / "token.json")
    store.save(Token("a", "r", expires_at=1.0))
    assert store.load() == Token("a", "r", expires_at=1.0)


def test_the_memory_store_repr_says_whether_it_holds_a_token() -> None:
    store = MemoryTokenStore()
    assert repr(store) == "MemoryTokenStore(has_token=False)"
    store.save(Token("a", "r", expires_at=1.0))
    assert repr(store) == "MemoryTokenStore(has_token=True)"


def test_the_refresh_lock_creates_missing_folders(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "a" / "b" / "token.json")
    assert store.try_lock() is True
    store.unlock()
    assert (tmp_path / "a" / "b" / "token.json.lock").is_file()
