"""User code type-checks the same against both clients (mypy --strict on a small file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.typing.user_code import reveal

pytest.importorskip("mypy.api")
pytest.importorskip("eaccounting_api.models.customer_api")

USER_CODE = """
import datetime as dt
import eaccounting

def sync_side(client: eaccounting.Client) -> None:
    reveal_type(client.customers)
    reveal_type(client.customers.get("id"))
    reveal_type(client.customers.iterate())
    reveal_type(eaccounting.changed_since(client.customers, dt.datetime(2026, 1, 1)))

async def async_side(client: eaccounting.AsyncClient) -> None:
    reveal_type(client.customers)
    reveal_type(await client.customers.get("id"))
    reveal_type(client.customers.iterate())
    reveal_type(eaccounting.achanged_since(client.customers, dt.datetime(2026, 1, 1)))
"""

EXPECTED = [
    "eaccounting._sync.resources.Customers",
    "eaccounting_api.models.customer_api.CustomerApi",
    "eaccounting._sync.paging.SyncPager[eaccounting_api.models.customer_api.CustomerApi]",
    "eaccounting._sync.changes.ChangedSince[eaccounting_api.models.customer_api.CustomerApi]",
    "eaccounting._async.resources.AsyncCustomers",
    "eaccounting_api.models.customer_api.CustomerApi",
    "eaccounting._async.paging.AsyncPager[eaccounting_api.models.customer_api.CustomerApi]",
    "eaccounting._async.changes.AsyncChangedSince[eaccounting_api.models.customer_api.CustomerApi]",
]


def test_both_clients_give_user_code_the_same_types(tmp_path: Path) -> None:
    revealed, errors, out = reveal(tmp_path, USER_CODE)
    assert revealed == EXPECTED, out
    assert errors == [] and len(out.splitlines()) == len(revealed), out  # nothing else said
    assert "error" not in out, out
