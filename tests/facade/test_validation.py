"""Client-side validation of write bodies (rules from the packaged effective spec)."""

from __future__ import annotations

import pytest

from eaccounting import ValidationError
from eaccounting._bodies import check_date, check_guid, merge_changes, prepare_body

GUID = "0b6a2c6e-5a4f-4c0e-9d1b-2f3a4b5c6d7e"


def test_nested_rows_are_validated_with_their_path() -> None:
    body = {"CustomerId": GUID, "Rows": [{"Text": "ok"}, {"Text": "x" * 2001}]}
    with pytest.raises(ValidationError) as info:
        prepare_body(body, "CustomerInvoiceDraftApi")
    assert str(info.value).startswith(
        "Rows[1].Text is 2001 characters long; the API allows at most 2000"
    )
    assert info.value.field == "Rows[1].Text"


def test_read_only_fields_are_dropped_recursively() -> None:
    body = {"Id": GUID, "CustomerId": GUID, "Rows": [{"Text": "a"}]}
    prepared = prepare_body(body, "CustomerInvoiceDraftApi")
    assert "Id" not in prepared
    assert prepared["CustomerId"] == GUID


def test_dates_and_guids() -> None:
    assert check_date("2026-01-31", "d") == "2026-01-31"
    with pytest.raises(
        ValidationError, match=r"d='2026-02-30' is not a date \(expected yyyy-MM-dd"
    ):
        check_date("2026-02-30", "d")
    assert check_guid(GUID.upper(), "g") == GUID.upper()
    with pytest.raises(ValidationError, match="g=None is not a GUID"):
        check_guid(None, "g")


def test_merge_changes_matches_keys_ignoring_case_and_merges_objects() -> None:
    current = {"Name": "A", "Address": {"City": "X", "Zip": "1"}, "Tags": [1, 2]}
    merged = merge_changes(current, {"name": "B", "Address": {"City": "Y"}, "Tags": [3]})
    assert merged == {"Name": "B", "Address": {"City": "Y", "Zip": "1"}, "Tags": [3]}
    assert merge_changes({}, {"email_address": "e"}) == {"EmailAddress": "e"}
