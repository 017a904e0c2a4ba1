"""Shared machinery of the resource facades: model lookup, body preparation, safe update.

Resources return the generated attrs models (``eaccounting_api.models``), imported on first
use. Write bodies are plain JSON built from the caller's model or mapping; read-only
properties (derived at run time from the packaged effective spec, see ``_rules``) are removed, and
obviously wrong values (malformed GUIDs and dates, strings over ``maxLength``) are rejected
before any request, naming the field.

Visma's PUT replaces the whole resource (an omitted field becomes null), so ``update`` reads
the current JSON, merges the caller's changes into it, strips read-only fields and sends the
result: fields the caller did not mention keep their values.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import importlib
import math
import re
import uuid
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Any

from . import _write_rules as _rules
from ._logging import logger
from ._spec import effective_spec
from .errors import ValidationError
from .odata import Filter, OrderBy
from .odata import orderby as _orderby
from .odata import select as _select

__all__ = [
    "account_number",
    "bank_params",
    "check_date",
    "check_guid",
    "list_params",
    "merge_changes",
    "model_class",
    "optional_body",
    "parse_model",
    "prepare_body",
    "rules_for",
    "warn_unknown_keys",
]

_GENERATED_MODELS = "eaccounting_api.models"
_SNAKE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
# Only the 8-4-4-4-12 form the API writes (and the spec's format: uuid means): no optional
# dashes, braces or 32 bare digits; matched with fullmatch, so no trailing newline either.
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def rules_for(schema: str) -> dict[str, Any]:
    """The rules the effective spec gives ``schema`` (empty if none)."""
    return _rules.rules().get(schema, {})


@cache
def model_class(name: str) -> Any:
    """The generated model class ``name`` (module ``eaccounting_api.models.<snake_name>``)."""
    module_name = _SNAKE.sub("_", name).lower()
    try:
        module = importlib.import_module(f"{_GENERATED_MODELS}.{module_name}")
        return getattr(module, name)
    except (ModuleNotFoundError, AttributeError):
        return getattr(importlib.import_module(_GENERATED_MODELS), name)


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def parse_model(name: str, data: Any) -> Any:
    """``Model.from_dict(data)``; on failure retry with nulls treated as absent.

    The API returns null for properties the spec declares non-nullable; one bad field must
    not make a whole list unreadable.
    """
    cls = model_class(name)
    try:
        return cls.from_dict(data)
    except (TypeError, ValueError, KeyError, AttributeError) as first:
        try:
            result = cls.from_dict(_without_nulls(data))
        except (TypeError, ValueError, KeyError, AttributeError):
            raise first from None
        logger.debug("eaccounting: parsed %s after dropping null properties", name)
        return result


def check_guid(value: object, name: str) -> str:
    """``value`` as a GUID string, or a ValidationError naming ``name``."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str) and _GUID.fullmatch(value):
        return value
    raise ValidationError(
        f"{name}={value!r} is not a GUID (expected 32 hex digits as 8-4-4-4-12, e.g. "
        "'d4c8d5c5-4f7b-4a8e-9c3e-0e1f2a3b4c5d')",
        field=name,
    )


def check_date(value: object, name: str) -> str:
    """``value`` as ``yyyy-MM-dd``, or a ValidationError naming ``name``."""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str) and _DATE.match(value):
        try:
            _dt.date.fromisoformat(value)
            return value
        except ValueError:
            pass
    raise ValidationError(
        f"{name}={value!r} is not a date (expected yyyy-MM-dd, e.g. '2026-01-31')", field=name
    )


def account_number(value: Any) -> str:
    """An account number as it goes in a path (digits only), else a ValidationError."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
        raise ValidationError(
            f"account_number={value!r} must be a positive integer (e.g. 1930)",
            field="account_number",
        )
    return str(value)


def bank_params(from_date: Any, to_date: Any) -> dict[str, Any]:
    """The date range of a bank-transaction listing."""
    return {
        "fromDate": None if from_date is None else check_date(from_date, "from_date"),
        "toDate": None if to_date is None else check_date(to_date, "to_date"),
    }


def _json_value(value: Any) -> Any:
    """Convert Python values the caller may put in a mapping into JSON values."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return value.to_dict()
    # Decimal stays Decimal: the request body is encoded with every digit (``_json_wire``).
    return value


