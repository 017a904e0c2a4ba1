"""Issue 16 items 3, 7 and 8: the token file through symlinks, its owner and mode, private
directories, and a typed error for every way the file can be unreadable."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from eaccounting import (
    EAccountingError,
    FileTokenStore,
    InvalidTokenFileError,
    ReconsentRequiredError,
    Token,
    TokenStoreAccessError,
)
from eaccounting.testing import Emulator
from eaccounting.testing.clock import ManualClock

from .conftest import client_of

SECRET = "s3cr3t-" + "x" * 40


def _token(n: int) -> Token:
    return Token(f"access-{n}-{SECRET}", f"refresh-{n}-{SECRET}", 1_900_000_000.0 + n)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_000() -> object:
    old = os.umask(0)
    yield None
    os.umask(old)


# -- item 3: symlinks ------------------------------------------------------------------------


def test_a_save_writes_through_a_symlink_chain_to_the_real_file(tmp_path: Path) -> None:
    volume = tmp_path / "volume"
    volume.mkdir()
    real = volume / "token.json"
    FileTokenStore(real).save(_token(1))
    hop = tmp_path / "hop.json"
    hop.symlink_to(real)
    link = tmp_path / "app" / "token.json"
    link.parent.mkdir()
    link.symlink_to("../hop.json")  # relative, and a link to a link

    store = FileTokenStore(link)
    assert store.real_path == real
    store.save(_token(2))

    assert link.is_symlink() and hop.is_symlink()
    assert FileTokenStore(real).load() == _token(2)  # what a second service reads
    assert store.load() == _token(2)
    assert sorted(p.name for p in volume.iterdir()) == ["token.json"]
    assert sorted(p.name for p in link.parent.iterdir()) == ["token.json"]


def test_a_first_save_through_a_dangling_symlink_creates_the_target(
    tmp_path: Path, umask_000: None
) -> None:
    link = tmp_path / "token.json"
    link.symlink_to(tmp_path / "volume" / "token.json")  # the volume is still empty
    FileTokenStore(link).save(_token(1))
    assert link.is_symlink()
    target = tmp_path / "volume" / "token.json"
    assert FileTokenStore(target).load() == _token(1)
    assert _mode(target) == 0o600 and _mode(target.parent) == 0o700


def test_the_refresh_lock_sits_next_to_the_real_file(tmp_path: Path) -> None:
    real = tmp_path / "volume" / "token.json"
    FileTokenStore(real).save(_token(1))
    link = tmp_path / "token.json"
    link.symlink_to(real)
    via_link, direct = FileTokenStore(link), FileTokenStore(real)
    assert via_link.lock_path == real.with_name("token.json.lock")
    assert via_link.try_lock()
    try:
        assert not direct.try_lock()  # one lock, whichever path a process was given
    finally:
        via_link.unlock()
    assert not tmp_path.joinpath("token.json.lock").exists()


def test_a_refresh_through_a_symlink_leaves_the_target_usable_by_others(
    tmp_path: Path, flavour: str
) -> None:
    clock = ManualClock()
    emu = Emulator("se", clock=clock)
    real = tmp_path / "secrets" / "token.json"
    FileTokenStore(real).save(emu.issue_token())
    link = tmp_path / "token.json"
    link.symlink_to(real)
    clock.advance(3700)
    assert client_of(emu, token_store=FileTokenStore(link)).customers.list().items == []
    assert link.is_symlink()
    # A second service reading the target gets the rotated pair, not the consumed one.
    stored = FileTokenStore(real).load()
    assert stored is not None
    assert stored.refresh_token not in emu.core.identity.consumed_refresh
    clock.advance(3700)
    assert emu.client(token_store=FileTokenStore(real)).customers.list().items == []
    assert emu.core.identity.token_requests["refresh_token"] == 2


# -- items 3 and 8: mode, owner, directories -------------------------------------------------


def test_an_existing_files_mode_is_kept_and_new_files_are_0600(
    tmp_path: Path, umask_000: None
) -> None:
    store = FileTokenStore(tmp_path / "token.json")
    store.save(_token(1))
    assert _mode(store.path) == 0o600
    os.chmod(store.path, 0o640)  # e.g. readable by a group of sibling services
    store.save(_token(2))
    assert _mode(store.path) == 0o640
    assert store.load() == _token(2)


def test_created_directories_are_0700_under_umask_000(tmp_path: Path, umask_000: None) -> None:
    store = FileTokenStore(tmp_path / "a" / "b" / "c" / "token.json")
    store.save(_token(1))
    for name in ("a", "a/b", "a/b/c"):
        assert _mode(tmp_path / name) == 0o700, name
    # The lock creates its directory the same way, even before any save.
    locked = FileTokenStore(tmp_path / "x" / "y" / "token.json")
    assert locked.try_lock()
    locked.unlock()
    assert _mode(tmp_path / "x") == 0o700 and _mode(tmp_path / "x" / "y") == 0o700
    assert _mode(tmp_path / "x" / "y" / "token.json.lock") == 0o600
    # Directories that already existed are not ours to change.
    os.chmod(tmp_path / "a", 0o755)
    store.save(_token(2))
    assert _mode(tmp_path / "a") == 0o755


def test_created_directories_are_0700_under_a_umask_that_removes_owner_bits(
    tmp_path: Path,
) -> None:
    old = os.umask(0o277)
    try:
        FileTokenStore(tmp_path / "d" / "token.json").save(_token(1))
    finally:
        os.umask(old)
    assert _mode(tmp_path / "d") == 0o700


def test_root_rewriting_a_users_file_leaves_it_owned_by_the_user(tmp_path: Path) -> None:
    """The real chown path: this test runs as root and the file belongs to uid 1234."""
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    path = tmp_path / "token.json"
    FileTokenStore(path).save(_token(1))
    os.chown(path, 1234, 2345)
    os.chmod(path, 0o600)
    store = FileTokenStore(path)
    store.check_writable()  # root may write anyone's file
    store.save(_token(2))
    info = path.stat()
    assert (info.st_uid, info.st_gid, _mode(path)) == (1234, 2345, 0o600)
    assert store.load() == _token(2)


def test_a_refresh_by_root_keeps_the_users_ownership(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    clock = ManualClock()
    emu = Emulator("se", clock=clock)
    path = tmp_path / "token.json"
    FileTokenStore(path).save(emu.issue_token())
    os.chown(path, 1234, 1234)
    clock.advance(3700)
    assert emu.client(token_store=FileTokenStore(path)).customers.list().items == []
    assert (path.stat().st_uid, path.stat().st_gid) == (1234, 1234)


def test_a_file_owned_by_another_user_is_refused_with_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "token.json"
    FileTokenStore(path).save(_token(1))
    owner = path.stat().st_uid
    monkeypatch.setattr("eaccounting._secret_files.effective_uid", lambda: owner + 1000)
    store = FileTokenStore(path)
    assert store.writable() is False
    with pytest.raises(TokenStoreAccessError) as info:
        store.check_writable()
    assert str(info.value) == (
        f"token file {str(path)!r} is owned by uid {owner}, not by this process's uid "
        f"{owner + 1000}; expected a file owned by uid {owner + 1000}. Refusing to refresh "
        "(no refresh token was spent): run as its owner or chown it"
    )
    assert info.value.path == str(path)
    assert store.load() == _token(1)  # reading is still allowed


# -- item 7: every unreadable token file is a typed error ------------------------------------

EXPECTED = "expected a JSON object with a string access_token"

CONTENTS: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "it is empty"),
    "whitespace": (b" \n\t", "it is empty"),
    "list": (b"[]", "a token must be a JSON object, not a list"),
    "empty object": (b"{}", "access_token must be a string, not null"),
    "null": (b"null", "a token must be a JSON object, not null"),
    "string": (b'"' + SECRET.encode() + b'"', "a token must be a JSON object, not a string"),
    "number": (b"42", "a token must be a JSON object, not a number"),
    "garbage": (b"\x00\x01garbage" + SECRET.encode(), "it is not JSON (JSONDecodeError)"),
    "truncated": (b'{"access_token": "' + SECRET.encode(), "it is not JSON (JSONDecodeError)"),
    "not UTF-8": (b"\xff\xfe\xfa", "it is not JSON (UnicodeDecodeError)"),
    "access_token a number": (
        b'{"access_token": 5, "expires_at": 1}',
        "access_token must be a string, not a number",
    ),
    "access_token a list": (
        b'{"access_token": ["a"], "expires_at": 1}',
        "access_token must be a string, not a list",
    ),
    "refresh_token a number": (
        b'{"access_token": "a", "refresh_token": 7, "expires_at": 1}',
        "refresh_token must be a string or null, not a number",
    ),
    "expires_at a string": (
        b'{"access_token": "a", "expires_at": "' + SECRET.encode() + b'"}',
        "expires_at must be a finite number of seconds, not a string",
    ),
    "expires_at a boolean": (
        b'{"access_token": "a", "expires_at": true}',
        "expires_at must be a finite number of seconds, not a boolean",
    ),
    "expires_at NaN": (
        b'{"access_token": "a", "expires_at": NaN}',
        "expires_at must be a finite number of seconds, not a number",
    ),
    "scope a list": (
        b'{"access_token": "a", "expires_at": 1, "scope": ["ea:api"]}',
        "scope must be a string or null, not a list",
    ),
}


@pytest.mark.parametrize("case", list(CONTENTS))
def test_every_malformed_token_file_is_a_typed_error_naming_path_and_expectation(
    tmp_path: Path, case: str, figures: dict[str, object]
) -> None:
    raw, why = CONTENTS[case]
    path = tmp_path / "token.json"
    path.write_bytes(raw)
    with pytest.raises(InvalidTokenFileError) as info:
        FileTokenStore(path).load()
    error = info.value
    assert isinstance(error, EAccountingError) and not isinstance(error, ReconsentRequiredError)
    assert str(error).startswith(f"token file {str(path)!r} is not a valid token store: {why}")
    assert EXPECTED in str(error)
    assert error.path == str(path)
    if why != "it is empty":
        assert error.__cause__ is not None
    assert SECRET not in str(error) and SECRET not in repr(error)
    figures.update(case=case)


@pytest.mark.parametrize("case", ["list", "empty", "garbage", "expires_at a string"])
def test_a_malformed_token_file_reaches_the_caller_typed_through_a_client(
    tmp_path: Path, flavour: str, case: str
) -> None:
    emu = Emulator("se", clock=ManualClock())
    path = tmp_path / "token.json"
    path.write_bytes(CONTENTS[case][0])
    client = client_of(emu, token_store=FileTokenStore(path))
    with pytest.raises(EAccountingError) as info:
        client.customers.list()
    assert type(info.value) is InvalidTokenFileError
    assert emu.core.identity.token_requests["refresh_token"] == 0


def test_a_directory_in_place_of_the_token_file_is_a_typed_error(tmp_path: Path) -> None:
    path = tmp_path / "token.json"
    path.mkdir()
    with pytest.raises(TokenStoreAccessError) as info:
        FileTokenStore(path).load()
    assert str(info.value).startswith(f"cannot read the token file {str(path)!r} (Is a directory)")
    assert "expected a regular file this process can read" in str(info.value)
    assert isinstance(info.value.__cause__, IsADirectoryError)


def test_a_permission_error_reading_the_token_file_is_a_typed_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated (root reads everything); the unprivileged child in test_no_lockout.py reads a
    real root-owned file."""
    path = tmp_path / "token.json"
    FileTokenStore(path).save(_token(1))
    os.chmod(path, 0o600)

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(TokenStoreAccessError) as info:
        FileTokenStore(path).load()
    message = str(info.value)
    assert message.startswith(f"cannot read the token file {str(path)!r} (Permission denied)")
    assert f"with mode 600; this process runs as uid {os.geteuid()}" in message
    assert isinstance(info.value.__cause__, PermissionError)


