"""Render the overlays from the hand-kept decisions and the spec's own structure and prose.

The overlays are build output: ``python -m spec overlay`` renders them from
``overlays/decisions.toml`` (what a person decided: operation names, removed operations, path
equivalences, scope exceptions, PDF bodies, date parameters, flow links) and from mechanical
rules applied to the spec itself (scopes quoted in each description, paging on every
``PaginatedResponseOf*`` list, error responses, ``*Date`` properties, CRUD links), writes them to
``generated/overlays/`` for review and applies them strictly (``spec.overlays``).

Rules that depend on the spec are re-derived from every new spec, so they never go stale and
never hide anything: an empty path item is removed only while it is empty, and an operation
without a decision stops the build with the exact line to add.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from spec.decisions import Decisions, operation_key
from spec.overlays import OverlayReport, apply_documents

HTTP_METHODS = ("get", "put", "post", "delete", "patch")
EMPTY_PATH_REASON = "empty path item: an undocumented endpoint with no operations"

ROT_ENUM = {
    "type": "integer",
    "format": "int32",
    "enum": [0, 1, 2],
    "x-enum-varnames": ["NORMAL", "ROT", "RUT"],
    "description": "Swedish ROT/RUT tax-reduced invoicing: 0 = Normal, 1 = Rot, 2 = Rut.",
}


def operations(spec: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield ``(path, method, operation)`` for every operation, in document order."""
    for path, item in spec.get("paths", {}).items():
        for method in HTTP_METHODS:
            if isinstance(item, dict) and method in item:
                yield path, method, item[method]


def op_target(path: str, method: str) -> str:
    return f"$.paths['{path}'].{method}"


def response_schema_name(op: Mapping[str, Any]) -> str:
    for status in ("200", "201"):
        content = op.get("responses", {}).get(status, {}).get("content", {})
        ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
        if ref:
            return str(ref.rsplit("/", 1)[-1])
    return ""


