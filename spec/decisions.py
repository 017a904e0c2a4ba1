"""The hand-kept decisions (``overlays/decisions.toml``), read and checked for shape.

Everything a person decides about Visma's spec lives in that one file; the overlays are rendered
from it (``spec.render_overlays``). Operations are keyed ``"METHOD /path"`` exactly as upstream
spells the path, so a decision reads like the API reference.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomllib

DECISIONS_FILE = Path(__file__).resolve().parents[1] / "overlays" / "decisions.toml"
METHODS = ("get", "put", "post", "delete", "patch")
_OPERATION_KEY = re.compile(r"^(GET|PUT|POST|DELETE|PATCH) (/\S*)$")
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


class DecisionsError(ValueError):
    """decisions.toml is malformed: the message names the entry, its value and what is expected."""


@dataclass(frozen=True)
class EquivalentPath:
    path: str
    parameter: str
    reason: str


@dataclass(frozen=True)
class Decisions:
    operations: dict[tuple[str, str], str]  # (path, method) → operationId
    removed: dict[tuple[str, str], str]  # (path, method) → reason
    equivalent_paths: dict[str, EquivalentPath]
    scopes: dict[str, str]
    inferred_scopes: dict[tuple[str, str], list[str]]
    pdf_operations: list[tuple[str, str]]
    date_parameters: dict[tuple[str, str], list[str]]
    flow_links: dict[str, dict[str, str]]
    # schema → {property the spec requires but a write may leave out → the evidence}
    optional_on_write: dict[str, dict[str, str]] = field(default_factory=dict)
    source: str = "overlays/decisions.toml"

    @classmethod
    def load(cls, path: Path = DECISIONS_FILE) -> Decisions:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise DecisionsError(f"{path.name}: not valid TOML: {exc}") from exc
        return cls.from_mapping(data, source=path.name)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "decisions") -> Decisions:
        names = {_operation(k, source, "operations"): v for k, v in _table(data, "operations")}
        for (path, method), name in names.items():
            if not isinstance(name, str) or not _SNAKE.match(name):
                raise DecisionsError(
                    f"{source} [operations] {method.upper()} {path} = {name!r}: "
                    "expected a snake_case operationId such as 'list_customers'"
                )
        duplicates = sorted({n for n in names.values() if list(names.values()).count(n) > 1})
        if duplicates:
            raise DecisionsError(
                f"{source} [operations]: operationId(s) {', '.join(duplicates)} given to more than "
                "one operation; each name must be unique"
            )
        removed = {
            _operation(k, source, "removed"): _reason(v, source, k)
            for k, v in _table(data, "removed")
        }
        both = sorted(set(names) & set(removed))
        if both:
            path, method = both[0]
            raise DecisionsError(
                f"{source}: {method.upper()} {path} is both named and removed; keep one"
            )
        equivalent = {}
        for old, v in _table(data, "equivalent_paths"):
            if not isinstance(v, Mapping) or not {"path", "parameter"} <= set(v):
                raise DecisionsError(
                    f"{source} [equivalent_paths.{old!r}] = {v!r}: expected a table with path "
                    "(the spelling that wins) and parameter (its path parameter's name)"
                )
            equivalent[old] = EquivalentPath(
                str(v["path"]), str(v["parameter"]), str(v.get("reason", ""))
            )
        return cls(
            operations=names,
            removed=removed,
            equivalent_paths=equivalent,
            scopes={str(k): str(v) for k, v in _table(data, "scopes")},
            inferred_scopes={
                _operation(k, source, "inferred_scopes"): list(v)
                for k, v in _table(data, "inferred_scopes")
            },
            pdf_operations=[
                _operation(k, source, "pdf") for k in (data.get("pdf") or {}).get("operations", [])
            ],
            date_parameters={
                _operation(k, source, "date_parameters"): list(v)
                for k, v in _table(data, "date_parameters")
            },
            flow_links={str(k): dict(v) for k, v in _table(data, "flow_links")},
            optional_on_write=_optional_on_write(data, source),
            source=source,
        )


def operation_key(path: str, method: str) -> str:
    """How decisions.toml spells an operation: ``"GET /customers"``."""
    return f"{method.upper()} {path}"


def _table(data: Mapping[str, Any], name: str) -> list[tuple[str, Any]]:
    table = data.get(name) or {}
    if not isinstance(table, Mapping):
        raise DecisionsError(f"[{name}] must be a table, not {type(table).__name__}")
    return list(table.items())


def _operation(key: str, source: str, table: str) -> tuple[str, str]:
    match = _OPERATION_KEY.match(key)
    if not match:
        raise DecisionsError(
            f'{source} [{table}] {key!r}: expected "METHOD /path", e.g. "GET /customers"'
        )
    return match.group(2), match.group(1).lower()


def _reason(value: Any, source: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip() or "\n" in value:
        raise DecisionsError(
            f"{source} [removed] {key} = {value!r}: expected a one-line reason for leaving it out"
        )
    return value


def _optional_on_write(data: Mapping[str, Any], source: str) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    for schema, properties in _table(data, "optional_on_write"):
        if not isinstance(properties, Mapping) or not properties:
            raise DecisionsError(
                f"{source} [optional_on_write.{schema}] = {properties!r}: expected a table of "
                'property = "the evidence that a write may leave it out"'
            )
        for name, reason in properties.items():
            if not isinstance(reason, str) or not reason.strip() or "\n" in reason:
                raise DecisionsError(
                    f"{source} [optional_on_write.{schema}] {name} = {reason!r}: expected a "
                    "one-line reason (the evidence)"
                )
        result[str(schema)] = {str(k): str(v) for k, v in properties.items()}
    return result
