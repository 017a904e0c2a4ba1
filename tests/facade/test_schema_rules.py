"""schema_rules.json (read-only names, formats, lengths) matches the effective spec."""

from __future__ import annotations

from typing import Any

from eaccounting.resources import build_rules
from eaccounting.resources._base import rules_for


def test_committed_rules_match_the_effective_spec(effective_spec: dict[str, Any]) -> None:
    expected = build_rules.render(effective_spec)
    actual = build_rules.RULES_FILE.read_text(encoding="utf-8")
    assert actual == expected, (
        "schema_rules.json is stale: run "
        "`python -m eaccounting.resources.build_rules generated/openapi.json`"
    )


def test_rules_know_the_customer_read_only_fields() -> None:
    rules = rules_for("CustomerApi")
    assert {"Id", "ChangedUtc", "UnpaidInvoicesAmount", "Notes"} <= set(rules["readOnly"])
    assert rules["maxLength"]["Name"] == 50
    assert rules["format"]["TermsOfPaymentId"] == "uuid"
