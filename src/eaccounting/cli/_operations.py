"""What ``eaccounting call`` knows of an operation: ids, HTTP shape, parameters and bodies.

The operations, their method, path, summary and parameters come from the package's one
operation index (:func:`eaccounting._spec.operation_index`); which ``client.api.<tag>`` holds
each, from the generated namespace's table (the same registry as ``client.api``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import importlib
import inspect
import re
import types
import typing
import uuid
from dataclasses import dataclass, field
from functools import cache
from typing import Any

GENERATED = "eaccounting_api"


@dataclass(frozen=True)
class Operation:
    operation_id: str
    tag: str  # the generated subpackage, i.e. the ``client.api.<tag>`` attribute
    method: str = ""
    path: str = ""
    summary: str = ""
    parameters: tuple[str, ...] = field(default=())  # as the API names them

    @property
    def title(self) -> str:
        return f"{self.method.upper()} {self.path}".strip()


@cache
def operations() -> dict[str, Operation]:
    """Every generated operation by id (imports no operation module).

    Raises ``ModuleNotFoundError`` when the generated package is missing.
    """
    from .._spec import operation_index

    importlib.import_module(f"{GENERATED}.namespace")  # the caller explains a missing package
    index = operation_index()
    return {
        entry.operation_id: Operation(
            operation_id=entry.operation_id,
            tag=index.packages[entry.operation_id],
            method=entry.method.lower(),
            path=entry.path,
            summary=entry.summary,
            parameters=tuple(p.name for p in entry.parameters),
        )
        for entry in sorted(index, key=lambda e: e.operation_id)
        if entry.operation_id in index.packages
    }


def suggest(name: str, limit: int = 5) -> list[str]:
    """Operation ids close to ``name`` (edit distance first, then substring matches)."""
    ids = sorted(operations())
    close = difflib.get_close_matches(name, ids, n=limit, cutoff=0.6)
    needle = _norm(name)
    for op_id in ids:
        if len(close) >= limit:
            break
        if needle and needle in _norm(op_id) and op_id not in close:
            close.append(op_id)
    return close


def _norm(name: str) -> str:
    """``customerId``, ``customer_id``, ``$filter`` and ``filter_`` all normalise alike."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


class ParamError(ValueError):
    """A ``--param`` or ``--body`` that does not fit the operation."""


def operation_module(operation: Operation) -> Any:
    """The generated module of ``operation`` (``sync_detailed`` and friends)."""
    return importlib.import_module(f"{GENERATED}.api.{operation.tag}.{operation.operation_id}")


def check_page_size(value: int, label: str) -> None:
    """Refuse a page size the client would not send (the API's bound is not documented)."""
    from eaccounting.paging import MAX_PAGE_SIZE

    if not 1 <= value <= MAX_PAGE_SIZE:
        raise ParamError(
            f"{label}={value}: expected a page size from 1 to {MAX_PAGE_SIZE} "
            "(the most the client asks for per page)"
        )


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types of an annotation, without ``Unset`` and ``None``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Union or isinstance(annotation, types.UnionType):
        members = typing.get_args(annotation)
    else:
        members = (annotation,)
    return [m for m in members if m is not type(None) and getattr(m, "__name__", "") != "Unset"]


def _convert(value: str, annotation: Any, name: str) -> Any:
    for kind in _unwrap(annotation):
        try:
            if kind is bool:
                lowered = value.lower()
                if lowered in ("true", "1", "yes"):
                    return True
                if lowered in ("false", "0", "no"):
                    return False
                raise ValueError(value)
            if kind is int:
                return int(value)
            if kind is float:
                return float(value)
            if kind is uuid.UUID:
                return uuid.UUID(value)
            if kind is dt.datetime:
                return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            if kind is dt.date:
                return dt.date.fromisoformat(value)
            if kind is str:
                return value
        except ValueError:
            expected = getattr(kind, "__name__", str(kind))
            raise ParamError(f"--param {name}={value!r}: expected {expected}") from None
    return value


def signature_params(module: Any) -> dict[str, inspect.Parameter]:
    sig = inspect.signature(module.sync_detailed)
    return {n: p for n, p in sig.parameters.items() if n not in ("client", "body")}


def build_kwargs(module: Any, pairs: list[str]) -> dict[str, Any]:
    """Turn ``k=v`` strings into keyword arguments of the generated function.

    Keys may be written as the API names them (``customerId``, ``$filter``) or as the Python
    argument (``customer_id``, ``filter_``); values are converted to the declared type.
    """
    params = signature_params(module)
    by_norm = {_norm(name): name for name in params}
    kwargs: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ParamError(f"--param {pair!r}: expected key=value")
        name = by_norm.get(_norm(key))
        if name is None:
            known = ", ".join(sorted(params)) or "none"
            raise ParamError(
                f"--param {key!r} is not a parameter of this operation (known: {known})"
            )
        kwargs[name] = _convert(value, params[name].annotation, key)
        if name == "pagesize":
            check_page_size(kwargs[name], f"--param {key}")
        elif name == "page" and kwargs[name] < 1:
            raise ParamError(f"--param {key}={value}: expected a page number from 1")
    missing = [
        n for n, p in params.items() if p.default is inspect.Parameter.empty and n not in kwargs
    ]
    if missing:
        raise ParamError(
            "missing required parameter(s): " + ", ".join(f"--param {m}=..." for m in missing)
        )
    return kwargs


def is_paged(module: Any) -> bool:
    params = signature_params(module)
    return "page" in params and "pagesize" in params


def accepts_body(module: Any) -> bool:
    return "body" in inspect.signature(module.sync_detailed).parameters


class RawBody:
    """A request body sent exactly as the user wrote it (the generated code calls to_dict)."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def to_dict(self) -> Any:
        return self.data


def wrap_body(module: Any, data: Any) -> Any:
    """The body argument for the generated function: lists stay lists of raw items."""
    annotation = inspect.signature(module.sync_detailed).parameters["body"].annotation
    for kind in _unwrap(annotation):
        if typing.get_origin(kind) is list:
            if not isinstance(data, list):
                raise ParamError("--body: this operation takes a JSON array")
            return [RawBody(item) for item in data]
    return RawBody(data)
