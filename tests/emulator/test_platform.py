"""The Emulator facade: facade clients, regions, faults, determinism, snapshots, coverage."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

import eaccounting
from eaccounting.testing import Emulator, Faults, ManualClock, coverage

from .conftest import api_client, make_customer


def test_client_is_ready_and_refreshes_against_the_emulator() -> None:
    clock = ManualClock()
    with Emulator(region="se", clock=clock) as emu:
        client = emu.client()
        assert client.get_json("/units")["Meta"]["TotalNumberOfResults"] == 3
        terms = client.get_json("/termsofpayments")["Data"][0]["Id"]
        created = client.customers.create(
            {
                "Name": "Via facade",
                "InvoiceCity": "Lund",
                "InvoicePostalCode": "222 22",
                "IsActive": True,
                "IsPrivatePerson": False,
                "TermsOfPaymentId": terms,
            }
        )
        assert created.name == "Via facade"
        assert [c.name for c in client.customers.iterate()] == ["Via facade"]
        clock.advance(3600)  # token expired: the client refreshes through /connect/token
        assert client.get_json("/units")["Meta"]["TotalNumberOfResults"] == 3
        with pytest.raises(eaccounting.NotFoundError):
            client.customers.get("6f1c2a52-4d0e-4a47-a3cd-8c3bd25a1c11")


async def test_async_client_and_asgi_transport() -> None:
    emu = Emulator(region="fi")
    async with emu.async_client() as client:
        settings = await client.get_json("/companysettings")
        assert (settings["CurrencyCode"], settings["CountryCode"]) == ("EUR", "FI")
    token = emu.issue_token()
    async with httpx.AsyncClient(
        transport=emu.asgi_transport(),
        base_url=emu.base_url,
        headers={"Authorization": f"Bearer {token.access_token}"},
    ) as h:
        vat = (await h.get("/vatcodes")).json()["Data"]
        assert [v["VatRate"] for v in vat] == [25.5, 14.0, 13.5, 10.0, 0.0]


@pytest.mark.parametrize(
    ("region", "currency", "rates", "receivables"),
    [
        ("se", "SEK", [25.0, 12.0, 6.0, 0.0], "1510"),
        ("no", "NOK", [25.0, 15.0, 12.0, 0.0], "1500"),
        ("nl", "EUR", [21.0, 9.0, 0.0], "1300"),
        ("fi", "EUR", [25.5, 14.0, 13.5, 10.0, 0.0], "1700"),
    ],
)
def test_regional_companies(
    region: str, currency: str, rates: list[float], receivables: str
) -> None:
    api = api_client(Emulator(region=region))
    assert api.get("/companysettings").json()["CurrencyCode"] == currency
    assert [v["VatRate"] for v in api.get("/vatcodes").json()["Data"]] == rates
    numbers = [a["Number"] for a in api.get("/accounts").json()["Data"]]
    assert receivables in numbers


def test_region_only_endpoints() -> None:
    se, nl = api_client(Emulator(region="se")), api_client(Emulator(region="nl"))
    denied = se.get("/accounts/standardaccounts")
    assert denied.status_code == 403
    assert denied.json()["ErrorCode"] == 4009
    assert denied.json()["DeveloperErrorMessage"] == (
        "NoAccessDueToProductVariantException - list_standard_accounts is not available for "
        "companies in SE."
    )
    assert nl.get("/accounts/standardaccounts").status_code == 200
    assert [t["TypeDescription"] for t in nl.get("/accountTypes").json()["Data"]] == [
        "Balans",
        "Winst- en verliesrekening",
    ]
    rotrut = {"CompanyRotRutSettings": None}
    assert nl.put("/companysettings/rotrut", json=rotrut).json()["ErrorCode"] == 4009
    assert se.put("/companysettings/rotrut", json={}).status_code == 200


def test_unknown_region_is_a_clear_error() -> None:
    with pytest.raises(
        ValueError,
        match=r"region='dk' is not supported; expected one of "
        r"\['fi', 'nl', 'no', 'se'\]",
    ):
        Emulator(region="dk")


def _sequence(emu: Emulator) -> list[bytes]:
    api = api_client(emu)
    customer = make_customer(api)
    out = [
        api.get("/customers").content,
        api.get(f"/customers/{customer['Id']}").content,
        api.post("/customers", json={"Name": "bad"}).content,
        api.get("/customers", params={"$filter": "Nope eq 1"}).content,
    ]
    return out


def test_same_request_sequence_gives_identical_bytes() -> None:
    assert _sequence(Emulator(region="se", seed=7)) == _sequence(Emulator(region="se", seed=7))
    assert _sequence(Emulator(region="se", seed=7)) != _sequence(Emulator(region="se", seed=8))


def test_faults_are_seeded_and_deterministic() -> None:
    def statuses(seed: int) -> list[str]:
        sleeps: list[float] = []
        emu = Emulator(
            region="se",
            sleep=sleeps.append,
            faults=Faults(
                seed=seed,
                error_rate=0.2,
                drop_rate=0.1,
                truncate_rate=0.1,
                burst_every=10,
                burst_length=2,
                latency=0.25,
            ),
        )
        api = api_client(emu)
        out = []
        for _ in range(30):
            try:
                out.append(str(api.get("/units").status_code))
            except httpx.RemoteProtocolError as exc:
                out.append("truncated" if "complete message body" in str(exc) else "dropped")
        assert sleeps == [0.25] * 30
        return out

    first = statuses(3)
    assert first == statuses(3)
    assert first != statuses(4)
    # Bursts start at requests 10, 20 and 30 and last two requests (the 31st is never sent).
    assert [i + 1 for i, s in enumerate(first) if s == "429"] == [10, 11, 20, 21, 30]
    assert {"500", "dropped", "truncated", "200"} <= set(first)


def test_early_token_expiry_fault() -> None:
    clock = ManualClock()
    emu = Emulator(region="se", clock=clock, faults=Faults(token_lifetime=60))
    api = api_client(emu)
    clock.advance(59)
    assert api.get("/units").status_code == 200
    clock.advance(1)
    assert api.get("/units").status_code == 401


def test_reset_and_snapshot_roundtrip(tmp_path: Path) -> None:
    emu = Emulator(region="se")
    api = api_client(emu)
    make_customer(api, "Kept")
    path = tmp_path / "state.json"
    emu.snapshot(path)
    assert json.loads(path.read_text("utf-8"))["region"] == "se"
    emu.reset()
    api = api_client(emu)
    assert api.get("/customers").json()["Data"] == []
    emu.load(path)
    assert [c["Name"] for c in api.get("/customers").json()["Data"]] == ["Kept"]
    # The id sequence continues from the snapshot, so loading is deterministic too.
    other = Emulator(region="se", seed=99)
    other.load(path)
    emu.load(path)
    first_id = make_customer(api_client(other), "Next")["Id"]
    assert make_customer(api_client(emu), "Next")["Id"] == first_id
    with pytest.raises(ValueError, match="snapshot region='se' does not match emulator region"):
        Emulator(region="no").load(path)


def test_coverage_report_and_501_for_unimplemented() -> None:
    from eaccounting.testing.handlers import REGISTRY
    from eaccounting.testing.regions import GATED
    from eaccounting.testing.spec import default_index

    report = coverage("se")
    operations = default_index().operations  # the figures follow the pinned spec
    total, rules = len(operations), len(set(REGISTRY) & set(operations))
    gated = sum(1 for regions in GATED.values() if "se" not in regions)
    assert report.total == total
    assert len(report.stateful) + len(report.crud) + len(report.stub) == total
    assert len(report.stateful) == rules
    assert "convert_customer_invoice_draft" in report.stateful
    assert "list_customers" in report.crud
    assert "list_standard_accounts" in report.region_gated
    crud, stubs = len(report.crud), len(report.stub)
    assert report.summary() == (
        f"se: {total}/{total} operations answer ({rules + crud} with state: {rules} business "
        f"rules + {crud} generic CRUD; {stubs} schema-shaped stubs); {gated} region-gated; "
        "0 not implemented"
    )
    emu = Emulator(region="se")
    stub = report.stub[0]
    emu.core.disabled.add(stub)
    op = emu.core.index.operations[stub]
    assert stub in emu.coverage().not_implemented
    url = op.path.replace("{", "").replace("}", "")
    response = api_client(emu).request(op.method, url, json={} if op.request_schema else None)
    assert response.status_code == 501
    assert response.json()["DeveloperErrorMessage"] == (
        f"InternalServerErrorException - The operation {stub} is not implemented by the emulator."
    )


def test_unknown_path_and_method() -> None:
    api = api_client(Emulator(region="se"))
    assert api.get("/nothing").json()["ErrorCode"] == 3000
    assert api.patch("/customers").status_code == 405


@pytest.mark.parametrize(
    ("path", "field", "message"),
    [
        ("/approval/vatreport/not-a-guid", "id", "The value 'not-a-guid' is not a GUID."),
        (
            "/accountbalances/1930/2026-13-01",
            "date",
            "The value '2026-13-01' is not a yyyy-MM-dd date.",
        ),
        ("/accountbalances/abc/2026-01-15", "accountNumber", "The value 'abc' is not an integer."),
        (
            "/currencies/exchangerate?date=15.01.2026",
            "date",
            "The value '15.01.2026' is not a yyyy-MM-dd date.",
        ),
        (
            "/supplierinvoicedrafts?useDefaultVatCodes=maybe",
            "useDefaultVatCodes",
            "The value 'maybe' is not true or false.",
        ),
    ],
)
def test_values_that_do_not_bind_are_400(path: str, field: str, message: str) -> None:
    api = api_client(Emulator(region="se"))
    method = {"/approval": "PUT", "/supplierinvoicedrafts": "POST"}.get(
        "/" + path.split("/")[1].split("?")[0], "GET"
    )
    response = api.request(method, path, json={} if method != "GET" else None)
    assert response.status_code == 400
    body = response.json()
    assert body["ErrorCode"] == 2000
    assert [(e["Field"], e["Message"]) for e in body["Errors"]] == [(field, message)]


def test_loopback_server_over_real_http() -> None:
    import socket
    import threading
    import time

    import uvicorn

    from eaccounting.testing import SystemClock

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    emu = Emulator(region="no", clock=SystemClock(), origin=f"http://127.0.0.1:{port}")
    server = uvicorn.Server(
        uvicorn.Config(emu.app, host="127.0.0.1", port=port, log_level="error", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):  # wait for startup (bounded; no timing assertion)
            if server.started:
                break
            time.sleep(0.02)
        token = emu.issue_token()
        with httpx.Client(
            base_url=emu.base_url,
            trust_env=False,
            headers={"Authorization": f"Bearer {token.access_token}"},
        ) as http:
            response = http.get("/companysettings")
            assert response.status_code == 200
            assert response.headers["content-type"] == "application/json;charset=UTF-8"
            assert response.json()["CurrencyCode"] == "NOK"
            assert http.get("/customers", params={"$filter": "x"}).json()["ErrorCode"] == 6000
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        assert not thread.is_alive(), "the emulator server did not stop"


def test_handler_bugs_answer_500_with_visma_body() -> None:
    emu = Emulator(region="se")

    def broken(company: object, request: object) -> tuple[int, object]:
        raise KeyError("Rows")

    emu.core.handlers["list_units"] = (broken, "stateful")
    response = api_client(emu).get("/units")
    assert response.status_code == 500
    assert response.json()["ErrorCode"] == 5000
    assert response.json()["DeveloperErrorMessage"] == (
        "InternalServerErrorException - Emulator error KeyError: 'Rows'"
    )