def optional_body(body: Any) -> dict[str, Any]:
    """The body of an action whose body is optional (``{}`` when None)."""
    return {} if body is None else to_json_object(body, "body")


def to_json_object(value: Any, what: str) -> dict[str, Any]:
    """A generated model or a mapping as a JSON object."""
    if hasattr(value, "to_dict") and callable(value.to_dict):
        data = value.to_dict()
    elif isinstance(value, Mapping):
        data = dict(value)
    else:
        raise ValidationError(
            f"{what} must be a generated model or a mapping of API property names, got "
            f"{type(value).__name__}"
        )
    result = _json_value(data)
    assert isinstance(result, dict)
    return result


def _normalise(key: str) -> str:
    return key.replace("_", "").lower()


def merge_changes(current: dict[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """``current`` with ``changes`` applied: keys matched ignoring case and underscores,
    nested objects merged, lists and scalars replaced."""
    merged = dict(current)
    index = {_normalise(k): k for k in merged}
    for key, value in changes.items():
        target = index.get(_normalise(key))
        if target is None:
            target = key[:1].upper() + key[1:] if "_" not in key else _pascal(key)
            index[_normalise(target)] = target
        old = merged.get(target)
        if isinstance(old, dict) and isinstance(value, Mapping):
            merged[target] = merge_changes(old, value)
        else:
            merged[target] = value
    return merged


@cache
def _property_index(schema: str) -> dict[str, tuple[str, str | None]] | None:
    """normalised key → (the API's property name, the schema it refers to); None if unknown."""
    definition = effective_spec().get("components", {}).get("schemas", {}).get(schema)
    if not isinstance(definition, dict) or "properties" not in definition:
        return None
    index: dict[str, tuple[str, str | None]] = {}
    for name, prop in definition["properties"].items():
        target = prop.get("$ref") or (prop.get("items") or {}).get("$ref")
        index[_normalise(name)] = (name, target.rsplit("/", 1)[-1] if target else None)
    return index


def warn_unknown_keys(
    body: Mapping[str, Any], schema: str, *, path: str = "", exact: bool = True
) -> None:
    """Log a warning for each key of the caller's ``body`` that ``schema`` does not have.

    The API ignores unknown keys, so a typo (``Nmae``) or a snake_case key (``invoice_city``)
    would be lost without a word. It is still sent: the effective spec allows properties it
    does not list (the API adds some before the spec does), and the client must not refuse
    what the spec accepts. Typed code gets the error earlier, from its ``<Model>Body``.
    Only key names are logged, never values. With ``exact=False`` (an update's changes, which
    ``merge_changes`` matches ignoring case and underscores) a differently spelled name passes.
    """
    index = _property_index(schema)
    if index is None:
        return
    for key, value in body.items():
        found = index.get(_normalise(str(key)))
        if found is None or (exact and found[0] != key):
            names = [name for name, _ in index.values()]
            close = [found[0]] if found else difflib.get_close_matches(str(key), names, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            logger.warning(
                "eaccounting: %s%s is not a property of %s, the API will ignore it%s",
                path,
                key,
                schema,
                hint,
            )
            continue
        name, target = found
        if target is None:
            continue
        if isinstance(value, Mapping):
            warn_unknown_keys(value, target, path=f"{path}{name}.", exact=exact)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    warn_unknown_keys(item, target, path=f"{path}{name}[{i}].")


def _pascal(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_"))


def prepare_body(body: dict[str, Any], schema: str, *, path: str = "") -> dict[str, Any]:
    """Drop read-only properties (recursively) and validate formats and lengths."""
    rules = rules_for(schema)
    read_only = {_normalise(p) for p in rules.get("readOnly", ())}
    refs = {_normalise(k): v for k, v in rules.get("refs", {}).items()}
    max_length = {_normalise(k): v for k, v in rules.get("maxLength", {}).items()}
    formats = {_normalise(k): v for k, v in rules.get("format", {}).items()}
    types = {_normalise(k): v for k, v in rules.get("type", {}).items()}
    out: dict[str, Any] = {}
    for key, value in body.items():
        norm = _normalise(key)
        if norm in read_only:
            continue
        name = f"{path}{key}"
        if value is not None:
            _check_finite(value, name)
            _check_type(value, types.get(norm), name)
            limit = max_length.get(norm)
            if limit is not None and isinstance(value, str) and len(value) > limit:
                raise ValidationError(
                    f"{name} is {len(value)} characters long; the API allows at most {limit} "
                    f"(value starts {value[:20]!r})",
                    field=name,
                )
            fmt = formats.get(norm)
            if fmt == "uuid":
                check_guid(value, name)
            elif fmt == "date":
                value = _check_date_like(value, name)
            elif fmt == "date-time" and not _is_datetime_text(value):
                raise ValidationError(
                    f"{name}={value!r} is not a date-time (expected ISO 8601, e.g. "
                    "'2026-01-31T12:00:00Z')",
                    field=name,
                )
            target = refs.get(norm)
            if target is not None:
                if isinstance(value, dict):
                    value = prepare_body(value, target, path=f"{name}.")
                elif isinstance(value, list):
                    value = [
                        prepare_body(v, target, path=f"{name}[{i}].") if isinstance(v, dict) else v
                        for i, v in enumerate(value)
                    ]
        out[key] = value
    return out


_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float, Decimal),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def _check_finite(value: Any, name: str) -> None:
    """NaN and infinities have no JSON form: refuse them here, naming the field."""
    if isinstance(value, Decimal):
        finite = value.is_finite()
    elif isinstance(value, float):
        finite = math.isfinite(value)
    else:
        return
    if not finite:
        raise ValidationError(
            f"{name}={value!r} is not a finite number; the API accepts numbers only "
            "(amounts and quantities as Decimal or float)",
            field=name,
        )


def _check_type(value: Any, expected: str | None, name: str) -> None:
    """A ValidationError naming ``name`` if ``value`` is not of the spec's JSON type."""
    if expected is None:
        return
    allowed = _PYTHON_TYPES[expected]
    ok = isinstance(value, allowed) and not (isinstance(value, bool) and bool not in allowed)
    if expected == "integer" and isinstance(value, (float, Decimal)) and value == int(value):
        ok = True  # 3.0 is an integer in JSON
    if not ok:
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        raise ValidationError(
            f"{name}={shown} has type {type(value).__name__}; the API expects {expected}",
            field=name,
        )


def _check_date_like(value: Any, name: str) -> Any:
    # Dates may come back from a GET as "2026-01-31T00:00:00"; accept and keep those.
    if isinstance(value, str) and len(value) > 10 and _is_datetime_text(value):
        return value
    return check_date(value, name)


def _is_datetime_text(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Python < 3.11 cannot parse 7 fractional digits; trim to microseconds.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        _dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def list_params(
    *,
    filter: Filter | str | None,
    orderby: OrderBy | str | list[OrderBy | str] | tuple[OrderBy | str, ...] | None,
    select: list[str] | tuple[str, ...] | str | None,
    params: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """Query parameters for a list call."""
    query: dict[str, Any] = dict(params or {})
    if filter is not None:
        query["$filter"] = str(filter)
    if orderby is not None:
        terms = orderby if isinstance(orderby, (list, tuple)) else [orderby]
        query["$orderby"] = _orderby(*terms)
    if select is not None:
        query["$select"] = select if isinstance(select, str) else _select(*select)
    return query
