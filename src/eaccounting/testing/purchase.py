"""Purchasing: supplier invoices (booked against payables), drafts → invoices, payments."""

from __future__ import annotations

from typing import Any

from .company import Company, Record, Request, money
from .errors import VismaError, field_error, validation
from .handlers import create_record, handles, replace_record
from .ledger import book
from .sales import register_payment


def issue_supplier_invoice(c: Company, data: Record, **extra: Any) -> Record:
    """Validate the amounts, book purchases + input VAT against payables, and store."""
    supplier = c.coll("suppliers").get(str(data.get("SupplierId")))
    if supplier is None:
        raise validation(
            [
                field_error(
                    "SupplierId", "NotFound", f"Supplier '{data.get('SupplierId')}' does not exist."
                )
            ]
        )
    total = money(float(data.get("TotalAmount") or 0))
    vat = money(float(data.get("Vat") or 0))
    credit = bool(data.get("IsCreditInvoice"))
    r = c.region
    rows = data.get("Rows") or []
    lines: list[tuple[int, float]] = []
    if rows:
        net = 0.0
        for row in rows:
            amount = float(row.get("DebetAmount") or 0) - float(row.get("CreditAmount") or 0)
            net += amount
            lines.append((int(row["AccountNumber"]), amount))
        if money(net + vat) != total:
            raise VismaError(
                400,
                4032,
                f"The supplier invoice does not balance: rows "
                f"{money(net):.2f} + VAT {vat:.2f} != total {total:.2f}.",
            )
    else:
        lines.append((r.purchases_account, money(total - vat)))
    lines += [(r.input_vat_account, vat), (r.payables_account, -total)]
    if credit:
        lines = [(a, -x) for a, x in lines]
        total = -total
    day = data.get("InvoiceDate") or c.today()
    voucher = book(c, day, f"Supplier invoice {data.get('InvoiceNumber')}", lines, "E")
    data.update(
        InvoiceDate=day,
        SupplierName=supplier["Name"],
        SupplierNumber=supplier["SupplierNumber"],
        CurrencyCode=data.get("CurrencyCode") or r.currency,
        CurrencyRate=1.0,
        # Negative: what the company owes (evidence fact 7); a credit invoice is positive.
        RemainingAmount=-total,
        RemainingAmountInvoiceCurrency=-total,
        Number=c.next_number("supplierinvoice"),
        VoucherId=voucher["Id"],
        VoucherNumber=voucher["NumberAndNumberSeries"],
        IsDomestic=True,
        PaymentStatus=1,
        **extra,
    )
    return create_record(c, "supplierinvoices", c.schemas.named("SupplierInvoiceApi"), data)


@handles("create_supplier_invoice")
def create_supplier_invoice(c: Company, r: Request) -> tuple[int, Any]:
    return 201, issue_supplier_invoice(c, c.validate(r))


@handles("create_supplier_invoice_draft", "update_supplier_invoice_draft")
def save_supplier_draft(c: Company, r: Request) -> tuple[int, Any]:
    schema = c.schemas.named("SupplierInvoiceDraftApi")
    data = c.validate(r)
    if data.get("TotalAmount") is None:
        # Evidence fact 19, in Visma's words and spelling; the account is the region's payables.
        raise VismaError(
            400,
            2000,
            f"The amount on standard account {c.region.payables_account}, recievables is not "
            "equal with TotalAmountBaseCurrency",
        )
    ident = r.params.get("id")
    if ident is None:
        return 201, create_record(c, "supplierinvoicedrafts", schema, data)
    current = c.get("supplierinvoicedrafts", ident, "Supplier invoice draft")
    return 200, replace_record(c, "supplierinvoicedrafts", schema, current, data)


@handles("convert_supplier_invoice_draft")
def convert_supplier_draft(c: Company, r: Request) -> tuple[int, Any]:
    draft = c.get("supplierinvoicedrafts", r.params["id"], "Supplier invoice draft")
    keep = (
        "SupplierId",
        "InvoiceNumber",
        "InvoiceDate",
        "DueDate",
        "TotalAmount",
        "Vat",
        "IsCreditInvoice",
        "CurrencyCode",
        "OcrNumber",
        "Message",
    )
    body = {k: draft.get(k) for k in keep}
    body["Rows"] = [
        {k: row.get(k) for k in ("AccountNumber", "DebetAmount", "CreditAmount", "TransactionText")}
        for row in draft.get("Rows") or []
    ]
    if not body.get("InvoiceNumber"):
        raise validation(
            [
                field_error(
                    "InvoiceNumber", "Required", "The draft needs an InvoiceNumber to be converted."
                )
            ]
        )
    invoice = issue_supplier_invoice(c, body, CreatedFromDraftId=draft["Id"])
    del c.coll("supplierinvoicedrafts")[draft["Id"]]
    return 201, invoice


@handles("create_supplier_invoice_payment")
def pay_supplier_invoice(c: Company, r: Request) -> tuple[int, Any]:
    invoice = c.get("supplierinvoices", r.params["invoiceId"], "Supplier invoice")
    return 201, register_payment(c, invoice, c.validate(r), incoming=False)
