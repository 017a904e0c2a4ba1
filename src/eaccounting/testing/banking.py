"""Bank transactions (matched by payments, or added by tests), voucher-draft conversion,
fiscal-year locking and invoice PDFs."""

from __future__ import annotations

from typing import Any

from .company import Company, Record, Request, money
from .errors import VismaError, not_found
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
    c.get("customerinvoices", r.params["invoiceId"], "Customer invoice")
    return 200, {"Url": f"{c.origin}/v2/customerinvoices/{r.params['invoiceId']}/print"}


@handles("print_customer_invoice")
def invoice_pdf(c: Company, r: Request) -> tuple[int, Any]:
    invoice = c.get("customerinvoices", r.params["invoiceId"], "Customer invoice")
    if invoice is None:  # pragma: no cover - get() raises
        raise VismaError(404, 3000, "Not found")
    text = (
        f"Invoice {invoice['InvoiceNumber']} {invoice['CustomerName']} "
        f"{invoice['RemainingAmount']:.2f}"
    ).encode()
    return 200, Binary(_PDF_HEADER + b"% " + text + b"\n%%EOF\n", "application/pdf")
