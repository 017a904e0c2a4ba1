"""Issue 8 §4: obviously wrong input fails before any request, with an error naming the field.

The rules come from the effective spec at run time (``eaccounting._write_rules``): every
string over its ``maxLength``, every malformed GUID, date and date-time, and every value of the
wrong JSON type in every writable property of every schema is refused by ``prepare_body``; and
the resource methods refuse bad ids, dates, bodies and paging before the emulator sees a thing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eaccounting import ValidationError
from eaccounting._bodies import prepare_body
from eaccounting._write_rules import rules
from eaccounting.testing import Emulator

from .conftest import count_requests

WRONG_TYPE: dict[str, Any] = {
    "string": 12345,
    "integer": "12",
    "number": "12.5",
    "boolean": "true",
    "array": {"not": "a list"},
    "object": ["not", "an", "object"],
}
BAD_FORMAT: dict[str, list[Any]] = {
    "uuid": ["not-a-guid", "0b6a2c6e-5a4f-4c0e-9d1b", "{0b6a2c6e-5a4f-4c0e-9d1b-2f3a4b5c6d7e}"],
    "date": ["2026-02-30", "31/01/2026", "2026-1-5", "yesterday"],
    "date-time": ["2026-01-31 25:00", "not a time", "2026-13-01T00:00:00Z"],
}


def _cases() -> list[tuple[str, str, str, Any]]:
    """(schema, property, kind, bad value) for every writable property with a rule."""
    cases: list[tuple[str, str, str, Any]] = []
    for schema, entry in rules().items():
        read_only = set(entry.get("readOnly", ()))
        for prop, limit in entry.get("maxLength", {}).items():
            if prop not in read_only:
                cases.append((schema, prop, "maxLength", "x" * (limit + 1)))
        for prop, fmt in entry.get("format", {}).items():
            if prop not in read_only:
                cases.extend((schema, prop, f"format {fmt}", bad) for bad in BAD_FORMAT[fmt])
        for prop, json_type in entry.get("type", {}).items():
            if prop not in read_only:
                cases.append((schema, prop, f"type {json_type}", WRONG_TYPE[json_type]))
    return cases


def test_every_rule_of_every_schema_refuses_bad_values(figures: dict[str, Any]) -> None:
    cases = _cases()
    kinds: dict[str, int] = {}
    for schema, prop, kind, bad in cases:
        with pytest.raises(ValidationError) as info:
            prepare_body({prop: bad}, schema)
        assert info.value.field == prop, (schema, prop, kind)
        assert str(info.value).startswith(prop), (schema, prop, kind)
        group = kind.split()[0] if kind == "maxLength" else kind
        kinds[group] = kinds.get(group, 0) + 1
    assert len(cases) > 1000
    figures.update(
        cases=len(cases), schemas=len({c[0] for c in cases}), by_kind=dict(sorted(kinds.items()))
    )


def test_good_values_pass_the_same_rules() -> None:
    body = {
        "Name": "x" * 50,  # exactly maxLength
        "TermsOfPaymentId": str(uuid.uuid4()),
        "IsActive": True,
        "InvoiceCity": "Stockholm",
    }
    assert prepare_body(body, "CustomerApi") == body
    row = {"Text": "ok", "Quantity": 2, "UnitPrice": 10.5, "ArticleId": str(uuid.uuid4())}
    assert prepare_body({"InvoiceDate": "2026-01-31", "Rows": [row]}, "CustomerInvoiceDraftApi")


@settings(derandomize=True, database=None, max_examples=200, deadline=None)
@given(st.integers(1, 500), st.sampled_from(["Name", "InvoiceCity", "EmailAddress", "Telephone"]))
def test_strings_are_refused_exactly_above_max_length(extra: int, prop: str) -> None:
    limit = rules()["CustomerApi"]["maxLength"][prop]
    assert prepare_body({prop: "é" * limit}, "CustomerApi") == {prop: "é" * limit}
    with pytest.raises(ValidationError, match=rf"^{prop} is {limit + extra} characters long"):
        prepare_body({prop: "é" * (limit + extra)}, "CustomerApi")


# -- through the resources: nothing reaches the emulator -----------------------------------------

GUID = "0b6a2c6e-5a4f-4c0e-9d1b-2f3a4b5c6d7e"
BAD_DAY = "2026-02-30"
ID = "customer_id"


@pytest.fixture
def emu_and_seen() -> Any:
    emu = Emulator("se")
    client = emu.client()
    seen = count_requests(emu)
    yield client, seen
    client.close()


BAD_CALLS: list[tuple[str, Any, str]] = [
    ("customer name too long", lambda c: c.customers.create({"Name": "x" * 51}), "Name"),
    ("customer name not a string", lambda c: c.customers.create({"Name": 42}), "Name"),
    ("is_active not a boolean", lambda c: c.customers.create({"IsActive": "yes"}), "IsActive"),
    (
        "terms id malformed",
        lambda c: c.customers.create({"Name": "A", "TermsOfPaymentId": "1234"}),
        "TermsOfPaymentId",
    ),
    (
        "nested row text too long",
        lambda c: c.customer_invoice_drafts.create(
            {"CustomerId": GUID, "Rows": [{"Text": "ok"}, {"Text": "x" * 2001}]}
        ),
        "Rows[1].Text",
    ),
    (
        "nested row quantity not a number",
        lambda c: c.customer_invoice_drafts.create(
            {"CustomerId": GUID, "Rows": [{"Quantity": "two"}]}
        ),
        "Rows[0].Quantity",
    ),
    (
        "invoice date impossible",
        lambda c: c.customer_invoice_drafts.create({"CustomerId": GUID, "InvoiceDate": BAD_DAY}),
        "InvoiceDate",
    ),
    ("rows not a list", lambda c: c.customer_invoice_drafts.create({"Rows": "r"}), "Rows"),
    ("get with a malformed id", lambda c: c.customers.get("42"), ID),
    ("delete with a malformed id", lambda c: c.customers.delete("'; DROP TABLE"), ID),
    ("update with a malformed id", lambda c: c.customers.update(None, {"Name": "A"}), ID),
    ("balance on a bad date", lambda c: list(c.account_balances.iterate("2026-13-01")), "date"),
    ("balance on a non-date", lambda c: list(c.account_balances.iterate(20260131)), "date"),
    ("page size zero", lambda c: c.customers.list(page_size=0), "page_size"),
    ("page size not an int", lambda c: c.customers.list(page_size="50"), "page_size"),
    ("orderby on an injected field name", lambda c: c.customers.list(orderby="Name;drop"), None),
    ("body not a mapping", lambda c: c.customers.create(["Name", "A"]), None),
]


@pytest.mark.parametrize(("what", "call", "field"), BAD_CALLS, ids=[c[0] for c in BAD_CALLS])
def test_bad_input_fails_before_any_request(
    emu_and_seen: Any, what: str, call: Any, field: str | None
) -> None:
    client, seen = emu_and_seen
    with pytest.raises(ValidationError) as info:
        call(client)
    assert sum(seen.values()) == 0, f"{what}: a request was sent"
    if field is not None:
        assert info.value.field == field
        assert field in str(info.value)


def test_python_values_are_converted_not_refused(emu_and_seen: Any) -> None:
    """uuid.UUID and date objects are what the caller means: they convert, not fail."""
    client, _ = emu_and_seen
    terms = client.terms_of_payment.list().items[0]
    created = client.customers.create(
        {
            "Name": "Typed AB",
            "InvoiceCity": "Stockholm",
            "InvoicePostalCode": "11122",
            "TermsOfPaymentId": uuid.UUID(str(terms.id)),
            "IsPrivatePerson": False,
            "IsActive": True,
        }
    )
    assert created.name == "Typed AB"
    assert list(client.account_balances.iterate(dt.date(2026, 1, 31)))
