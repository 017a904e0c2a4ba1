"""Schema-driven shaping of stored objects and validation of request bodies.

Both walk the effective spec's JSON Schemas (OpenAPI 3.1 type arrays, ``$ref`` to components).
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from .clock import parse_utc
from .errors import field_error

Schema = dict[str, Any]
ZERO_GUID = "00000000-0000-0000-0000-000000000000"
_MISSING = object()
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")


#: Where the real API is looser than its spec: properties the spec lists as required that the
#: API was measured accepting a write without (evidence fact 16: POST /customerinvoices answers
#: 201 without EuThirdParty and RotReducedInvoicingType). The effective spec lists them on the
#: schema (overlays/decisions.toml [optional_on_write]); the emulator follows the evidence.
OPTIONAL_ON_WRITE = "x-eaccounting-optional-on-write"


class Schemas:
    """Resolves ``$ref``s against the spec's components and answers questions about schemas."""

    def __init__(self, components: dict[str, Schema]) -> None:
        self.components = components
        self._props: dict[int, dict[str, Schema]] = {}

    def not_required(self, schema: Schema) -> frozenset[str]:
        """Required properties of ``schema`` that the real API does not insist on."""
        return frozenset(self.resolve(schema).get(OPTIONAL_ON_WRITE) or ())

    def resolve(self, schema: Schema) -> Schema:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def named(self, name: str) -> Schema:
        return self.components[name]

    def properties(self, schema: Schema) -> dict[str, Schema]:
        """Property name → resolved property schema (cached per schema object)."""
        schema = self.resolve(schema)
        key = id(schema)
        props = self._props.get(key)
        if props is None:
            props = {k: self.resolve(v) for k, v in schema.get("properties", {}).items()}
            self._props[key] = props
        return props


def types_of(schema: Schema) -> tuple[str, ...]:
    t = schema.get("type")
    if t is None:
        return ()
    return tuple(t) if isinstance(t, list) else (t,)


def nullable(schema: Schema) -> bool:
    """3.1 ``type: [T, "null"]``, or 3.0 ``nullable: true`` should a spec still carry it."""
    return "null" in types_of(schema) or schema.get("nullable") is True


def conform_format(value: str, fmt: str | None) -> str:
    """A date or timestamp written in the form the spec declares for the field.

    Handlers and seed data write days and moments as they come; the spec decides whether the
    field is a ``date`` (yyyy-MM-dd) or a ``date-time`` (midnight UTC for a bare day), so a
    format change upstream changes what the emulator sends without touching its code.
    """
    if fmt == "date" and len(value) > 10 and _DATE_RE.match(value):
        return value[:10]
    if fmt == "date-time" and len(value) == 10 and _DATE_RE.match(value):
        return f"{value}T00:00:00Z"
    return value


def main_type(schema: Schema) -> str | None:
    for t in types_of(schema):
        if t != "null":
            return t
    return "object" if "properties" in schema else None


_TEMPORAL = ("date", "date-time")
Plan = dict[str, tuple[str, Any]]


#: Date fields the real API was seen sending with a time part (evidence fact 3): the same
#: sandbox returned ``DueDate "2026-08-20T00:00:00"`` and ``PaymentDate "2026-06-10T00:00:00Z"``.
#: The spec says ``format: date``, so this is off unless ``Emulator(dates_with_time=True)``.
DATES_SENT_WITH_A_TIME: dict[tuple[str, str], str] = {
    ("CustomerInvoiceApi", "DueDate"): "T00:00:00",
    ("CustomerInvoiceApi", "PaymentDate"): "T00:00:00Z",
}


