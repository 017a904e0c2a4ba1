"""Token stores: file store is 0600 and atomic; memory store; redaction."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from eaccounting import FileTokenStore, MemoryTokenStore, Token

TOKEN = Token("acc-secret", "ref-secret", expires_at=1_800_000_000.0, scope="ea:api")


def test_file_store_round_trip_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "token.json"
    store = FileTokenStore(path)
    assert store.load() is None
    store.save(TOKEN)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert store.load() == TOKEN
    assert json.loads(path.read_text()) == {
        "access_token": "acc-secret",
        "refresh_token": "ref-secret",
        "expires_at": 1_800_000_000.0,
        "scope": "ea:api",
        "token_type": "Bearer",
    }
    store.clear()
    assert not path.exists()
    store.clear()  # idempotent


def test_a_failed_write_leaves_the_previous_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "token.json"
    store = FileTokenStore(path)
    store.save(TOKEN)

    def crash(src: str, dst: str) -> None:
        raise KeyboardInterrupt  # as if the process were killed mid-save

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        store.save(Token("new", "new", expires_at=1.0))
    monkeypatch.undo()
    assert store.load() == TOKEN
    assert sorted(p.name for p in tmp_path.iterdir()) == ["token.json"]


def test_corrupt_file_gives_a_clear_error_without_contents(tmp_path: Path) -> None:
    path = tmp_path / "token.json"
    path.write_text('{"access_token": "leaky-secret"')
    with pytest.raises(ValueError) as info:
        FileTokenStore(path).load()
    assert "is not a valid token store" in str(info.value)
    assert "leaky-secret" not in str(info.value)


def test_reprs_hide_secrets(tmp_path: Path) -> None:
    assert "secret" not in repr(TOKEN)
    assert "secret" not in repr(MemoryTokenStore(TOKEN))
    assert repr(FileTokenStore(tmp_path / "t.json")).startswith("FileTokenStore(")


def test_token_from_endpoint_response_uses_expires_in() -> None:
    token = Token.from_dict({"access_token": "a", "expires_in": 60, "expires_at": None})
    assert token.refresh_token is None
    assert token.expires_within(120)
    assert not token.expires_within(0)


def test_file_store_refresh_lock_excludes_other_holders(tmp_path: Path) -> None:
    first = FileTokenStore(tmp_path / "token.json")
    second = FileTokenStore(tmp_path / "token.json")  # e.g. another process
    assert first.try_lock() is True
    assert second.try_lock() is False
    first.unlock()
    assert second.try_lock() is True
    second.unlock()
    assert stat.S_IMODE((tmp_path / "token.json.lock").stat().st_mode) == 0o600
