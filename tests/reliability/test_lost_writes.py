"""Issue 16 item 1: ``update()`` cannot silently lose a concurrent change.

Visma's PUT replaces the whole object and has no ``If-Match``. Ten writers (threads on one
sync client, tasks on one async client) are held at a barrier right after their first GET
(the emulator's ``on_served`` fault hook), so all ten read the same object: the widest race
there is. Afterwards every change either survives or its caller got ``UpdateConflictError``,
counted exactly. Another process's write is played by a second client slipping a change in
between a client's GET and its PUT, or right after the PUT (the window ``verify`` covers).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from eaccounting import ConflictError, UpdateConflictError
from eaccounting.testing import Emulator
from tests.seeding import add_customers

from .conftest import client_of

#: One property per writer (plain text properties of a customer).
FIELDS = [
    "InvoiceAddress1",
    "InvoiceAddress2",
    "DeliveryAddress1",
    "DeliveryAddress2",
    "DeliveryCity",
    "DeliveryCustomerName",
    "ContactPersonName",
    "Note",
    "ContactPersonMobile",
    "WwwAddress",
]
WRITERS = len(FIELDS)


@pytest.fixture
def emu() -> Iterator[Emulator]:
    emulator = Emulator()
    yield emulator
    emulator.close()


def first_reads_of(path: str, parties: int, wait: Callable[[], Any]) -> Callable[[str, str], Any]:
    """An ``on_served`` hook running ``wait()`` after each of the first ``parties`` GETs of
    ``path`` (later reads pass straight through)."""
    seen = 0
    guard = threading.Lock()

    def hook(method: str, served: str) -> Any:
        nonlocal seen
        if method != "GET" or served != f"/v2{path}":
            return None
        with guard:
            seen += 1
            mine = seen
        return wait() if mine <= parties else None

    return hook


def run_threads(emu: Emulator, ident: str, changes: list[dict[str, str]]) -> list[Any]:
    """Each change by its own thread on one shared sync client, all reading at once; the
    result (the updated customer) or the exception of each."""
    barrier = threading.Barrier(len(changes), timeout=60)
    emu.faults.on_served = first_reads_of(f"/customers/{ident}", len(changes), barrier.wait)
    client = emu.client()

    def write(change: dict[str, str]) -> Any:
        try:
            return client.customers.update(ident, change)
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(max_workers=len(changes)) as pool:
        outcomes = list(pool.map(write, changes))
    emu.faults.on_served = None
    return outcomes


def run_tasks(emu: Emulator, ident: str, changes: list[dict[str, str]]) -> list[Any]:
    """The same with one task per change on one shared async client."""

    async def main() -> list[Any]:
        barrier = asyncio.Barrier(len(changes))
        emu.faults.on_served = first_reads_of(
            f"/customers/{ident}", len(changes), lambda: asyncio.wait_for(barrier.wait(), 60)
        )
        async with emu.async_client() as client:
            calls = [client.customers.update(ident, change) for change in changes]
            return list(await asyncio.gather(*calls, return_exceptions=True))

    try:
        return asyncio.run(main())
    finally:
        emu.faults.on_served = None


RUNNERS = {"threads": run_threads, "tasks": run_tasks}


@pytest.mark.parametrize("runner", list(RUNNERS))
def test_ten_writers_of_distinct_fields_all_survive(emu: Emulator, runner: str) -> None:
    (ident,) = add_customers(emu, 1)
    changes = [{field: f"Writer {i}"} for i, field in enumerate(FIELDS)]
    outcomes = RUNNERS[runner](emu, ident, changes)
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert errors == []
    stored = emu.client().customers.get_raw(ident)
    survived = [field for i, field in enumerate(FIELDS) if stored[field] == f"Writer {i}"]
    assert survived == FIELDS  # all ten, each of them reported success


@pytest.mark.parametrize("runner", list(RUNNERS))
def test_ten_writers_of_one_field_one_wins_nine_are_told(emu: Emulator, runner: str) -> None:
    (ident,) = add_customers(emu, 1)
    changes = [{"Note": f"Writer {i}"} for i in range(WRITERS)]
    outcomes = RUNNERS[runner](emu, ident, changes)
    refused = [o for o in outcomes if isinstance(o, UpdateConflictError)]
    succeeded = [i for i, o in enumerate(outcomes) if not isinstance(o, BaseException)]
    assert (len(succeeded), len(refused)) == (1, WRITERS - 1)
    assert len(succeeded) + len(refused) == WRITERS  # nothing else went wrong
    (winner,) = succeeded
    assert emu.client().customers.get_raw(ident)["Note"] == f"Writer {winner}"
    for error in refused:
        assert (error.resource, error.id, error.fields) == ("/customers", ident, ("Note",))
        assert error.current["Note"] == f"Writer {winner}"
        assert isinstance(error, ConflictError)


def slip_in(emu: Emulator, method: str, path: str, change: dict[str, Any]) -> list[int]:
    """After the client's first ``method`` of ``path`` is answered, another process (a second
    client) writes ``change``; returns a list that records when it did."""
    other = emu.client()
    done: list[int] = []

    def hook(seen_method: str, served: str) -> None:
        if not done and seen_method == method and served == f"/v2{path}":
            done.append(1)  # first, so the other writer's own requests pass through
            if path == "/companysettings":
                other.company_settings.update(change)
            else:
                other.customers.update(path.rsplit("/", 1)[1], change)

    emu.faults.on_served = hook
    return done


def test_a_change_to_other_fields_between_get_and_put_is_kept(emu: Emulator, flavour: str) -> None:
    (ident,) = add_customers(emu, 1)
    client = client_of(emu)
    done = slip_in(emu, "GET", f"/customers/{ident}", {"Telephone": "+46 8 555 01"})
    updated = client.customers.update(ident, {"Note": "ours"})
    assert done == [1]
    stored = emu.client().customers.get_raw(ident)
    assert (stored["Telephone"], stored["Note"]) == ("+46 8 555 01", "ours")
    assert (updated.telephone, updated.note) == ("+46 8 555 01", "ours")


def test_a_change_to_the_same_field_between_get_and_put_is_a_conflict(
    emu: Emulator, flavour: str
) -> None:
    (ident,) = add_customers(emu, 1)
    client = client_of(emu)
    slip_in(emu, "GET", f"/customers/{ident}", {"Note": "theirs", "Telephone": "+46 8 1"})
    with pytest.raises(UpdateConflictError) as info:
        client.customers.update(ident, note="ours", delivery_city="Lund")
    assert str(info.value) == (
        f"update of /customers {ident}: Note changed by someone else since it was read; "
        "nothing was written (error.current holds the object as it is now: decide again from it)"
    )
    assert (info.value.status, info.value.fields) == (409, ("Note",))
    stored = emu.client().customers.get_raw(ident)
    assert (stored["Note"], stored["DeliveryCity"]) == ("theirs", None)  # nothing of ours


def test_the_same_value_written_by_both_is_no_conflict(emu: Emulator, flavour: str) -> None:
    (ident,) = add_customers(emu, 1)
    client = client_of(emu)
    slip_in(emu, "GET", f"/customers/{ident}", {"Note": "agreed"})
    client.customers.update(ident, {"Note": "agreed", "DeliveryCity": "Lund"})
    stored = emu.client().customers.get_raw(ident)
    assert (stored["Note"], stored["DeliveryCity"]) == ("agreed", "Lund")


def test_an_update_costs_two_reads_and_one_write(emu: Emulator, flavour: str) -> None:
    (ident,) = add_customers(emu, 1)
    client = client_of(emu)
    seen: list[tuple[str, str]] = []
    emu.faults.on_served = lambda method, path: seen.append((method, path))
    client.customers.update(ident, {"Note": "x"})
    item = f"/v2/customers/{ident}"
    assert [s for s in seen if s[1] == item] == [("GET", item), ("GET", item), ("PUT", item)]
    seen.clear()
    client.customers.update(ident, {"Note": "y"}, verify=True)
    assert [s for s in seen if s[1] == item] == [("GET", item)] * 2 + [("PUT", item), ("GET", item)]


def test_an_overwrite_right_after_the_put_is_caught_by_verify_only(
    emu: Emulator, flavour: str
) -> None:
    """The window that remains: a write landing after the re-read. ``verify`` reads back
    after the PUT and reports it; without it the loss goes unseen (documented)."""
    (ident,) = add_customers(emu, 1)
    client = client_of(emu)
    # Another process read before our PUT and writes its stale copy right after it.
    stale = emu.client().customers.get_raw(ident)
    other = emu.client()

    def overwrite_after_put() -> list[int]:
        done: list[int] = []

        def hook(method: str, served: str) -> None:
            if not done and method == "PUT" and served == f"/v2/customers/{ident}":
                done.append(1)
                other.request("PUT", f"/customers/{ident}", json=stale_body)

        emu.faults.on_served = hook
        return done

    stale_body = {k: v for k, v in stale.items() if k not in ("Id", "ChangedUtc", "TermsOfPayment")}
    overwrite_after_put()
    with pytest.raises(UpdateConflictError) as info:
        client.customers.update(ident, {"Note": "ours"}, verify=True)
    assert info.value.fields == ("Note",)
    assert "overwritten by someone else before the check read it back" in str(info.value)

    overwrite_after_put()
    client.customers.update(ident, {"Note": "ours"})  # no verify: reports success
    assert emu.client().customers.get_raw(ident)["Note"] is None  # and the change is gone


def test_company_settings_update_checks_the_same_way(emu: Emulator, flavour: str) -> None:
    client = client_of(emu)
    slip_in(emu, "GET", "/companysettings", {"Phone": "+46 8 1"})
    client.company_settings.update(website="https://kept.example")
    stored = emu.client().company_settings.get()
    assert (stored.phone, stored.website) == ("+46 8 1", "https://kept.example")

    slip_in(emu, "GET", "/companysettings", {"Phone": "+46 8 2"})
    with pytest.raises(UpdateConflictError) as info:
        client.company_settings.update(phone="+46 8 3")
    assert (info.value.resource, info.value.id, info.value.fields) == (
        "/companysettings",
        None,
        ("Phone",),
    )
    assert emu.client().company_settings.get().phone == "+46 8 2"


def test_the_per_object_locks_are_dropped_after_use(emu: Emulator) -> None:
    from eaccounting._concurrency import _object_locks

    (ident,) = add_customers(emu, 1)
    run_threads(emu, ident, [{field: "x"} for field in FIELDS])
    run_tasks(emu, ident, [{field: "y"} for field in FIELDS])
    assert len(_object_locks) == 0


def test_a_task_cancelled_while_waiting_for_the_lock_gives_it_back() -> None:
    from eaccounting._concurrency import AsyncObjectLock, ObjectLock, _object_locks

    async def wait_then_cancel() -> None:
        async def take() -> None:
            async with AsyncObjectLock("/customers/x"):
                raise AssertionError("the lock was held by the test")

        task = asyncio.ensure_future(take())
        while _object_locks._locks["/customers/x"][1] < 2:  # until it waits for the lock
            await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    with ObjectLock("/customers/x"):
        asyncio.run(wait_then_cancel())
        assert len(_object_locks) == 1  # only the holder's
    assert len(_object_locks) == 0


def test_changes_are_compared_property_by_property_nested_ones_too() -> None:
    from eaccounting._conflicts import changed_paths, clashes, written_paths

    before = {"Name": "A", "Address": {"City": "Lund", "Zip": "22100"}, "ChangedUtc": "t1"}
    after = {"name": "A", "Address": {"City": "Lund", "Zip": "22200"}, "ChangedUtc": "t2"}
    changed = changed_paths(before, after)
    assert changed == {("Address", "Zip"), ("ChangedUtc",)}
    assert clashes(changed, written_paths({"address": {"city": "Malmö"}})) == ()
    assert clashes(changed, written_paths({"address": {"zip": "1"}})) == ("Address.Zip",)
    assert clashes(changed, written_paths({"Address": "replaced"})) == ("Address.Zip",)
    assert changed_paths({"Note": None}, {}) == set()  # absent counts as null
