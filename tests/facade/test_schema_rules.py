"""Write rules (read-only names, formats, lengths) are derived at run time from the spec."""

from __future__ import annotations

from typing import Any

import pytest

from eaccounting import _write_rules as _rules
from eaccounting._bodies import rules_for
from eaccounting._spec import OperationIndex, operation_index

pytest.importorskip("eaccounting_api")


def test_rules_come_from_the_packaged_effective_spec(effective_spec: dict[str, Any]) -> None:
    # The packaged spec is the build's effective spec, and nothing derived is committed.
    assert operation_index().spec == effective_spec
    assert _rules.rules() == _rules.build_rules(OperationIndex(effective_spec))
    assert _rules.rules() is _rules.rules()  # derived once, cached


def test_rules_know_the_customer_read_only_fields() -> None:
    rules = rules_for("CustomerApi")
    assert {"Id", "ChangedUtc", "UnpaidInvoicesAmount", "Notes"} <= set(rules["readOnly"])
    assert rules["maxLength"]["Name"] == 50
    assert rules["format"]["TermsOfPaymentId"] == "uuid"


def test_rules_follow_refs_and_record_single_json_types() -> None:
    spec = {
        "components": {
            "schemas": {
                "Parent": {
                    "properties": {
                        "Child": {"anyOf": [{"$ref": "#/components/schemas/Child"}]},
                        "Rows": {"type": "array", "items": {"$ref": "#/components/schemas/Row"}},
                        "When": {"type": ["string", "null"], "format": "date"},
                        "Code": {"type": "string", "maxLength": 3, "readOnly": True},
                    }
                },
                "Loose": {"properties": {"X": {"type": ["integer", "string"]}}},
            }
        }
    }
    assert _rules.build_rules(OperationIndex(spec)) == {
        "Parent": {
            "readOnly": ["Code"],
            "refs": {"Child": "Child", "Rows": "Row"},
            "maxLength": {"Code": 3},
            "format": {"When": "date"},
            "type": {"Child": "object", "Rows": "array", "When": "string", "Code": "string"},
        }
    }
