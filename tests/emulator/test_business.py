"""Business rules of the core flows, validation errors and PUT semantics."""

from __future__ import annotations

from typing import Any

import httpx

from .conftest import first, make_article, make_customer

ROW = {"IsTextRow": False, "ReversedConstructionServicesVatFree": False}
DOC = {"EuThirdParty": False, "RotReducedInvoicingType": 0}


def balances(api: httpx.Client, day: str = "2026-01-31") -> dict[int, float]:
    data = api.get(f"/accountbalances/{day}", params={"$filter": "Balance ne 0"}).json()["Data"]
    return {row["AccountNumber"]: row["Balance"] for row in data}


def invoice_flow(api: httpx.Client) -> dict[str, Any]:
    customer = make_customer(api)
    a25 = make_article(api, 99.5)
    a12 = make_article(api, 40, "MP2")
    draft = api.post(
        "/customerinvoicedrafts",
        json={
            **DOC,
            "CustomerId": customer["Id"],
            "Rows": [
                {**ROW, "ArticleId": a25["Id"], "Quantity": 3},
                {**ROW, "ArticleId": a12["Id"], "Quantity": 1},
                {
                    "IsTextRow": True,
                    "Text": "Thank you",
                    "ReversedConstructionServicesVatFree": False,
                },
            ],
        },
    )
    assert draft.status_code == 201, draft.text
    response = api.post(f"/customerinvoicedrafts/{draft.json()['Id']}/convert")
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_customer_numbers_are_assigned_and_unique(api: httpx.Client) -> None:
    assert make_customer(api)["CustomerNumber"] == "1"
    assert make_customer(api, "Two")["CustomerNumber"] == "2"
    terms = first(api, "/termsofpayments")["Id"]
    response = api.post(
        "/customers",
        json={
            "Name": "Dup",
            "InvoiceCity": "A",
            "InvoicePostalCode": "1",
            "IsActive": True,
            "IsPrivatePerson": False,
            "TermsOfPaymentId": terms,
            "CustomerNumber": "2",
        },
    )
    assert response.status_code == 400
    body = response.json()
    assert body["ErrorCode"] == 4000
    assert (
        body["DeveloperErrorMessage"] == "ConflictException - CustomerNumber '2' is already in use."
    )
    assert body["Errors"] == [
        {
            "Field": "CustomerNumber",
            "ErrorCode": "Duplicate",
            "Message": "CustomerNumber must be unique.",
            "Key": "CustomerNumber",
        }
    ]


def test_required_fields_and_max_length(api: httpx.Client) -> None:
    response = api.post("/customers", json={"Name": "x" * 51, "InvoicePostalCode": "1" * 11})
    assert response.status_code == 400
    body = response.json()
    assert body["ErrorCode"] == 2000
    assert [(e["Field"], e["ErrorCode"]) for e in body["Errors"]] == [
        ("InvoiceCity", "Required"),
        ("IsActive", "Required"),
        ("IsPrivatePerson", "Required"),
        ("TermsOfPaymentId", "Required"),
        ("Name", "MaxLength"),
        ("InvoicePostalCode", "MaxLength"),
    ]
    assert body["Errors"][5]["Message"] == "InvoicePostalCode can be at most 10 characters long."
    assert len(body["ErrorId"]) == 36


def test_numbers_outside_the_documented_range_are_refused(api: httpx.Client) -> None:
    response = api.post("/articles", json={"Name": "A", "NetPrice": -1, "PurchasePrice": 1e9})
    assert response.status_code == 400
    errors = {
        e["Field"]: e["Message"] for e in response.json()["Errors"] if e["ErrorCode"] == "Range"
    }
    assert errors == {
        "NetPrice": "NetPrice must be at least 0.",
        "PurchasePrice": "PurchasePrice can be at most 99000000.",
    }


