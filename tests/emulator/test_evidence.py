"""The emulator does what the real API was seen doing: one test per fact of
`../shared/reference/real-api-evidence.md` (recorded, docs or sandbox-measured), named by number.
Where the spec and the evidence disagree, the evidence wins (docs/emulator-fidelity.md)."""

from __future__ import annotations

import re
from typing import Any

import httpx

from eaccounting import BadRequestError, Client
from eaccounting.testing import Emulator

from .conftest import api_client, first, make_article, make_customer

# .NET ticks, trailing zeros trimmed (7, 6, 4 … or no fractional digits), and Z.
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,6}[1-9])?Z")


def _supplier_invoice(api: httpx.Client, **extra: Any) -> httpx.Response:
    terms = first(api, "/termsofpayments")["Id"]
    supplier = api.post("/suppliers", json={"Name": "Lev AB", "TermsOfPaymentId": terms}).json()
    body = {
        "SupplierId": supplier["Id"],
        "InvoiceNumber": "F1",
        "TotalAmount": 125,
        "Vat": 25,
        "InvoiceDate": "2026-01-12",
        "Rows": [{"AccountNumber": 5010, "DebetAmount": 100}],
        **extra,
    }
    return api.post("/supplierinvoices", json=body)


def test_fact_1_keys_are_pascal_case(api: httpx.Client) -> None:
    page = api.get("/customers").json()
    assert set(page) == {"Meta", "Data"}
    customer = make_customer(api)
    assert all(key[0].isupper() for key in customer)


def test_fact_2_timestamps_carry_trimmed_ticks_and_z(emu: Emulator, api: httpx.Client) -> None:
    meta = api.get("/customers").json()["Meta"]
    assert meta["ServerTimeUtc"] == "2026-01-15T09:00:00.6730211Z"
    customer = make_customer(api)
    assert TIMESTAMP.fullmatch(customer["ChangedUtc"]), customer["ChangedUtc"]
    emu.clock.advance(0.1)  # a trailing zero tick is trimmed: 6 digits
    assert api.get("/customers").json()["Meta"]["ServerTimeUtc"] == "2026-01-15T09:00:00.773021Z"
    emu.clock.advance(59.2269789)
    assert api.get("/customers").json()["Meta"]["ServerTimeUtc"] == "2026-01-15T09:01:00Z"


def test_fact_3_date_fields_with_a_time_part_are_played_and_read() -> None:
    with Emulator(dates_with_time=True) as emu, api_client(emu) as api:
        customer = make_customer(api)
        article = make_article(api, 100)
        body = {"CustomerId": customer["Id"], "Rows": [{"ArticleId": article["Id"], "Quantity": 1}]}
        invoice = api.post("/customerinvoices", json=body).json()
        assert invoice["DueDate"] == "2026-02-14T00:00:00"
        with emu.client() as client:
            assert str(client.customer_invoices.get(invoice["Id"]).due_date) == "2026-02-14"
    with Emulator() as plain, api_client(plain) as api:  # the spec's form by default
        customer = make_customer(api)
        article = make_article(api, 100)
        body = {"CustomerId": customer["Id"], "Rows": [{"ArticleId": article["Id"], "Quantity": 1}]}
        assert api.post("/customerinvoices", json=body).json()["DueDate"] == "2026-02-14"


def test_fact_4_unset_properties_come_back_as_null(api: httpx.Client) -> None:
    customer = make_customer(api)
    assert "EmailAddress" in customer and customer["EmailAddress"] is None


def test_fact_5_numbers_are_strings(api: httpx.Client) -> None:
    assert make_customer(api)["CustomerNumber"] == "1"


def test_fact_6_money_is_a_json_number_with_a_fraction(api: httpx.Client) -> None:
    article = make_article(api, 100)
    assert '"NetPrice":100.0' in api.get(f"/articles/{article['Id']}").text


def test_fact_7_remaining_amount_is_negative_on_supplier_and_credit_invoices(
    api: httpx.Client,
) -> None:
    supplier_invoice = _supplier_invoice(api).json()
    assert supplier_invoice["RemainingAmount"] == -125.0
    customer = make_customer(api)
    article = make_article(api, 100)
    credit = api.post(
        "/customerinvoices",
        json={
            "CustomerId": customer["Id"],
            "IsCreditInvoice": True,
            "Rows": [{"ArticleId": article["Id"], "Quantity": 1}],
        },
    ).json()
    assert credit["RemainingAmount"] == -125.0


