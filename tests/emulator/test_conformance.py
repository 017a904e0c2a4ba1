"""Every operation, driven once on a fresh company, answers a response that conforms to the
effective spec (Schemathesis response checks: status code, content type, schema)."""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis

from eaccounting.testing.spec import load_spec

from .driver import Outcome, run_all


@pytest.fixture(scope="module", params=["se", "no", "nl", "fi"])
def outcomes(request: pytest.FixtureRequest) -> list[Outcome]:
    return run_all(request.param)


def test_every_response_conforms_to_the_effective_spec(outcomes: list[Outcome]) -> None:
    schema = schemathesis.openapi.from_dict(load_spec())
    failures = {}
    for outcome in outcomes:
        op = outcome.operation
        api_op = schema[op.path][op.method]
        try:
            api_op.validate_response(outcome.response)
        except Exception as exc:  # FailureGroup carries every failed check
            failures[op.operation_id] = f"{outcome.status}: {str(exc)[:300]}"
    assert failures == {}


def test_at_least_90_percent_of_operations_answer_successfully(outcomes: list[Outcome]) -> None:
    statuses = Counter(o.status // 100 for o in outcomes)
    assert len(outcomes) == 227
    assert statuses[5] == 0
    assert statuses[2] / len(outcomes) >= 0.9, {
        o.operation.operation_id: o.status for o in outcomes if o.status >= 300
    }