def test_the_token_dict_parser_itself_refuses_wrong_types() -> None:
    from eaccounting import ValidationError

    with pytest.raises(ValidationError) as info:
        Token.from_dict([])  # type: ignore[arg-type]
    assert str(info.value) == "a token must be a JSON object, not a list"
    with pytest.raises(ValidationError) as info:
        Token.from_dict({"access_token": "a", "expires_in": "3600"})
    assert info.value.field == "expires_in"
    token = Token.from_dict({"access_token": "a", "expires_at": 5, "scope": None})
    assert (token.expires_at, token.scope, token.token_type, token.refresh_token) == (
        5.0,
        "",
        "Bearer",
        None,
    )
    assert json.loads(json.dumps(token.to_dict()))["expires_at"] == 5.0


def test_a_lock_the_file_system_cannot_take_is_a_typed_error_not_a_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """flock failing for a reason other than "held" (NFS without locks: ENOLCK) must not be
    mistaken for a holder and waited on until the timeout."""
    import errno
    import fcntl

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    store = FileTokenStore(tmp_path / "token.json")
    monkeypatch.setattr(fcntl, "flock", no_locks)
    with pytest.raises(TokenStoreAccessError) as info:
        store.try_lock()
    assert str(info.value) == (
        f"cannot lock the token refresh lock {str(store.lock_path)!r} (No locks available); "
        "expected a file system with flock support. No refresh token was spent"
    )
    assert isinstance(info.value.__cause__, OSError)


