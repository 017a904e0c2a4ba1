"""Every resource-specific action (PDF, void, payments, conversions, addressed-by-year reads,
singletons) sends the documented request and parses the answer: with the sync client and,
through the ``flavour`` fixture, with the async one."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from eaccounting import ValidationError

from .conftest import make_client, paged

pytest.importorskip("eaccounting_api.models.customer_invoice_api")

ID = str(uuid.UUID(int=5))
FY = str(uuid.UUID(int=6))
BANK = str(uuid.UUID(int=7))
PAYMENT = {
    "CompanyBankAccountId": BANK,
    "PaymentAmount": 100.0,
    "PaymentCurrency": "SEK",
    "PaymentType": 1,
    "PaymentDate": "2026-01-31",
}


class Recorder:
    """Answers every request with a small JSON object and records (method, path, query, body)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, dict[str, str], Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        query = dict(request.url.params)
        self.seen.append((request.method, request.url.path, query, body))
        path = request.url.path
        if path.endswith("/print"):
            return httpx.Response(200, content=b"%PDF-1.7")
        if path.endswith("/void"):
            return httpx.Response(204)
        if path.endswith("/pdf"):
            return httpx.Response(200, json={"Url": "https://files.example/i.pdf"})
        if request.method == "GET" and path.endswith("/costcenters"):
            return paged([{"Id": ID, "Name": "old", "Number": 1}], 1, 100, 1)
        if "$page" in query:
            return paged([{"Id": ID, "Name": "x"}], 1, int(query["$pagesize"]), 1)
        return httpx.Response(200, json={"Id": ID, "Name": "x", **(body or {})})


Call = Callable[[Any], Any]