def test_put_replaces_the_whole_object(api: httpx.Client) -> None:
    customer = make_customer(api, EmailAddress="a@example.com", Telephone="123")
    assert customer["EmailAddress"] == "a@example.com"
    body = {
        k: customer[k]
        for k in (
            "Name",
            "InvoiceCity",
            "InvoicePostalCode",
            "IsActive",
            "IsPrivatePerson",
            "TermsOfPaymentId",
        )
    }
    updated = api.put(f"/customers/{customer['Id']}", json={**body, "Telephone": "456"}).json()
    assert updated["EmailAddress"] is None  # omitted → null
    assert updated["Telephone"] == "456"
    assert updated["Id"] == customer["Id"]
    assert api.get(f"/customers/{customer['Id']}").json() == updated


def test_unknown_resource_is_404_with_visma_body(api: httpx.Client) -> None:
    response = api.get("/customers/6f1c2a52-4d0e-4a47-a3cd-8c3bd25a1c11")
    assert response.status_code == 404
    assert response.json()["ErrorCode"] == 3000
    assert response.json()["DeveloperErrorMessage"] == (
        "ResourceNotFoundException - customers with id 6f1c2a52-4d0e-4a47-a3cd-8c3bd25a1c11 "
        "was not found."
    )


def test_draft_converts_to_invoice_with_totals_vat_and_rounding(api: httpx.Client) -> None:
    invoice = invoice_flow(api)
    # 3 x 99.50 at 25 % and 1 x 40 at 12 %; SE rounds the total to whole kronor.
    assert invoice["InvoiceNumber"] == 1
    assert invoice["TotalAmount"] == 338.5
    assert invoice["TotalVatAmount"] == 79.43  # 74.63 + 4.80 (per row, rounded)
    assert invoice["TotalRoundings"] == 0.07
    assert invoice["RemainingAmount"] == 418.0
    assert invoice["VatSpecification"] == [
        {"AmountInvoiceCurrency": 298.5, "VatAmountInvoiceCurrency": 74.63, "VatPercent": 25.0},
        {"AmountInvoiceCurrency": 40.0, "VatAmountInvoiceCurrency": 4.8, "VatPercent": 12.0},
    ]
    assert [r["VatRate"] for r in invoice["Rows"]] == [0.25, 0.12, None]
    assert invoice["InvoiceDate"] == "2026-01-15"
    assert invoice["DueDate"] == "2026-02-14"  # 30 days net
    assert invoice["VoucherNumber"] == "B1"
    assert api.get("/customerinvoicedrafts").json()["Data"] == []
    assert balances(api) == {
        1510: 418.0,
        2611: -74.63,
        2621: -4.8,
        3001: -298.5,
        3002: -40.0,
        3740: -0.07,
    }


def test_payment_reduces_remaining_amount_and_books(api: httpx.Client) -> None:
    invoice = invoice_flow(api)
    bank = first(api, "/bankaccounts")
    pay = {
        "CompanyBankAccountId": bank["Id"],
        "PaymentCurrency": "SEK",
        "PaymentType": 1,
        "PaymentDate": "2026-01-20",
    }
    response = api.post(
        f"/customerinvoices/{invoice['Id']}/payments", json={**pay, "PaymentAmount": 400}
    )
    assert response.status_code == 201, response.text
    after = api.get(f"/customerinvoices/{invoice['Id']}").json()
    assert after["RemainingAmount"] == 18.0
    assert after["PaymentStatus"] == 1
    too_much = api.post(
        f"/customerinvoices/{invoice['Id']}/payments", json={**pay, "PaymentAmount": 19}
    )
    assert too_much.status_code == 400
    assert too_much.json()["Errors"][0]["Message"] == (
        "PaymentAmount 19.00 must be non-zero, have the sign of the remaining amount and not "
        "exceed it (18.00)."
    )
    api.post(f"/customerinvoices/{invoice['Id']}/payments", json={**pay, "PaymentAmount": 18})
    paid = api.get(f"/customerinvoices/{invoice['Id']}").json()
    assert (paid["RemainingAmount"], paid["PaymentStatus"], paid["PaymentDate"]) == (
        0.0,
        0,
        "2026-01-20",
    )
    assert balances(api)[1930] == 418.0
    assert 1510 not in balances(api)