def overlay(title: str, actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {"overlay": "1.0.0", "info": {"title": title, "version": "1.0.0"}, "actions": actions}


def mechanical_id(path: str, method: str) -> str:
    """A valid snake_case name from method and path, suggested for an undecided operation."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", re.sub(r"[{}]", "", path))
    snake = re.sub(r"[^a-z0-9]+", "_", words.lower()).strip("_")
    return f"{method}_{snake}" if snake else method


def render_operation_ids(
    spec: Mapping[str, Any], names: Mapping[tuple[str, str], str], removed: Mapping[Any, str]
) -> dict[str, Any]:
    actions = []
    listed = set()
    for path, method, _ in operations(spec):
        if (path, method) in removed or (path, method) not in names:
            continue
        listed.add((path, method))
        actions.append(_name_action(path, method, names[(path, method)]))
    # A decision for an operation upstream no longer has still renders: it matches nothing and
    # fails the build, which is how a removed upstream operation gets noticed.
    for (path, method), name in names.items():
        if (path, method) not in listed:
            actions.append(_name_action(path, method, name))
    return overlay("Stable snake_case operationIds", actions)


def _name_action(path: str, method: str, name: str) -> dict[str, Any]:
    return {
        "target": op_target(path, method),
        # Names the decision's line, so an unmatched action says which line to delete.
        "description": f'name decision "{operation_key(path, method)}" = "{name}"',
        "update": {"operationId": name},
    }


def _template_names(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)


def render_paths(
    spec: Mapping[str, Any], ids: Mapping[tuple[str, str], str], decisions: Decisions
) -> dict[str, Any]:
    actions: list[dict[str, Any]] = []
    for old, equivalent in decisions.equivalent_paths.items():
        new, param = equivalent.path, equivalent.parameter
        item = spec["paths"].get(old) or {}
        moved: dict[str, Any] = {}
        for method in HTTP_METHODS:
            if method not in item:
                continue
            op = copy.deepcopy(item[method])
            op["operationId"] = ids.get((old, method), mechanical_id(new, method))
            renames = dict(zip(_template_names(old), _template_names(new), strict=True))
            for prm in op.get("parameters", []):
                if prm.get("in") == "path":
                    # The template's spelling wins; a mismatched parameter also takes it.
                    prm["name"] = renames.get(prm["name"], param)
            moved[method] = op
        actions.append(
            {
                "target": "$.paths",
                "description": f"move {old} into {new}: "
                + (equivalent.reason or "one template per resource"),
                "update": {new: moved},
            }
        )
        actions.append(
            {
                "target": f"$.paths['{old}']",
                "description": f"{old} is replaced by {new}",
                "remove": True,
            }
        )
    for path, item in spec["paths"].items():
        if not item:
            # Rendered from this very spec, so the removal exists only while the item is empty:
            # once Visma adds a method, the path stays and its operation needs a name.
            actions.append(
                {
                    "target": f"$.paths['{path}']",
                    "description": EMPTY_PATH_REASON,
                    "remove": True,
                }
            )
    for (path, method), reason in decisions.removed.items():
        item = spec["paths"].get(path) or {}
        whole = bool(item) and all(
            (path, m) in decisions.removed for m in HTTP_METHODS if m in item
        )
        actions.append(
            {
                "target": f"$.paths['{path}']" if whole else op_target(path, method),
                "description": f"left out of the client: {reason}",
                "remove": True,
            }
        )
    if decisions.removed:
        actions.append(
            {
                "target": "$",
                "description": "record removed operations so reports can list them",
                "update": {
                    "x-removed-operations": {
                        operation_key(path, method): reason
                        for (path, method), reason in decisions.removed.items()
                    }
                },
            }
        )
    return overlay("Path templates and hidden path items", actions)


def scopes_from_prose(description: str) -> list[str]:
    tail = description.split("Requires any of the following scopes", 1)
    return re.findall(r"\*\s*([a-z.]+:[a-z_]+)", tail[1]) if len(tail) == 2 else []


def render_security(spec: Mapping[str, Any], decisions: Decisions) -> dict[str, Any]:
    scheme = {
        "type": "oauth2",
        "description": "Visma IdentityServer, authorization code flow; access tokens live 1 hour, "
        "refresh tokens are single-use and rotate. Always request ea:api and offline_access.",
        "flows": {
            "authorizationCode": {
                "authorizationUrl": "https://identity.vismaonline.com/connect/authorize",
                "tokenUrl": "https://identity.vismaonline.com/connect/token",
                "refreshUrl": "https://identity.vismaonline.com/connect/token",
                "scopes": decisions.scopes,
            }
        },
    }
    actions: list[dict[str, Any]] = [
        {
            "target": "$.components",
            "description": "the spec declares no security scheme; tokens come from Visma's OAuth2",
            "update": {"securitySchemes": {"visma_oauth2": scheme}},
        }
    ]
    for path, method, op in operations(spec):
        scopes = scopes_from_prose(op.get("description") or "")
        reason = "scopes stated in the operation's prose (any of)"
        if not scopes and (path, method) in decisions.inferred_scopes:
            scopes = decisions.inferred_scopes[(path, method)]
            reason = "the prose lists no scope; inferred from the resource's other operations"
        if not scopes:
            continue
        actions.append(
            {
                "target": op_target(path, method),
                "description": reason,
                "update": {"security": [{"visma_oauth2": [s]} for s in scopes]},
            }
        )
    return overlay("OAuth2 security scheme and per-operation scopes", actions)


PAGING_PARAMETERS = {
    "page": {
        "name": "$page",
        "in": "query",
        "description": "1-based page number.",
        "schema": {"type": "integer", "format": "int32", "minimum": 1, "default": 1},
    },
    "pagesize": {
        "name": "$pagesize",
        "in": "query",
        "description": "Items per page (default 50).",
        "schema": {"type": "integer", "format": "int32", "minimum": 1, "default": 50},
    },
    "filter": {
        "name": "$filter",
        "in": "query",
        "description": "OData v4 filter, e.g. `Name eq 'Dave' and IsActive eq true`.",
        "schema": {"type": "string"},
    },
    "orderby": {
        "name": "$orderby",
        "in": "query",
        "description": "OData v4 ordering, e.g. `Name asc, CustomerNumber desc`.",
        "schema": {"type": "string"},
    },
    "select": {
        "name": "$select",
        "in": "query",
        "description": "Comma-separated properties to return.",
        "schema": {"type": "string"},
    },
}


def render_paging(spec: Mapping[str, Any]) -> dict[str, Any]:
    actions: list[dict[str, Any]] = [
        {
            "target": "$.components",
            "description": "shared definitions of the documented paging and OData query options",
            "update": {"parameters": PAGING_PARAMETERS},
        }
    ]
    refs = [{"$ref": f"#/components/parameters/{name}"} for name in PAGING_PARAMETERS]
    for path, method, op in operations(spec):
        if response_schema_name(op).startswith("PaginatedResponseOf"):
            actions.append(
                {
                    "target": op_target(path, method),
                    "description": "returns a Meta/Data page but declares no paging/OData params",
                    "update": {"parameters": refs},
                }
            )
    return overlay("Paging and OData query options on list operations", actions)


def render_dates(spec: Mapping[str, Any], decisions: Decisions) -> dict[str, Any]:
    actions = []
    for name, schema in spec["components"]["schemas"].items():
        for prop, definition in (schema.get("properties") or {}).items():
            if prop.endswith("Date") and definition.get("format") == "date-time":
                actions.append(
                    {
                        "target": f"$.components.schemas.{name}.properties.{prop}",
                        "description": "a calendar date (yyyy-MM-dd), typed date-time upstream",
                        "update": {"format": "date"},
                    }
                )
    dated = sorted(
        (path, method, param)
        for (path, method), params in decisions.date_parameters.items()
        for param in params
    )
    for path, method, param in dated:
        actions.append(
            {
                "target": f"{op_target(path, method)}.parameters[?(@.name=='{param}')].schema",
                "description": "documented as yyyy-MM-dd; a date-time would be sent as a timestamp",
                "update": {"format": "date"},
            }
        )
    return overlay("Calendar dates", actions)


#: Lists the required properties a write may leave out (decisions.toml [optional_on_write]).
OPTIONAL_ON_WRITE = "x-eaccounting-optional-on-write"


def render_schemas(spec: Mapping[str, Any], decisions: Decisions | None = None) -> dict[str, Any]:
    actions: list[dict[str, Any]] = [
        {
            "target": "$.components.schemas.*.additionalProperties",
            "description": "new response fields must not break parsing; keep unknown fields",
            "remove": True,
        },
        {
            "target": "$.components.schemas",
            "description": "one shared RotReducedInvoicingType instead of 9 inline copies",
            "update": {"RotReducedInvoicingType": ROT_ENUM},
        },
    ]
    for name, schema in spec["components"]["schemas"].items():
        definition = (schema.get("properties") or {}).get("RotReducedInvoicingType")
        if definition is None or "$ref" in definition:
            continue
        target = f"$.components.schemas.{name}.properties"
        new: dict[str, Any] = {"$ref": "#/components/schemas/RotReducedInvoicingType"}
        if definition.get("readOnly"):
            new["readOnly"] = True
        actions.append(
            {
                "target": f"{target}.RotReducedInvoicingType",
                "description": "inline copy of RotReducedInvoicingType, replaced by a $ref",
                "remove": True,
            }
        )
        actions.append(
            {
                "target": target,
                "description": "reference the shared RotReducedInvoicingType",
                "update": {"RotReducedInvoicingType": new},
            }
        )
    actions.append(
        {
            "target": "$.paths['/messagethreads/{messageThreadId}/messages'].get.responses['200']"
            ".content['application/json'].schema['$ref']",
            "description": "documented as a list of messages but declared as one MessageApi",
            "remove": True,
        }
    )
    actions.append(
        {
            "target": "$.paths['/messagethreads/{messageThreadId}/messages'].get.responses['200']"
            ".content['application/json'].schema",
            "description": "the endpoint returns an array of MessageApi",
            "update": {"type": "array", "items": {"$ref": "#/components/schemas/MessageApi"}},
        }
    )
    actions += _optional_on_write(decisions)
    return overlay("Schema strictness, shared enums and wrong response shapes", actions)


def _optional_on_write(decisions: Decisions | None) -> list[dict[str, Any]]:
    """Name, on each schema, the required properties the API was seen accepting writes without.

    Request and response share a schema: ``required`` stays (responses always carry these, so
    the models type them without ``Unset``); the list lets the write bodies (and the emulator)
    treat them as optional, as the real API does. It sits on the schema, not on each property:
    a keyword beside a property's ``$ref`` changes how Schemathesis generates the body (the
    recorded cassettes would no longer match). A gone schema is reported unmatched; a gone
    property stops ``spec/bodies.py``.
    """
    return [
        {
            "target": f"$.components.schemas.{schema}",
            "description": "; ".join(f"{name}: {reason}" for name, reason in properties.items()),
            "update": {OPTIONAL_ON_WRITE: sorted(properties)},
        }
        for schema, properties in sorted((decisions.optional_on_write if decisions else {}).items())
    ]


ERROR_BODY = {"$ref": "#/components/schemas/CommonExtendedBadRequest"}


def error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": ERROR_BODY}},
    }


def render_responses(spec: Mapping[str, Any], decisions: Decisions) -> dict[str, Any]:
    actions: list[dict[str, Any]] = [
        {
            "target": "$.components",
            "description": "the documented Visma error responses, shared by every operation",
            "update": {
                "responses": {
                    "Unauthorized": error_response("Missing, expired or revoked access token."),
                    "Forbidden": error_response("The token lacks a scope, module or variant."),
                    "NotFound": error_response("No such resource."),
                    "TooManyRequests": error_response(
                        "600 requests/minute per client and endpoint exceeded (ErrorCode 4010, "
                        "'Try again in N seconds')."
                    ),
                    "ServerError": error_response("Visma-side failure (ErrorCode 5000-5007)."),
                }
            },
        }
    ]
    for path, method, op in operations(spec):
        declared = set(op.get("responses", {}))
        add = {
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "403": {"$ref": "#/components/responses/Forbidden"},
            "429": {"$ref": "#/components/responses/TooManyRequests"},
            "500": {"$ref": "#/components/responses/ServerError"},
            "503": {"$ref": "#/components/responses/ServerError"},
        }
        if "{" in path:
            add["404"] = {"$ref": "#/components/responses/NotFound"}
        for status in declared & set(add):
            # Keep what upstream declares (descriptions), but give it the error body.
            add[status] = error_response(op["responses"][status].get("description", ""))
        actions.append(
            {
                "target": f"{op_target(path, method)}.responses",
                "description": "401/403/404/429/5xx happen on every call; declare the error body",
                "update": add,
            }
        )
    for path, method in sorted(decisions.pdf_operations):
        target = f"{op_target(path, method)}.responses['200']"
        op = (spec["paths"].get(path) or {}).get(method) or {}
        if (op.get("responses") or {}).get("200", {}).get("content"):
            actions.append(
                {
                    "target": f"{target}.content",
                    "description": "returns a PDF but declares a JSON body",
                    "remove": True,
                }
            )
        actions.append(
            {
                "target": target,
                "description": "the body is a PDF document",
                "update": {
                    "content": {
                        "application/pdf": {"schema": {"type": "string", "format": "binary"}}
                    }
                },
            }
        )
    return overlay("Error responses and binary bodies", actions)


def _path_params(op: Mapping[str, Any]) -> list[str]:
    return [p["name"] for p in op.get("parameters", []) if p.get("in") == "path"]


def render_links(spec: Mapping[str, Any], decisions: Decisions) -> dict[str, Any]:
    by_id = {
        op["operationId"]: (path, method, op)
        for path, method, op in operations(spec)
        if "operationId" in op  # an undecided operation has none; the build stops on it anyway
    }
    actions = []
    for op_id, (path, method, op) in by_id.items():
        targets: dict[str, str] = {}
        if op_id.startswith("create_"):
            resource = op_id.removeprefix("create_")
            for verb in ("get", "update", "delete"):
                follower = by_id.get(f"{verb}_{resource}")
                if follower and len(_path_params(follower[2])) == 1:
                    targets[f"{verb}_{resource}"] = _path_params(follower[2])[0]
        targets |= decisions.flow_links.get(op_id, {})
        if not targets:
            continue
        status = next((c for c in op["responses"] if c.startswith("2")), None)
        if status is None:
            continue
        links = {
            name: {"operationId": name, "parameters": {param: "$response.body#/Id"}}
            for name, param in targets.items()
        }
        actions.append(
            {
                "target": f"{op_target(path, method)}.responses['{status}']",
                "description": "the created resource's Id feeds the operations that act on it",
                "update": {"links": links},
            }
        )
    return overlay("OpenAPI links for stateful contract scenarios", actions)


@dataclass
class Rendering:
    """The rendered overlays, the effective spec they make, and what stopped or may stop it."""

    overlays: dict[str, dict[str, Any]]
    effective: dict[str, Any]
    report: OverlayReport
    undecided: list[tuple[str, str]] = field(default_factory=list)

    def undecided_lines(self, source: str = "overlays/decisions.toml") -> list[str]:
        """One line per operation without a decision, with the exact edit that settles it."""
        return [
            f"UNDECIDED {operation_key(path, method)}: no name decision. Add under [operations] "
            f'in {source}:  "{operation_key(path, method)}" = "{mechanical_id(path, method)}"'
            "  (or choose a better name; or list it under [removed] with a reason)"
            for path, method in self.undecided
        ]


def render(
    spec: Mapping[str, Any], decisions: Decisions, provisional_names: bool = False
) -> Rendering:
    """Render every overlay for ``spec`` and apply them, in file-name order.

    Operations without a decision are listed in ``undecided``; with ``provisional_names`` they
    get a mechanical ``<method>_<path>`` name so a check can still validate and generate.
    """
    undecided = [
        (path, method)
        for path, method, _ in operations(spec)
        if (path, method) not in decisions.operations and (path, method) not in decisions.removed
    ]
    names = dict(decisions.operations)
    if provisional_names:
        names |= {key: mechanical_id(*key) for key in undecided}
    first = {
        "01-operation-ids.yaml": render_operation_ids(spec, names, decisions.removed),
        "02-paths.yaml": render_paths(spec, names, decisions),
    }
    # Later classes target operations where 01 and 02 leave them (moved paths, removed items).
    fixed, report = apply_documents(spec, first.items())
    rest = {
        "03-security.yaml": render_security(fixed, decisions),
        "04-paging.yaml": render_paging(fixed),
        "05-dates.yaml": render_dates(fixed, decisions),
        "06-schemas.yaml": render_schemas(fixed, decisions),
        "07-responses.yaml": render_responses(fixed, decisions),
        "08-links.yaml": render_links(fixed, decisions),
    }
    effective, later = apply_documents(fixed, rest.items())
    report.results.extend(later.results)
    return Rendering(first | rest, effective, report, undecided)
