"""Server side of the OData subset Visma documents: ``$filter``, ``$orderby``, ``$select``.

Errors follow the real API: a malformed query gives 400 ErrorCode 6000 (QueryParameterError), a
malformed date/GUID literal gives 400 ErrorCode 6001 (InvalidInput). String comparison is
case-insensitive, as on Visma's SQL Server collation.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any

from .clock import parse_utc
from .errors import bad_query
from .schema import Schema, main_type

Record = dict[str, Any]
Predicate = Callable[[Record], bool]
Getter = Callable[[Record], Any]

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<str>'(?:[^']|'')*')
    | (?P<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\b
    | (?P<dt>\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)
    | (?P<date>\d{4}-\d{2}-\d{2})\b
    | (?P<num>\d+(?:\.\d+)?)\b
    | (?P<name>[A-Za-z_][A-Za-z0-9_/]*)
    | (?P<punct>[(),\-])
    )""",
    re.VERBOSE,
)
_COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le"}
_FUNCTIONS = {"contains", "startswith", "endswith"}

# Edm type names used in messages, as ASP.NET OData words them.
_EDM = {
    "string": "Edm.String",
    "uuid": "Edm.Guid",
    "date": "Edm.Date",
    "date-time": "Edm.DateTimeOffset",
    "integer": "Edm.Int32",
    "number": "Edm.Double",
    "boolean": "Edm.Boolean",
}


def _edm_of_schema(schema: Schema) -> str:
    t = main_type(schema) or "string"
    if t == "string" and schema.get("format") in ("uuid", "date", "date-time"):
        return _EDM[schema["format"]]
    return _EDM.get(t, "Edm.Untyped")


def _compatible(a: str, b: str) -> bool:
    if a == b or "null" in (a, b) or "Edm.Untyped" in (a, b):
        return True
    numeric = {"Edm.Int32", "Edm.Double"}
    temporal = {"Edm.Date", "Edm.DateTimeOffset"}
    return (a in numeric and b in numeric) or (a in temporal and b in temporal)


def _to_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if isinstance(value, str):
        try:
            return parse_utc(value)
        except ValueError:
            return None
    return None


def _norm(value: Any, edm: str) -> Any:
    """Bring a JSON value into a comparable Python value for the given Edm type."""
    if value is None:
        return None
    if edm in ("Edm.Date", "Edm.DateTimeOffset"):
        return _to_datetime(value)
    if edm == "Edm.Guid":
        return str(value).lower()
    if edm == "Edm.String":
        return str(value).casefold()
    if edm in ("Edm.Int32", "Edm.Double"):
        return float(value) if not isinstance(value, bool) else value
    return value