def test_credit_invoice_has_negative_amounts(api: httpx.Client) -> None:
    customer = make_customer(api)
    article = make_article(api, 100)
    response = api.post(
        "/customerinvoices",
        json={
            **DOC,
            "CustomerId": customer["Id"],
            "IsCreditInvoice": True,
            "Rows": [{"ArticleId": article["Id"], "Quantity": 1}],
        },
    )
    assert response.status_code == 201, response.text
    credit = response.json()
    assert (credit["TotalAmount"], credit["TotalVatAmount"], credit["RemainingAmount"]) == (
        -100.0,
        -25.0,
        -125.0,
    )
    assert balances(api) == {1510: -125.0, 2611: 25.0, 3001: 100.0}


def test_norway_vat_and_rounding_and_netherlands_no_rounding() -> None:
    from eaccounting.testing import Emulator

    from .conftest import api_client

    for region, expected in (("no", (80.0, 12.0, 0.0)), ("nl", (80.0, 7.2, 0.0))):
        emu = Emulator(region=region)
        api = api_client(emu)
        terms = first(api, "/termsofpayments")["Id"]
        customer = api.post(
            "/customers",
            json={
                "Name": "Kunde",
                "InvoiceCity": "X",
                "InvoicePostalCode": "1",
                "IsActive": True,
                "IsPrivatePerson": False,
                "TermsOfPaymentId": terms,
            },
        ).json()
        codings = api.get("/articleaccountcodings").json()["Data"]
        coding = codings[1]  # the second statutory rate: NO 15 % food, NL 9 % low
        article = api.post(
            "/articles",
            json={
                "Name": "Food",
                "IsActive": True,
                "UnitId": first(api, "/units")["Id"],
                "CodingId": coding["Id"],
                "NetPrice": 40,
            },
        ).json()
        invoice = api.post(
            "/customerinvoices",
            json={
                **DOC,
                "CustomerId": customer["Id"],
                "Rows": [{"ArticleId": article["Id"], "Quantity": 2}],
            },
        ).json()
        assert (
            invoice["TotalAmount"],
            invoice["TotalVatAmount"],
            invoice["TotalRoundings"],
        ) == expected, region
        assert (
            api.get("/companysettings").json()["CurrencyCode"] == {"no": "NOK", "nl": "EUR"}[region]
        )


