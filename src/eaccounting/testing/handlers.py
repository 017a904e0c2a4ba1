"""Handler registry and the spec-driven generic engine (CRUD and schema-shaped stubs).

Business modules register handlers by operationId with :func:`handles`. Operations without one
get a generic handler derived from their shape; :func:`resolve` says which kind each one got,
which is what ``coverage()`` reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .company import Company, Record, Request
from .errors import VismaError
from .schema import Schema, main_type
from .spec import Operation

Handler = Callable[[Company, Request], tuple[int, Any]]
REGISTRY: dict[str, Handler] = {}

#: Collections whose key is not ``Id``.
KEY_FIELDS = {"countries": "Code", "currencies": "Code"}
_STAMPS = ("CreatedUtc", "ModifiedUtc", "ChangedUtc")
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True)
class Binary:
    """A non-JSON response body."""

    content: bytes
    content_type: str


def handles(*operation_ids: str) -> Callable[[Handler], Handler]:
    """Register a business handler for ``operation_ids``."""

    def register(fn: Handler) -> Handler:
        for op_id in operation_ids:
            REGISTRY[op_id] = fn
        return fn

    return register


def stamp(company: Company, record: Record, schema: Schema, created: bool) -> None:
    """Set the timestamps the schema declares (CreatedUtc only on create)."""
    props = company.schemas.properties(schema)
    now = company.now()
    for name in _STAMPS:
        if name in props and (created or name != "CreatedUtc"):
            record[name] = now


def readonly_carry(company: Company, schema: Schema, existing: Record) -> Record:
    """The read-only fields of ``existing``: a PUT keeps these, everything else is replaced."""
    props = company.schemas.properties(schema)
    return {k: existing.get(k) for k, p in props.items() if p.get("readOnly") and k in existing}


def create_record(company: Company, coll: str, schema: Schema, data: Record) -> Record:
    """Shape, stamp and store a new record under a fresh Id."""
    record = dict(data)
    record["Id"] = company.ids.guid()
    stamp(company, record, schema, created=True)
    shaped = company.shape(schema, record)
    company.coll(coll)[shaped["Id"]] = shaped
    return shaped


def replace_record(
    company: Company, coll: str, schema: Schema, existing: Record, data: Record
) -> Record:
    """PUT semantics: the body replaces the object; omitted writable fields become null/default."""
    record = {**readonly_carry(company, schema, existing), **data}
    stamp(company, record, schema, created=False)
    shaped = company.shape(schema, record)
    key = KEY_FIELDS.get(coll, "Id")
    company.coll(coll)[str(existing[key])] = shaped
    return shaped


def _records(company: Company, coll: str, schema: Schema | None) -> list[Record]:
    records = list(company.coll(coll).values())
    if (
        schema is not None
        and records
        and set(records[0]) != set(company.schemas.properties(schema))
    ):
        records = [company.shape(schema, r) for r in records]
    return records


def _generic(op: Operation) -> tuple[Handler, str]:
    segments = op.path.strip("/").split("/")
    coll = segments[0]
    templated_tail = (
        len(segments) == 2 and segments[1].startswith("{") and segments[1].endswith("}")
    )
    param = segments[1][1:-1] if templated_tail else ""
    schema = op.response_schema
    if op.method == "GET" and len(segments) == 1 and op.paginated:
        return (lambda c, r: (200, c.page(r, _records(c, coll, r.op.item_schema)))), "crud"
    if (
        op.method == "POST"
        and len(segments) == 1
        and op.request_schema is not None
        and (schema is op.request_schema)
    ):
        return (
            lambda c, r: (
                op.success_status,
                create_record(c, coll, op.response_schema or {}, c.validate(r)),
            )
        ), "crud"
    if templated_tail and op.method == "GET" and schema is not None and not op.paginated:
        return (lambda c, r: (200, c.get(coll, r.params[param]))), "crud"
    if (
        templated_tail
        and op.method == "PUT"
        and schema is not None
        and (schema is op.request_schema)
    ):

        def put(c: Company, r: Request) -> tuple[int, Any]:
            existing = c.get(coll, r.params[param])
            return op.success_status, replace_record(c, coll, schema, existing, c.validate(r))

        return put, "crud"
    if templated_tail and op.method == "DELETE":

        def delete(c: Company, r: Request) -> tuple[int, Any]:
            c.get(coll, r.params[param])
            c.coll(coll).pop(r.params[param], None)
            c.coll(coll).pop(r.params[param].lower(), None)
            return op.success_status, None

        return delete, "crud"
    return _stub(op), "stub"


#: Collections the emulator keeps state for; stubs below them check the parent exists (404).
TRACKED = frozenset(
    {
        "customers",
        "customerinvoices",
        "customerinvoicedrafts",
        "orders",
        "quotes",
        "quotedrafts",
        "supplierinvoices",
        "supplierinvoicedrafts",
        "articles",
        "suppliers",
        "voucherdrafts",
        "bankaccounts",
        "projects",
        "attachments",
    }
)


def _stub(op: Operation) -> Handler:
    """A stateless answer shaped by the response schema (request bodies are still validated)."""
    schema = op.response_schema
    segments = op.path.strip("/").split("/")
    parent = None
    if segments[0] in TRACKED and len(segments) > 1 and segments[1].startswith("{"):
        parent = segments[1][1:].split("}", 1)[0]

    def stub(c: Company, r: Request) -> tuple[int, Any]:
        if parent is not None:
            c.get(segments[0], r.params[parent])
        data: Record = {}
        if op.request_schema is not None and r.body is not None:
            if main_type(op.request_schema) == "array":
                c.validate_items(r)
            else:
                data = c.validate(r)
        if schema is None:
            if op.method == "GET" and ("print" in op.path or "pdf" in op.path):
                return op.success_status, Binary(_PDF, "application/pdf")
            return op.success_status, None
        if op.paginated:
            return 200, c.page(r, [])
        t = main_type(schema)
        if t == "object":
            return op.success_status, c.shape(schema, data)
        if t == "array":
            return op.success_status, []
        if schema.get("format") == "binary":
            return op.success_status, Binary(_PDF, "application/pdf")
        return op.success_status, c.shaper().default(schema)

    return stub


def resolve(op: Operation) -> tuple[Handler, str]:
    """The handler for ``op`` and its kind: 'stateful', 'crud' or 'stub'."""
    if op.operation_id in REGISTRY:
        return REGISTRY[op.operation_id], "stateful"
    return _generic(op)


def not_implemented(op: Operation) -> VismaError:
    return VismaError(
        501, 5000, f"The operation {op.operation_id} is not implemented by the emulator."
    )
