"""The effective spec as the emulator sees it: operations, routes, scopes and schemas."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._spec import effective_spec
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


def _binding_kind(schema: dict[str, Any]) -> str:
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
    """Routing table and schema access built once from the effective spec."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.schemas = Schemas(spec.get("components", {}).get("schemas", {}))
        responses = spec.get("components", {}).get("responses", {})
        self.operations: dict[str, Operation] = {}
        self._routes: dict[tuple[str, int], list[Operation]] = {}
        for path, item in spec["paths"].items():
            for method, op in item.items():
                if method not in ("get", "post", "put", "delete", "patch"):
                    continue
                operation = self._build(path, method.upper(), op, responses)
                self.operations[operation.operation_id] = operation
                key = (operation.method, path.strip("/").count("/") + 1)
                self._routes.setdefault(key, []).append(operation)
        for ops in self._routes.values():
            # Literal segments win over templates (/accounts/standardaccounts vs /accounts/{id}).
            ops.sort(key=lambda o: (-o.literal_segments, -len(_PARAM.sub("", o.path))))
        self.paths = {op.path for op in self.operations.values()}

    def _build(
        self, path: str, method: str, op: dict[str, Any], responses: dict[str, Any]
    ) -> Operation:
        pattern = ""
        for segment in path.strip("/").split("/"):
            pattern += "/" + _PARAM.sub(
                lambda m: f"(?P<{m.group(1)}>[^/]+?)",
                re.escape(segment).replace(r"\{", "{").replace(r"\}", "}"),
            )
        literal = sum(1 for s in path.strip("/").split("/") if "{" not in s)
        scopes = frozenset(s for req in op.get("security", []) for ss in req.values() for s in ss)
        body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
        req_schema = self.schemas.resolve(body["schema"]) if "schema" in body else None
        status, resp_schema = 200, None
        for code, resp in op.get("responses", {}).items():
            if code.startswith("2"):
                status = int(code)
                if "$ref" in resp:
                    resp = responses[resp["$ref"].rsplit("/", 1)[-1]]
                content = resp.get("content", {})
                js = content.get("application/json") or next(iter(content.values()), None)
                if js and "schema" in js:
                    resp_schema = self.schemas.resolve(js["schema"])
                break
        item = None
        if resp_schema is not None and {"Meta", "Data"} <= set(resp_schema.get("properties", {})):
            item = self.schemas.resolve(resp_schema["properties"]["Data"].get("items", {}))
        return Operation(
            operation_id=op["operationId"],
            method=method,
            path=path,
            regex=re.compile(pattern + "$"),
            literal_segments=literal,
            scopes=scopes,
            request_schema=req_schema,
            success_status=status,
            response_schema=resp_schema,
            item_schema=item,
            declared_statuses=frozenset(op.get("responses", {})),
            typed_params=tuple(
                (p["in"], p["name"], _binding_kind(p.get("schema", {})))
                for p in op.get("parameters", [])
                if p.get("in") in ("path", "query")
                and not p["name"].startswith("$")  # OData options have their own 6000 errors
                and _binding_kind(p.get("schema", {}))
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
