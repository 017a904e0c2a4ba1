"""The sync client is derived from the async source: same API, no drift."""

from __future__ import annotations

import importlib
import inspect
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import eaccounting
from eaccounting import auth
from scripts import unasync

ASYNC_MODULES = sorted(p.stem for p in unasync.SOURCE.glob("*.py") if p.stem != "__init__")


def _public_members(cls: type) -> dict[str, Any]:
    members: dict[str, Any] = {}
    for name in dir(cls):
        if name.startswith("_") and name not in {
            "__init__",
            "__aenter__",
            "__aexit__",
            "__aiter__",
            "__enter__",
            "__exit__",
            "__iter__",
        }:
            continue
        value = inspect.getattr_static(cls, name)
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        function = value.fget if isinstance(value, property) else value
        # Only what this package defines (not what httpx's base transports bring along).
        if callable(function) and getattr(function, "__module__", "").startswith("eaccounting"):
            members[name] = value
    return members


def _signature(member: Any) -> str:
    if isinstance(member, property):
        member = member.fget
    try:
        text = str(inspect.signature(member))
    except (TypeError, ValueError):
        return "<no signature>"
    # A default that is a function shows as its name: asyncio.sleep and time.sleep are twins.
    return re.sub(r"<(?:built-in )?function (\w+)(?: at 0x[0-9a-f]+)?>", r"<function \1>", text)


def _twins() -> list[tuple[str, Any, Any]]:
    pairs = []
    for stem in ASYNC_MODULES:
        a = importlib.import_module(f"eaccounting._async.{stem}")
        s = importlib.import_module(f"eaccounting._sync.{stem}")
        assert [unasync.unasync_name(n) for n in sorted(a.__all__)] == sorted(s.__all__) or sorted(
            unasync.unasync_name(n) for n in a.__all__
        ) == sorted(s.__all__), stem
        for name in a.__all__:
            pairs.append(
                (f"{stem}.{name}", getattr(a, name), getattr(s, unasync.unasync_name(name)))
            )
    return pairs


TWINS = _twins()


def test_every_async_module_has_a_sync_twin_with_the_same_public_names() -> None:
    for stem in ASYNC_MODULES:
        a = importlib.import_module(f"eaccounting._async.{stem}")
        s = importlib.import_module(f"eaccounting._sync.{stem}")
        assert sorted(unasync.unasync_name(n) for n in a.__all__) == sorted(s.__all__), stem
    # Every facade of the resource table and every hand-written extra has its twin.
    from eaccounting._async import extras
    from spec.facade_table import TABLE

    names = {name for name, _, _ in TWINS}
    wanted = {f"resources.Async{''.join(p.title() for p in r.name.split('_'))}" for r in TABLE}
    assert wanted | {f"extras.{name}" for name in extras.__all__} <= names
    assert "client.AsyncClient" in names and "resources.AsyncResources" in names


@pytest.mark.parametrize(
    ("async_obj", "sync_obj"), [t[1:] for t in TWINS], ids=[t[0] for t in TWINS]
)
def test_every_public_sync_name_has_an_async_twin_with_the_same_signature(
    async_obj: Any, sync_obj: Any
) -> None:
    if not inspect.isclass(async_obj):
        assert unasync.unasync_line(_signature(async_obj)) == _signature(sync_obj)
        assert inspect.iscoroutinefunction(sync_obj) is False
        return
    a_members = _public_members(async_obj)
    s_members = _public_members(sync_obj)
    assert sorted(unasync.unasync_name(n) for n in a_members) == sorted(s_members)
    for name, member in a_members.items():
        twin = s_members[unasync.unasync_name(name)]
        assert unasync.unasync_line(_signature(member)) == _signature(twin), name
        assert not inspect.iscoroutinefunction(twin), name
        assert not inspect.isasyncgenfunction(twin), name


@pytest.mark.parametrize(
    ("async_cls", "sync_cls"),
    [
        (eaccounting.AsyncClient, eaccounting.Client),
        (eaccounting.AsyncPager, eaccounting.SyncPager),
        (eaccounting.changes.AsyncChangedSince, eaccounting.changes.ChangedSince),
    ],
)
def test_the_public_classes_are_the_twins(async_cls: type, sync_cls: type) -> None:
    assert async_cls.__module__.startswith("eaccounting._async.")
    assert sync_cls.__module__.startswith("eaccounting._sync.")
    assert unasync.unasync_name(async_cls.__name__) == sync_cls.__name__


def test_the_token_manager_offers_each_flow_both_ways() -> None:
    for name in ("access_token", "refresh", "exchange_code"):
        sync = getattr(auth.TokenManager, name)
        asynchronous = getattr(auth.TokenManager, "a" + name)
        assert inspect.iscoroutinefunction(asynchronous)
        assert unasync.unasync_line(_signature(asynchronous)) == _signature(sync)


def test_the_committed_sync_client_is_what_the_async_source_derives(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert unasync.main(["--check"]) == 0
    count = len(list(unasync.SOURCE.glob("*.py")))
    assert f"{count} files in _sync/ match _async/" in capsys.readouterr().out


def test_the_drift_check_names_an_edited_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "_sync"
    shutil.copytree(unasync.TARGET, target)
    edited = target / "paging.py"
    edited.write_text(edited.read_text().replace("yield first", "yield first  # by hand"))
    (target / "stray.py").write_text("")
    monkeypatch.setattr(unasync, "TARGET", target)
    assert unasync.main(["--check"]) == 1
    out = capsys.readouterr().out
    assert "_sync/paging.py differs" in out
    assert "_sync/stray.py differs" in out
    assert "_sync/client.py" not in out
    assert unasync.main([]) == 0
    assert unasync.main(["--check"]) == 0
    assert not (target / "stray.py").exists()


@pytest.mark.parametrize(
    ("line", "derived"),
    [
        ("async def f(self) -> AsyncIterator[T]:", "def f(self) -> Iterator[T]:"),
        ("    async with arefresh_lock(c, s):", "    with refresh_lock(c, s):"),
        ("x = await self._client.request('GET', p)", "x = self._client.request('GET', p)"),
        ("fetch: Callable[[int], Awaitable[Page[T]]]", "fetch: Callable[[int], Page[T]]"),
        (
            "class AsyncCustomers(AsyncList['CustomerApi']):",
            "class Customers(SyncList['CustomerApi']):",
        ),
        ("await pipeline.async_sleep(wait)", "pipeline.sleep(wait)"),
        ("httpx.AsyncClient(transport=t)", "httpx.Client(transport=t)"),
        ("async for page in aprefetched(f, n)", "for page in prefetched(f, n)"),
        ("self.aread(); already = arefresh", "self.read(); already = refresh"),
    ],
)
def test_the_rewrite_rules(line: str, derived: str) -> None:
    assert unasync.unasync_line(line) == derived
