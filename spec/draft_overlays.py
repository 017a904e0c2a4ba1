"""Draft the mechanical overlay actions from a spec's structure and prose.

The committed ``overlays/*.yaml`` are the source of truth; this script only *drafts* actions so a
maintainer can review them when Visma publishes a new spec:

    python -m spec.draft_overlays --spec path/to/new.yaml --out /tmp/drafts

It writes one overlay per defect class next to each other in ``--out``. Operation ids already
chosen in ``overlays/01-operation-ids.yaml`` are kept; operations without one get a mechanical
``<method>_<path>`` name marked ``TODO`` in its description, to be renamed by hand.
Compare the drafts with ``overlays/`` (``diff -r``) and copy over what should change.
"""

from __future__ import annotations

import argparse
import copy
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from spec.documents import dump_yaml, load_yaml
from spec.overlays import apply_documents

HTTP_METHODS = ("get", "put", "post", "delete", "patch")
REPO = Path(__file__).resolve().parents[1]

SCOPES = {
    "ea:api": "Access the eAccounting API (always required)",
    "offline_access": "Receive a refresh token",
    "ea:sales": "Read and write sales data",
    "ea:sales_readonly": "Read sales data",
    "ea:purchase": "Read and write purchase data",
    "ea:purchase_readonly": "Read purchase data",
    "ea:accounting": "Read and write accounting data",
    "ea:accounting_readonly": "Read accounting data",
    "vls:api": "Access the Payroll (Lön Smart) API",
}

# Path items that describe the same resource under two spellings of one template; the operations
# of the first are moved into the second (OAS forbids equivalent templates; generators collide).
EQUIVALENT_PATHS: dict[str, tuple[str, str]] = {
    "/articlelabels/{articlelabelid}": ("/articlelabels/{articleLabelId}", "articleLabelId"),
    "/costcenteritems/{itemId}": ("/costcenteritems/{costCenterItemId}", "costCenterItemId"),
    "/customerinvoicedrafts/{invoiceDraftId}": (
        "/customerinvoicedrafts/{customerInvoiceDraftId}",
        "customerInvoiceDraftId",
    ),
    # Not an equivalent pair but a template/parameter mismatch: the template is lower-case while
    # every operation declares ``customerLabelId``; move to the spelling the parameters use.
    "/customerlabels/{customerlabelid}": ("/customerlabels/{customerLabelId}", "customerLabelId"),
}

# "Requires any of the following scopes:" followed by an empty list.
INFERRED_SCOPES = {("/supplierinvoices/transactionalcosts", "post"): ["ea:purchase"]}

PDF_OPERATIONS = {
    ("/customerinvoices/{invoiceId}/print", "get"),
    ("/orders/{id}/print", "get"),
    ("/orders/{id}/deliverynote/print", "get"),
    ("/quotes/{id}/print", "get"),
    ("/salesdocumentattachments/{attachmentId}.pdf", "get"),
}

DATE_PARAMETERS = {
    ("/accountbalances/{date}", "get", "date"),
    ("/accountbalances/{accountNumber}/{date}", "get", "date"),
    ("/sie4export/{fromDate}/{toDate}", "get", "fromDate"),
    ("/sie4export/{fromDate}/{toDate}", "get", "toDate"),
    ("/banktransactions/{bankAccountId}/matched", "get", "fromDate"),
    ("/banktransactions/{bankAccountId}/matched", "get", "toDate"),
    ("/banktransactions/{bankAccountId}/unmatched", "get", "fromDate"),
    ("/banktransactions/{bankAccountId}/unmatched", "get", "toDate"),
    ("/currencies/exchangerate", "get", "date"),
}

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
    words = re.sub(r"[{}]", "", path).replace(".", "_").strip("/").replace("/", "_")
    return f"{method}_{re.sub(r'(?<=[a-z0-9])(?=[A-Z])', '_', words).lower()}"


def draft_operation_ids(spec: Mapping[str, Any], known: Mapping[str, str]) -> dict[str, Any]:
    actions = []
    for path, method, _ in operations(spec):
        target = op_target(path, method)
        if target in known:
            name, reason = known[target], "stable, readable name instead of a path-derived one"
        else:
            name, reason = mechanical_id(path, method), "TODO: choose a readable name"
        actions.append({"target": target, "description": reason, "update": {"operationId": name}})
    return overlay("Stable snake_case operationIds", actions)


def _template_names(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)


