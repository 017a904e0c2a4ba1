"""Every operation, driven once on a fresh company, answers a response that conforms to the
effective spec (Schemathesis response checks: status code, content type, schema)."""

from __future__ import annotations

import httpx
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


def test_every_operation_succeeds_except_region_gated_ones(outcomes: list[Outcome]) -> None:
    from eaccounting.testing.regions import GATED
    from eaccounting.testing.spec import default_index

    region = _region_of(outcomes)
    failing = {o.operation.operation_id: o.status for o in outcomes if o.status >= 300}
    gated = {op: 403 for op, regions in GATED.items() if region not in regions}
    total = len(default_index().operations)  # every operation of the pinned spec
    assert len(outcomes) == total
    assert failing == gated
    assert (total - len(gated)) / total >= 0.9


def _region_of(outcomes: list[Outcome]) -> str:
    settings = next(o for o in outcomes if o.operation.operation_id == "get_company_settings")
    return str(settings.response.json()["CountryCode"]).lower()


def test_error_responses_conform_too() -> None:
    from eaccounting.testing import Emulator, ManualClock

    from .conftest import api_client

    schema = schemathesis.openapi.from_dict(load_spec())
    clock = ManualClock()
    emu = Emulator(region="se", clock=clock)
    api = api_client(emu)
    readonly = api_client(emu, ("ea:api", "ea:sales_readonly"))
    anonymous = httpx.Client(transport=emu.transport(), base_url=emu.base_url)
    responses = [
        ("/customers", "GET", api.get("/customers", params={"$filter": "Nope eq 1"})),
        ("/customers", "POST", api.post("/customers", json={"Name": 5})),
        (
            "/customers/{customerId}",
            "GET",
            api.get("/customers/6f1c2a52-4d0e-4a47-a3cd-8c3bd25a1c11"),
        ),
        ("/customers", "GET", anonymous.get("/customers")),
        ("/customers", "POST", readonly.post("/customers", json={})),
        ("/accounts/standardaccounts", "GET", api.get("/accounts/standardaccounts")),
    ]
    for _ in range(600):
        api.get("/units")
    responses.append(("/units", "GET", api.get("/units")))
    assert [r.status_code for _, _, r in responses] == [400, 400, 404, 401, 403, 403, 429]
    for path, method, response in responses:
        schema[path][method].validate_response(response)