def test_fact_8_pdf_and_sie4_are_temporary_urls_on_another_host(
    emu: Emulator, api: httpx.Client
) -> None:
    customer = make_customer(api)
    article = make_article(api, 100)
    invoice = api.post(
        "/customerinvoices",
        json={"CustomerId": customer["Id"], "Rows": [{"ArticleId": article["Id"], "Quantity": 2}]},
    ).json()
    url = httpx.URL(api.get(f"/customerinvoices/{invoice['Id']}/pdf").json()["Url"])
    assert url.host == "files.emulator.local" != httpx.URL(emu.base_url).host
    anonymous = httpx.Client(transport=emu.transport())
    pdf = anonymous.get(url)
    assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")
    assert pdf.content.startswith(b"%PDF-1.4\n% Invoice 1 Acme AB 250.00")
    # The API's bearer is refused there: a client that sends it has leaked it.
    leaked = anonymous.get(url, headers={"Authorization": "Bearer x"})
    assert leaked.status_code == 400

    document = api.get("/sie4export/2026-01-01/2026-12-31").json()
    sie_url = httpx.URL(document["TemporaryUrl"])
    assert sie_url.host == "files.emulator.local"
    assert document["Name"] == "SIE4_2026-01-01_2026-12-31.se"
    sie = anonymous.get(sie_url).content.decode("cp437")
    assert sie.startswith("#FLAGGA 0\r\n")
    assert "#SIETYP 4\r\n" in sie and '#VER "B" 1 20260115 "Customer invoice 1"' in sie
    assert "#TRANS 1510 {} 250.00" in sie
    assert document["Size"] == len(sie.encode("cp437"))


def test_fact_8_on_loopback_the_other_host_is_the_other_loopback_name() -> None:
    from eaccounting.testing.files import files_origin

    assert files_origin("http://127.0.0.1:8080") == "http://localhost:8080"
    assert files_origin("http://localhost:8080") == "http://127.0.0.1:8080"
    assert files_origin("https://eaccountingapi.test") == "https://files.eaccountingapi.test"


def test_fact_10_error_bodies_key_for_key(emu: Emulator, api: httpx.Client) -> None:
    unauthorized = httpx.Client(transport=emu.transport(), base_url=emu.base_url).get("/customers")
    assert unauthorized.status_code == 401
    assert set(unauthorized.json()) == {"ErrorCode", "DeveloperErrorMessage", "ErrorId"}

    emu.api_module_active = False
    forbidden = api.get("/customers")
    emu.api_module_active = True
    assert forbidden.status_code == 403
    body = forbidden.json()
    assert (body["ErrorCode"], body["Errors"]) == (4002, [])
    assert set(body) == {"ErrorCode", "DeveloperErrorMessage", "ErrorId", "Errors"}

    missing = api.post("/customers", json={"Name": "x"})
    assert missing.status_code == 400
    assert [e["Field"] for e in missing.json()["Errors"]][:2] == [
        "InvoiceCity",
        "InvoicePostalCode",
    ]
    not_found = api.get("/customers/6f1c2a52-4d0e-4a47-a3cd-8c3bd25a1c11").json()
    assert not_found["Errors"] is None

    emu.core.quota.limit = 1
    api.get("/units")
    throttled = api.get("/units")
    assert throttled.status_code == 429
    assert set(throttled.json()) == {"ErrorCode", "DeveloperErrorMessage", "ErrorId"}


def test_fact_11_messages_start_with_the_exception_type(emu: Emulator, api: httpx.Client) -> None:
    unauthorized = httpx.Client(transport=emu.transport(), base_url=emu.base_url).get("/customers")
    assert unauthorized.json()["DeveloperErrorMessage"] == (
        "AuthorizationException - Authorization has been denied for this request."
    )
    emu.api_module_active = False
    assert api.get("/customers").json()["DeveloperErrorMessage"] == (
        "ForbiddenRequestException - No access to module: api_standard"
    )


