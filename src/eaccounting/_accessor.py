"""``client.customers`` and friends: a facade built on first use, one per client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

__all__ = ["facade"]

R = TypeVar("R")


class facade(Generic[R]):
    """A client attribute holding the facade ``cls(client)``, created on first access."""

    def __init__(self, cls: Callable[[Any], R]) -> None:
        self.cls = cls
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> facade[R]: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> R: ...

    def __get__(self, obj: object, owner: type | None = None) -> facade[R] | R:
        if obj is None:
            return self
        value = self.cls(obj)
        # A non-data descriptor: the instance attribute set here answers every later access.
        obj.__dict__[self.name] = value
        return value
