"""The emulator takes formats and nullability from the effective spec, not from literals."""

from __future__ import annotations

import copy
from typing import Any

from eaccounting._spec import effective_spec
from eaccounting.testing import Emulator
from eaccounting.testing.schema import conform_format, nullable
from eaccounting.testing.spec import SpecIndex

from .conftest import api_client


def _settings(spec: dict[str, Any]) -> dict[str, Any]:
    with Emulator(region="se", spec=SpecIndex(spec)) as emu, api_client(emu) as api:
        settings = api.get("/companysettings").json()
        response = api.put(
            "/companysettings/accountinglocksettings",
            json={"AccountingLockedAsOf": {"Year": 2025, "Month": 2}},
        )
        assert response.status_code == 200, response.text
        return {"seeded": settings, "locked": api.get("/companysettings").json()}


def _lock_format(spec: dict[str, Any]) -> str:
    return str(
        spec["components"]["schemas"]["CompanySettingsApi"]["properties"]["AccountingLockedTo"][
            "format"
        ]
    )


def test_accounting_locked_to_takes_the_format_the_spec_declares() -> None:
    pinned = copy.deepcopy(effective_spec())
    as_date = copy.deepcopy(pinned)
    prop = as_date["components"]["schemas"]["CompanySettingsApi"]["properties"][
        "AccountingLockedTo"
    ]
    prop["format"] = "date-time" if _lock_format(pinned) == "date" else "date"
    for spec in (pinned, as_date):
        got = _settings(spec)
        fmt = _lock_format(spec)
        seeded, locked = got["seeded"]["AccountingLockedTo"], got["locked"]["AccountingLockedTo"]
        if fmt == "date":
            assert (seeded, locked) == ("2025-01-01", "2025-02-28")
        else:
            assert (seeded, locked) == ("2025-01-01T00:00:00Z", "2025-02-28T00:00:00Z")


def test_format_conformance_and_both_nullability_spellings() -> None:
    assert conform_format("2026-01-15T00:00:00Z", "date") == "2026-01-15"
    assert conform_format("2026-01-15", "date-time") == "2026-01-15T00:00:00Z"
    assert conform_format("2026-01-15", "date") == "2026-01-15"
    assert conform_format("not a date", "date-time") == "not a date"
    assert nullable({"type": ["string", "null"]}) and nullable({"type": "string", "nullable": True})
    assert not nullable({"type": "string"})


def test_every_response_date_takes_the_declared_form() -> None:
    spec = copy.deepcopy(effective_spec())
    props = spec["components"]["schemas"]["ProjectApi"]["properties"]
    assert props["StartDate"]["format"] == "date"  # the pinned spec: a day
    props["StartDate"]["format"] = "date-time"  # a new upstream release: a moment
    with Emulator(region="se", spec=SpecIndex(spec)) as emu, api_client(emu) as api:
        created = api.post("/projects", json={"Name": "P", "Number": "P1", "Status": 1})
        assert created.status_code == 201, created.text
        assert created.json()["StartDate"] == "2026-01-15T00:00:00Z"
        listed = api.get("/projects").json()["Data"]
        assert [p["StartDate"] for p in listed if p["Number"] == "P1"] == ["2026-01-15T00:00:00Z"]
    with Emulator(region="se") as emu, api_client(emu) as api:
        created = api.post("/projects", json={"Name": "P", "Number": "P1", "Status": 1})
        assert created.json()["StartDate"] == "2026-01-15"


def test_the_response_pass_conforms_nested_dates_set_after_shaping() -> None:
    from eaccounting.testing.schema import Conformer, Schemas

    schemas = Schemas(
        {
            "Row": {"type": "object", "properties": {"Day": {"type": "string", "format": "date"}}},
            "Doc": {
                "type": "object",
                "properties": {
                    "PaidUtc": {"type": ["string", "null"], "format": "date-time"},
                    "Rows": {"type": "array", "items": {"$ref": "#/components/schemas/Row"}},
                    "Days": {"type": "array", "items": {"type": "string", "format": "date"}},
                    "Note": {"type": "string"},
                },
            },
        }
    )
    doc = {
        "PaidUtc": "2026-03-01",
        "Rows": [{"Day": "2026-03-02T00:00:00Z"}, {"Day": None}],
        "Days": ["2026-03-03T10:00:00Z"],
        "Note": "2026-03-04",
    }
    page = {"type": "array", "items": {"$ref": "#/components/schemas/Doc"}}
    assert Conformer(schemas).conform(page, [doc]) == [
        {
            "PaidUtc": "2026-03-01T00:00:00Z",
            "Rows": [{"Day": "2026-03-02"}, {"Day": None}],
            "Days": ["2026-03-03"],
            "Note": "2026-03-04",  # not a date field: left as written
        }
    ]
