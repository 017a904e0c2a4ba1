"""Timestamps are unambiguous: every ``*Utc`` value is an aware UTC datetime (evidence fact 2),
7-digit fractions are truncated (never rounded, so never reordered) and the wire text is kept;
date fields accept the ``T00:00:00`` forms the sandbox sends (evidence fact 3)."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from typing import Any

import httpx
import pytest
from eaccounting_api.models.customer_api import CustomerApi
from eaccounting_api.models.customer_invoice_api import CustomerInvoiceApi
from eaccounting_api.types import (
    WireDatetime,
    format_datetime,
    parse_date,
    parse_datetime,
    parse_utc_datetime,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from eaccounting import changed_since
from tests.facade.conftest import make_client, paged

UTC = dt.timezone.utc
EPOCH = dt.datetime(2000, 1, 1, tzinfo=UTC)
TICKS_PER_SECOND = 10_000_000  # .NET ticks: 100 ns
SPAN = 40 * 365 * 24 * 3600 * TICKS_PER_SECOND


def wire(ticks: int, suffix: str) -> str:
    """The .NET wire form of ``ticks`` after 2000-01-01: trailing zeros of the fraction trimmed."""
    seconds, fraction = divmod(ticks, TICKS_PER_SECOND)
    moment = (EPOCH + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S")
    digits = f"{fraction:07d}".rstrip("0")
    return f"{moment}{'.' + digits if digits else ''}{suffix}"


ticks = st.integers(min_value=0, max_value=SPAN)
utc_suffixes = st.sampled_from(["Z", "", "+00:00"])


@settings(derandomize=True, max_examples=300, database=None)
@given(ticks, utc_suffixes)
def test_every_utc_wire_form_parses_to_aware_utc_and_round_trips(t: int, suffix: str) -> None:
    text = wire(t, suffix)
    parsed = parse_utc_datetime(text)
    assert parsed.tzinfo is not None and parsed.utcoffset() == dt.timedelta(0)
    # The 7th digit is truncated, not rounded: exactly the tick count floored to microseconds.
    assert parsed == EPOCH + dt.timedelta(microseconds=t // 10)
    assert parsed.wire == text
    assert format_datetime(parsed) == text
    assert parse_utc_datetime(format_datetime(parsed)) == parsed


@settings(derandomize=True, max_examples=300, database=None)
@given(ticks, ticks, utc_suffixes, utc_suffixes)
def test_parsing_never_reverses_the_order_of_two_timestamps(
    a: int, b: int, suffix_a: str, suffix_b: str
) -> None:
    first, second = parse_utc_datetime(wire(a, suffix_a)), parse_utc_datetime(wire(b, suffix_b))
    if a <= b:
        assert first <= second
    if a // 10 < b // 10:  # they differ by at least a microsecond
        assert first < second


@settings(derandomize=True, max_examples=100, database=None)
@given(ticks, st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_other_offsets_are_converted_to_utc_and_keep_their_wire_text(t: int, minutes: int) -> None:
    sign = "+" if minutes >= 0 else "-"
    suffix = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    text = wire(t, suffix)
    parsed = parse_utc_datetime(text)
    local = EPOCH.replace(tzinfo=None) + dt.timedelta(microseconds=t // 10)
    assert parsed == local.replace(tzinfo=dt.timezone(dt.timedelta(minutes=minutes)))
    assert parsed.tzinfo is UTC
    assert format_datetime(parsed) == text


def test_the_recorded_forms_of_fact_2() -> None:
    v2 = parse_utc_datetime("2026-06-27T17:34:17.6730217Z")
    v1 = parse_utc_datetime("2016-02-17T14:42:56.7582722")
    six = parse_utc_datetime("2026-06-27T17:34:17.672816Z")
    assert v2 == dt.datetime(2026, 6, 27, 17, 34, 17, 673021, tzinfo=UTC)
    assert v1 == dt.datetime(2016, 2, 17, 14, 42, 56, 758272, tzinfo=UTC)
    assert six < v2 and v1.timestamp() == 1455720176.758272
    assert isinstance(v2, WireDatetime) and v2.wire == "2026-06-27T17:34:17.6730217Z"


def test_a_changed_value_is_sent_in_iso_form_and_an_unchanged_one_as_received() -> None:
    parsed = parse_utc_datetime("2026-06-27T17:34:17.6730217Z")
    assert format_datetime(parsed + dt.timedelta(seconds=1)) == "2026-06-27T17:34:18.673021+00:00"
    assert format_datetime(parsed.replace(microsecond=0)) == "2026-06-27T17:34:17+00:00"
    assert format_datetime(dt.datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05"


def test_pickle_and_copy_keep_the_wire_text() -> None:
    parsed = parse_utc_datetime("2026-06-27T17:34:17.6730217Z")
    for clone in (pickle.loads(pickle.dumps(parsed)), copy.copy(parsed), copy.deepcopy(parsed)):
        assert clone == parsed and isinstance(clone, WireDatetime)
        assert clone.wire == parsed.wire


def test_utc_fields_of_models_are_aware_and_round_trip_exactly() -> None:
    body = {"ChangedUtc": "2016-02-17T14:42:56.7582722", "Name": "Ada"}
    customer = CustomerApi.from_dict(body)
    assert customer.changed_utc == dt.datetime(2016, 2, 17, 14, 42, 56, 758272, tzinfo=UTC)
    assert customer.to_dict()["ChangedUtc"] == "2016-02-17T14:42:56.7582722"
    assert CustomerApi.from_dict(customer.to_dict()).changed_utc == customer.changed_utc


def test_other_date_time_fields_keep_the_offset_they_were_sent_with() -> None:
    assert parse_datetime("2026-01-02T03:04:05").tzinfo is None
    assert parse_datetime("2026-01-02T03:04:05Z").tzinfo == UTC
    assert parse_datetime("2026-01-02T03:04:05.1234567+02:00").utcoffset() == dt.timedelta(hours=2)


@pytest.mark.parametrize(
    "text", ["2026-08-20", "2026-08-20T00:00:00", "2026-08-20T00:00:00Z", "2026-08-20T00:00:00.000"]
)
def test_date_fields_accept_the_forms_of_fact_3(text: str) -> None:
    assert parse_date(text) == dt.date(2026, 8, 20)
    invoice = CustomerInvoiceApi.from_dict({"DueDate": text, "InvoiceDate": text})
    assert invoice.due_date == dt.date(2026, 8, 20)


def test_a_synced_record_compares_with_the_watermark() -> None:
    """The bug of issue 13: a naive ChangedUtc could not be compared with the aware watermark."""

    def handler(request: httpx.Request) -> httpx.Response:
        row: dict[str, Any] = {
            "Id": "4b7e2a3c-1f0e-4d5c-9b8a-7c6d5e4f3a2b",
            "Name": "Ada",
            "ChangedUtc": "2026-02-17T14:42:56.7582723",  # v1's offset-less form
        }
        return paged([row], 1, 50, 1)  # ServerTimeUtc 2026-02-17T14:42:56.7582722Z

    client, _ = make_client(handler)
    since = dt.datetime(2026, 1, 1, tzinfo=UTC)
    result = changed_since(client.customers, since)
    (customer,) = list(result)
    assert result.watermark == dt.datetime(2026, 2, 17, 14, 42, 56, 758272, tzinfo=UTC)
    # Same microsecond after truncation: equal, not reversed.
    assert customer.changed_utc >= result.watermark
    assert customer.changed_utc.timestamp() == result.watermark.timestamp()