class Conformer:
    """Rewrites every date and timestamp of a response into the form its schema declares, and
    every ``number`` as a JSON number with a fraction (``100.0``), as the API writes money.

    Handlers set some dates after shaping (payment dates, due dates, lock dates); this last
    pass makes what the emulator sends follow the spec's ``format`` wherever it was written.
    Plans (which properties hold dates, directly or nested) are built once per schema.
    """

    def __init__(self, schemas: Schemas) -> None:
        self.schemas = schemas
        self._plans: dict[int, Plan | None] = {}
        #: Send the date fields of DATES_SENT_WITH_A_TIME with their time part (fact 3).
        self.dates_with_time = False
        self._with_time = {
            (id(schemas.components[name]), field): suffix
            for (name, field), suffix in DATES_SENT_WITH_A_TIME.items()
            if name in schemas.components
        }

    def plan(self, schema: Schema, depth: int = 0) -> Plan | None:
        schema = self.schemas.resolve(schema)
        key = id(schema)
        if key in self._plans:
            return self._plans[key]
        self._plans[key] = None  # a recursive schema ends here
        if depth > 8:
            return None
        plan: Plan = {}
        for name, prop in self.schemas.properties(schema).items():
            t = main_type(prop)
            if t == "string" and prop.get("format") in _TEMPORAL:
                plan[name] = ("value", prop["format"])
            elif t == "number":  # money and quantities: JSON numbers with a fraction (fact 6)
                plan[name] = ("number", None)
            elif t == "object" and self.plan(prop, depth + 1):
                plan[name] = ("object", prop)
            elif t == "array":
                items = self.schemas.resolve(prop.get("items", {}))
                if main_type(items) == "string" and items.get("format") in _TEMPORAL:
                    plan[name] = ("values", items["format"])
                elif main_type(items) == "object" and self.plan(items, depth + 1):
                    plan[name] = ("objects", items)
        self._plans[key] = plan or None
        return self._plans[key]

    def conform(self, schema: Schema | None, payload: Any) -> Any:
        """``payload`` with its dates in the declared form (changed in place where needed)."""
        if schema is None:
            return payload
        schema = self.schemas.resolve(schema)
        if isinstance(payload, list) and main_type(schema) == "array":
            items = self.schemas.resolve(schema.get("items", {}))
            for item in payload:
                self.conform(items, item)
            return payload
        if not isinstance(payload, dict):
            return payload
        plan = self.plan(schema)
        if not plan:
            return payload
        for name, (kind, detail) in plan.items():
            value = payload.get(name)
            if value is None:
                continue
            if kind == "number":
                if isinstance(value, int) and not isinstance(value, bool):
                    payload[name] = float(value)
            elif kind == "value" and isinstance(value, str):
                payload[name] = conform_format(value, detail)
                suffix = self._with_time.get((id(schema), name)) if self.dates_with_time else None
                if suffix and detail == "date" and _DATE_RE.match(value):
                    payload[name] = value[:10] + suffix
            elif kind == "values" and isinstance(value, list):
                payload[name] = [
                    conform_format(v, detail) if isinstance(v, str) else v for v in value
                ]
            elif kind == "object":
                self.conform(detail, value)
            elif kind == "objects" and isinstance(value, list):
                for item in value:
                    self.conform(detail, item)
        return payload


class Shaper:
    """Builds complete, spec-valid objects: every declared property present, defaults filled."""

    def __init__(self, schemas: Schemas, today: str, now: str) -> None:
        self.schemas = schemas
        self.today = today
        self.now = now

    def default(self, schema: Schema, depth: int = 0) -> Any:
        schema = self.schemas.resolve(schema)
        if nullable(schema):
            return None
        if "enum" in schema:
            return schema["enum"][0]
        t = main_type(schema)
        if t == "string":
            fmt = schema.get("format")
            if fmt == "uuid":
                return ZERO_GUID
            if fmt == "date":
                return self.today
            if fmt == "date-time":
                return self.now
            return "x" * int(schema.get("minLength", 0))
        if t == "integer":
            return max(0, int(schema.get("minimum", 0)))
        if t == "number":
            return float(max(0, schema.get("minimum", 0)))
        if t == "boolean":
            return False
        if t == "array":
            return []
        if t == "object":
            return self.shape(schema, {}, depth + 1) if depth < 6 else {}
        return None

    def shape(self, schema: Schema, data: dict[str, Any], depth: int = 0) -> dict[str, Any]:
        """``data`` restricted to the schema's properties, in schema order, with gaps filled."""
        out: dict[str, Any] = {}
        for name, prop in self.schemas.properties(schema).items():
            value = data.get(name, _MISSING)
            if value is _MISSING or (value is None and not nullable(prop)):
                out[name] = self.default(prop, depth)
                continue
            t = main_type(prop)
            if (t == "object" and not isinstance(value, dict)) or (
                t == "array" and not isinstance(value, list)
            ):
                # A value of the wrong shape (e.g. copied between document types) is dropped.
                out[name] = self.default(prop, depth)
            elif t == "object" and isinstance(value, dict):
                out[name] = self.shape(prop, value, depth + 1)
            elif t == "string" and isinstance(value, str):
                out[name] = conform_format(value, prop.get("format"))
            elif t == "array" and isinstance(value, list):
                items = self.schemas.resolve(prop.get("items", {}))
                if main_type(items) == "object":
                    out[name] = [
                        self.shape(items, v, depth + 1) if isinstance(v, dict) else v for v in value
                    ]
                else:
                    out[name] = value
            else:
                out[name] = value
        return out


