"""Fixtures: a Swedish emulator and a raw httpx client holding a full-scope bearer token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from eaccounting.testing import Emulator


@pytest.fixture
def emu(eaccounting_emulator: Any) -> Emulator:
    """The installed pytest plugin's fresh Swedish company (closed after the test)."""
    emulator: Emulator = eaccounting_emulator.emulator
    return emulator


def api_client(emu: Emulator, scopes: tuple[str, ...] | None = None) -> httpx.Client:
    token = emu.issue_token() if scopes is None else emu.issue_token(scopes)
    return httpx.Client(
        transport=emu.transport(),
        base_url=emu.base_url,
        headers={"Authorization": f"Bearer {token.access_token}"},
    )


@pytest.fixture
def api(emu: Emulator) -> Iterator[httpx.Client]:
    with api_client(emu) as client:
        yield client


def first(api: httpx.Client, path: str) -> dict[str, Any]:
    data = api.get(path).json()["Data"]
    assert data, path
    return dict(data[0])


def make_customer(api: httpx.Client, name: str = "Acme AB", **extra: Any) -> dict[str, Any]:
    terms = first(api, "/termsofpayments")
    body = {
        "Name": name,
        "InvoiceCity": "Stockholm",
        "InvoicePostalCode": "111 22",
        "IsActive": True,
        "IsPrivatePerson": False,
        "TermsOfPaymentId": terms["Id"],
        **extra,
    }
    response = api.post("/customers", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def make_article(
    api: httpx.Client, price: float, rate_code: str = "MP1", **extra: Any
) -> dict[str, Any]:
    unit = first(api, "/units")
    # Codings follow the region's statutory rates, highest first (MP1 = standard rate).
    coding = api.get("/articleaccountcodings").json()["Data"][int(rate_code[2:]) - 1]
    body = {
        "Name": f"Article {price}",
        "IsActive": True,
        "UnitId": unit["Id"],
        "CodingId": coding["Id"],
        "NetPrice": price,
        **extra,
    }
    response = api.post("/articles", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())
