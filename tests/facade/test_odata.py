"""The OData builder: literals, operators, precedence, orderby/select."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eaccounting import F, ValidationError
from eaccounting.odata import format_literal, orderby, select


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("O'Brien", "'O''Brien'"),
        ("", "''"),
        (uuid.UUID("8f9a0b1c-2d3e-4f50-8a9b-0c1d2e3f4a5b"), "8f9a0b1c-2d3e-4f50-8a9b-0c1d2e3f4a5b"),
        (dt.date(2026, 1, 31), "2026-01-31"),
        (dt.datetime(2026, 1, 31, 12, 0, 0), "2026-01-31T12:00:00Z"),
        (
            dt.datetime(2026, 1, 31, 14, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "2026-01-31T12:00:00Z",
        ),
        (dt.datetime(2026, 1, 31, 12, 0, 0, 250000), "2026-01-31T12:00:00.250000Z"),
        (True, "true"),
        (False, "false"),
        (None, "null"),
        (42, "42"),
        (-1.5, "-1.5"),
        (Decimal("10.25"), "10.25"),
    ],
)
def test_literals(value: object, literal: str) -> None:
    assert format_literal(value) == literal  # type: ignore[arg-type]


def test_comparisons_and_functions() -> None:
    assert str(F("Name") == "x") == "Name eq 'x'"
    assert str(F("Name") != "x") == "Name ne 'x'"
    assert str(F("Amount") > 1) == "Amount gt 1"
    assert str(F("Amount") >= 1) == "Amount ge 1"
    assert str(F("Amount") < 1) == "Amount lt 1"
    assert str(F("Amount") <= 1) == "Amount le 1"
    assert str(F("Name").contains("a'b")) == "contains(Name,'a''b')"
    assert str(F("Name").startswith("Ac")) == "startswith(Name,'Ac')"
    assert str(F("Name").endswith("AB")) == "endswith(Name,'AB')"
    assert str(F("Rows/ArticleNumber") == "A1") == "Rows/ArticleNumber eq 'A1'"


def test_boolean_combinations_keep_precedence() -> None:
    a, b, c = F("A") == 1, F("B") == 2, F("C") == 3
    assert str(a & b | c) == "A eq 1 and B eq 2 or C eq 3"
    assert str(a & (b | c)) == "A eq 1 and (B eq 2 or C eq 3)"
    assert str((a | b) & c) == "(A eq 1 or B eq 2) and C eq 3"
    assert str(~(a | b)) == "not (A eq 1 or B eq 2)"
    assert str(F("A").in_([1, 2]) & c) == "(A eq 1 or A eq 2) and C eq 3"


def test_filters_refuse_python_boolean_operators() -> None:
    with pytest.raises(TypeError, match=re.escape("use & | ~ to combine filters")):
        bool(F("A") == 1)


def test_invalid_field_names_and_values() -> None:
    with pytest.raises(ValidationError, match="field name 'Name eq 1' is not a valid property"):
        F("Name eq 1")
    with pytest.raises(ValidationError, match="has unsupported type list"):
        F("A") == [1]  # type: ignore[comparison-overlap]  # noqa: B015
    with pytest.raises(ValidationError, match="contains\\(\\) on Name needs a string, got int 5"):
        F("Name").contains(5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="is not a finite number"):
        F("A") == float("nan")  # noqa: B015


def test_orderby_and_select() -> None:
    assert orderby(F("Name"), F("ChangedUtc").desc(), "Number asc") == (
        "Name,ChangedUtc desc,Number asc"
    )
    assert select("Id", F("Name")) == "Id,Name"
    with pytest.raises(ValidationError, match="direction must be asc or desc"):
        orderby("Name sideways")
    with pytest.raises(ValidationError, match="select\\(\\) needs at least one field"):
        select()


@settings(derandomize=True, max_examples=200)
@given(st.text())
def test_string_literals_round_trip(text: str) -> None:
    literal = format_literal(text)
    assert literal.startswith("'") and literal.endswith("'")
    inner = literal[1:-1]
    # Every quote inside is doubled, so no unpaired quote can end the literal early.
    assert inner.replace("''", "").count("'") == 0
    assert inner.replace("''", "'") == text
