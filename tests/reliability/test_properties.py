"""Issue 8 §4: property-based tests (Hypothesis, derandomized) over the OData builder and the
error parser.

OData: whatever a value contains (quotes, parentheses, operators, keywords), the builder's
filter means exactly what the caller built. The check is a round trip: the emulator's OData
parser compiles the text and must evaluate it like a Python reference evaluation of the same
tree, and a value can never widen a filter.

Errors: whatever status, content type and body an error response carries, the parser returns
a typed APIError with a printable message; it never raises.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eaccounting import APIError, F, Filter, RateLimitError, ServerError, ValidationError
from eaccounting.errors import FieldError, error_from_response
from eaccounting.testing import Emulator
from eaccounting.testing.errors import VismaError
from eaccounting.testing.odata import compile_filter

SETTINGS = settings(
    derandomize=True,
    database=None,
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# -- OData: a random filter tree, rendered by the builder, compiled by the emulator -----------

SCHEMAS: dict[str, dict[str, Any]] = {
    "Name": {"type": "string"},
    "Number": {"type": "integer"},
    "Amount": {"type": "number"},
    "Active": {"type": "boolean"},
    "Id": {"type": "string", "format": "uuid"},
    "Day": {"type": "string", "format": "date"},
}
NASTY = "'\"() ,/\\-+*%&=?#;:eqnotrandlgcsw$@[]{}\n\t"
TEXT = st.one_of(
    st.text(alphabet=NASTY, max_size=12),
    st.text(max_size=12).filter(lambda s: "\x00" not in s),
    st.sampled_from(
        [
            "x' or Name ne 'y",
            "') or true or ('",
            "' eq '",
            "O'Brien",
            "''",
            "'",
            "a) or (Number gt -1",
            "contains(Name,'a')",
            "not",
            "null",
        ]
    ),
)
DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "Name": TEXT,
    "Number": st.integers(-(10**6), 10**6),
    "Amount": st.one_of(
        st.integers(-(10**6), 10**6).map(lambda n: n / 4),
        st.floats(allow_nan=False, allow_infinity=False),  # 1e-05, 1e+300: no exponent sent
    ),
    "Active": st.booleans(),
    "Id": st.uuids(),
    "Day": DAYS,
}
OPS = ["eq", "ne", "gt", "ge", "lt", "le"]

Tree = tuple[Any, ...]


def _leaf(field: str) -> st.SearchStrategy[Tree]:
    values = VALUES[field]
    ops = ["eq", "ne"] if field in ("Active", "Id") else OPS
    comparisons = st.tuples(st.just("cmp"), st.just(field), st.sampled_from(ops), values)
    if field != "Name":
        return comparisons
    functions = st.tuples(
        st.just("fn"), st.just(field), st.sampled_from(["contains", "startswith", "endswith"]), TEXT
    )
    return st.one_of(comparisons, functions)


LEAVES = st.sampled_from(sorted(SCHEMAS)).flatmap(_leaf)


def _combine(sub: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    return st.one_of(
        st.tuples(st.just("and"), sub, sub),
        st.tuples(st.just("or"), sub, sub),
        st.tuples(st.just("not"), sub),
    )


TREES = st.recursive(LEAVES, _combine, max_leaves=6)
RECORDS = st.fixed_dictionaries(
    {name: st.one_of(st.none(), strategy) for name, strategy in VALUES.items()}
)


def build(tree: Tree) -> Filter:
    kind = tree[0]
    if kind == "cmp":
        _, field, op, value = tree
        return getattr(F(field), op)(value)  # type: ignore[no-any-return]
    if kind == "fn":
        _, field, fn, value = tree
        return getattr(F(field), fn)(value)  # type: ignore[no-any-return]
    if kind == "and":
        return build(tree[1]) & build(tree[2])
    if kind == "or":
        return build(tree[1]) | build(tree[2])
    return ~build(tree[1])


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return value.casefold()  # Visma's collation is case-insensitive
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return value


def evaluate(tree: Tree, record: dict[str, Any]) -> bool:
    """What the tree means, evaluated in Python without any OData text."""
    kind = tree[0]
    if kind == "cmp":
        _, field, op, value = tree
        a, b = _norm(record[field]), _norm(value)
        if op == "eq":
            return bool(a == b)
        if op == "ne":
            return bool(a != b)
        if a is None:
            return False
        return {"gt": a > b, "ge": a >= b, "lt": a < b, "le": a <= b}[op]  # type: ignore[no-any-return]
    if kind == "fn":
        _, field, fn, value = tree
        hay = record[field]
        if hay is None:
            return False
        method = {"contains": "__contains__", "startswith": "startswith", "endswith": "endswith"}
        return bool(getattr(hay.casefold(), method[fn])(value.casefold()))
    if kind == "and":
        return evaluate(tree[1], record) and evaluate(tree[2], record)
    if kind == "or":
        return evaluate(tree[1], record) or evaluate(tree[2], record)
    return not evaluate(tree[1], record)


def as_json(record: dict[str, Any]) -> dict[str, Any]:
    """The record as the API would hold it (GUIDs and dates as strings)."""
    out = {}
    for key, value in record.items():
        if isinstance(value, uuid.UUID):
            value = str(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[key] = value
    return out


@SETTINGS
@given(TREES, st.lists(RECORDS, min_size=1, max_size=4))
def test_built_filters_mean_what_was_built(tree: Tree, records: list[dict[str, Any]]) -> None:
    text = str(build(tree))
    predicate = compile_filter(text, SCHEMAS.get)  # parses: no value broke the syntax
    for record in records:
        assert predicate(as_json(record)) == evaluate(tree, record), text


@SETTINGS
@given(TEXT, TEXT)
def test_a_value_never_widens_a_filter(wanted: str, other: str) -> None:
    """``Name eq <value>`` matches only records whose name is the value, whatever it holds."""
    predicate = compile_filter(str(F("Name") == wanted), SCHEMAS.get)
    assert predicate({"Name": wanted})
    assert predicate({"Name": other}) == (other.casefold() == wanted.casefold())
    guarded = (F("Name") == wanted) & (F("Number") == -1)
    assert not compile_filter(str(guarded), SCHEMAS.get)({"Name": wanted, "Number": 1})


@SETTINGS
@given(st.text(max_size=30))
def test_field_names_are_refused_or_plain_paths(name: str) -> None:
    try:
        field = F(name)
    except ValidationError as exc:
        assert exc.field == name
        return
    text = str(field == 1)
    assert text == f"{name} eq 1"
    # A valid name is a path of identifiers: never an operator, literal or parenthesis.
    assert all(part.isidentifier() for part in name.split("/")), name


_EMULATOR: list[Any] = []


def _shared_client() -> tuple[Emulator, Any]:
    if not _EMULATOR:
        emu = Emulator("se", rate_limit=None)
        _EMULATOR.extend([emu, emu.client()])
    return _EMULATOR[0], _EMULATOR[1]


NAMES = st.one_of(
    st.text(alphabet=NASTY.replace("\n", "").replace("\t", ""), min_size=1, max_size=20),
    st.text(
        alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_categories=["Cs"]),
        min_size=1,
        max_size=20,
    ),
)


@settings(SETTINGS, max_examples=100)
@given(NAMES)
def test_names_round_trip_through_the_emulator_over_http(name: str) -> None:
    """End to end: create a customer with the name, then filter on it through the client."""
    emu, client = _shared_client()
    terms = emu.core.company.coll("termsofpayments")
    created = client.customers.create(
        {
            "Name": name,
            "InvoiceCity": "Stockholm",
            "InvoicePostalCode": "11122",
            "TermsOfPaymentId": next(iter(terms)),
            "IsPrivatePerson": False,
            "IsActive": True,
        }
    )
    found = client.customers.list(filter=F("Name") == name, page_size=1000).items
    assert created.id in {c.id for c in found}
    assert all(c.name.casefold() == name.casefold() for c in found)
    fragment = name[len(name) // 2 :]
    contains = client.customers.list(filter=F("Name").contains(fragment), page_size=1000).items
    assert created.id in {c.id for c in contains}


# -- the error parser ---------------------------------------------------------------------------


def _containers(sub: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(sub, max_size=3) | st.dictionaries(st.text(max_size=8), sub, max_size=3)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    _containers,
    max_leaves=8,
)
FIELD_KEYS = ["Field", "ErrorCode", "Message", "Key"]
KEYS = ["ErrorCode", "errorCode", "DeveloperErrorMessage", "ErrorId", "Errors", "errors"]
VISMA_LIKE = st.dictionaries(
    st.sampled_from(KEYS),
    st.one_of(
        JSON_VALUES,
        st.lists(st.dictionaries(st.sampled_from(FIELD_KEYS), JSON_VALUES)),
        st.just("API calls quota exceeded! Try again in 55 seconds."),
    ),
)
BODIES = st.one_of(
    st.binary(max_size=200),
    VISMA_LIKE.map(lambda d: json.dumps(d).encode()),
    JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.just(b"<html><body>502 Bad Gateway</body></html>"),
)
CONTENT_TYPES = st.sampled_from(
    [
        None,
        "application/json;charset=UTF-8",
        "application/json",
        "text/html",
        "text/plain; charset=latin-1",
        "application/problem+json",
        "application/octet-stream",
        "application/json; charset=utf-16",
        "nonsense/;;;",
    ]
)
STATUSES = st.integers(400, 599)
RETRY_AFTER = st.one_of(st.none(), st.text(max_size=30), st.integers(-5, 10**6).map(str))


@SETTINGS
@given(STATUSES, CONTENT_TYPES, BODIES, RETRY_AFTER)
def test_the_error_parser_never_crashes(
    status: int, content_type: str | None, body: bytes, retry_after: str | None
) -> None:
    headers = {}
    if content_type is not None:
        headers["Content-Type"] = content_type
    if retry_after is not None:
        headers["Retry-After"] = retry_after.encode("ascii", "ignore").decode().strip() or "x"
    request = httpx.Request("GET", "https://eaccountingapi.vismaonline.com/v2/customers")
    response = httpx.Response(status, headers=headers, content=body, request=request)

    error = error_from_response(response)

    assert isinstance(error, APIError)
    assert error.status == status
    assert isinstance(str(error), str) and str(error).startswith(str(status))
    assert repr(error)
    assert error.error_code is None or isinstance(error.error_code, int)
    assert all(isinstance(e, FieldError) for e in error.errors)
    if status == 429:
        assert isinstance(error, RateLimitError)
        assert error.retry_after is None or error.retry_after >= 0
    elif status >= 500:
        assert isinstance(error, ServerError)


@settings(SETTINGS, max_examples=100)
@given(STATUSES.filter(lambda s: s != 401), CONTENT_TYPES, BODIES)
def test_the_client_raises_only_typed_errors_for_any_error_response(
    status: int, content_type: str | None, body: bytes
) -> None:
    from eaccounting import Client, RetryPolicy

    headers = {"Content-Type": content_type} if content_type else {}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=headers, content=body)

    client = Client(
        access_token="static",
        base_url="https://visma.test/v2",
        transport=httpx.MockTransport(handler),
        retry=RetryPolicy(max_retries=0),
    )
    with pytest.raises(APIError) as info:
        client.get_json("/customers")
    assert info.value.status == status
    client.close()


def test_visma_error_bodies_parse_fully() -> None:
    """Sanity anchor for the properties above: the documented envelope, parsed."""
    body = VismaError(400, 2000, "Name is required").body("8d2c5f0e-4c1a-4b7e-9a51-1f0b7c3d2e10")
    body["Errors"] = [{"Field": "Name", "ErrorCode": "Required", "Message": "x", "Key": None}]
    request = httpx.Request("POST", "https://visma.test/v2/customers")
    error = error_from_response(httpx.Response(400, json=body, request=request))
    assert error.error_code == 2000
    assert error.errors[0].field == "Name"
    assert "ErrorId 8d2c5f0e" in str(error)
