"""The effective spec (Visma's spec after the overlays) and the one index of its operations.

The generated package ships the effective spec (``eaccounting_api/openapi.json``); one cached
copy per process is parsed, and :class:`OperationIndex` reads it once into what every consumer
needs: the facade's write rules (component schemas, read-only fields), the CLI's operation list,
the emulator's router and the harness's case generation. None of them walks ``paths`` itself.
The spec is treated as read-only by all of them.
"""

from __future__ import annotations

import importlib
import importlib.resources
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

__all__ = [
    "SPEC_PACKAGE",
    "SPEC_RESOURCE",
    "OperationIndex",
    "OperationSpec",
    "Parameter",
    "effective_spec",
    "operation_index",
    "schema_name",
]

SPEC_PACKAGE = "eaccounting_api"
SPEC_RESOURCE = "openapi.json"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCHEMA_REF = "#/components/schemas/"


@cache
def effective_spec() -> dict[str, Any]:
    """The parsed ``eaccounting_api/openapi.json`` (read once; do not mutate it)."""
    try:
        resource = importlib.resources.files(SPEC_PACKAGE).joinpath(SPEC_RESOURCE)
        data: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise RuntimeError(
            f"the effective spec {SPEC_PACKAGE}/{SPEC_RESOURCE} is missing: install the "
            "package with its generated client (in a checkout: `make generate`)"
        ) from exc
    return data


def schema_name(schema: Mapping[str, Any] | None) -> str | None:
    """The component a schema refers to (``$ref``, or the first ref of an any/one/allOf)."""
    if not isinstance(schema, Mapping):
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_SCHEMA_REF):
        return ref[len(_SCHEMA_REF) :]
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key) or []:
            name = schema_name(option)
            if name:
                return name
    return None


@dataclass(frozen=True)
class Parameter:
    """One path or query parameter, as the API names it (``customerId``, ``$filter``)."""

    name: str
    location: str  # path | query | header | cookie
    required: bool
    schema: Mapping[str, Any]
    description: str = ""