def test_fact_12_quota_message_and_no_retry_after(emu: Emulator, api: httpx.Client) -> None:
    emu.core.quota.limit = 1
    api.get("/units")
    throttled = api.get("/units")
    assert throttled.json()["ErrorCode"] == 4010
    assert re.fullmatch(
        r"API calls quota exceeded! maximum admitted 600 per Minute\. Try again in \d+ seconds\.",
        throttled.json()["DeveloperErrorMessage"],
    )
    assert "retry-after" not in throttled.headers


def test_fact_14_error_content_type(api: httpx.Client) -> None:
    response = api.get("/customers/6f1c2a52-4d0e-4a47-a3cd-8c3bd25a1c11")
    assert response.headers["content-type"] == "application/json;charset=UTF-8"


def test_fact_15_put_replaces_the_whole_object_and_needs_its_required_fields(
    api: httpx.Client,
) -> None:
    customer = make_customer(api, EmailAddress="a@example.com")
    only_name = api.put(f"/customers/{customer['Id']}", json={"Id": customer["Id"], "Name": "B"})
    assert only_name.status_code == 400
    assert api.get(f"/customers/{customer['Id']}").json()["EmailAddress"] == "a@example.com"


def test_fact_16_an_invoice_without_the_flags_the_spec_requires_is_accepted(
    emu: Emulator, api: httpx.Client
) -> None:
    customer = make_customer(api)
    article = make_article(api, 100)
    body = {
        "CustomerId": customer["Id"],
        "InvoiceDate": "2026-01-15",
        "DueDate": "2026-02-14",
        "Rows": [{"ArticleId": article["Id"], "Text": "Kaffe", "UnitPrice": 100, "Quantity": 1}],
    }
    assert api.post("/customerinvoices", json=body).status_code == 201
    # … and the client does not refuse what the API accepts.
    with emu.client() as client:
        invoice = client.customer_invoices.create(body)
    assert invoice.total_amount == 100


def test_fact_17_an_invoices_reverse_charge_comes_from_the_customer(api: httpx.Client) -> None:
    article = make_article(api, 100)
    rows = [{"ArticleId": article["Id"], "Quantity": 1}]
    plain = make_customer(api)
    sent_true = api.post(
        "/customerinvoices",
        json={"CustomerId": plain["Id"], "ReverseChargeOnConstructionServices": True, "Rows": rows},
    ).json()
    assert sent_true["ReverseChargeOnConstructionServices"] is False
    builder = make_customer(
        api, "Bygg AB", ReverseChargeOnConstructionServices=True, VatNumber="SE556677889901"
    )
    derived = api.post("/customerinvoices", json={"CustomerId": builder["Id"], "Rows": rows})
    assert derived.json()["ReverseChargeOnConstructionServices"] is True


def test_fact_18_reverse_charge_customer_needs_a_vat_number(api: httpx.Client) -> None:
    terms = first(api, "/termsofpayments")
    body = {
        "Name": "Bygg AB",
        "InvoiceCity": "Stockholm",
        "InvoicePostalCode": "111 22",
        "IsActive": True,
        "IsPrivatePerson": False,
        "TermsOfPaymentId": terms["Id"],
        "ReverseChargeOnConstructionServices": True,
    }
    refused = api.post("/customers", json=body)
    assert refused.status_code == 400
    assert refused.json()["DeveloperErrorMessage"] == (
        "ValidationException - VatNumber can not be null or empty when using "
        "ReverseChargeOnConstructionServices"
    )
    assert api.post("/customers", json={**body, "VatNumber": "SE556677889901"}).status_code == 201


