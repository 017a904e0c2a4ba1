"""Issue 16 item 8 (input): OData field names and GUIDs are matched whole.

A ``$`` anchor also matches before a trailing newline, so ``F("Name\\n")`` went out in a
``$filter``; optional dashes let odd GUID layouts through into URL paths. A GUID is accepted
in the 8-4-4-4-12 form only (the form the API writes and the spec's ``format: uuid`` means),
in either case; 32 bare hex digits, braces and misplaced dashes are refused before any request.
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from eaccounting import Client, F, ValidationError
from eaccounting._bodies import check_guid

GOOD = "d4c8d5c5-4f7b-4a8e-9c3e-0e1f2a3b4c5d"


@pytest.mark.parametrize("name", ["Name\n", "Name\r\n", "Name ", "Invoice/Rows\n", "\nName"])
def test_a_field_name_with_a_trailing_or_leading_break_is_refused(name: str) -> None:
    with pytest.raises(ValidationError) as caught:
        F(name)
    assert caught.value.field == name
    assert str(caught.value) == (
        f"field name {name!r} is not a valid property path (letters, digits, _, and / "
        "between segments)"
    )


def test_good_field_paths_still_work() -> None:
    assert str(F("Invoice/Name") == "x") == "Invoice/Name eq 'x'"


@pytest.mark.parametrize(
    "value",
    [
        "d4c8d5c54f7b4a8e9c3e0e1f2a3b4c5d",  # 32 digits, no dashes
        "d4c8d5c5-4f7b4a8e-9c3e-0e1f2a3b4c5d",  # one dash missing
        "d4c8d5c5-4f7b-4a8e-9c3e0e1f-2a3b4c5d",  # a dash moved
        "d4c8-d5c5-4f7b-4a8e-9c3e-0e1f2a3b4c5d",  # one dash too many
        f"{{{GOOD}}}",  # braces
        f"{GOOD}\n",  # trailing newline
        f" {GOOD}",
        "g4c8d5c5-4f7b-4a8e-9c3e-0e1f2a3b4c5d",  # not hex
    ],
)
def test_odd_guid_layouts_are_refused(value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_guid(value, "customer_id")
    assert caught.value.field == "customer_id"
    assert str(caught.value) == (
        f"customer_id={value!r} is not a GUID (expected 32 hex digits as 8-4-4-4-12, e.g. "
        "'d4c8d5c5-4f7b-4a8e-9c3e-0e1f2a3b4c5d')"
    )


@pytest.mark.parametrize("value", [GOOD, GOOD.upper(), uuid.UUID(GOOD)])
def test_the_canonical_form_is_accepted(value: object) -> None:
    assert check_guid(value, "customer_id").lower() == GOOD


def test_the_facade_refuses_an_odd_guid_before_sending() -> None:
    sent: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    client = Client(access_token="t", transport=httpx.MockTransport(reply))
    with pytest.raises(ValidationError, match="is not a GUID"):
        client.customers.get("d4c8d5c54f7b-4a8e-9c3e-0e1f2a3b4c5d")
    assert sent == []
