"""overlays/decisions.toml: read strictly, every mistake named with its entry and the fix."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from spec.decisions import Decisions, DecisionsError, operation_key


def test_the_committed_decisions_load_and_name_operations_by_method_and_path() -> None:
    decisions = Decisions.load()
    assert decisions.operations[("/customers", "get")] == "list_customers"
    assert operation_key("/customers", "get") == "GET /customers"
    assert all(reason.strip() for reason in decisions.removed.values())
    names = list(decisions.operations.values())
    assert len(names) == len(set(names))
    assert set(decisions.optional_on_write["CustomerInvoiceApi"]) == {
        "EuThirdParty",
        "RotReducedInvoicingType",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"operations": {"GET customers": "list_customers"}},
            'd [operations] \'GET customers\': expected "METHOD /path", e.g. "GET /customers"',
        ),
        (
            {"operations": {"GET /customers": "ListCustomers"}},
            "d [operations] GET /customers = 'ListCustomers': expected a snake_case operationId "
            "such as 'list_customers'",
        ),
        (
            {"operations": {"GET /a": "list_a", "GET /b": "list_a"}},
            "d [operations]: operationId(s) list_a given to more than one operation; "
            "each name must be unique",
        ),
        (
            {"removed": {"GET /warmup": ""}},
            "d [removed] GET /warmup = '': expected a one-line reason for leaving it out",
        ),
        (
            {"operations": {"GET /a": "list_a"}, "removed": {"GET /a": "internal"}},
            "d: GET /a is both named and removed; keep one",
        ),
        (
            {"optional_on_write": {"CustomerInvoiceApi": ["EuThirdParty"]}},
            "d [optional_on_write.CustomerInvoiceApi] = ['EuThirdParty']: expected a table of "
            'property = "the evidence that a write may leave it out"',
        ),
        (
            {"optional_on_write": {"CustomerInvoiceApi": {"EuThirdParty": " "}}},
            "d [optional_on_write.CustomerInvoiceApi] EuThirdParty = ' ': expected a one-line "
            "reason (the evidence)",
        ),
    ],
)
def test_malformed_decisions_are_refused_naming_entry_value_and_expectation(
    data: dict[str, Any], message: str
) -> None:
    with pytest.raises(DecisionsError, match=re.escape(message)):
        Decisions.from_mapping(data, source="d")


def test_a_file_that_is_not_toml_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "decisions.toml"
    path.write_text('[operations]\n"GET /a" = list_a\n')
    with pytest.raises(DecisionsError, match=r"^decisions\.toml: not valid TOML: "):
        Decisions.load(path)