@dataclass(frozen=True)
class OperationSpec:
    """One operation of the effective spec: where it lives, what it takes and returns."""

    operation_id: str
    tag: str  # the operation's first tag, as the spec writes it
    method: str  # upper case
    path: str  # relative to the server (``/customers/{customerId}``)
    summary: str
    parameters: tuple[Parameter, ...]
    scopes: frozenset[str]
    #: The JSON request body's schema (as written, ``$ref`` unresolved), or None.
    request_schema: Mapping[str, Any] | None
    success_status: int
    #: The first 2xx answer's schema (as written), or None for an empty or non-JSON answer.
    response_schema: Mapping[str, Any] | None
    #: For a paged list (``{"Meta", "Data": [...]}``): the schema of one ``Data`` item.
    item_schema: Mapping[str, Any] | None
    declared_statuses: frozenset[str]
    definition: Mapping[str, Any]  # the operation object itself

    @property
    def paged(self) -> bool:
        return self.item_schema is not None

    @property
    def writes(self) -> bool:
        return self.method != "GET"

    @property
    def path_params(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")

    @property
    def query_params(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "query")

    @property
    def request_model(self) -> str | None:
        """The component schema of the body (of its items, for an array body)."""
        body = self.request_schema or {}
        return schema_name(body) or schema_name(body.get("items"))

    @property
    def response_model(self) -> str | None:
        return schema_name(self.response_schema)

    @property
    def item_model(self) -> str | None:
        return schema_name(self.item_schema)


class OperationIndex:
    """Every operation of a spec by operationId, in spec order, and its component schemas."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec
        components = spec.get("components") or {}
        self.schemas: Mapping[str, Any] = components.get("schemas") or {}
        self._responses: Mapping[str, Any] = components.get("responses") or {}
        self._parameters: Mapping[str, Any] = components.get("parameters") or {}
        self.operations: dict[str, OperationSpec] = {}
        for path, item in (spec.get("paths") or {}).items():
            if not isinstance(item, Mapping):
                continue
            shared = [p for p in item.get("parameters") or [] if isinstance(p, Mapping)]
            for method, op in item.items():
                if method in _METHODS and isinstance(op, Mapping) and "operationId" in op:
                    built = self._build(path, method, op, shared)
                    self.operations[built.operation_id] = built

    def __iter__(self) -> Iterator[OperationSpec]:
        return iter(self.operations.values())

    def __len__(self) -> int:
        return len(self.operations)

    def __getitem__(self, operation_id: str) -> OperationSpec:
        return self.operations[operation_id]

    def get(self, operation_id: str) -> OperationSpec | None:
        return self.operations.get(operation_id)

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """``schema`` with its ``$ref`` chain followed to the component."""
        while isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
            name = schema_name(schema)
            if name is None or name not in self.schemas:
                break
            schema = self.schemas[name]
        return schema

    def read_only(self, schema: str) -> tuple[str, ...]:
        """The read-only properties of a component schema (never sent on create/update)."""
        properties = (self.schemas.get(schema) or {}).get("properties") or {}
        return tuple(
            sorted(p for p, s in properties.items() if isinstance(s, Mapping) and s.get("readOnly"))
        )

    @cached_property
    def packages(self) -> dict[str, str]:
        """operationId → generated tag package (``client.api.<package>``), from the generated
        package's own table; empty when the package was not generated."""
        try:
            namespace = importlib.import_module(f"{SPEC_PACKAGE}.namespace")
        except ModuleNotFoundError:
            return {}
        table: dict[str, str] = dict(namespace.OPERATIONS)
        return table

    def _build(
        self,
        path: str,
        method: str,
        op: Mapping[str, Any],
        shared: list[Mapping[str, Any]],
    ) -> OperationSpec:
        params: dict[tuple[str, str], Parameter] = {}
        for raw in [*shared, *(op.get("parameters") or [])]:
            if isinstance(raw, Mapping) and isinstance(raw.get("$ref"), str):
                raw = self._parameters.get(raw["$ref"].rsplit("/", 1)[-1], {})
            if isinstance(raw, Mapping) and "name" in raw:
                param = Parameter(
                    name=str(raw["name"]),
                    location=str(raw.get("in", "")),
                    required=bool(raw.get("required")),
                    schema=raw.get("schema") or {},
                    description=str(raw.get("description") or ""),
                )
                params[(param.location, param.name)] = param  # the operation's own wins
        body = ((op.get("requestBody") or {}).get("content") or {}).get("application/json") or {}
        status, response = 200, None
        for code, answer in (op.get("responses") or {}).items():
            if str(code).startswith("2"):
                status = int(code)
                if isinstance(answer, Mapping) and "$ref" in answer:
                    answer = self._responses.get(str(answer["$ref"]).rsplit("/", 1)[-1], {})
                content = (answer or {}).get("content") or {}
                chosen = content.get("application/json") or next(iter(content.values()), None)
                if isinstance(chosen, Mapping) and "schema" in chosen:
                    response = chosen["schema"]
                break
        item = None
        resolved = self.resolve(response) if response is not None else {}
        properties = resolved.get("properties") or {}
        if {"Meta", "Data"} <= set(properties):
            item = (properties["Data"] or {}).get("items") or {}
        tags = op.get("tags") or ["default"]
        return OperationSpec(
            operation_id=str(op["operationId"]),
            tag=str(tags[0]),
            method=method.upper(),
            path=path,
            summary=str(op.get("summary") or "").strip(),
            parameters=tuple(params.values()),
            scopes=frozenset(
                s for req in op.get("security") or [] for ss in req.values() for s in ss
            ),
            request_schema=body.get("schema"),
            success_status=status,
            response_schema=response,
            item_schema=item,
            declared_statuses=frozenset(str(c) for c in op.get("responses") or {}),
            definition=op,
        )


@cache
def operation_index() -> OperationIndex:
    """The index of the packaged effective spec (built once per process; immutable)."""
    return OperationIndex(effective_spec())