def test_voucher_must_balance_and_be_in_an_open_fiscal_year(api: httpx.Client) -> None:
    rows = [
        {"AccountNumber": 1930, "DebitAmount": 100},
        {"AccountNumber": 2081, "CreditAmount": 90},
    ]
    response = api.post(
        "/vouchers",
        json={"VoucherText": "Owner deposit", "VoucherDate": "2026-01-10", "Rows": rows},
    )
    assert response.status_code == 400
    assert response.json()["Errors"] == [
        {
            "Field": "Rows",
            "ErrorCode": "VoucherNotBalanced",
            "Key": "Rows",
            "Message": "The voucher is not balanced: debit 100.00, credit 90.00.",
        }
    ]
    rows[1]["CreditAmount"] = 100
    old = api.post(
        "/vouchers", json={"VoucherText": "x", "VoucherDate": "2023-06-01", "Rows": rows}
    )
    assert old.status_code == 400
    assert old.json()["ErrorCode"] == 3001
    unknown = api.post(
        "/vouchers",
        json={
            "VoucherText": "x",
            "VoucherDate": "2026-01-10",
            "Rows": [*rows, {"AccountNumber": 9999, "DebitAmount": 1}],
        },
    )
    assert unknown.json()["ErrorCode"] == 3002
    ok = api.post(
        "/vouchers",
        json={"VoucherText": "Owner deposit", "VoucherDate": "2026-01-10", "Rows": rows},
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["NumberAndNumberSeries"] == "A1"
    assert balances(api) == {1930: 100.0, 2081: -100.0}
    assert balances(api, "2026-01-09") == {}
    single = api.get("/accountbalances/1930/2026-01-31").json()
    assert single["Balance"] == 100.0


def test_supplier_invoice_books_payables_and_payment(api: httpx.Client) -> None:
    terms = first(api, "/termsofpayments")["Id"]
    supplier = api.post("/suppliers", json={"Name": "Lev AB", "TermsOfPaymentId": terms}).json()
    assert supplier["SupplierNumber"] == "1"
    bad = api.post(
        "/supplierinvoices",
        json={
            "SupplierId": supplier["Id"],
            "InvoiceNumber": "F1",
            "TotalAmount": 125,
            "Vat": 25,
            "Rows": [{"AccountNumber": 5010, "DebetAmount": 90}],
        },
    )
    assert bad.status_code == 400
    assert bad.json()["ErrorCode"] == 4032
    invoice = api.post(
        "/supplierinvoices",
        json={
            "SupplierId": supplier["Id"],
            "InvoiceNumber": "F1",
            "TotalAmount": 125,
            "Vat": 25,
            "InvoiceDate": "2026-01-12",
            "Rows": [{"AccountNumber": 5010, "DebetAmount": 100}],
        },
    ).json()
    assert invoice["RemainingAmount"] == -125.0  # what the company owes (evidence fact 7)
    bank = first(api, "/bankaccounts")
    api.post(
        f"/supplierinvoices/{invoice['Id']}/payments",
        json={
            "CompanyBankAccountId": bank["Id"],
            "PaymentAmount": 125,
            "PaymentCurrency": "SEK",
            "PaymentType": 2,
            "PaymentDate": "2026-01-13",
        },
    )
    assert api.get(f"/supplierinvoices/{invoice['Id']}").json()["RemainingAmount"] == 0.0
    assert balances(api) == {1930: -125.0, 2641: 25.0, 5010: 100.0}


def test_quote_accept_convert_to_order_and_invoice(api: httpx.Client) -> None:
    customer = make_customer(api)
    article = make_article(api, 100)
    quote = api.post(
        "/quotes",
        json={"CustomerId": customer["Id"], "Rows": [{"ArticleId": article["Id"], "Quantity": 2}]},
    )
    assert quote.status_code == 201
    assert (quote.json()["Number"], quote.json()["TotalAmount"]) == (1, 200.0)
    assert api.put(f"/quotes/{quote.json()['Id']}/accept").status_code == 200
    assert api.get(f"/quotes/{quote.json()['Id']}").json()["Status"] == 2
    order = api.post(f"/quotes/{quote.json()['Id']}/converttoorder", json={}).json()
    assert (order["Number"], order["Amount"], order["VatAmount"]) == (1, 200.0, 50.0)
    assert order["CreatedFromQuoteId"] == quote.json()["Id"]
    invoice = api.post(f"/orders/{order['Id']}/convert", json={}).json()
    assert (invoice["CreatedFromOrderId"], invoice["RemainingAmount"]) == (order["Id"], 250.0)


def test_attachment_upload_link_and_download(emu: Any, api: httpx.Client) -> None:
    uploaded = api.post(
        "/attachments", json={"ContentType": "text/plain", "FileName": "r.txt", "Data": "aGVsbG8="}
    )
    assert uploaded.status_code == 201
    attachment = uploaded.json()
    voucher = api.post(
        "/vouchers",
        json={
            "VoucherText": "v",
            "Rows": [
                {"AccountNumber": 1930, "DebitAmount": 1},
                {"AccountNumber": 2081, "CreditAmount": 1},
            ],
        },
    ).json()
    link = api.post(
        "/attachmentlinks",
        json={"DocumentId": voucher["Id"], "DocumentType": 3, "AttachmentIds": [attachment["Id"]]},
    )
    assert link.status_code == 200
    linked = api.get(f"/attachments/{attachment['Id']}").json()
    assert (linked["DocumentId"], linked["AttachedDocumentType"]) == (voucher["Id"], 3)
    raw = httpx.Client(transport=emu.transport(), base_url=emu.origin)
    assert (
        attachment["TemporaryUrl"]
        == f"http://files.emulator.local/files/attachments/{attachment['Id']}"
    )
    download = raw.get(attachment["TemporaryUrl"])
    assert (download.content, download.headers["content-type"]) == (b"hello", "text/plain")
    bad = api.post(
        "/attachments",
        json={"ContentType": "text/plain", "FileName": "r.txt", "Data": "not base64!"},
    )
    assert bad.json()["Errors"][0]["ErrorCode"] == "InvalidBase64"


def test_bank_transactions_matched_by_payments_and_added_by_tests(
    emu: Any, api: httpx.Client
) -> None:
    invoice = invoice_flow(api)
    bank = first(api, "/bankaccounts")
    payment = api.post(
        f"/customerinvoices/{invoice['Id']}/payments",
        json={
            "CompanyBankAccountId": bank["Id"],
            "PaymentAmount": 418,
            "PaymentCurrency": "SEK",
            "PaymentType": 2,
            "Reference": "OCR 1",
        },
    ).json()
    incoming = emu.add_bank_transaction(99.0, date="2026-01-16", reference="Unknown")
    matched = api.get(f"/banktransactions/{bank['Id']}/matched").json()["Data"]
    unmatched = api.get(f"/banktransactions/{bank['Id']}/unmatched").json()["Data"]
    assert [(t["Id"], t["TransactionAmount"], t["IsReconciled"]) for t in matched] == [
        (payment["BankTransactionId"], 418.0, True)
    ]
    assert [(t["Id"], t["TransactionDate"], t["Reference"]) for t in unmatched] == [
        (incoming["Id"], "2026-01-16", "Unknown")
    ]
    single = api.get(f"/banktransactions/{bank['Id']}/{incoming['Id']}").json()
    assert single["TransactionAmount"] == 99.0


def test_voucher_draft_converts_to_a_balanced_voucher(api: httpx.Client) -> None:
    rows = [{"AccountNumber": 1930, "DebitAmount": 50}, {"AccountNumber": 2081, "CreditAmount": 40}]
    draft = api.post(
        "/voucherdrafts", json={"VoucherText": "Draft", "VoucherDate": "2026-01-05", "Rows": rows}
    ).json()
    unbalanced = api.post(f"/voucherdrafts/{draft['Id']}/convert")
    assert unbalanced.status_code == 400
    assert unbalanced.json()["Errors"][0]["ErrorCode"] == "VoucherNotBalanced"
    rows[1]["CreditAmount"] = 50
    body = {"VoucherText": "Draft", "VoucherDate": "2026-01-05", "Rows": rows}
    assert api.put(f"/voucherdrafts/{draft['Id']}", json=body).status_code == 200
    voucher = api.post(f"/voucherdrafts/{draft['Id']}/convert")
    assert voucher.status_code == 201, voucher.text
    assert voucher.json()["NumberAndNumberSeries"] == "A1"
    assert api.get("/voucherdrafts").json()["Data"] == []


def test_locked_fiscal_year_rejects_vouchers(api: httpx.Client) -> None:
    fiscal = api.get("/fiscalyears").json()["Data"][1]
    locked = api.put(f"/fiscalyears/{fiscal['Id']}", json={"IsLockedForAccounting": True})
    assert locked.json()["IsLockedForAccounting"] is True
    response = api.post(
        "/vouchers",
        json={
            "VoucherText": "x",
            "VoucherDate": "2026-01-10",
            "Rows": [
                {"AccountNumber": 1930, "DebitAmount": 1},
                {"AccountNumber": 2081, "CreditAmount": 1},
            ],
        },
    )
    assert response.status_code == 400
    assert response.json()["ErrorCode"] == 4026


def test_invoice_pdf(emu: Any, api: httpx.Client) -> None:
    invoice = invoice_flow(api)
    url = api.get(f"/customerinvoices/{invoice['Id']}/pdf").json()["Url"]
    # Evidence fact 8: a temporary URL on another host, fetched without the bearer token.
    assert url == f"http://files.emulator.local/files/invoices/{invoice['Id']}/invoice.pdf"
    pdf = httpx.Client(transport=emu.transport()).get(url)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-1.4\n% Invoice 1 Acme AB 418.00")
    printed = api.get(f"/customerinvoices/{invoice['Id']}/print")
    assert printed.content == pdf.content


def test_opening_balances_and_carry_forward_between_fiscal_years(api: httpx.Client) -> None:
    response = api.put(
        "/fiscalyears/openingbalances",
        json=[{"Number": 1930, "Balance": 1000}, {"Number": 2081, "Balance": -1000}],
    )
    assert response.status_code == 200, response.text
    assert [(o["Number"], o["Balance"]) for o in response.json()] == [
        (1930, 1000.0),
        (2081, -1000.0),
    ]
    bad = api.put("/fiscalyears/openingbalances", json=[{"Number": 3001, "Balance": 5}])
    assert bad.json()["Errors"][0]["ErrorCode"] == "NotBalanceSheetAccount"
    # A 2025 sale: the bank balance carries into 2026, the revenue account does not.
    rows = [
        {"AccountNumber": 1930, "DebitAmount": 200},
        {"AccountNumber": 3001, "CreditAmount": 200},
    ]
    assert (
        api.post(
            "/vouchers",
            json={"VoucherText": "2025 sale", "VoucherDate": "2025-06-01", "Rows": rows},
        ).status_code
        == 201
    )
    assert balances(api, "2025-12-31") == {1930: 1200.0, 2081: -1000.0, 3001: -200.0}
    assert balances(api, "2026-01-31") == {1930: 1200.0, 2081: -1000.0}
    listed = api.get("/fiscalyears/openingbalances").json()
    assert listed["Meta"]["TotalNumberOfResults"] == 2


def test_quote_draft_converts_to_quote_and_payment_reminders_count(api: httpx.Client) -> None:
    customer = make_customer(api)
    article = make_article(api, 10)
    draft = api.post(
        "/quotedrafts",
        json={"CustomerId": customer["Id"], "Rows": [{"ArticleId": article["Id"], "Quantity": 3}]},
    )
    assert draft.status_code == 201, draft.text
    quote = api.put(f"/quotedrafts/{draft.json()['Id']}/convert")
    assert quote.status_code == 200, quote.text
    assert (quote.json()["Number"], quote.json()["TotalAmount"]) == (1, 30.0)
    assert api.get("/quotedrafts").json()["Data"] == []
    invoice = invoice_flow(api)
    for _ in range(2):
        assert (
            api.post(f"/customerinvoices/{invoice['Id']}/paymentreminders", json={}).status_code
            == 200
        )
    after = api.get(f"/customerinvoices/{invoice['Id']}").json()
    assert (after["PaymentRemindersCount"], after["PaymentReminderIssued"]) == (2, True)
    missing = api.post("/customerinvoices/6f1c2a52-4d0e-4a47-a3cd-8c3bd25a1c11/email", json={})
    assert missing.status_code == 404


def test_accounting_lock_rejects_vouchers_in_locked_months(api: httpx.Client) -> None:
    lock = api.put(
        "/companysettings/accountinglocksettings",
        json={"AccountingLockedAsOf": {"Year": 2026, "Month": 1}, "AccountingLockInterval": 1},
    )
    assert lock.status_code == 200
    assert lock.json()["AccountingLockedTo"] == "2026-01-31T00:00:00Z"
    rows = [{"AccountNumber": 1930, "DebitAmount": 1}, {"AccountNumber": 2081, "CreditAmount": 1}]
    locked = api.post(
        "/vouchers", json={"VoucherText": "x", "VoucherDate": "2026-01-31", "Rows": rows}
    )
    assert locked.status_code == 400
    assert locked.json()["DeveloperErrorMessage"] == (
        "VoucherDateIsInLockedPeriodException - The voucher date 2026-01-31 is in a locked period."
    )
    assert (
        api.post(
            "/vouchers", json={"VoucherText": "x", "VoucherDate": "2026-02-01", "Rows": rows}
        ).status_code
        == 201
    )
