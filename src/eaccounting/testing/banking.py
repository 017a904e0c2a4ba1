"""Bank transactions (matched by payments, or added by tests), voucher-draft conversion,
fiscal-year locking and invoice PDFs."""

from __future__ import annotations

from typing import Any

from .company import Company, Record, Request, money
from .errors import VismaError, not_found
from .files import file_url
from .handlers import Binary, handles
from .ledger import create_voucher

_PDF_HEADER = b"%PDF-1.4\n"


def add_bank_transaction(
    c: Company,
    bank_account_id: str,
    amount: float,
    day: str,
    reference: str | None,
    voucher_id: str | None = None,
) -> Record:
    """Store a bank transaction; it is reconciled ("matched") when a voucher is attached."""
    bank = c.coll("bankaccounts").get(bank_account_id)
    if bank is None:
        raise ValueError(
            f"bank_account_id={bank_account_id!r} is not a bank account of this company"
        )
    ident = c.ids.guid()
    rows = []
    if voucher_id is not None:
        rows.append(
            {
                "VoucherId": voucher_id,
                "AmountTransactionCurrency": money(amount),
                "Reference": reference,
                "Source": "Payment",
                "SourceId": voucher_id,
            }
        )
    record = c.shape(
        "BankTransactionApi",
        {
            "Id": ident,
            "TransactionDate": day[:10],
            "IsReconciled": voucher_id is not None,
            "Reference": reference,
            "OriginalAmount": money(amount),
            "TransactionAmount": money(amount),
            "TransactionAmountCurrency": bank.get("CurrencyCode") or c.region.currency,
            "OriginalCurrency": bank.get("CurrencyCode") or c.region.currency,
            "Rows": rows,
        },
    )
    c.coll("banktransactions")[ident] = record
    c.coll("_banktransaction_account")[ident] = {"BankAccountId": bank_account_id}
    return record


def _transactions(c: Company, bank_account_id: str) -> list[Record]:
    c.get("bankaccounts", bank_account_id, "Bank account")
    owner = c.coll("_banktransaction_account")
    return [
        t
        for i, t in c.coll("banktransactions").items()
        if owner.get(i, {}).get("BankAccountId") == bank_account_id
    ]


@handles("list_matched_bank_transactions", "list_unmatched_bank_transactions")
def list_transactions(c: Company, r: Request) -> tuple[int, Any]:
    matched = r.op.operation_id == "list_matched_bank_transactions"
    rows = [t for t in _transactions(c, r.params["bankAccountId"]) if t["IsReconciled"] is matched]
    return 200, c.page(r, rows)


@handles("get_bank_transaction")
def get_transaction(c: Company, r: Request) -> tuple[int, Any]:
    for t in _transactions(c, r.params["bankAccountId"]):
        if t["Id"] == r.params["bankTransactionId"]:
            return 200, t
    raise not_found("Bank transaction", r.params["bankTransactionId"])


@handles("convert_voucher_draft")
def convert_voucher_draft(c: Company, r: Request) -> tuple[int, Any]:
    ident = r.params["voucherDraftId"]
    draft = c.get("voucherdrafts", ident, "Voucher draft")
    body = {k: draft.get(k) for k in ("VoucherDate", "VoucherText", "NumberSeries")}
    body["VoucherText"] = body["VoucherText"] or "Voucher"
    body["Rows"] = [
        {k: v for k, v in row.items() if v is not None} for row in draft.get("Rows") or []
    ]
    voucher_op = c.index.operations["create_voucher"]
    status, voucher = create_voucher(c, Request(voucher_op, {}, {}, body))
    del c.coll("voucherdrafts")[ident]
    return status, voucher


@handles("update_fiscal_year")
def update_fiscal_year(c: Company, r: Request) -> tuple[int, Any]:
    fy = c.get("fiscalyears", r.params["id"], "Fiscal year")
    data = c.validate(r)
    fy["IsLockedForAccounting"] = bool(data.get("IsLockedForAccounting"))
    return 200, fy


@handles("get_customer_invoice_pdf")
def invoice_pdf_url(c: Company, r: Request) -> tuple[int, Any]:
    """A temporary URL on the storage host (evidence fact 8), fetched without the bearer."""
    invoice = c.get("customerinvoices", r.params["invoiceId"], "Customer invoice")
    return 200, {"Url": file_url(c.origin, "invoices", invoice["Id"], "invoice.pdf")}


@handles("print_customer_invoice")
def invoice_pdf(c: Company, r: Request) -> tuple[int, Any]:
    invoice = c.get("customerinvoices", r.params["invoiceId"], "Customer invoice")
    return 200, Binary(render_invoice_pdf(invoice), "application/pdf")


def render_invoice_pdf(invoice: Record) -> bytes:
    text = (
        f"Invoice {invoice['InvoiceNumber']} {invoice['CustomerName']} "
        f"{invoice['RemainingAmount']:.2f}"
    ).encode()
    return _PDF_HEADER + b"% " + text + b"\n%%EOF\n"


@handles("export_sie4")
def export_sie4(c: Company, r: Request) -> tuple[int, Any]:
    """The SIE4 file of a period as a document with a temporary URL (evidence fact 8)."""
    start, end = r.params["fromDate"][:10], r.params["toDate"][:10]
    if end < start:
        raise VismaError(400, 2000, f"toDate {end} is before fromDate {start}.")
    content = render_sie4(c, start, end)
    name = f"SIE4_{start}_{end}.se"
    document = {
        "Id": c.ids.guid(),
        "ContentType": "text/plain",
        "CreatedUtc": c.now(),
        "Name": name,
        "NameWithoutExtension": name[:-3],
        "Size": len(content),
        "Type": 0,
        "TemporaryUrl": file_url(c.origin, "sie4", f"{start}_{end}", name),
        "Title": name,
    }
    return 200, c.shape("DocumentApi", document)


def render_sie4(c: Company, start: str, end: str) -> bytes:
    """A SIE type 4 file of the vouchers dated ``start``..``end`` (codepage 437, as SIE says)."""
    company = c.settings.get("Name") or "Emulator"
    lines = [
        "#FLAGGA 0",
        '#PROGRAM "eaccounting emulator" 1',
        "#FORMAT PC8",
        "#SIETYP 4",
        f'#FNAMN "{company}"',
        f"#RAR 0 {start.replace('-', '')} {end.replace('-', '')}",
    ]
    vouchers = sorted(
        (v for v in c.coll("vouchers").values() if start <= str(v["VoucherDate"])[:10] <= end),
        key=lambda v: (str(v["VoucherDate"]), str(v["NumberAndNumberSeries"])),
    )
    for v in vouchers:
        day = str(v["VoucherDate"])[:10].replace("-", "")
        number = str(v["NumberAndNumberSeries"])[len(str(v["NumberSeries"])) :]
        lines.append(f'#VER "{v["NumberSeries"]}" {number} {day} "{v.get("VoucherText") or ""}"')
        lines.append("{")
        for row in v.get("Rows") or []:
            amount = float(row.get("DebitAmount") or 0) - float(row.get("CreditAmount") or 0)
            lines.append(f"   #TRANS {row['AccountNumber']} {{}} {amount:.2f}")
        lines.append("}")
    return ("\r\n".join(lines) + "\r\n").encode("cp437", "replace")
