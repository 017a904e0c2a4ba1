"""The facade against the embedded emulator (eaccounting.testing): end to end, in process."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from eaccounting import F, NotFoundError, ReconsentRequiredError, ValidationError

testing = pytest.importorskip("eaccounting.testing")
pytest.importorskip("eaccounting_api.models.customer_api")


@pytest.fixture
def emu() -> Any:
    with testing.Emulator(region="se") as emulator:
        yield emulator


def _new_customer(client: Any, name: str) -> Any:
    terms = client.terms_of_payment.list().items[0]
    return client.customers.create(
        {
            "Name": name,
            "InvoiceCity": "Stockholm",
            "InvoicePostalCode": "11122",
            "TermsOfPaymentId": str(terms.id),
            "IsPrivatePerson": False,
            "IsActive": True,
            "EmailAddress": "billing@example.se",
        }
    )


def test_create_safe_update_filter_and_delete(emu: Any) -> None:
    client = emu.client()
    created = _new_customer(client, "Facade Test AB")
    updated = client.customers.update(created.id, {"Telephone": "+46 8 123 45"})
    assert (updated.name, updated.email_address, updated.telephone) == (
        "Facade Test AB",
        "billing@example.se",
        "+46 8 123 45",
    )
    found = list(client.customers.iterate(filter=F("Name").startswith("Facade")))
    assert [c.id for c in found] == [created.id]
    client.customers.delete(created.id)
    with pytest.raises(NotFoundError):
        client.customers.get(created.id)


def test_expired_token_is_refreshed_once_and_rotated(emu: Any) -> None:
    client = emu.client()
    _new_customer(client, "Before Expiry AB")
    emu.clock.advance(4000)
    names = [c.name for c in client.customers.iterate()]
    assert "Before Expiry AB" in names
    assert client.token_manager.refresh_count == 1
    assert client.token_store.load().refresh_token is not None


async def test_20_coroutines_share_one_refresh_against_the_emulator(emu: Any) -> None:
    client = emu.async_client()
    emu.clock.advance(4000)
    async with client:
        settings = await asyncio.gather(*(client.company_settings.get() for _ in range(20)))
    assert {s.name for s in settings} == {settings[0].name}
    assert client.token_manager.refresh_count == 1


def test_reused_refresh_token_requires_reconsent(emu: Any) -> None:
    first = emu.client()
    token = first.token_store.load()
    emu.clock.advance(4000)
    first.company_settings.get()  # rotates and spends the original refresh token
    second = emu.client(token_store=type(first.token_store)(token))
    with pytest.raises(ReconsentRequiredError, match="re-consent required"):
        second.company_settings.get()


def test_validation_happens_before_the_emulator_is_called(emu: Any) -> None:
    client = emu.client()
    with pytest.raises(ValidationError, match="Name is 51 characters long"):
        client.customers.create({"Name": "x" * 51})