def test_clear_deletes_the_real_file_and_types_its_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "volume" / "token.json"
    FileTokenStore(real).save(_token(1))
    link = tmp_path / "token.json"
    link.symlink_to(real)
    store = FileTokenStore(link)
    store.clear()
    assert not real.exists() and store.load() is None
    store.clear()  # nothing to delete: fine

    FileTokenStore(real).save(_token(2))

    def denied(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "unlink", denied)
    with pytest.raises(TokenStoreAccessError, match=r"^cannot delete the token file .*"):
        store.clear()


def test_a_file_seeded_with_only_a_refresh_token_loads(tmp_path: Path) -> None:
    """The contract harness seeds a store this way; the first call refreshes."""
    path = tmp_path / "token.json"
    path.write_text('{"access_token": "", "refresh_token": "r", "expires_at": 0}')
    assert FileTokenStore(path).load() == Token("", "r", 0.0)


# -- what mutation testing found untested (make mutation: tokens) ----------------------------


def test_a_file_owned_by_a_higher_uid_is_refused_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Owner 2000, this process 1000: "another user" is any other uid, not a smaller one.
    path = tmp_path / "token.json"
    FileTokenStore(path).save(_token(1))
    os.chown(path, 2000, 2000)
    monkeypatch.setattr("eaccounting._secret_files.effective_uid", lambda: 1000)
    with pytest.raises(TokenStoreAccessError, match="is owned by uid 2000, not by"):
        FileTokenStore(path).check_writable()