def _check_value(
    schemas: Schemas, schema: Schema, value: Any, field: str, errors: list[dict[str, Any]]
) -> Any:
    """Validate one input value; returns the normalised value (dates → yyyy-MM-dd)."""
    schema = schemas.resolve(schema)
    if value is None:
        return None
    t = main_type(schema)
    if t == "string":
        if not isinstance(value, str):
            errors.append(field_error(field, "InvalidType", f"{field} must be a string."))
            return value
        fmt = schema.get("format")
        if fmt == "uuid":
            try:
                uuid.UUID(value)
            except ValueError:
                errors.append(field_error(field, "InvalidGuid", f"'{value}' is not a valid GUID."))
        elif fmt in ("date", "date-time"):
            try:
                if _DATE_RE.match(value) is None:
                    raise ValueError(value)
                if len(value) > 10:
                    parse_utc(value)
                else:
                    date.fromisoformat(value)
            except ValueError:
                errors.append(
                    field_error(
                        field, "InvalidDate", f"'{value}' is not a valid date (yyyy-MM-dd)."
                    )
                )
                return value
            if fmt == "date":
                return value[:10]
        max_len = schema.get("maxLength")
        if max_len is not None and len(value) > max_len:
            errors.append(
                field_error(
                    field, "MaxLength", f"{field} can be at most {max_len} characters long."
                )
            )
        return value
    if t in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            errors.append(field_error(field, "InvalidType", f"{field} must be a number."))
        elif t == "integer" and not float(value).is_integer():
            errors.append(field_error(field, "InvalidType", f"{field} must be an integer."))
        elif "maximum" in schema and value > schema["maximum"]:
            errors.append(
                field_error(field, "Range", f"{field} can be at most {schema['maximum']}.")
            )
        elif "minimum" in schema and value < schema["minimum"]:
            errors.append(
                field_error(field, "Range", f"{field} must be at least {schema['minimum']}.")
            )
        return value
    if t == "boolean":
        if not isinstance(value, bool):
            errors.append(field_error(field, "InvalidType", f"{field} must be true or false."))
        return value
    if t == "array":
        if not isinstance(value, list):
            errors.append(field_error(field, "InvalidType", f"{field} must be an array."))
            return value
        items = schema.get("items", {})
        return [
            _check_value(schemas, items, v, f"{field}[{i}]", errors) for i, v in enumerate(value)
        ]
    if t == "object":
        if not isinstance(value, dict):
            errors.append(field_error(field, "InvalidType", f"{field} must be an object."))
            return value
        return validate_object(schemas, schema, value, errors, prefix=f"{field}.")
    return value


def validate_object(
    schemas: Schemas,
    schema: Schema,
    body: dict[str, Any],
    errors: list[dict[str, Any]],
    prefix: str = "",
    optional: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Check required fields, types and lengths; returns the writable, normalised fields.

    Read-only properties are dropped, as the real API ignores them on POST/PUT.
    """
    schema = schemas.resolve(schema)
    props = schemas.properties(schema)
    out: dict[str, Any] = {}
    optional = optional | schemas.not_required(schema)
    for name in schema.get("required", ()):
        required_prop: Schema = props.get(name) or {}
        if required_prop.get("readOnly") or name in optional:
            continue
        if body.get(name) is None and not (name in body and nullable(required_prop)):
            errors.append(
                field_error(f"{prefix}{name}", "Required", f"The {prefix}{name} field is required.")
            )
    for name, value in body.items():
        prop = props.get(name)
        if prop is None or prop.get("readOnly"):
            continue
        out[name] = _check_value(schemas, prop, value, f"{prefix}{name}", errors)
    return out