class _Parser:
    def __init__(self, text: str, props: Callable[[str], Schema | None]) -> None:
        self.text = text
        self.props = props
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                raise bad_query(f"Syntax error at position {pos} in '{text}'.")
            kind = m.lastgroup or ""
            self.tokens.append((kind, m.group(kind)))
            pos = m.end()
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise bad_query(f"Syntax error: unexpected end of '{self.text}'.")
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        tok = self.take()
        if tok[1] != value:
            raise bad_query(f"Syntax error: expected '{value}' but found '{tok[1]}'.")

    def keyword(self, word: str) -> bool:
        tok = self.peek()
        if tok is not None and tok[0] == "name" and tok[1] == word:
            self.i += 1
            return True
        return False

    def parse(self) -> Predicate:
        pred = self.or_()
        if self.peek() is not None:
            raise bad_query(f"Syntax error at '{self.peek()[1]}' in '{self.text}'.")  # type: ignore[index]
        return pred

    def or_(self) -> Predicate:
        left = self.and_()
        while self.keyword("or"):
            right = self.and_()
            left = (lambda a, b: lambda r: a(r) or b(r))(left, right)
        return left

    def and_(self) -> Predicate:
        left = self.not_()
        while self.keyword("and"):
            right = self.not_()
            left = (lambda a, b: lambda r: a(r) and b(r))(left, right)
        return left

    def not_(self) -> Predicate:
        if self.keyword("not"):
            inner = self.not_()
            return lambda r: not inner(r)
        return self.comparison()

    def comparison(self) -> Predicate:
        tok = self.peek()
        if tok is not None and tok[1] == "(":
            self.take()
            inner = self.or_()
            self.expect(")")
            return inner
        left, ledm = self.operand()
        op_tok = self.peek()
        if op_tok is None or op_tok[1] not in _COMPARISONS:
            if ledm == "Edm.Boolean":
                return lambda r: left(r) is True
            raise bad_query(f"Syntax error: expected a comparison operator in '{self.text}'.")
        op = self.take()[1]
        right, redm = self.operand()
        if not _compatible(ledm, redm):
            raise bad_query(
                "A binary operator with incompatible types was detected. Found operand types "
                f"'{ledm}' and '{redm}' for operator kind '{op}'."
            )
        edm = ledm if ledm not in ("null", "Edm.Untyped") else redm
        return _compare(op, left, right, edm)

    def operand(self) -> tuple[Getter, str]:
        kind, value = self.take()
        if kind == "str":
            lit: Any = value[1:-1].replace("''", "'")
            return (lambda r: lit), "Edm.String"
        if kind == "guid":
            lit = value.lower()
            return (lambda r: lit), "Edm.Guid"
        if kind in ("dt", "date"):
            try:
                parsed = parse_utc(value) if kind == "dt" else date.fromisoformat(value)
            except ValueError:
                raise bad_query(f"The value '{value}' is not a valid date.", 6001) from None
            when = _to_datetime(parsed)
            return (lambda r: when), ("Edm.DateTimeOffset" if kind == "dt" else "Edm.Date")
        if kind == "num":
            num = float(value)
            return (lambda r: num), ("Edm.Double" if "." in value else "Edm.Int32")
        if kind == "punct" and value == "-":
            inner, edm = self.operand()
            if edm not in ("Edm.Int32", "Edm.Double"):
                raise bad_query(f"Syntax error: '-' applied to {edm}.")
            return (lambda r: -inner(r) if inner(r) is not None else None), edm
        if kind == "name":
            if value in ("true", "false"):
                flag = value == "true"
                return (lambda r: flag), "Edm.Boolean"
            if value == "null":
                return (lambda r: None), "null"
            if value in _FUNCTIONS:
                return self.function(value), "Edm.Boolean"
            return self.field(value)
        raise bad_query(f"Syntax error at '{value}' in '{self.text}'.")

    def field(self, path: str) -> tuple[Getter, str]:
        schema = self.props(path)
        if schema is None:
            raise bad_query(f"Could not find a property named '{path}' on this type.")
        edm = _edm_of_schema(schema)
        parts = path.split("/")
        if len(parts) == 1:
            name = parts[0]
            return (lambda r: _norm(r.get(name), edm)), edm

        def get(r: Record) -> Any:
            cur: Any = r
            for p in parts:
                cur = cur.get(p) if isinstance(cur, dict) else None
            return _norm(cur, edm)

        return get, edm

    def function(self, name: str) -> Getter:
        self.expect("(")
        target, edm = self.operand()
        self.expect(",")
        needle, nedm = self.operand()
        self.expect(")")
        if edm != "Edm.String" or nedm != "Edm.String":
            raise bad_query(f"The function '{name}' requires string arguments.")
        method = {"contains": "__contains__", "startswith": "startswith", "endswith": "endswith"}
        attr = method[name]

        def call(r: Record) -> bool:
            hay, sub = target(r), needle(r)
            if hay is None or sub is None:
                return False
            return bool(getattr(str(hay).casefold(), attr)(str(sub).casefold()))

        return call


def _compare(op: str, left: Getter, right: Getter, edm: str) -> Predicate:
    def pred(r: Record) -> bool:
        a, b = left(r), right(r)
        if edm == "Edm.String":
            a = a.casefold() if isinstance(a, str) else a
            b = b.casefold() if isinstance(b, str) else b
        if op == "eq":
            return bool(a == b)
        if op == "ne":
            return bool(a != b)
        if a is None or b is None:
            return False
        try:
            if op == "gt":
                return bool(a > b)
            if op == "ge":
                return bool(a >= b)
            if op == "lt":
                return bool(a < b)
            return bool(a <= b)
        except TypeError:
            return False

    return pred


def compile_filter(text: str, props: Callable[[str], Schema | None]) -> Predicate:
    """Compile ``$filter`` text; ``props`` maps a property path to its schema (None if unknown)."""
    if not text.strip():
        raise bad_query("The $filter query option cannot be empty.")
    return _Parser(text, props).parse()


def compile_orderby(
    text: str, props: Callable[[str], Schema | None]
) -> list[tuple[str, bool, str]]:
    """Parse ``$orderby`` into (property, descending, edm) keys."""
    keys: list[tuple[str, bool, str]] = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise bad_query(f"Syntax error in $orderby '{text}'.")
        schema = props(words[0])
        if schema is None:
            raise bad_query(f"Could not find a property named '{words[0]}' on this type.")
        keys.append((words[0], len(words) == 2 and words[1] == "desc", _edm_of_schema(schema)))
    return keys


def apply_orderby(records: list[Record], keys: list[tuple[str, bool, str]]) -> list[Record]:
    """Stable multi-key sort; nulls sort first ascending (as SQL Server does)."""
    out = list(records)

    def sort_key(name: str, edm: str) -> Callable[[Record], tuple[int, Any]]:
        return lambda r: (0, 0) if r.get(name) is None else (1, _norm(r.get(name), edm))

    for name, desc, edm in reversed(keys):
        out.sort(key=sort_key(name, edm), reverse=desc)
    return out


def compile_select(text: str, props: Callable[[str], Schema | None]) -> list[str]:
    """Parse ``$select`` into property names."""
    names = [n.strip() for n in text.split(",")]
    for name in names:
        if not name or props(name) is None:
            raise bad_query(f"Could not find a property named '{name}' on this type.")
    return names


def guid_or_none(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None