# (what, call, the requests it sends, a check of its result)
ACTIONS: list[tuple[str, Call, list[tuple[str, str, dict[str, str], Any]], Call]] = [
    (
        "customer invoice pdf",
        lambda c: c.customer_invoices.pdf(ID),
        [("GET", f"/v2/customerinvoices/{ID}/print", {}, None)],
        lambda r: r == b"%PDF-1.7",
    ),
    (
        "customer invoice pdf url",
        lambda c: c.customer_invoices.pdf_url(ID),
        [("GET", f"/v2/customerinvoices/{ID}/pdf", {}, None)],
        lambda r: r.url == "https://files.example/i.pdf",
    ),
    (
        "customer invoice void",
        lambda c: c.customer_invoices.void(ID, update_stock=True),
        [("POST", f"/v2/customerinvoices/{ID}/void", {"updateStock": "true"}, None)],
        lambda r: r is None,
    ),
    (
        "customer invoice payment",
        lambda c: c.customer_invoices.create_payment(ID, PAYMENT),
        [("POST", f"/v2/customerinvoices/{ID}/payments", {}, PAYMENT)],
        lambda r: r.payment_amount == 100.0,
    ),
    (
        "customer credit note",
        lambda c: c.customer_invoices.create_credit_note({"CustomerId": ID}),
        [("POST", "/v2/customerinvoices", {}, {"CustomerId": ID, "IsCreditInvoice": True})],
        lambda r: str(r.id) == ID,
    ),
    (
        "customer invoice draft credit note",
        lambda c: c.customer_invoice_drafts.create_credit_note({"CustomerId": ID}),
        [("POST", "/v2/customerinvoicedrafts", {}, {"CustomerId": ID, "IsCreditInvoice": True})],
        lambda r: str(r.id) == ID,
    ),
    (
        "supplier invoice payment",
        lambda c: c.supplier_invoices.create_payment(ID, PAYMENT),
        [("POST", f"/v2/supplierinvoices/{ID}/payments", {}, PAYMENT)],
        lambda r: r.payment_amount == 100.0,
    ),
    (
        "supplier invoice draft convert",
        lambda c: c.supplier_invoice_drafts.convert(ID),
        [("POST", f"/v2/supplierinvoicedrafts/{ID}/convert", {}, None)],
        lambda r: str(r.id) == ID,
    ),
    (
        "voucher draft convert",
        lambda c: c.voucher_drafts.convert(ID),
        [("POST", f"/v2/voucherdrafts/{ID}/convert", {}, None)],
        lambda r: str(r.id) == ID,
    ),
    (
        "order convert",
        lambda c: c.orders.convert_to_invoice(ID),
        [("POST", f"/v2/orders/{ID}/convert", {}, {})],
        lambda r: str(r.id) == ID,
    ),
    (
        "quote to order",
        lambda c: c.quotes.convert_to_order(ID),
        [("POST", f"/v2/quotes/{ID}/converttoorder", {}, {})],
        lambda r: str(r.id) == ID,
    ),
    (
        "quote to invoice",
        lambda c: c.quotes.convert_to_invoice(ID),
        [("POST", f"/v2/quotes/{ID}/converttocustomerinvoice", {}, {})],
        lambda r: str(r.id) == ID,
    ),
    (
        "voucher by year",
        lambda c: c.vouchers.get(FY, ID),
        [("GET", f"/v2/vouchers/{FY}/{ID}", {}, None)],
        lambda r: str(r.id) == ID,
    ),
    (
        "vouchers of a year",
        lambda c: [str(v.id) for v in c.vouchers.iterate_fiscal_year(FY, page_size=10)],
        [("GET", f"/v2/vouchers/{FY}", {"$page": "1", "$pagesize": "10"}, None)],
        lambda r: r == [ID],
    ),
    (
        "account by number",
        lambda c: c.accounts.get(FY, 1930),
        [("GET", f"/v2/accounts/{FY}/1930", {}, None)],
        lambda r: r is not None,
    ),
    (
        "account balance",
        lambda c: c.account_balances.get(1930, "2026-01-31"),
        [("GET", "/v2/accountbalances/1930/2026-01-31", {}, None)],
        lambda r: r is not None,
    ),
    (
        "account balances page",
        lambda c: len(c.account_balances.list("2026-01-31", page=1, page_size=5)),
        [("GET", "/v2/accountbalances/2026-01-31", {"$page": "1", "$pagesize": "5"}, None)],
        lambda r: r == 1,
    ),
    (
        "unmatched bank transactions",
        lambda c: len(list(c.bank_transactions.iterate(BANK, matched=False, page_size=3))),
        [("GET", f"/v2/banktransactions/{BANK}/unmatched", {"$page": "1", "$pagesize": "3"}, None)],
        lambda r: r == 1,
    ),
    (
        "one bank transaction",
        lambda c: c.bank_transactions.get(BANK, ID),
        [("GET", f"/v2/banktransactions/{BANK}/{ID}", {}, None)],
        lambda r: str(r.id) == ID,
    ),
    (
        "payment for a customer invoice",
        lambda c: c.invoice_payments.create_for_customer_invoice(ID, PAYMENT),
        [("POST", f"/v2/customerinvoices/{ID}/payments", {}, PAYMENT)],
        lambda r: r.payment_amount == 100.0,
    ),
    (
        "payment for a supplier invoice",
        lambda c: c.invoice_payments.create_for_supplier_invoice(ID, PAYMENT),
        [("POST", f"/v2/supplierinvoices/{ID}/payments", {}, PAYMENT)],
        lambda r: r.payment_amount == 100.0,
    ),
    (
        "company settings",
        lambda c: c.company_settings.get(),
        [("GET", "/v2/companysettings", {}, None)],
        lambda r: r is not None,
    ),
    (
        "company settings safe update",
        lambda c: c.company_settings.update({"Name": "New AB"}),
        [
            ("GET", "/v2/companysettings", {}, None),
            ("GET", "/v2/companysettings", {}, None),  # the re-read before the PUT
            ("PUT", "/v2/companysettings", {}, {"Id": ID, "Name": "New AB"}),
        ],
        lambda r: r is not None,
    ),
    (
        "cost center update from the list",
        lambda c: c.cost_centers.update(ID, Name="new"),
        [
            ("GET", "/v2/costcenters", {"$page": "1", "$pagesize": "100"}, None),
            # Id and Number are read-only: never sent.
            ("PUT", f"/v2/costcenters/{ID}", {}, {"Name": "new"}),
        ],
        lambda r: str(r.id) == ID,
    ),
    (
        "customer delete",
        lambda c: c.customers.delete(ID),
        [("DELETE", f"/v2/customers/{ID}", {}, None)],
        lambda r: r is None,
    ),
]


@pytest.mark.parametrize(
    ("call", "sent", "check"), [a[1:] for a in ACTIONS], ids=[a[0] for a in ACTIONS]
)
def test_resource_action_sends_the_documented_request(
    call: Call, sent: list[Any], check: Call, flavour: str
) -> None:
    recorder = Recorder()
    client, _ = make_client(recorder)
    result = call(client)
    assert recorder.seen == sent
    assert check(result), result


def test_cost_center_update_of_an_unknown_id_names_it(flavour: str) -> None:
    client, _ = make_client(Recorder())
    missing = str(uuid.UUID(int=99))
    with pytest.raises(ValidationError, match=f"cost_center_id='{missing}' is not in /costcenters"):
        client.cost_centers.update(missing, Name="x")


def test_account_numbers_are_checked_before_any_request(flavour: str) -> None:
    recorder = Recorder()
    client, _ = make_client(recorder)
    with pytest.raises(ValidationError, match="account_number='19x0' must be a positive integer"):
        client.accounts.get(FY, "19x0")
    assert recorder.seen == []
