"""Issue 8 §2: token expiry is invisible, refresh is shared, rotation survives crashes, and the
token file is private and written atomically."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import subprocess
import sys
import textwrap
import threading
import time as _time
from pathlib import Path
from typing import Any

import httpx
import pytest

from eaccounting import (
    AsyncClient,
    Client,
    FileTokenStore,
    ReconsentRequiredError,
    RetryPolicy,
    Token,
    TokenStoreAccessError,
)
from eaccounting.auth import TokenPersistenceError
from eaccounting.testing import Emulator, Faults
from eaccounting.testing.clock import ManualClock, SystemClock

from .conftest import VirtualTime, client_of, loopback, seed_customers

REPO = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- expiry is invisible ----------------------------------------------------------------------


def test_access_token_expiry_in_the_middle_of_a_sync_is_invisible(
    figures: dict[str, Any], flavour: str
) -> None:
    clock = ManualClock()
    emu = Emulator("se", clock=clock)
    seed_customers(emu, 500)
    client = client_of(emu)
    seen: list[str] = []
    for number, page in enumerate(client.customers.iterate(page_size=50).pages()):
        seen.extend(str(c.id) for c in page)
        if number == 4:
            clock.advance(3700)  # the hour is up between page 5 and page 6
    assert seen == list(emu.core.company.coll("customers"))
    assert emu.core.identity.token_requests["refresh_token"] == 1
    figures.update(records=len(seen), refreshes=1)


def test_a_token_that_dies_again_while_a_retry_waits_is_refreshed_again(flavour: str) -> None:
    """A 401 gets one refresh per attempt: a 429 wait may outlive the refreshed token too."""
    clock = ManualClock()
    time = VirtualTime(clock)
    faults = Faults(token_lifetime=50)
    emu = Emulator("se", clock=clock, faults=faults, sleep=time, async_sleep=time.asleep)
    client = client_of(emu, retry=RetryPolicy(max_retries=4))
    faults.configure(burst_every=2, burst_length=1, token_lifetime=50)
    assert client.customers.list().items == []  # fault draw 1: none
    clock.advance(60)  # the token is dead server-side
    # 401 → refresh → draw 2: 429 "Try again in 60 seconds" (the new token dies meanwhile) →
    # 401 → refresh → draw 3: 200.
    assert client.customers.list().items == []
    assert time.calls == [60.0]
    assert emu.core.identity.token_requests["refresh_token"] == 2


# -- one refresh for 50 concurrent callers across threads and event loops ---------------------


def test_fifty_callers_across_threads_and_event_loops_share_one_refresh(
    tmp_path: Path, figures: dict[str, Any]
) -> None:
    clock = ManualClock()
    emu = Emulator("se", clock=clock)
    store = FileTokenStore(tmp_path / "token.json")
    store.save(emu.issue_token())
    clock.advance(3700)  # expired for client and server alike: every caller needs a refresh

    sync_threads, loops, tasks_per_loop = 20, 3, 10
    callers = sync_threads + loops * tasks_per_loop
    assert callers == 50
    start = threading.Barrier(sync_threads + loops)
    results: list[object] = []
    lock = threading.Lock()

    def record(value: object) -> None:
        with lock:
            results.append(value)

    def sync_caller() -> None:
        client: Client = emu.client(token_store=store)
        start.wait()
        try:
            record(len(client.customers.list().items))
        except Exception as exc:  # pragma: no cover - reported below
            record(exc)

    async def async_callers() -> None:
        client: AsyncClient = emu.async_client(token_store=store)
        try:

            async def one() -> object:
                try:
                    return len((await client.customers.list()).items)
                except Exception as exc:  # pragma: no cover - reported below
                    return exc

            start.wait()
            for value in await asyncio.gather(*(one() for _ in range(tasks_per_loop))):
                record(value)
        finally:
            await client.aclose()

    threads = [threading.Thread(target=sync_caller) for _ in range(sync_threads)]
    threads += [threading.Thread(target=asyncio.run, args=(async_callers(),)) for _ in range(loops)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not [t for t in threads if t.is_alive()], "a caller is stuck (deadlock?)"

    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors[:3]
    assert len(results) == callers
    # Counted where it matters: at the emulator's identity endpoint.
    assert emu.core.identity.token_requests == {"refresh_token": 1}
    stored = store.load()
    assert stored is not None and emu.core.identity.check(f"Bearer {stored.access_token}")
    figures.update(callers=callers, threads=sync_threads, event_loops=loops, refreshes=1)


# -- a crash between receiving a rotated pair and persisting it --------------------------------


class _FailingSave(FileTokenStore):
    """The disk fills up exactly when the rotated pair arrives."""

    def save(self, token: Token) -> None:
        raise OSError(28, "No space left on device")


def test_failed_persist_of_a_rotated_pair_keeps_the_grant(tmp_path: Path) -> None:
    clock = ManualClock()
    emu = Emulator("se", clock=clock)
    path = tmp_path / "token.json"
    original = emu.issue_token()
    FileTokenStore(path).save(original)
    clock.advance(3700)
    client = emu.client(token_store=_FailingSave(path))

    with pytest.raises(TokenPersistenceError) as info:
        client.customers.list()
    assert not isinstance(info.value, ReconsentRequiredError)
    assert str(info.value).startswith("a rotated token pair was received but saving it")
    assert "OSError: [Errno 28] No space left on device" in str(info.value)
    rotated = info.value.token
    assert isinstance(rotated, Token) and rotated.refresh_token != original.refresh_token

    # What is on disk: the previous pair, intact, whose refresh token the server consumed.
    on_disk = json.loads(path.read_text())
    assert on_disk["refresh_token"] == original.refresh_token
    assert original.refresh_token in emu.core.identity.consumed_refresh
    # This process goes on with the pair in memory; the caller can persist the attached one.
    assert client.customers.list().items == []
    FileTokenStore(path).save(rotated)
    assert emu.client(token_store=FileTokenStore(path)).customers.list().items == []
    assert emu.core.identity.token_requests["refresh_token"] == 1


_CRASH_AFTER_RECEIPT = textwrap.dedent(
    """
    import os, sys
    from eaccounting import Client, FileTokenStore

    class CrashOnSave(FileTokenStore):
        def save(self, token):
            # The rotated pair has arrived; the process dies before it is written.
            os._exit(17)

    base, path = sys.argv[1:3]
    client = Client(
        client_id=os.environ["EACCOUNTING_CLIENT_ID"],
        client_secret=os.environ["EACCOUNTING_CLIENT_SECRET"],  # not on the command line
        base_url=base + "/v2",
        identity_url=base,
        token_store=CrashOnSave(path),
    )
    client.customers.list()
    print("not reached")
    """
)


def test_process_killed_between_receipt_and_persist(tmp_path: Path) -> None:
    """A real process dies after the token endpoint rotated the pair and before the save."""
    path = tmp_path / "token.json"

    def make(origin: str) -> Emulator:
        return Emulator("se", clock=SystemClock(), origin=origin)

    with loopback(make) as emu:
        original = emu.issue_token()
        # Expired on the client's clock, so the child refreshes before its first call.
        stale = Token(original.access_token, original.refresh_token, _time.time() - 10)
        FileTokenStore(path).save(stale)
        before = path.read_bytes()
        child = subprocess.run(
            [sys.executable, "-c", _CRASH_AFTER_RECEIPT, emu.origin, str(path)],
            env={
                **os.environ,
                "EACCOUNTING_CLIENT_ID": emu.client_id,
                "EACCOUNTING_CLIENT_SECRET": emu.client_secret,
            },
            capture_output=True,
            text=True,
            timeout=60,
            cwd=REPO,
        )
        assert child.returncode == 17, child.stderr
        assert emu.core.identity.token_requests["refresh_token"] == 1

        # On disk: exactly the old file (complete, 0600); on the server: its refresh token is spent.
        assert path.read_bytes() == before
        assert _mode(path) == 0o600
        assert original.refresh_token in emu.core.identity.consumed_refresh
        leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        assert leftovers == []

        client = emu.client(token_store=FileTokenStore(path), transport=httpx.HTTPTransport())
        with pytest.raises(ReconsentRequiredError) as info:
            client.customers.list()
        assert "re-consent required" in str(info.value)
        assert "invalid_grant" in str(info.value)
        client.close()


# -- the token file: 0600 and atomic ------------------------------------------------------------


def _token(n: int) -> Token:
    return Token(f"access-{n}-" + "a" * 200, f"refresh-{n}-" + "r" * 200, 1_900_000_000.0 + n)


def test_token_file_is_0600_even_with_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        store = FileTokenStore(tmp_path / "sub" / "token.json")
        store.save(_token(1))
        assert store.try_lock()
        store.unlock()
    finally:
        os.umask(old)
    assert _mode(store.path) == 0o600
    assert _mode(store.path.with_name("token.json.lock")) == 0o600
    store.save(_token(2))  # replacing keeps the mode
    assert _mode(store.path) == 0o600


class _HalfWriter:
    """A file object whose write stores half the bytes, then fails (disk full)."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def write(self, data: bytes) -> int:
        self._handle.write(data[: len(data) // 2])
        self._handle.flush()
        raise OSError(28, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> _HalfWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


def test_a_write_failing_halfway_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = FileTokenStore(tmp_path / "token.json")
    store.save(_token(1))
    before = store.path.read_bytes()
    real_fdopen = os.fdopen
    monkeypatch.setattr(
        "eaccounting._secret_files.os.fdopen", lambda *a, **k: _HalfWriter(real_fdopen(*a, **k))
    )
    with pytest.raises(
        TokenStoreAccessError, match=r"\(No space left on device\); the previous"
    ) as info:
        store.save(_token(2))
    assert isinstance(info.value.__cause__, OSError)
    assert store.path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["token.json"]
    assert store.load() == _token(1)


_KILL_MID_WRITE = textwrap.dedent(
    """
    import os, signal, sys
    import eaccounting.tokens as tokens
    from eaccounting import FileTokenStore, Token

    path, cut = sys.argv[1], int(sys.argv[2])
    real_fdopen = os.fdopen

    class Killer:
        def __init__(self, handle):
            self.handle = handle
        def write(self, data):
            self.handle.write(data[:cut])
            self.handle.flush()
            os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no finally
        def __getattr__(self, name):
            return getattr(self.handle, name)
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            self.handle.close()

    tokens.os.fdopen = lambda *a, **k: Killer(real_fdopen(*a, **k))
    FileTokenStore(path).save(Token("new-" + "b" * 200, "new-" + "s" * 200, 2_000_000_000.0))
    """
)


@pytest.mark.parametrize("first_write", [False, True])
def test_process_killed_mid_write_never_leaves_a_partial_token_file(
    tmp_path: Path, first_write: bool, figures: dict[str, Any]
) -> None:
    path = tmp_path / "token.json"
    if not first_write:
        FileTokenStore(path).save(_token(1))
    before = path.read_bytes() if path.exists() else None
    cuts = [0, 1, 60, 200, 400]
    for cut in cuts:
        child = subprocess.run(
            [sys.executable, "-c", _KILL_MID_WRITE, str(path), str(cut)],
            capture_output=True,
            timeout=60,
            cwd=REPO,
        )
        assert child.returncode == -9, child.stderr
        if before is None:
            assert not path.exists(), "a first write killed midway left a token file"
        else:
            assert path.read_bytes() == before
            assert FileTokenStore(path).load() == _token(1)
    # What a kill can leave: hidden temp files, private, never read as the token.
    leftovers = [p for p in tmp_path.iterdir() if p.name != "token.json"]
    assert leftovers and all(p.name.startswith(".token.json.") for p in leftovers)
    assert all(_mode(p) == 0o600 for p in leftovers)
    FileTokenStore(path).save(_token(3))
    assert FileTokenStore(path).load() == _token(3)
    figures.update(kills=len(cuts), partial_token_files=0, first_write=first_write)
