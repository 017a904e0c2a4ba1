"""The generated facades are typed: models out, ``UUID | str`` ids in (mypy --strict)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.typing.user_code import reveal

pytest.importorskip("mypy.api")
pytest.importorskip("eaccounting_api.models.customer_label_api")

USER_CODE = """
import uuid
import eaccounting

def sync_side(client: eaccounting.Client) -> None:
    reveal_type(client.customer_labels.get(uuid.uuid4()))
    reveal_type(client.customers.list_customer_auto_invoice_recipients("id"))
    reveal_type(client.countries.get_country("SE"))
    client.customer_labels.get(7)

async def async_side(client: eaccounting.AsyncClient) -> None:
    reveal_type(await client.customer_labels.get("id"))
    reveal_type(await client.orders.print_order("id"))
"""

EXPECTED = [
    "eaccounting_api.models.customer_label_api.CustomerLabelApi",
    "eaccounting._sync.paging.SyncPager[eaccounting_api.models.auto_invoice_address_api."
    "AutoInvoiceAddressApi]",
    "eaccounting_api.models.country_api.CountryApi",
    "eaccounting_api.models.customer_label_api.CustomerLabelApi",
    "bytes",
]


def test_generated_methods_have_the_spec_types(tmp_path: Path) -> None:
    revealed, errors, out = reveal(tmp_path, USER_CODE)
    assert revealed == EXPECTED, out
    assert len(errors) == 1 and ':9: error: Argument 1 to "get" of "SyncGet"' in errors[0], out
    assert '"int"; expected "UUID | str"' in errors[0], out