def test_a_token_file_not_written_yet_is_writable(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "new" / "token.json")
    store.check_writable()  # the first save is yet to come: no error
    assert store.writable() is True
    assert _mode(tmp_path / "new") == 0o700


def test_a_file_that_cannot_be_inspected_is_a_typed_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "token.json"
    FileTokenStore(path).save(_token(1))
    real_stat = os.stat

    def denied(target: object, *args: object, **kwargs: object) -> os.stat_result:
        if str(target) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_stat(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", denied)
    with pytest.raises(TokenStoreAccessError) as info:
        FileTokenStore(path).check_writable()
    assert str(info.value).startswith(f"cannot inspect the token file {str(path)!r} (")
    assert isinstance(info.value.__cause__, PermissionError)


def test_an_unreadable_file_that_cannot_be_stated_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "token.json"
    FileTokenStore(path).save(_token(1))

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    def no_stat(target: object, *args: object, **kwargs: object) -> os.stat_result:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    monkeypatch.setattr("eaccounting.tokens.os.stat", no_stat)
    with pytest.raises(TokenStoreAccessError, match="it could not be stat'ed either"):
        FileTokenStore(path).load()


@pytest.mark.parametrize(("link_name", "target_name"), [("z-link", "a-real"), ("a-link", "z-real")])
def test_an_error_names_the_link_and_the_real_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, link_name: str, target_name: str
) -> None:
    # Whatever the names' order, a path through a link is shown with its target.
    real = tmp_path / target_name
    FileTokenStore(real).save(_token(1))
    link = tmp_path / link_name
    link.symlink_to(real)
    monkeypatch.setattr("eaccounting._secret_files.effective_uid", lambda: 4321)
    with pytest.raises(TokenStoreAccessError) as info:
        FileTokenStore(link).check_writable()
    assert str(info.value).startswith(f"token file {str(link)!r} (-> {str(real)!r}) is owned")


def test_options_after_the_path_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        FileTokenStore("token.json", 5.0)  # type: ignore[misc]
    with pytest.raises(TypeError):
        _token(1).expires_within(60, 0.0)  # type: ignore[misc]
