"""Run the sync behavioural tests against the async client too, without copying them.

A test that takes the ``flavour`` fixture runs twice: once with :class:`eaccounting.Client`,
once with :class:`eaccounting.AsyncClient` driven through :class:`Blocking`, which awaits
every coroutine and drains every async iterator on a private event loop. The test body is
the same; only the client under it differs.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest

__all__ = ["Blocking", "Flavour", "blocking", "current", "either", "flavour", "unwrap"]


class Flavour:
    """Which client the running test uses, and the loop that drives the async one."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.loop = asyncio.new_event_loop() if name == "async" else None

    @property
    def is_async(self) -> bool:
        return self.loop is not None

    def close(self) -> None:
        if self.loop is not None:
            self.loop.close()


_current: list[Flavour] = []


def current() -> Flavour | None:
    return _current[-1] if _current else None


def push(flavour: Flavour) -> None:
    _current.append(flavour)


def pop() -> None:
    _current.pop().close()


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test with the sync client, then with the async one."""
    push(Flavour(request.param))
    try:
        yield request.param
    finally:
        pop()


def _drives(value: Any) -> bool:
    """Objects of the async client (its classes live in eaccounting._async, its bound
    generated operations in eaccounting.api) and async generators are driven; everything
    else (models, pages, errors) is returned as is."""
    if inspect.isasyncgen(value):
        return True
    module = type(value).__module__
    return module.startswith("eaccounting._async.") or module == "eaccounting.api"


def blocking(value: Any, loop: asyncio.AbstractEventLoop) -> Any:
    if inspect.iscoroutine(value):
        return blocking(loop.run_until_complete(value), loop)
    if _drives(value):
        return Blocking(value, loop)
    if inspect.ismethod(value) and _drives(value.__self__):
        return _call(value, loop)
    return value


def _call(function: Callable[..., Any], loop: asyncio.AbstractEventLoop) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return blocking(function(*args, **kwargs), loop)

    return call


class Blocking:
    """A sync view of an async client object (client, facade, pager, changed-since result)."""

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_loop", loop)

    @property
    def wrapped(self) -> Any:
        return self._target

    def __getattr__(self, name: str) -> Any:
        if name == "close":
            name = "aclose"
        return blocking(getattr(self._target, name), self._loop)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target, name, value)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return blocking(self._target(*args, **kwargs), self._loop)

    def __iter__(self) -> Iterator[Any]:
        iterator = aiter(self._target)
        while True:
            try:
                yield self._loop.run_until_complete(anext(iterator))
            except StopAsyncIteration:
                return

    def __enter__(self) -> Blocking:
        self._loop.run_until_complete(self._target.__aenter__())
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.run_until_complete(self._target.__aexit__(*exc))

    def __repr__(self) -> str:
        return repr(self._target)


def unwrap(value: Any) -> Any:
    """The async object behind a :class:`Blocking` view (anything else as it is)."""
    return value.wrapped if isinstance(value, Blocking) else value


def either(sync: Callable[..., Any], asynchronous: Callable[..., Any]) -> Callable[..., Any]:
    """``sync`` under the sync flavour; ``asynchronous``, driven, under the async one."""

    def call(*args: Any, **kwargs: Any) -> Any:
        flavour = current()
        if flavour is None or flavour.loop is None:
            return sync(*args, **kwargs)
        result = asynchronous(
            *[unwrap(a) for a in args], **{k: unwrap(v) for k, v in kwargs.items()}
        )
        return blocking(result, flavour.loop)

    return call
