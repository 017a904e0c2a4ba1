"""Drive every operation of the effective spec once against a freshly seeded emulator.

Each operation runs on its own fresh company with the same prerequisites (a customer, article,
invoice, supplier invoice, order, quote, ...), so destructive operations don't interfere.
Bodies are built from the request schema with references pointing at those prerequisites.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from eaccounting.testing import Emulator
from eaccounting.testing.schema import ZERO_GUID, Shaper
from eaccounting.testing.spec import Operation

from .conftest import api_client, first, make_article, make_customer


@dataclass
class Fixture:
    ids: dict[str, str]
    by_collection: dict[str, str]


def setup(api: httpx.Client, emu: Emulator) -> Fixture:
    bank_no, other_no = emu.region.bank_account, emu.region.payables_account
    customer = make_customer(api)
    article = make_article(api, 100)
    terms = first(api, "/termsofpayments")
    row = {
        "ArticleId": article["Id"],
        "Quantity": 2,
        "IsTextRow": False,
        "ReversedConstructionServicesVatFree": False,
    }
    doc = {"CustomerId": customer["Id"], "EuThirdParty": False, "RotReducedInvoicingType": 0}
    draft = api.post("/customerinvoicedrafts", json={**doc, "Rows": [row]}).json()
    invoice = api.post("/customerinvoices", json={**doc, "Rows": [row]}).json()
    supplier = api.post(
        "/suppliers", json={"Name": "Lev AB", "TermsOfPaymentId": terms["Id"]}
    ).json()
    sinv = api.post(
        "/supplierinvoices",
        json={"SupplierId": supplier["Id"], "InvoiceNumber": "F1", "TotalAmount": 125, "Vat": 25},
    ).json()
    sdraft = api.post(
        "/supplierinvoicedrafts",
        json={
            "SupplierId": supplier["Id"],
            "Rows": [],
            "IsCreditInvoice": False,
            "InvoiceNumber": "F2",
            "TotalAmount": 125,
            "Vat": 25,
        },
    ).json()
    quote = api.post("/quotes", json={"CustomerId": customer["Id"], "Rows": [row]}).json()
    order = api.post(f"/quotes/{quote['Id']}/converttoorder", json={}).json()
    project = api.post("/projects", json={"Name": "P", "Number": "P1", "Status": 1}).json()
    attachment = api.post(
        "/attachments", json={"ContentType": "text/plain", "FileName": "a.txt", "Data": "aGVsbG8="}
    ).json()
    voucher = api.post(
        "/vouchers",
        json={
            "VoucherText": "v",
            "Rows": [
                {"AccountNumber": bank_no, "DebitAmount": 10},
                {"AccountNumber": other_no, "CreditAmount": 10},
            ],
        },
    ).json()
    center = first(api, "/costcenters")
    item = api.post(
        "/costcenteritems",
        json={"CostCenterId": center["Id"], "Name": "Dept", "ShortName": "D", "IsActive": True},
    ).json()
    fiscal = first(api, "/fiscalyears")
    fiscal_now = api.get("/fiscalyears").json()["Data"][-1]
    bank = first(api, "/bankaccounts")
    transaction = emu.add_bank_transaction(12.5, reference="Incoming")
    voucher_draft = api.post(
        "/voucherdrafts",
        json={
            "VoucherText": "draft",
            "Rows": [
                {"AccountNumber": bank_no, "DebitAmount": 3},
                {"AccountNumber": other_no, "CreditAmount": 3},
            ],
        },
    ).json()
    ids = {
        "bankTransactionId": transaction["Id"],
        "voucherDraftId": voucher_draft["Id"],
        "CustomerId": customer["Id"],
        "ArticleId": article["Id"],
        "TermsOfPaymentId": terms["Id"],
        "SupplierId": supplier["Id"],
        "UnitId": article["UnitId"],
        "CodingId": article["CodingId"],
        "CostCenterId": center["Id"],
        "CompanyBankAccountId": bank["Id"],
        "FiscalYearId": fiscal_now["Id"],
        "ProjectId": project["Id"],
        "fiscalyearId": fiscal_now["Id"],
        "voucherId": voucher["Id"],
        "accountNumber": str(bank_no),
        "date": "2026-01-31",
        "countrycode": "SE",
        "customerInvoiceDraftId": draft["Id"],
        "customerInvoiceId": invoice["Id"],
        "orderId": order["Id"],
        "quoteId": quote["Id"],
        "attachmentId": attachment["Id"],
        "bankAccountId": bank["Id"],
        "costCenterItemId": item["Id"],
        "creditInvoiceId": sinv["Id"],
        "fromDate": "2026-01-01",
        "toDate": "2026-01-31",
    }
    del fiscal
    by_collection = {
        "customers": customer["Id"],
        "articles": article["Id"],
        "customerinvoices": invoice["Id"],
        "customerinvoicedrafts": draft["Id"],
        "suppliers": supplier["Id"],
        "supplierinvoices": sinv["Id"],
        "supplierinvoicedrafts": sdraft["Id"],
        "quotes": quote["Id"],
        "orders": order["Id"],
        "projects": project["Id"],
        "attachments": attachment["Id"],
        "attachmentlinks": attachment["Id"],
        "costcenters": center["Id"],
        "costcenteritems": item["Id"],
        "fiscalyears": fiscal_now["Id"],
        "bankaccounts": bank["Id"],
        "termsofpayments": terms["Id"],
        "units": article["UnitId"],
        "vatcodes": first(api, "/vatcodes")["Id"],
        "articleaccountcodings": article["CodingId"],
        "vouchers": voucher["Id"],
        "deliverymethods": first(api, "/deliverymethods")["Id"],
        "deliveryterms": first(api, "/deliveryterms")["Id"],
    }
    return Fixture(ids, by_collection)


def seed_remaining(emu: Emulator, api: httpx.Client, fx: Fixture) -> None:
    """One record in every other collection: via its create operation, else stored directly."""
    company = emu.core.company
    shaper = Shaper(company.schemas, company.today(), company.now())
    index = emu.core.index
    for op in index.operations.values():
        segments = op.path.strip("/").split("/")
        coll = segments[0]
        if coll in fx.by_collection or len(segments) != 2 or not segments[1].startswith("{"):
            continue
        if op.method != "GET" or op.response_schema is None or op.paginated:
            continue
        create = next(
            (
                o
                for o in index.operations.values()
                if o.method == "POST" and o.path == f"/{coll}" and o.request_schema is not None
            ),
            None,
        )
        ident = None
        if create is not None and create.request_schema is op.response_schema:
            body = _fill(shaper.shape(create.request_schema, {}), fx.ids)
            response = api.post(f"/{coll}", json=body)
            if response.status_code == 201 and isinstance(response.json(), dict):
                ident = response.json().get("Id")
        if ident is None:
            ident = company.ids.guid()
            record = shaper.shape(op.response_schema, {"Id": ident})
            company.coll(coll)[ident] = record
        fx.by_collection[coll] = ident


def _fill(value: Any, ids: dict[str, str], key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, ids, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids, key) for v in value]
    if value == ZERO_GUID and key in ids:
        return ids[key]
    return value


def request_for(emu: Emulator, op: Operation, fx: Fixture) -> tuple[str, Any]:
    if op.operation_id == "delete_customer":  # one without documents can be deleted
        with api_client(emu) as api:
            fx.ids["customerId"] = make_customer(api, "Deletable")["Id"]
    segments = op.path.strip("/").split("/")
    url = ""
    for seg in segments:
        if seg.startswith("{") and "}" in seg:
            name, rest = seg[1:].split("}", 1)
            value = fx.ids.get(name)
            if name in ("id", "attachmentId") or value is None:
                value = fx.by_collection.get(segments[0], fx.ids.get(name, ZERO_GUID))
            url += f"/{value}{rest}"
        else:
            url += f"/{seg}"
    body = None
    if op.request_schema is not None:
        company = emu.core.company
        shaper = Shaper(company.schemas, company.today(), company.now())
        if op.request_schema.get("type") == "array":
            item = company.schemas.resolve(op.request_schema["items"])
            body = [_fill(shaper.shape(item, {}), fx.ids)]
        else:
            body = _fill(shaper.shape(op.request_schema, {}), fx.ids)
        if op.operation_id == "update_accounting_lock_settings":
            body["AccountingLockedAsOf"] = {"Year": 2025, "Month": 1}
        if op.operation_id == "update_opening_balances":
            body = [{"Number": emu.region.bank_account, "Balance": 10}]
        if op.operation_id in ("create_customer", "update_customer"):
            body.update(Name="Other", CustomerNumber=None)
        if op.operation_id in ("create_article", "update_article"):
            body.update(Number=None, Name="Other")
        if op.operation_id == "create_voucher":
            body["Rows"] = [
                {"AccountNumber": emu.region.bank_account, "DebitAmount": 5},
                {"AccountNumber": emu.region.payables_account, "CreditAmount": 5},
            ]
        if op.operation_id in (
            "create_customer_invoice_payment",
            "create_supplier_invoice_payment",
        ):
            body.update(PaymentAmount=10 if "customer" in op.operation_id else -10, PaymentType=1)
            if "supplier" in op.operation_id:
                body["PaymentAmount"] = 10
        if op.operation_id == "create_attachment":
            body.update(Data="aGVsbG8=", Url=None)
        if op.operation_id == "create_attachment_links":
            body.update(AttachmentIds=[fx.ids["attachmentId"]])
        if op.operation_id == "create_fiscal_year":
            body.update(StartDate="2027-01-01", EndDate="2027-12-31")
        if op.operation_id == "create_account":
            body.update(Number="1999", Name="New account")
        if op.operation_id in ("create_project", "update_project"):
            body.update(Number="P2", Name="Project 2")
        if op.operation_id in ("create_supplier_invoice",):
            body.update(TotalAmount=125, Vat=25, Rows=[], InvoiceNumber="F9")
    return url, body


@dataclass
class Outcome:
    operation: Operation
    status: int
    response: httpx.Response


def run_all(region: str = "se") -> list[Outcome]:
    emu = Emulator(region=region)
    outcomes = []
    for op in emu.core.index.operations.values():
        emu.reset()
        with api_client(emu) as api:
            fx = setup(api, emu)
            seed_remaining(emu, api, fx)
            url, body = request_for(emu, op, fx)
            response = api.request(op.method, url, json=body)
            outcomes.append(Outcome(op, response.status_code, response))
    return outcomes
