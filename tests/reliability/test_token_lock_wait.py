"""Issue 16 item 5 (the token half): a held ``<token file>.lock`` is waited on for at most the
call's timeout (or the store's ``lock_wait_seconds``), then a typed error names the lock.

The holders release the lock only after 30 s or when the test ends: code that waited without
a bound would get the lock and succeed, so ``pytest.raises`` would fail. Nothing here measures
time.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from eaccounting import (
    EAccountingError,
    FileTokenStore,
    ReconsentRequiredError,
    TokenLockTimeoutError,
    ValidationError,
)
from eaccounting._concurrency import coordinator_for
from eaccounting.testing import Emulator
from eaccounting.testing.clock import ManualClock

from .conftest import client_of

HOLD_SECONDS = 30


@contextmanager
def _held_by_thread(lock_path: Path) -> Iterator[None]:
    """A thread holding the flock through its own descriptor (flock is per open file)."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            taken.set()
            release.wait(HOLD_SECONDS)
        finally:
            os.close(fd)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert taken.wait(10)
    try:
        yield
    finally:
        release.set()
        thread.join(10)


_HOLDER = textwrap.dedent(
    """
    import fcntl, os, sys, time
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))  # a stopped or stuck process
    """
)


@contextmanager
def _held_by_process(lock_path: Path) -> Iterator[None]:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(lock_path), str(HOLD_SECONDS)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        yield
    finally:
        holder.kill()
        holder.wait(10)


def _expired_store(tmp_path: Path, **options: float) -> tuple[Emulator, FileTokenStore]:
    clock = ManualClock()
    emu = Emulator("se", clock=clock)
    store = FileTokenStore(tmp_path / "token.json", **options)
    store.save(emu.issue_token())
    clock.advance(3700)
    return emu, store


@pytest.mark.parametrize("holder", ["thread", "process"])
def test_a_held_lock_fails_the_call_typed_after_its_timeout(
    tmp_path: Path, flavour: str, holder: str
) -> None:
    emu, store = _expired_store(tmp_path)
    held = _held_by_thread if holder == "thread" else _held_by_process
    with held(store.lock_path):
        client = client_of(emu, token_store=store, timeout=0.5)
        with pytest.raises(TokenLockTimeoutError) as info:
            client.customers.list()
    error = info.value
    assert isinstance(error, EAccountingError) and not isinstance(error, ReconsentRequiredError)
    assert str(error) == (
        f"gave up after 0.5 s waiting for the token refresh lock {str(store.lock_path)!r}: "
        "another process holds it (stopped, or stuck in a refresh). No refresh token was "
        "spent; retry later, or raise the client's timeout or lock_wait_seconds"
    )
    assert (error.lock_path, error.waited) == (str(store.lock_path), 0.5)
    assert emu.core.identity.token_requests["refresh_token"] == 0
    # Released, the next call refreshes normally.
    assert client.customers.list().items == []
    assert emu.core.identity.token_requests["refresh_token"] == 1


def test_the_stores_lock_wait_setting_overrides_the_timeout(tmp_path: Path) -> None:
    emu, store = _expired_store(tmp_path, lock_wait_seconds=0.25)
    with _held_by_thread(store.lock_path):
        client = emu.client(token_store=store, timeout=600)
        with pytest.raises(TokenLockTimeoutError, match=r"^gave up after 0\.25 s waiting") as info:
            client.customers.list()
    assert info.value.waited == 0.25


def test_the_longest_part_of_an_httpx_timeout_is_the_bound(tmp_path: Path) -> None:
    import httpx

    emu, store = _expired_store(tmp_path)
    with _held_by_thread(store.lock_path):
        client = emu.client(
            token_store=store, timeout=httpx.Timeout(0.1, read=0.4, write=None, pool=0.2)
        )
        with pytest.raises(TokenLockTimeoutError) as info:
            client.customers.list()
    assert info.value.waited == 0.4


def test_another_thread_stuck_in_a_refresh_bounds_the_in_process_wait(
    tmp_path: Path, flavour: str
) -> None:
    """The in-process single-flight lock is bounded the same way (here held by a thread that
    stands for a refresh stuck in this process)."""
    emu, store = _expired_store(tmp_path)
    lock = coordinator_for(store).thread_lock
    release = threading.Event()
    taken = threading.Event()

    def stuck() -> None:
        with lock:
            taken.set()
            release.wait(HOLD_SECONDS)

    thread = threading.Thread(target=stuck, daemon=True)
    thread.start()
    assert taken.wait(10)
    try:
        client = client_of(emu, token_store=store, timeout=0.3)
        with pytest.raises(TokenLockTimeoutError) as info:
            client.customers.list()
    finally:
        release.set()
        thread.join(10)
    assert str(info.value).startswith(
        "gave up after 0.3 s waiting for another thread or task of this process to finish "
        "refreshing the token of FileTokenStore("
    )
    assert info.value.waited == 0.3
    assert emu.core.identity.token_requests["refresh_token"] == 0


@pytest.mark.parametrize("value", [0, -1, True, "5", float("nan")])
def test_a_bad_lock_wait_setting_is_refused(tmp_path: Path, value: object) -> None:
    with pytest.raises(ValidationError) as info:
        FileTokenStore(tmp_path / "t.json", lock_wait_seconds=value)  # type: ignore[arg-type]
    assert str(info.value) == (
        f"lock_wait_seconds={value!r} must be a positive number of seconds or None"
    )
    assert info.value.field == "lock_wait_seconds"


def test_a_custom_stores_lock_is_bounded_by_the_timeout_too(flavour: str) -> None:
    """A store of the user's with ``try_lock()`` but no ``lock_wait_seconds``."""
    from eaccounting import MemoryTokenStore

    class AlwaysBusy(MemoryTokenStore):
        tries = 0

        def try_lock(self) -> bool:
            # Free after ~30 s of polling: a wait without a bound would get it and succeed.
            self.tries += 1
            return self.tries > 3000

        def unlock(self) -> None:
            pass

    clock = ManualClock()
    emu = Emulator("se", clock=clock)
    store = AlwaysBusy(emu.issue_token())
    clock.advance(3700)
    client = client_of(emu, token_store=store, timeout=0.2)
    with pytest.raises(TokenLockTimeoutError) as info:
        client.customers.list()
    assert str(info.value) == (
        "gave up after 0.2 s waiting for the refresh lock of MemoryTokenStore(has_token=True) "
        "(its try_lock() kept answering False); no refresh token was spent"
    )
    assert store.tries > 1 and emu.core.identity.token_requests["refresh_token"] == 0
