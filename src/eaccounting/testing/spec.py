"""The effective spec as the emulator sees it: routes, scopes and resolved schemas.

Built on the package's one operation index (:mod:`eaccounting._spec`); this module adds only
what routing needs (a compiled pattern per path, literal segments first) and the emulator's
schema view.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._spec import OperationIndex, OperationSpec, effective_spec
from .schema import Schema, Schemas

_PARAM = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True)
class Operation:
    """One operation of the effective spec, precompiled for routing."""

    operation_id: str
    method: str
    path: str
    regex: re.Pattern[str]
    literal_segments: int
    scopes: frozenset[str]
    request_schema: Schema | None
    success_status: int
    response_schema: Schema | None
    item_schema: Schema | None  # the Data[] item schema of paginated responses
    declared_statuses: frozenset[str] = field(default_factory=frozenset)
    #: Parameters the API model-binds to a type: (path|query, name, uuid|date|integer|...).
    typed_params: tuple[tuple[str, str, str], ...] = ()

    @property
    def paginated(self) -> bool:
        return self.item_schema is not None

    @property
    def writes(self) -> bool:
        return self.method != "GET"


def _binding_kind(schema: Mapping[str, Any]) -> str:
    """How ASP.NET binds a parameter of this schema ("" when any string binds)."""
    if schema.get("format") in ("uuid", "date", "date-time"):
        return str(schema["format"])
    if schema.get("type") in ("integer", "number", "boolean"):
        return str(schema["type"])
    return ""


def load_spec() -> dict[str, Any]:
    """The effective spec: package data ``eaccounting_api/openapi.json``, else the repo build."""
    try:
        return effective_spec()
    except RuntimeError:
        pass
    repo = Path(__file__).resolve().parents[3] / "generated" / "openapi.json"
    return dict(json.loads(repo.read_text(encoding="utf-8")))


class SpecIndex:
    """Routing table and schema access, built once on the shared operation index."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.operation_index = OperationIndex(spec)
        self.schemas = Schemas(dict(self.operation_index.schemas))
        self.operations: dict[str, Operation] = {}
        self._routes: dict[tuple[str, int], list[Operation]] = {}
        for entry in self.operation_index:
            operation = self._build(entry)
            self.operations[operation.operation_id] = operation
            key = (operation.method, entry.path.strip("/").count("/") + 1)
            self._routes.setdefault(key, []).append(operation)
        for ops in self._routes.values():
            # Literal segments win over templates (/accounts/standardaccounts vs /accounts/{id}).
            ops.sort(key=lambda o: (-o.literal_segments, -len(_PARAM.sub("", o.path))))
        self.paths = {op.path for op in self.operations.values()}

    def _build(self, entry: OperationSpec) -> Operation:
        path = entry.path
        pattern = ""
        for segment in path.strip("/").split("/"):
            pattern += "/" + _PARAM.sub(
                lambda m: f"(?P<{m.group(1)}>[^/]+?)",
                re.escape(segment).replace(r"\{", "{").replace(r"\}", "}"),
            )
        literal = sum(1 for s in path.strip("/").split("/") if "{" not in s)

        def resolved(schema: Any) -> Schema | None:
            return self.schemas.resolve(schema) if schema is not None else None

        return Operation(
            operation_id=entry.operation_id,
            method=entry.method,
            path=path,
            regex=re.compile(pattern + "$"),
            literal_segments=literal,
            scopes=entry.scopes,
            request_schema=resolved(entry.request_schema),
            success_status=entry.success_status,
            response_schema=resolved(entry.response_schema),
            item_schema=resolved(entry.item_schema),
            declared_statuses=entry.declared_statuses,
            typed_params=tuple(
                (p.location, p.name, _binding_kind(p.schema))
                for p in entry.parameters
                if p.location in ("path", "query")
                and not p.name.startswith("$")  # OData options have their own 6000 errors
                and _binding_kind(p.schema)
            ),
        )

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation serving ``method path`` (path relative to /v2) and its path params."""
        candidates = self._routes.get((method, path.strip("/").count("/") + 1), ())
        for op in candidates:
            m = op.regex.match(path)
            if m is not None:
                return op, m.groupdict()
        return None

    def path_exists(self, path: str) -> bool:
        """Whether any method serves ``path`` (for 405 vs 404)."""
        depth = path.strip("/").count("/") + 1
        for (_, d), ops in self._routes.items():
            if d == depth and any(op.regex.match(path) for op in ops):
                return True
        return False


@functools.lru_cache(maxsize=1)
def default_index() -> SpecIndex:
    """The process-wide index of the effective spec (built once; it is immutable)."""
    return SpecIndex(load_spec())
