"""Run the sync behavioural tests against the async client too, without copying them.

A test that takes the ``flavour`` fixture runs twice: once with :class:`eaccounting.Client`,
once with :class:`eaccounting.AsyncClient` driven through :class:`Blocking`, which awaits
every coroutine and drains every async iterator on a private event loop. The test body is
the same; only the client under it differs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from harness.blocking import Blocking, blocking

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
