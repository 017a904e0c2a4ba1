"""RedisTokenStore and SQLTokenStore against real Redis, PostgreSQL and SQLite.

Same contract for each engine: keyed by company, a lease only one worker holds at a time that
expires by itself, and a fenced save that never overwrites a newer pair (nor loses its own).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from eaccounting import ReconsentRequiredError, Token
from eaccounting.auth import TokenManager
from eaccounting.stores import LeaseSettings, StoreLockTimeoutError
from eaccounting.stores.redis_tokens import RedisTokenStore
from eaccounting.stores.sql_tokens import SQLTokenStore
from eaccounting.testing import Emulator

Factory = Callable[..., Any]


@pytest.fixture(params=["redis", "postgresql", "sqlite"])
def make_store(request: pytest.FixtureRequest) -> Factory:
    """make_store(company, lease=...) -> a new store instance (a new 'worker') on the engine."""
    if request.param == "redis":
        client = request.getfixturevalue("redis_client")
        return lambda company, **kw: RedisTokenStore(client, company, **kw)
    fixture = "pg_engine" if request.param == "postgresql" else "sqlite_engine"
    engine = request.getfixturevalue(fixture)
    return lambda company, **kw: SQLTokenStore(engine, company, **kw)


def _token(n: int) -> Token:
    return Token(access_token=f"access-{n}", refresh_token=f"refresh-{n}", expires_at=1e10)


SHORT = LeaseSettings(lease_seconds=0.3, wait_seconds=5.0, rotation_wait_seconds=3.0)


def test_round_trip_per_company(make_store: Factory) -> None:
    a, b = make_store("company-a"), make_store("company-b")
    assert a.load() is None
    a.save(_token(1))
    b.save(_token(2))
    assert make_store("company-a").load() == _token(1)
    assert make_store("company-b").load() == _token(2)
    a.clear()
    assert a.load() is None
    assert b.load() == _token(2)


def test_one_lease_holder_at_a_time_and_only_the_owner_releases(make_store: Factory) -> None:
    first, second = make_store("c"), make_store("c")
    assert first.try_lock() is True
    assert second.try_lock() is False
    second.unlock()  # not the holder: must not release first's lease
    assert make_store("c").try_lock() is False
    first.unlock()
    assert second.try_lock() is True
    second.unlock()


def test_a_dead_holders_lease_expires(make_store: Factory) -> None:
    dead = make_store("c", lease=SHORT)
    assert dead.try_lock() is True  # and never unlocks
    other = make_store("c", lease=SHORT)
    assert other.try_lock() is False
    time.sleep(0.5)
    assert other.try_lock() is True
    other.unlock()


def test_a_stalled_holder_cannot_overwrite_a_newer_pair_and_its_pair_is_kept(
    make_store: Factory,
) -> None:
    make_store("c").save(_token(1))
    stalled, fresh = make_store("c", lease=SHORT), make_store("c", lease=SHORT)
    assert stalled.try_lock() is True
    time.sleep(0.5)  # the lease runs out while the holder stalls
    assert fresh.try_lock() is True
    fresh.save(_token(2))
    fresh.unlock()
    stalled.save(_token(3))  # late: the generation moved on
    stalled.unlock()
    assert make_store("c").load() == _token(2)
    assert make_store("c").superseded() == _token(3)
    assert stalled.superseded_saves == 1
    assert fresh.superseded_saves == 0


def test_a_late_save_wins_when_nobody_else_saved(make_store: Factory) -> None:
    make_store("c").save(_token(1))
    stalled, waiter = make_store("c", lease=SHORT), make_store("c", lease=SHORT)
    assert stalled.try_lock() is True
    time.sleep(0.5)
    assert waiter.try_lock() is True
    stalled.save(_token(2))  # the stalled worker spent refresh-1: its pair is the valid one
    assert make_store("c").load() == _token(2)
    waiter.save(_token(3))  # the waiter's fence is stale now
    waiter.unlock()
    assert make_store("c").load() == _token(2)
    assert make_store("c").superseded() == _token(3)


def test_an_operators_save_during_a_lease_is_not_undone(make_store: Factory) -> None:
    make_store("c").save(_token(1))
    holder = make_store("c")
    assert holder.try_lock() is True
    make_store("c").save(_token(2))  # e.g. a fresh consent imported while a refresh runs
    holder.save(_token(3))
    holder.unlock()
    assert make_store("c").load() == _token(2)
    assert make_store("c").superseded() == _token(3)


def test_saves_under_one_lease_chain(make_store: Factory) -> None:
    store = make_store("c")
    assert store.try_lock() is True
    store.save(_token(1))
    store.save(_token(2))  # the fence follows this holder's own saves
    store.unlock()
    assert make_store("c").load() == _token(2)
    assert store.superseded_saves == 0


def test_a_corrupt_value_names_the_store(make_store: Factory) -> None:
    store = make_store("c")
    if isinstance(store, RedisTokenStore):
        store._redis.hset(store.key, "token", "not json")
    else:
        import sqlalchemy as sa

        store.save(_token(1))
        with store._engine.begin() as conn:
            conn.execute(sa.text("UPDATE eaccounting_tokens SET token = 'not json'"))
    with pytest.raises(ValueError, match=r"does not hold a valid token .*JSONDecodeError"):
        store.load()


def test_bad_settings_are_refused_with_the_field_and_value() -> None:
    with pytest.raises(ValueError, match=r"wait_seconds=5 must be longer than lease_seconds=10"):
        LeaseSettings(lease_seconds=10, wait_seconds=5)
    with pytest.raises(ValueError, match=r"lease_seconds=0 must be a positive number"):
        LeaseSettings(lease_seconds=0)


# -- with the token manager and the emulator's identity server --------------------------------


def _manager(emu: Emulator, store: Any) -> TokenManager:
    return TokenManager(
        store=store,
        client_id=emu.client_id,
        client_secret=emu.client_secret,
        token_url=f"{emu.origin}/connect/token",
        refresh_skew=0,
        clock=emu.clock.time,
    )


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    """The sync token flow, or the async one (derived from the same source, driven here)."""
    return str(request.param)


def _access_token(manager: TokenManager, emu: Emulator, flavour: str) -> str:
    if flavour == "sync":
        return manager.access_token(emu.transport())
    return asyncio.run(manager.aaccess_token(emu.async_transport()))


def _refresh(manager: TokenManager, emu: Emulator, flavour: str) -> Token:
    if flavour == "sync":
        return manager.refresh(emu.transport(), stale=None)
    return asyncio.run(manager.arefresh(emu.async_transport(), stale=None))


def _expired_pair(emu: Emulator) -> Token:
    token = emu.issue_token()
    token.expires_at = emu.clock.time() - 1
    return token


def test_workers_on_separate_machines_refresh_once(make_store: Factory) -> None:
    """Eight managers, each with its own store instance (as on separate machines)."""
    emu = Emulator()
    make_store("c").save(_expired_pair(emu))
    managers = [_manager(emu, make_store("c")) for _ in range(8)]
    barrier = threading.Barrier(len(managers))
    results: list[str] = []

    def work(manager: TokenManager) -> None:
        barrier.wait()
        results.append(manager.access_token(emu.transport()))

    threads = [threading.Thread(target=work, args=(m,)) for m in managers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not [t for t in threads if t.is_alive()], "a worker is stuck (deadlock?)"
    assert emu.core.identity.token_requests["refresh_token"] == 1
    assert len(set(results)) == 1
    assert sum(m.refresh_count for m in managers) == 1
    assert make_store("c").load().access_token == results[0]


def test_waiting_for_a_dead_workers_lease_is_bounded(make_store: Factory, flavour: str) -> None:
    emu = Emulator()
    holder = make_store("c", lease=LeaseSettings(lease_seconds=30, wait_seconds=31))
    holder.save(_expired_pair(emu))
    assert holder.try_lock() is True  # a worker that hangs with the lease
    waiter = make_store("c", lease=LeaseSettings(lease_seconds=0.2, wait_seconds=0.4))
    with pytest.raises(StoreLockTimeoutError, match=r"gave up after 0.4 s waiting for the refresh"):
        _access_token(_manager(emu, waiter), emu, flavour)
    assert emu.core.identity.token_requests["refresh_token"] == 0


def test_after_a_dead_workers_lease_expires_the_next_worker_refreshes(
    make_store: Factory, flavour: str
) -> None:
    emu = Emulator()
    dead = make_store("c", lease=SHORT)
    dead.save(_expired_pair(emu))
    assert dead.try_lock() is True  # killed before sending its refresh
    manager = _manager(emu, make_store("c", lease=SHORT))
    _access_token(manager, emu, flavour)
    assert emu.core.identity.token_requests["refresh_token"] == 1
    assert manager.refresh_count == 1


def test_invalid_grant_waits_for_the_pair_a_stalled_holder_saves(
    make_store: Factory, flavour: str
) -> None:
    """The stalled holder spent the refresh token; the next worker must not ask for re-consent."""
    emu = Emulator()
    stalled = make_store("c", lease=SHORT)
    old = _expired_pair(emu)
    stalled.save(old)
    assert stalled.try_lock() is True
    body = emu.core.identity.token(
        {"grant_type": "refresh_token", "refresh_token": old.refresh_token or ""},
        _basic(emu),
    )
    rotated = Token.from_dict(body)
    time.sleep(0.5)  # its lease runs out before it saves
    manager = _manager(emu, make_store("c", lease=SHORT))
    got: list[Token] = []
    worker = threading.Thread(target=lambda: got.append(_refresh(manager, emu, flavour)))
    worker.start()
    time.sleep(0.5)  # the worker has met invalid_grant and watches the store
    stalled.save(rotated)
    worker.join(timeout=60)
    assert not worker.is_alive(), "the worker never saw the saved pair"
    assert got[0].access_token == rotated.access_token
    assert make_store("c").load() == rotated


def test_a_lost_grant_still_says_reconsent_after_the_bounded_watch(
    make_store: Factory, flavour: str
) -> None:
    emu = Emulator()
    store = make_store("c", lease=LeaseSettings(0.2, 1.0, rotation_wait_seconds=0.3))
    old = _expired_pair(emu)
    store.save(old)
    emu.core.identity.token(
        {"grant_type": "refresh_token", "refresh_token": old.refresh_token or ""}, _basic(emu)
    )  # spent by a worker that died before saving: nothing will ever appear
    with pytest.raises(ReconsentRequiredError, match="invalid_grant"):
        _access_token(_manager(emu, store), emu, flavour)


def _basic(emu: Emulator) -> str:
    import base64

    raw = f"{emu.client_id}:{emu.client_secret}".encode()
    return "Basic " + base64.b64encode(raw).decode()


async def test_async_clients_on_separate_machines_refresh_once(make_store: Factory) -> None:
    """AsyncClient: 4 'machines' (store instances) x 5 tasks, expired token, one refresh."""
    import asyncio

    emu = Emulator()
    make_store("c").save(_expired_pair(emu))
    clients = [emu.async_client(token_store=make_store("c")) for _ in range(4)]
    try:
        results = await asyncio.gather(
            *(client.request("GET", "/units") for client in clients for _ in range(5))
        )
    finally:
        for client in clients:
            await client.aclose()
    assert {r.status_code for r in results} == {200}
    assert emu.core.identity.token_requests["refresh_token"] == 1
