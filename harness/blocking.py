"""A blocking view of the async client: every coroutine awaited, every async iterator drained
on one event loop. The harness runs a region's scenarios through ``AsyncClient`` with it, and
the test suite runs its sync behavioural tests against the async client the same way."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["Blocking", "blocking"]


def _drives(value: Any) -> bool:
    """Objects of the async client (its classes live in eaccounting._async, its bound
    generated operations in eaccounting_api.namespace) and async generators are driven;
    everything else (models, pages, errors) is returned as is."""
    if inspect.isasyncgen(value):
        return True
    module = type(value).__module__
    return module.startswith(("eaccounting._async.", "eaccounting_api.namespace"))


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
