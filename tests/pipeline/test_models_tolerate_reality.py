"""Generated models survive what the live API sends beyond its spec (see spec/templates)."""

from __future__ import annotations

import copy
import datetime
import pickle
import uuid
from typing import Any

import pytest
from eaccounting_api.models import (
    CustomerApi,
    CustomerInvoiceApi,
    PaginatedResponseOfCustomerApi,
    RotReducedInvoicingType,
)
from eaccounting_api.types import UNSET, parse_date, parse_datetime, parse_uuid

CUSTOMER_ID = "8f9a2c4e-1b3d-4e5f-9a8b-7c6d5e4f3a2b"


def invoice(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "EuThirdParty": False,
        "CustomerId": CUSTOMER_ID,
        "Rows": [],
        "RotReducedInvoicingType": 0,
        "InvoiceDate": "2024-05-01",
    }
    return body | changes


def test_unknown_fields_are_kept_not_fatal() -> None:
    parsed = CustomerInvoiceApi.from_dict(invoice(BrandNewField={"A": 1}))
    assert parsed.additional_properties == {"BrandNewField": {"A": 1}}
    assert parsed.to_dict()["BrandNewField"] == {"A": 1}


def test_unknown_enum_values_are_kept_as_numbers() -> None:
    parsed = CustomerInvoiceApi.from_dict(invoice(RotReducedInvoicingType=7))
    value = parsed.rot_reduced_invoicing_type
    assert isinstance(value, RotReducedInvoicingType)
    assert (int(value), value.name) == (7, "UNKNOWN_7")
    assert RotReducedInvoicingType(2) is RotReducedInvoicingType.RUT
    with pytest.raises(ValueError, match="'x' is not a valid RotReducedInvoicingType"):
        RotReducedInvoicingType("x")


def test_naive_timestamps_with_seven_fractional_digits_parse() -> None:
    parsed = CustomerApi.from_dict({"ChangedUtc": "2016-02-17T14:42:56.7582722"})
    assert parsed.changed_utc == datetime.datetime(
        2016, 2, 17, 14, 42, 56, 758272, tzinfo=datetime.timezone.utc
    )
    assert parse_datetime("2024-01-02T03:04:05Z") == datetime.datetime(
        2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc
    )


def test_dates_sent_with_a_time_part_parse_as_dates() -> None:
    parsed = CustomerInvoiceApi.from_dict(invoice(InvoiceDate="2024-05-01T00:00:00"))
    assert parsed.invoice_date == datetime.date(2024, 5, 1)
    assert parse_date("2024-05-01") == datetime.date(2024, 5, 1)


def test_nulls_in_non_nullable_properties_do_not_crash_a_list() -> None:
    page = {
        "Meta": {
            "CurrentPage": 1,
            "PageSize": 50,
            "TotalNumberOfPages": 1,
            "TotalNumberOfResults": 2,
            "ServerTimeUtc": "2024-01-01T00:00:00Z",
        },
        "Data": [{"Name": "A", "Id": None, "ChangedUtc": None}, {"Name": "B"}],
    }
    parsed = PaginatedResponseOfCustomerApi.from_dict(page)
    assert [c.name for c in parsed.data] == ["A", "B"]
    assert parsed.data[0].id is None and parsed.data[1].id is UNSET
    inv = CustomerInvoiceApi.from_dict(invoice(Rows=None, RotReducedInvoicingType=None))
    assert (inv.rows, inv.rot_reduced_invoicing_type) == ([], None)


def test_uuids_parse_fast_but_strictly() -> None:
    assert parse_uuid(CUSTOMER_ID) == uuid.UUID(CUSTOMER_ID)
    assert parse_uuid(CUSTOMER_ID.upper()) == uuid.UUID(CUSTOMER_ID)
    assert parse_uuid(CUSTOMER_ID).is_safe is uuid.SafeUUID.unknown
    # Like uuid.UUID, the hyphens' places are not checked; their number is.
    moved = CUSTOMER_ID.replace("-", "")
    moved = f"{moved[:4]}-{moved[4:8]}-{moved[8:20]}-{moved[20:24]}-{moved[24:]}"
    assert parse_uuid(moved) == uuid.UUID(CUSTOMER_ID)
    spaced = CUSTOMER_ID[:8] + " " + CUSTOMER_ID[9:]  # fromhex would skip the space
    underscored = CUSTOMER_ID[:7] + "_" + CUSTOMER_ID[8:]
    for bad in ("not-a-uuid", CUSTOMER_ID + "0", "+" + CUSTOMER_ID[1:], 12, spaced, underscored):
        with pytest.raises(ValueError, match="not a UUID"):
            parse_uuid(bad)


def test_a_parsed_uuid_behaves_as_a_uuid_uuid() -> None:
    parsed, plain = parse_uuid(CUSTOMER_ID), uuid.UUID(CUSTOMER_ID)
    assert isinstance(parsed, uuid.UUID)
    assert (parsed == plain, hash(parsed) == hash(plain), {parsed: 1}[plain]) == (True, True, 1)
    assert (str(parsed), repr(parsed), parsed.hex, parsed.version) == (
        CUSTOMER_ID,
        f"UUID('{CUSTOMER_ID}')",
        CUSTOMER_ID.replace("-", ""),
        4,
    )
    assert (parsed.bytes, parsed.fields, parsed.urn) == (plain.bytes, plain.fields, plain.urn)
    with pytest.raises(TypeError, match="UUID objects are immutable"):
        parsed.int = 5  # type: ignore[misc]
    for clone in (pickle.loads(pickle.dumps(parsed)), copy.copy(parsed), copy.deepcopy(parsed)):
        assert clone == plain
    # Pickled, it is a plain uuid.UUID (readable without this package).
    assert type(pickle.loads(pickle.dumps(parsed))) is uuid.UUID


def test_a_garbage_value_in_a_nullable_field_is_kept_as_sent() -> None:
    parsed = CustomerInvoiceApi.from_dict(invoice(CreatedByUserId="legacy-user-7"))
    assert parsed.created_by_user_id == "legacy-user-7"


def test_a_selected_subset_parses_and_serializes_back_to_the_same_subset() -> None:
    # $select=Name,CustomerNumber returns only those keys, even for required properties.
    body = {"Name": "Ada AB", "CustomerNumber": "17"}
    parsed = CustomerApi.from_dict(body)
    assert (parsed.name, parsed.is_active) == ("Ada AB", UNSET)
    assert parsed.to_dict() == body
