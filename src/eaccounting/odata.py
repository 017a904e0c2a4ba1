"""A typed builder for ``$filter``, ``$orderby`` and ``$select``.

    from eaccounting.odata import F
    flt = (F("Name") == "O'Brien") & F("IsActive").eq(True) | F("Name").startswith("A")
    str(flt)  # "(Name eq 'O''Brien' and IsActive eq true) or startswith(Name,'A')"

Literals follow the API: strings single-quoted with ``'`` doubled; GUIDs (``uuid.UUID``)
unquoted; dates ``yyyy-MM-dd`` and datetimes ISO 8601 in UTC with ``Z``, unquoted; booleans
``true``/``false``; ``null``.
"""

from __future__ import annotations

import datetime as _dt
import re
import uuid
from collections.abc import Iterable
from decimal import Decimal

from .errors import ValidationError

__all__ = ["F", "Field", "Filter", "OrderBy", "format_literal", "orderby", "select"]

Value = str | int | float | Decimal | bool | None | uuid.UUID | _dt.date | _dt.datetime

# Used with fullmatch: a `$` anchor would also match before a trailing newline ("Name\n").
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(/[A-Za-z_][A-Za-z0-9_]*)*")


def format_literal(value: Value) -> str:
    """Render a Python value as an OData literal."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        text = value.isoformat(timespec="microseconds" if value.microsecond else "seconds")
        return f"{text}Z"
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        # Positional notation, never an exponent (1e-05 → 0.00001): a decimal literal that
        # Edm.Decimal properties accept. Floats keep their shortest round-trip digits.
        number = Decimal(repr(value)) if isinstance(value, float) else value
        if not number.is_finite():
            raise ValidationError(f"filter value {value!r} is not a finite number")
        return format(number, "f")
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise ValidationError(
        f"filter value {value!r} has unsupported type {type(value).__name__}; expected str, "
        "int, float, Decimal, bool, None, uuid.UUID, date or datetime"
    )


def _check_field(name: str) -> str:
    if not isinstance(name, str) or not _FIELD.fullmatch(name):
        raise ValidationError(
            f"field name {name!r} is not a valid property path (letters, digits, _, and / "
            "between segments)",
            field=str(name),
        )
    return name


class Filter:
    """A boolean filter expression; combine with ``&``, ``|`` and ``~``."""

    __slots__ = ("_precedence", "_text")

    def __init__(self, text: str, precedence: int = 3) -> None:
        self._text = text
        self._precedence = precedence  # 1 = or, 2 = and, 3 = atom

    def _wrap(self, minimum: int) -> str:
        return f"({self._text})" if self._precedence < minimum else self._text

    def __and__(self, other: Filter) -> Filter:
        return Filter(f"{self._wrap(2)} and {_as_filter(other)._wrap(2)}", 2)

    def __or__(self, other: Filter) -> Filter:
        return Filter(f"{self._wrap(1)} or {_as_filter(other)._wrap(1)}", 1)

    def __invert__(self) -> Filter:
        return Filter(f"not ({self._text})", 3)

    def __bool__(self) -> bool:
        raise TypeError("use & | ~ to combine filters, not and/or/not")

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"Filter({self._text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Filter) and other._text == self._text

    def __hash__(self) -> int:
        return hash(self._text)


def _as_filter(value: object) -> Filter:
    if isinstance(value, Filter):
        return value
    raise TypeError(f"cannot combine a filter with {type(value).__name__}")


class OrderBy:
    """One ``$orderby`` term."""

    __slots__ = ("descending", "field")

    def __init__(self, field: str, descending: bool = False) -> None:
        self.field = _check_field(field)
        self.descending = descending

    def __str__(self) -> str:
        return f"{self.field} desc" if self.descending else self.field

    def __repr__(self) -> str:
        return f"OrderBy({str(self)!r})"


class Field:
    """A property path; comparisons build :class:`Filter` objects."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = _check_field(name)

    def _cmp(self, op: str, value: Value) -> Filter:
        return Filter(f"{self.name} {op} {format_literal(value)}")

    def eq(self, value: Value) -> Filter:
        return self._cmp("eq", value)

    def ne(self, value: Value) -> Filter:
        return self._cmp("ne", value)

    def gt(self, value: Value) -> Filter:
        return self._cmp("gt", value)

    def ge(self, value: Value) -> Filter:
        return self._cmp("ge", value)

    def lt(self, value: Value) -> Filter:
        return self._cmp("lt", value)

    def le(self, value: Value) -> Filter:
        return self._cmp("le", value)

    def __eq__(self, value: object) -> Filter:  # type: ignore[override]
        return self.eq(value)  # type: ignore[arg-type]

    def __ne__(self, value: object) -> Filter:  # type: ignore[override]
        return self.ne(value)  # type: ignore[arg-type]

    def __gt__(self, value: Value) -> Filter:
        return self.gt(value)

    def __ge__(self, value: Value) -> Filter:
        return self.ge(value)

    def __lt__(self, value: Value) -> Filter:
        return self.lt(value)

    def __le__(self, value: Value) -> Filter:
        return self.le(value)

    __hash__ = None  # type: ignore[assignment]

    def _func(self, name: str, value: str) -> Filter:
        if not isinstance(value, str):
            raise ValidationError(
                f"{name}() on {self.name} needs a string, got {type(value).__name__} {value!r}",
                field=self.name,
            )
        return Filter(f"{name}({self.name},{format_literal(value)})")

    def contains(self, value: str) -> Filter:
        return self._func("contains", value)

    def startswith(self, value: str) -> Filter:
        return self._func("startswith", value)

    def endswith(self, value: str) -> Filter:
        return self._func("endswith", value)

    def in_(self, values: Iterable[Value]) -> Filter:
        """``Field eq a or Field eq b ...`` (portable; no OData ``in``)."""
        terms = [self.eq(v) for v in values]
        if not terms:
            raise ValidationError(f"in_() on {self.name} needs at least one value", field=self.name)
        result = terms[0]
        for term in terms[1:]:
            result = result | term
        return Filter(str(result), 1 if len(terms) > 1 else 3)

    def asc(self) -> OrderBy:
        return OrderBy(self.name)

    def desc(self) -> OrderBy:
        return OrderBy(self.name, descending=True)

    def __repr__(self) -> str:
        return f"F({self.name!r})"


F = Field


def orderby(*terms: OrderBy | Field | str) -> str:
    """Render ``$orderby``: ``orderby(F("Name"), F("ChangedUtc").desc())``."""
    parts = []
    for term in terms:
        if isinstance(term, OrderBy):
            parts.append(str(term))
        elif isinstance(term, Field):
            parts.append(term.name)
        else:
            text = term.strip()
            name, _, direction = text.partition(" ")
            if direction.strip().lower() not in ("", "asc", "desc"):
                raise ValidationError(f"orderby term {term!r}: direction must be asc or desc")
            _check_field(name)
            parts.append(text)
    if not parts:
        raise ValidationError("orderby() needs at least one field")
    return ",".join(parts)


def select(*fields: Field | str) -> str:
    """Render ``$select``: ``select("Id", "Name")``."""
    names = [f.name if isinstance(f, Field) else _check_field(f) for f in fields]
    if not names:
        raise ValidationError("select() needs at least one field")
    return ",".join(names)