def test_fact_19_a_supplier_invoice_draft_needs_a_total(emu: Emulator, api: httpx.Client) -> None:
    terms = first(api, "/termsofpayments")["Id"]
    supplier = api.post("/suppliers", json={"Name": "Lev AB", "TermsOfPaymentId": terms}).json()
    draft = {"SupplierId": supplier["Id"], "IsCreditInvoice": False, "Rows": []}
    refused = api.post("/supplierinvoicedrafts", json=draft)
    assert refused.status_code == 400
    assert refused.json()["DeveloperErrorMessage"].endswith(
        "The amount on standard account 2440, recievables is not equal with TotalAmountBaseCurrency"
    )
    assert api.post("/supplierinvoicedrafts", json={**draft, "TotalAmount": 10}).status_code == 201
    with Emulator(region="no") as norway, api_client(norway) as no_api:
        terms = first(no_api, "/termsofpayments")["Id"]
        other = no_api.post("/suppliers", json={"Name": "L", "TermsOfPaymentId": terms}).json()
        message = no_api.post(
            "/supplierinvoicedrafts", json={**draft, "SupplierId": other["Id"]}
        ).json()["DeveloperErrorMessage"]
        assert f"standard account {norway.region.payables_account}," in message


def test_fact_20_rot_rut_rules(api: httpx.Client) -> None:
    customer = make_customer(api, IsPrivatePerson=True)
    article = make_article(api, 100)
    row = {
        "ArticleId": article["Id"],
        "Quantity": 1,
        "IsTextRow": False,
        "ReversedConstructionServicesVatFree": False,
    }
    base = {
        "CustomerId": customer["Id"],
        "EuThirdParty": False,
        "RotReducedInvoicingType": 1,
        "Rows": [row],
    }
    no_persons = api.post("/customerinvoicedrafts", json=base)
    assert no_persons.status_code == 400
    assert no_persons.json()["Errors"][0]["Message"].startswith("Persons are required")
    long_ssn = api.post(
        "/customerinvoicedrafts", json={**base, "Persons": [{"Ssn": "19800101-12345", "Amount": 1}]}
    )
    assert long_ssn.status_code == 400
    assert long_ssn.json()["Errors"][0]["Field"] == "Persons[0].Ssn"
    person = {"Ssn": "800101-1234", "Amount": 1}
    labour = {**row, "WorkCostType": 1, "IsWorkCost": True, "WorkHours": 0.5}
    short_hours = api.post(
        "/customerinvoicedrafts", json={**base, "Persons": [person], "Rows": [labour]}
    )
    assert short_hours.status_code == 400
    assert short_hours.json()["DeveloperErrorMessage"].endswith(
        "Cannot add rows with labour article, work type set, but with work hours < 1.00"
    )
    ok = api.post(
        "/customerinvoicedrafts",
        json={**base, "Persons": [person], "Rows": [{**labour, "WorkHours": 1}]},
    )
    assert ok.status_code == 201, ok.text


def test_fact_21_articles_and_projects_cannot_be_deleted(api: httpx.Client) -> None:
    article = make_article(api, 10)
    refused = api.delete(f"/articles/{article['Id']}")
    assert refused.status_code == 405
    assert api.get(f"/articles/{article['Id']}").status_code == 200


def test_fact_22_refresh_tokens_are_single_use(emu: Emulator) -> None:
    token = emu.issue_token()
    form = {
        "grant_type": "refresh_token",
        "refresh_token": str(token.refresh_token),
        "client_id": emu.client_id,
        "client_secret": emu.client_secret,
    }
    identity = httpx.Client(transport=emu.transport(), base_url=emu.origin)
    first = identity.post("/connect/token", data=form)
    assert first.status_code == 200 and first.json()["refresh_token"] != token.refresh_token
    again = identity.post("/connect/token", data=form)
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")


def test_fact_23_sandbox_clients_use_the_production_hosts() -> None:
    from eaccounting.environments import resolve_environment

    sandbox, production = resolve_environment("sandbox"), resolve_environment("production")
    assert (sandbox.api_base_url, sandbox.identity_url) == (
        production.api_base_url,
        production.identity_url,
    )
    assert "sandbox" in resolve_environment("legacy-sandbox").api_base_url


def test_fact_13_the_client_copes_with_an_error_id_that_is_not_a_uuid() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"ErrorCode": 2000, "DeveloperErrorMessage": "x", "ErrorId": "redacted-17"}
        return httpx.Response(400, json=body)

    with Client(
        base_url="https://visma.test/v2",
        access_token="t",
        transport=httpx.MockTransport(handler),
        max_retries=0,
    ) as client:
        try:
            client.customers.list()
        except BadRequestError as error:
            assert error.error_id == "redacted-17"
        else:  # pragma: no cover - the call must fail
            raise AssertionError("no error raised")
