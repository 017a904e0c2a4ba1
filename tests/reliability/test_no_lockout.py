"""Issue 16 item 2: no failure of ours ends in ``ReconsentRequiredError``.

A refresh spends the single-use refresh token at Visma. Before it does, the client checks that
the store can take the new pair (and refuses with the grant intact if not); when a save still
fails afterwards, the new pair stays in memory for the process and rides on the
``TokenPersistenceError``. Each case below ends with the grant alive: a later call succeeds
without the user signing in again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eaccounting import (
    EAccountingError,
    FileTokenStore,
    MemoryTokenStore,
    ReconsentRequiredError,
    Token,
    TokenPersistenceError,
    TokenStoreAccessError,
)
from eaccounting.testing import Emulator
from eaccounting.testing.clock import ManualClock

from .conftest import client_of

REPO = Path(__file__).resolve().parents[2]


class _Setup:
    """An emulator whose token, saved in ``path``, has expired: the next call refreshes."""

    def __init__(self, path: Path) -> None:
        self.clock = ManualClock()
        self.emu = Emulator("se", clock=self.clock)
        self.path = path
        self.original = self.emu.issue_token()
        FileTokenStore(path).save(self.original)
        self.clock.advance(3700)

    @property
    def refreshes(self) -> int:
        return int(self.emu.core.identity.token_requests["refresh_token"])

    def spent(self, token: Token) -> bool:
        return token.refresh_token in self.emu.core.identity.consumed_refresh

    def grant_alive_from_file(self) -> None:
        """A fresh client (another process, say) on the token file works: no re-consent."""
        client = self.emu.client(token_store=FileTokenStore(self.path))
        assert client.customers.list().items == []


def _not_reconsent(exc: BaseException) -> None:
    assert isinstance(exc, EAccountingError), type(exc)
    assert not isinstance(exc, ReconsentRequiredError), type(exc)
    assert exc.__cause__ is not None or isinstance(exc, TokenStoreAccessError)


# -- refused before anything is spent ---------------------------------------------------------


def _other_owner(monkeypatch: pytest.MonkeyPatch, setup: _Setup) -> str:
    # The file is ours (root's, here); this process pretends to be uid 1234.
    monkeypatch.setattr("eaccounting._secret_files.effective_uid", lambda: 1234)
    return f"is owned by uid {setup.path.stat().st_uid}, not by this process's uid 1234"


def _probe_disk_full(monkeypatch: pytest.MonkeyPatch, setup: _Setup) -> str:
    def full(fd: int, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("eaccounting._secret_files.os.write", full)
    return "(No space left on device); expected a directory this process can write with room"


def _planted_symlink(monkeypatch: pytest.MonkeyPatch, setup: _Setup) -> str:
    link = setup.path.with_name("link.json")
    link.symlink_to(setup.path)
    os.lchown(link, 4321, 4321)  # planted by someone else
    monkeypatch.setattr("eaccounting._secret_files.effective_uid", lambda: 1234)
    setup.path = link
    return "through the symlink"


REFUSALS: dict[str, Callable[[pytest.MonkeyPatch, _Setup], str]] = {
    "file owned by another user": _other_owner,
    "disk full at the probe": _probe_disk_full,
    "symlink planted by another user": _planted_symlink,
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_store_that_cannot_take_the_pair_is_refused_before_the_refresh_token_is_spent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flavour: str, case: str
) -> None:
    if case == "symlink planted by another user" and os.geteuid() != 0:
        pytest.skip("planting a symlink owned by another uid needs root (lchown)")
    setup = _Setup(tmp_path / "token.json")
    expected = REFUSALS[case](monkeypatch, setup)
    client = client_of(setup.emu, token_store=FileTokenStore(setup.path))

    with pytest.raises(TokenStoreAccessError) as info:
        client.customers.list()
    _not_reconsent(info.value)
    assert expected in str(info.value)
    assert "no refresh token was spent" in str(info.value).lower()
    assert setup.refreshes == 0 and not setup.spent(setup.original)

    # Fixed (here: the simulation undone), the same grant works.
    monkeypatch.undo()
    setup.path = tmp_path / "token.json"
    setup.grant_alive_from_file()
    assert setup.refreshes == 1


def test_a_store_that_says_it_is_not_writable_is_refused_first(flavour: str) -> None:
    """Stores other than files may answer ``writable()``; without it they are trusted."""

    class ReadOnlyReplica(MemoryTokenStore):
        def writable(self) -> bool:
            return False

    clock = ManualClock()
    emu = Emulator("se", clock=clock)
    original = emu.issue_token()
    clock.advance(3700)
    client = client_of(emu, token_store=ReadOnlyReplica(original))
    with pytest.raises(TokenStoreAccessError, match="cannot be written now; no refresh token"):
        client.customers.list()
    assert emu.core.identity.token_requests["refresh_token"] == 0
    assert client_of(emu, token_store=MemoryTokenStore(original)).customers.list().items == []


# -- the save fails after the refresh: the pair is kept ---------------------------------------


def _half_write(monkeypatch: pytest.MonkeyPatch) -> None:
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")

        def __getattr__(self, name: str) -> Any:
            return getattr(self.handle, name)

        def __enter__(self) -> Any:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

    monkeypatch.setattr(
        "eaccounting._secret_files.os.fdopen", lambda *a, **k: HalfWriter(real_fdopen(*a, **k))
    )


def _replace_denied(monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(src: Any, dst: Any) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("eaccounting._secret_files.os.replace", denied)


SAVE_FAILURES: dict[str, tuple[Callable[[pytest.MonkeyPatch], None], str]] = {
    "disk full while writing": (_half_write, "No space left on device"),
    "EACCES on rename": (_replace_denied, "Permission denied"),
}


@pytest.mark.parametrize("case", list(SAVE_FAILURES))
def test_a_failed_save_keeps_the_new_pair_in_memory_and_on_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flavour: str, case: str
) -> None:
    setup = _Setup(tmp_path / "token.json")
    before = setup.path.read_bytes()
    client = client_of(setup.emu, token_store=FileTokenStore(setup.path))
    fail, reason = SAVE_FAILURES[case]
    fail(monkeypatch)

    with pytest.raises(TokenPersistenceError) as info:
        client.customers.list()
    error = info.value
    _not_reconsent(error)
    assert reason in str(error)
    assert "kept in memory" in str(error) and "attached as .token" in str(error)
    assert error.path == str(setup.path)
    rotated = error.token
    assert isinstance(rotated, Token) and setup.spent(setup.original)
    assert not setup.spent(rotated)
    for secret in (rotated.access_token, rotated.refresh_token or "?"):
        assert secret not in str(error) and secret not in repr(error)
    assert setup.path.read_bytes() == before  # the old (spent) pair, intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["token.json", "token.json.lock"]

    # Later calls of this process use the new pair; the disk is still failing.
    assert client.customers.list().items == []
    assert setup.refreshes == 1
    # The hour is up again, the disk still fails: the second refresh spends the unsaved pair's
    # refresh token (not the spent one on disk) and keeps the next pair in memory.
    setup.clock.advance(3700)
    with pytest.raises(TokenPersistenceError) as again:
        client.customers.list()
    assert setup.spent(rotated) and again.value.token.refresh_token != rotated.refresh_token
    assert client.customers.list().items == []
    # The disk recovers: the third refresh is saved, and another process can use the file.
    monkeypatch.undo()
    setup.clock.advance(3700)
    assert client.customers.list().items == []
    assert setup.refreshes == 3
    stored = FileTokenStore(setup.path).load()
    assert stored is not None and not setup.spent(stored)
    setup.grant_alive_from_file()


def test_every_client_of_the_store_in_this_process_uses_the_unsaved_pair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flavour: str
) -> None:
    """Clients sharing one store (a web app's per-request clients) must not fall back to the
    spent pair on disk: the unsaved pair is kept per store, not per client."""
    setup = _Setup(tmp_path / "token.json")
    store = FileTokenStore(setup.path)
    first = client_of(setup.emu, token_store=store)
    second = client_of(setup.emu, token_store=store)
    assert second.customers.list().items == []  # refreshes the expired pair: saved
    setup.clock.advance(3700)
    _replace_denied(monkeypatch)
    with pytest.raises(TokenPersistenceError):
        first.customers.list()
    # ``second`` still holds the pair it refreshed an hour ago, now expired: it must take the
    # unsaved pair rather than refresh with the spent one in the file.
    assert second.customers.list().items == []
    third = client_of(setup.emu, token_store=store)  # a new client of the same store
    assert third.customers.list().items == []
    assert setup.refreshes == 2


def test_the_attached_pair_can_be_persisted_elsewhere_by_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup = _Setup(tmp_path / "token.json")
    _replace_denied(monkeypatch)
    with pytest.raises(TokenPersistenceError) as info:
        setup.emu.client(token_store=FileTokenStore(setup.path)).customers.list()
    monkeypatch.undo()
    elsewhere = FileTokenStore(tmp_path / "elsewhere" / "token.json")
    elsewhere.save(info.value.token)
    assert setup.emu.client(token_store=elsewhere).customers.list().items == []


def test_the_store_moving_on_wins_over_the_pair_in_memory(tmp_path: Path) -> None:
    """Once the store holds a pair we did not supersede (another process refreshed), the
    unsaved pair in memory is dropped and the store's pair is used."""

    class FailsOnce(MemoryTokenStore):
        failures = 1

        def save(self, token: Token) -> None:
            if self.failures:
                self.failures -= 1
                raise OSError(5, "Input/output error")
            super().save(token)

    clock = ManualClock()
    emu = Emulator("se", clock=clock)
    store = FailsOnce(emu.issue_token())
    clock.advance(3700)
    client = emu.client(token_store=store)
    with pytest.raises(TokenPersistenceError, match=r"OSError: \[Errno 5\] Input/output error"):
        client.customers.list()
    newer = emu.issue_token()  # e.g. the user signed in again in another process
    store.save(newer)
    clock.advance(3700)
    assert client.customers.list().items == []
    assert newer.refresh_token in emu.core.identity.consumed_refresh


# -- real permissions: a child process that drops root --------------------------------------

_UNPRIVILEGED = textwrap.dedent(
    """
    import json, os, sys
    from eaccounting import FileTokenStore, MemoryTokenStore
    from eaccounting.testing import Emulator
    from eaccounting.testing.clock import ManualClock

    base, case, uid = sys.argv[1], sys.argv[2], int(sys.argv[3])
    clock = ManualClock()
    emu = Emulator("se", clock=clock)
    original = emu.issue_token()
    directory = os.path.join(base, "state")
    os.mkdir(directory, 0o700)
    path = os.path.join(directory, "token.json")
    FileTokenStore(path).save(original)
    clock.advance(3700)
    if case == "read-only directory":
        open(path + ".lock", "w").close()  # an earlier run made it: the probe must refuse
        for name in (path, path + ".lock"):
            os.chown(name, uid, uid)
        os.chown(directory, uid, uid)
        os.chmod(directory, 0o500)
    elif case == "read-only directory, no lock file yet":
        os.chown(path, uid, uid)
        os.chown(directory, uid, uid)
        os.chmod(directory, 0o500)
    elif case == "root-owned token file":
        os.chown(directory, uid, uid)  # the file stays root's, 0600: unreadable
    elif case == "readable file owned by another user":
        os.chmod(path, 0o644)  # root's, readable, in a directory we may write
        os.chown(directory, uid, uid)
    client = emu.client(token_store=FileTokenStore(path))  # everything imported as root
    client.customers  # noqa: B018
    if uid != os.geteuid():
        os.setgid(uid)
        os.setuid(uid)
    try:
        client.customers.list()
        outcome = {"error": None}
    except BaseException as exc:
        outcome = {
            "error": type(exc).__name__,
            "mro": [k.__name__ for k in type(exc).__mro__],
            "message": str(exc),
            "cause": type(exc.__cause__).__name__ if exc.__cause__ else None,
        }
    outcome["refreshes"] = emu.core.identity.token_requests["refresh_token"]
    outcome["spent"] = original.refresh_token in emu.core.identity.consumed_refresh
    # The grant is still good: the same pair refreshes from a store that works.
    emu.client(token_store=MemoryTokenStore(original)).customers.list()
    outcome["alive"] = True
    print(json.dumps(outcome))
    """
)

REAL_CASES = {
    "read-only directory": ("TokenStoreAccessError", "cannot create and write files next to"),
    "read-only directory, no lock file yet": (
        "TokenStoreAccessError",
        "cannot open the token refresh lock",
    ),
    "root-owned token file": ("TokenStoreAccessError", "cannot read the token file"),
    "readable file owned by another user": ("TokenStoreAccessError", "is owned by uid 0"),
}


@pytest.mark.parametrize("case", list(REAL_CASES))
def test_real_permission_failures_in_an_unprivileged_process(case: str) -> None:
    """The same refusals with the kernel saying no: a child drops root to ``nobody``."""
    if os.geteuid() != 0:
        pytest.skip("needs root to build files owned by other users and drop to nobody")
    import tempfile

    nobody = 65534
    base = tempfile.mkdtemp(prefix="eaccounting-lockout-")
    try:
        os.chmod(base, 0o755)
        child = subprocess.run(
            [sys.executable, "-c", _UNPRIVILEGED, base, case, str(nobody)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO,
        )
    finally:
        subprocess.run(["chmod", "-R", "u+rwx", base], check=True)
        subprocess.run(["rm", "-rf", base], check=True)
    assert child.returncode == 0, child.stderr[-3000:]
    outcome = json.loads(child.stdout.strip().splitlines()[-1])
    error, text = REAL_CASES[case]
    assert outcome["error"] == error, outcome
    assert "EAccountingError" in outcome["mro"] and "ReconsentRequiredError" not in outcome["mro"]
    assert text in outcome["message"] and "/state/token.json" in outcome["message"]
    assert outcome["cause"] in {"PermissionError", None}
    assert outcome["refreshes"] == 0 and outcome["spent"] is False and outcome["alive"] is True
