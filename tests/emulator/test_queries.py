"""Paging, $filter, $orderby, $select and bad-query errors."""

from __future__ import annotations

import httpx
import pytest

from .conftest import make_customer


@pytest.fixture
def customers(api: httpx.Client) -> list[str]:
    names = ["Alfa AB", "Beta AB", "Gamma O'Brien", "Delta AB", "Epsilon HB"]
    for i, name in enumerate(names):
        make_customer(api, name, IsPrivatePerson=i % 2 == 1, CustomerNumber=str(100 + i))
    return names


def test_paging_is_one_based_with_meta(api: httpx.Client, customers: list[str]) -> None:
    page = api.get("/customers", params={"$page": 2, "$pagesize": 2}).json()
    assert page["Meta"] == {
        "CurrentPage": 2,
        "PageSize": 2,
        "TotalNumberOfPages": 3,
        "TotalNumberOfResults": 5,
        "ServerTimeUtc": "2026-01-15T09:00:00.6730211Z",  # 7 digits, as the API (fact 2)
    }
    assert [c["Name"] for c in page["Data"]] == ["Gamma O'Brien", "Delta AB"]


def test_default_page_size_is_50_and_maximum_1000(api: httpx.Client) -> None:
    assert api.get("/accounts").json()["Meta"]["PageSize"] == 50
    assert api.get("/accounts", params={"$pagesize": 5000}).json()["Meta"]["PageSize"] == 1000


def test_page_past_the_end_is_empty(api: httpx.Client, customers: list[str]) -> None:
    page = api.get("/customers", params={"$page": 9}).json()
    assert page["Data"] == []
    assert page["Meta"]["TotalNumberOfResults"] == 5


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("Name eq 'Beta AB'", ["Beta AB"]),
        ("Name eq 'gamma o''brien'", ["Gamma O'Brien"]),
        ("Name ne 'Beta AB' and IsPrivatePerson eq true", ["Delta AB"]),
        ("contains(Name,'ta')", ["Beta AB", "Delta AB"]),
        ("startswith(Name,'E') or endswith(Name,'lfa AB')", ["Alfa AB", "Epsilon HB"]),
        ("not (IsPrivatePerson eq false)", ["Beta AB", "Delta AB"]),
        ("CustomerNumber ge '103'", ["Delta AB", "Epsilon HB"]),
        ("ChangedUtc gt 2026-01-01T00:00:00Z", None),
        ("ChangedUtc lt 2026-01-01", []),
        ("EmailAddress eq null", None),
    ],
)
def test_filter(
    api: httpx.Client, customers: list[str], expr: str, expected: list[str] | None
) -> None:
    response = api.get("/customers", params={"$filter": expr})
    assert response.status_code == 200, response.text
    names = [c["Name"] for c in response.json()["Data"]]
    assert names == (customers if expected is None else expected)


def test_filter_on_guid_and_number(api: httpx.Client) -> None:
    fiscal = api.get("/fiscalyears").json()["Data"][1]["Id"]
    data = api.get(
        "/accounts", params={"$filter": f"FiscalYearId eq {fiscal} and startswith(Number,'26')"}
    ).json()["Data"]
    assert [a["Number"] for a in data] == ["2611", "2621", "2631", "2641"]
    vat = api.get("/vatcodes", params={"$filter": "VatRate gt 6 and VatRate le 25"}).json()
    assert [v["VatRate"] for v in vat["Data"]] == [25.0, 12.0]


def test_orderby_and_select(api: httpx.Client, customers: list[str]) -> None:
    page = api.get(
        "/customers",
        params={"$orderby": "IsPrivatePerson desc, Name asc", "$select": "Name,CustomerNumber"},
    ).json()
    assert page["Data"] == [
        {"Name": "Beta AB", "CustomerNumber": "101"},
        {"Name": "Delta AB", "CustomerNumber": "103"},
        {"Name": "Alfa AB", "CustomerNumber": "100"},
        {"Name": "Epsilon HB", "CustomerNumber": "104"},
        {"Name": "Gamma O'Brien", "CustomerNumber": "102"},
    ]


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {"$filter": "Nmae eq 'x'"},
            6000,
            "QueryParameterErrorException - Could not find a property named 'Nmae' on this type.",
        ),
        (
            {"$filter": "Name eq"},
            6000,
            "QueryParameterErrorException - Syntax error: unexpected end of 'Name eq'.",
        ),
        (
            {"$filter": "Name eq 5"},
            6000,
            "QueryParameterErrorException - A binary operator with incompatible types was detected."
            " Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'eq'.",
        ),
        (
            {"$filter": "ChangedUtc gt 2026-13-45"},
            6001,
            "InvalidInputException - The value '2026-13-45' is not a valid date.",
        ),
        (
            {"$orderby": "Name sideways"},
            6000,
            "QueryParameterErrorException - Syntax error in $orderby 'Name sideways'.",
        ),
        (
            {"$select": "Name,Nope"},
            6000,
            "QueryParameterErrorException - Could not find a property named 'Nope' on this type.",
        ),
        (
            {"$page": "0"},
            6000,
            "QueryParameterErrorException - The query parameter '$page' must be a positive integer,"
            " got '0'.",
        ),
        (
            {"$pagesize": "many"},
            6000,
            "QueryParameterErrorException - The query parameter '$pagesize' must be a positive "
            "integer, got 'many'.",
        ),
    ],
)
def test_bad_queries_give_400(
    api: httpx.Client, params: dict[str, str], code: int, message: str
) -> None:
    response = api.get("/customers", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json;charset=UTF-8"
    body = response.json()
    assert body["ErrorCode"] == code
    assert body["DeveloperErrorMessage"] == message
    assert set(body) == {"ErrorCode", "DeveloperErrorMessage", "ErrorId", "Errors"}
