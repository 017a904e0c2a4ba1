"""What the API does is unknown in two places of paging (evidence fact 9): the page count of an
empty list (0 or 1?) and a ``$pagesize`` above the maximum (clamped or refused?). The emulator
plays every choice; the client copes with each, sync and async."""

from __future__ import annotations

import httpx
import pytest

from eaccounting import ValidationError
from eaccounting.odata import F
from eaccounting.testing import Emulator

from .test_big_pages import _recorded_client

NOBODY = F("Name") == "nobody by that name"


@pytest.mark.parametrize("empty_list_pages", [0, 1])
@pytest.mark.parametrize("oversized_pages", ["clamp", "refuse"])
def test_the_client_copes_with_each_choice(
    empty_list_pages: int, oversized_pages: str, flavour: str
) -> None:
    emu = Emulator(empty_list_pages=empty_list_pages, oversized_pages=oversized_pages)
    client, transport = _recorded_client(emu)
    page = client.customers.list(filter=NOBODY)
    assert (page.items, page.total_pages, page.has_next_page()) == ([], empty_list_pages, False)
    transport.asked.clear()
    assert list(client.customers.iterate(filter=NOBODY)) == []
    assert transport.asked == [(1, 1000)]  # one request, the largest page the API takes
    assert len(list(client.vat_codes.iterate())) == len(emu.core.company.coll("vatcodes"))
    with pytest.raises(ValidationError, match="page_size"):
        list(client.customers.iterate(page_size=1001))  # refused before sending


@pytest.mark.parametrize(("choice", "status"), [("clamp", 200), ("refuse", 400)])
def test_the_emulator_plays_the_choice(choice: str, status: int) -> None:
    emu = Emulator(oversized_pages=choice)
    token = emu.issue_token().access_token
    api = httpx.Client(transport=emu.transport(), base_url=emu.base_url)
    response = api.get(
        "/customers", params={"$pagesize": 1001}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == status
    if choice == "clamp":
        assert response.json()["Meta"]["PageSize"] == 1000


def test_bad_choices_are_refused_naming_them() -> None:
    with pytest.raises(ValueError, match=r"empty_list_pages=2 must be 0 or 1"):
        Emulator(empty_list_pages=2)
    with pytest.raises(ValueError, match=r"oversized_pages='drop' must be 'clamp' or 'refuse'"):
        Emulator(oversized_pages="drop")