def draft_paths(spec: Mapping[str, Any], ids: Mapping[str, str]) -> dict[str, Any]:
    actions: list[dict[str, Any]] = []
    for old, (new, param) in EQUIVALENT_PATHS.items():
        item = spec["paths"].get(old, {})
        moved: dict[str, Any] = {}
        for method in HTTP_METHODS:
            if method not in item:
                continue
            op = copy.deepcopy(item[method])
            op["operationId"] = ids.get(op_target(old, method), mechanical_id(new, method))
            renames = dict(zip(_template_names(old), _template_names(new), strict=True))
            for prm in op.get("parameters", []):
                if prm.get("in") == "path":
                    # The template's spelling wins; a mismatched parameter also takes it.
                    prm["name"] = renames.get(prm["name"], param)
            moved[method] = op
        actions.append(
            {
                "target": "$.paths",
                "description": f"move {old} into {new}: one template per resource",
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
            actions.append(
                {
                    "target": f"$.paths['{path}']",
                    "description": "empty path item: an undocumented endpoint with no operations",
                    "remove": True,
                }
            )
        elif path.startswith("/warmup_"):
            actions.append(
                {
                    "target": f"$.paths['{path}']",
                    "description": "internal warm-up probe, not part of the public API",
                    "remove": True,
                }
            )
            removed = {
                f"{m.upper()} {path}": "internal warm-up probe (no docs, no scope)"
                for m in HTTP_METHODS
                if m in item
            }
            actions.append(
                {
                    "target": "$",
                    "description": "record removed operations so reports can list them",
                    "update": {"x-removed-operations": removed},
                }
            )
    return overlay("Path templates and hidden path items", actions)


def scopes_from_prose(description: str) -> list[str]:
    tail = description.split("Requires any of the following scopes", 1)
    return re.findall(r"\*\s*([a-z.]+:[a-z_]+)", tail[1]) if len(tail) == 2 else []


def draft_security(spec: Mapping[str, Any]) -> dict[str, Any]:
    scheme = {
        "type": "oauth2",
        "description": "Visma IdentityServer, authorization code flow; access tokens live 1 hour, "
        "refresh tokens are single-use and rotate. Always request ea:api and offline_access.",
        "flows": {
            "authorizationCode": {
                "authorizationUrl": "https://identity.vismaonline.com/connect/authorize",
                "tokenUrl": "https://identity.vismaonline.com/connect/token",
                "refreshUrl": "https://identity.vismaonline.com/connect/token",
                "scopes": SCOPES,
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
        if not scopes and (path, method) in INFERRED_SCOPES:
            scopes = INFERRED_SCOPES[(path, method)]
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


def draft_paging(spec: Mapping[str, Any]) -> dict[str, Any]:
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


def draft_dates(spec: Mapping[str, Any]) -> dict[str, Any]:
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
    for path, method, param in sorted(DATE_PARAMETERS):
        actions.append(
            {
                "target": f"{op_target(path, method)}.parameters[?(@.name=='{param}')].schema",
                "description": "documented as yyyy-MM-dd; a date-time would be sent as a timestamp",
                "update": {"format": "date"},
            }
        )
    return overlay("Calendar dates", actions)


def draft_schemas(spec: Mapping[str, Any]) -> dict[str, Any]:
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
    return overlay("Schema strictness, shared enums and wrong response shapes", actions)


ERROR_BODY = {"$ref": "#/components/schemas/CommonExtendedBadRequest"}


def error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": ERROR_BODY}},
    }


def draft_responses(spec: Mapping[str, Any]) -> dict[str, Any]:
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
    for path, method in sorted(PDF_OPERATIONS):
        target = f"{op_target(path, method)}.responses['200']"
        if spec["paths"][path][method]["responses"]["200"].get("content"):
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


# Links that are not create → get/update/delete of one resource: the invoice flow.
FLOW_LINKS = {
    "create_customer_invoice_draft": {"convert_customer_invoice_draft": "customerInvoiceDraftId"},
    "convert_customer_invoice_draft": {
        "get_customer_invoice": "invoiceId",
        "create_customer_invoice_payment": "invoiceId",
    },
    "create_supplier_invoice_draft": {"convert_supplier_invoice_draft": "id"},
    "create_voucher_draft": {"convert_voucher_draft": "voucherDraftId"},
    "create_quote": {"accept_quote": "id", "convert_quote_to_order": "id"},
}


def _path_params(op: Mapping[str, Any]) -> list[str]:
    return [p["name"] for p in op.get("parameters", []) if p.get("in") == "path"]


def draft_links(spec: Mapping[str, Any]) -> dict[str, Any]:
    by_id = {op["operationId"]: (path, method, op) for path, method, op in operations(spec)}
    actions = []
    for op_id, (path, method, op) in by_id.items():
        targets: dict[str, str] = {}
        if op_id.startswith("create_"):
            resource = op_id.removeprefix("create_")
            for verb in ("get", "update", "delete"):
                follower = by_id.get(f"{verb}_{resource}")
                if follower and len(_path_params(follower[2])) == 1:
                    targets[f"{verb}_{resource}"] = _path_params(follower[2])[0]
        targets |= FLOW_LINKS.get(op_id, {})
        if not targets:
            continue
        status = next(c for c in op["responses"] if c.startswith("2"))
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


def known_ids(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    doc = yaml.safe_load(path.read_text())
    return {a["target"]: a["update"]["operationId"] for a in doc["actions"]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", required=True, type=Path, help="upstream spec (YAML or JSON)")
    parser.add_argument("--out", required=True, type=Path, help="folder for the drafts")
    args = parser.parse_args(argv)
    spec = load_yaml(args.spec)
    ids = known_ids(REPO / "overlays" / "01-operation-ids.yaml")
    args.out.mkdir(parents=True, exist_ok=True)
    drafts = {
        "01-operation-ids.yaml": draft_operation_ids(spec, ids),
        "02-paths.yaml": draft_paths(spec, ids),
    }
    # Later classes target operations where 01 and 02 leave them (moved paths, removed items).
    fixed, _ = apply_documents(spec, drafts.items())
    drafts |= {
        "03-security.yaml": draft_security(fixed),
        "04-paging.yaml": draft_paging(fixed),
        "05-dates.yaml": draft_dates(fixed),
        "06-schemas.yaml": draft_schemas(fixed),
        "07-responses.yaml": draft_responses(fixed),
        "08-links.yaml": draft_links(fixed),
    }
    for name, doc in drafts.items():
        (args.out / name).write_text(dump_yaml(doc))
        print(f"{args.out / name}: {len(doc['actions'])} actions")


if __name__ == "__main__":
    main()
