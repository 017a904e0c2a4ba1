"""The ``eaccounting_emulator`` fixture of the installed pytest plugin (pytest11 entry point)."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("eaccounting_api.models.customer_api")


def test_default_is_a_signed_in_swedish_company(eaccounting_emulator: Any) -> None:
    assert eaccounting_emulator.region == "se"
    settings = eaccounting_emulator.client.company_settings.get()
    assert settings.name == "Emulator Sverige AB"


@pytest.mark.eaccounting_emulator("no", seed=3)
def test_marker_sets_region_and_emulator_options(eaccounting_emulator: Any) -> None:
    assert eaccounting_emulator.region == "no"
    assert eaccounting_emulator.client.company_settings.get().currency_code == "NOK"


@pytest.mark.parametrize("eaccounting_emulator", ["fi", "nl"], indirect=True)
def test_parameter_sets_region(eaccounting_emulator: Any) -> None:
    expected = {"fi": "EUR", "nl": "EUR"}[eaccounting_emulator.region]
    assert eaccounting_emulator.client.company_settings.get().currency_code == expected


@pytest.mark.parametrize("name", ["first", "second"])
def test_every_test_gets_a_fresh_company(eaccounting_emulator: Any, name: str) -> None:
    client = eaccounting_emulator.client
    terms = client.terms_of_payment.list().items[0]
    before = client.customers.list().total_results
    body = {"Name": name, "IsPrivatePerson": False, "IsActive": True, "InvoiceCity": "Malmö"}
    client.customers.create({**body, "InvoicePostalCode": "211 20", "TermsOfPaymentId": terms.id})
    assert client.customers.list().total_results == before + 1
    assert before == 0  # nothing left over from the other parametrised run


async def test_async_client_is_signed_in_to_the_same_company(eaccounting_emulator: Any) -> None:
    sync_name = eaccounting_emulator.client.company_settings.get().name
    settings = await eaccounting_emulator.async_client.company_settings.get()
    assert settings.name == sync_name == "Emulator Sverige AB"


def test_an_unknown_region_names_the_choices(request: pytest.FixtureRequest) -> None:
    from eaccounting.testing import Emulator
    from eaccounting.testing.pytest_plugin import EmulatorFixture

    with pytest.raises(ValueError, match=r"region='xx' is not supported; expected one of"):
        EmulatorFixture(Emulator(region="xx"))


@pytest.mark.eaccounting_emulator("nl", served=True, client_secret="plugin-secret")
def test_served_emulator_answers_over_loopback_http(eaccounting_emulator: Any) -> None:
    import httpx

    assert eaccounting_emulator.origin.startswith("http://127.0.0.1:")
    assert eaccounting_emulator.base_url == eaccounting_emulator.origin + "/v2"
    token = eaccounting_emulator.emulator.issue_token()
    response = httpx.get(
        f"{eaccounting_emulator.base_url}/companysettings",
        headers={"Authorization": f"Bearer {token.access_token}"},
        trust_env=False,
    )
    assert response.status_code == 200
    assert response.json()["CurrencyCode"] == "EUR"
    refused = httpx.post(
        f"{eaccounting_emulator.origin}/connect/token",
        data={"grant_type": "refresh_token", "refresh_token": "x"},
        auth=(eaccounting_emulator.emulator.client_id, "not-the-secret"),
        trust_env=False,
    )
    assert refused.json()["error"] == "invalid_client"


@pytest.fixture
def eaccounting_emulator_options() -> dict[str, Any]:
    return {"seed": 5}


def test_the_options_fixture_sets_defaults(eaccounting_emulator: Any) -> None:
    from eaccounting.testing import Emulator

    # seed 5 from this module's options fixture: the secret Emulator(seed=5) derives.
    assert (
        eaccounting_emulator.emulator.client_secret == Emulator(region="se", seed=5).client_secret
    )
    assert (
        Emulator(region="se", seed=0).client_secret != Emulator(region="se", seed=5).client_secret
    )


@pytest.mark.eaccounting_emulator(seed=6)
def test_the_marker_overrides_the_options_fixture(eaccounting_emulator: Any) -> None:
    from eaccounting.testing import Emulator

    assert (
        eaccounting_emulator.emulator.client_secret == Emulator(region="se", seed=6).client_secret
    )
