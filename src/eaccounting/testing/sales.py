"""Sales flows: customers, articles, invoice drafts → invoices, credit invoices, payments,
orders and quotes, with totals, VAT per row and regional rounding.

Amount conventions used here: ``TotalAmount`` is the net amount (excluding VAT),
``TotalVatAmount`` the VAT, ``TotalRoundings`` the rounding to whole units where the region
rounds (SE, NO); ``RemainingAmount`` starts at net + VAT + roundings.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from .banking import add_bank_transaction
from .clock import add_days
from .company import Company, Record, Request, money
from .errors import VismaError, field_error, validation
from .handlers import create_record, handles, replace_record, stamp
from .ledger import book

# -- shared -----------------------------------------------------------------------------------


def _ref_error(field: str, value: Any, what: str) -> VismaError:
    return validation([field_error(field, "NotFound", f"{what} '{value}' does not exist.")])


def _assign_number(
    c: Company, coll: str, field: str, data: Record, kind: str, current: Record | None = None
) -> None:
    """Unique number check (4000 Conflict), or the next free number when omitted."""
    taken = {str(r.get(field)) for r in c.coll(coll).values() if r is not current and r.get(field)}
    value = data.get(field)
    if value:
        if str(value) in taken:
            raise VismaError(
                400,
                4000,
                f"{field} '{value}' is already in use.",
                [field_error(field, "Duplicate", f"{field} must be unique.")],
            )
        return
    if current is not None:
        return
    number = c.next_number(kind)
    while str(number) in taken:
        number = c.next_number(kind)
    data[field] = str(number)


def _as_sent(sent: Any, computed: float) -> Any:
    return sent if isinstance(sent, Decimal) else computed


def _rounded_total(c: Company, gross: float) -> float:
    if c.region.round_total_to_whole:
        return math.copysign(math.floor(abs(gross) + 0.5), gross) + 0.0
    return money(gross)


def compute_rows(c: Company, rows: list[Record] | None, credit: bool = False) -> dict[str, Any]:
    """Fill article data, row amounts and VAT; returns rows plus totals and VAT specification."""
    out: list[Record] = []
    net_total = vat_total = 0.0
    spec: dict[float, list[float]] = {}
    default_rate = c.region.vat[0].percent / 100
    for i, raw in enumerate(rows or []):
        row = dict(raw)
        row["LineNumber"] = i
        if row.get("IsTextRow"):
            row.update(VatRate=None, Amount=0.0, AmountNoVat=0.0)
            out.append(row)
            continue
        rate = default_rate
        article = None
        if row.get("ArticleId"):
            article = c.coll("articles").get(row["ArticleId"])
            if article is None:
                raise _ref_error(f"Rows[{i}].ArticleId", row["ArticleId"], "Article")
            coding = c.coll("articleaccountcodings").get(article["CodingId"])
            rate = float(coding["VatRatePercent"]) if coding else default_rate
            row.setdefault("Text", article["Name"])
            row["ArticleNumber"] = article["Number"]
            row["UnitId"] = article["UnitId"]
            if row.get("UnitPrice") is None:
                row["UnitPrice"] = article["NetPrice"]
        if row.get("IsVatFree"):
            rate = 0.0
        qty = float(row["Quantity"]) if row.get("Quantity") is not None else 1.0
        price = float(row.get("UnitPrice") or 0)
        discount = float(row.get("DiscountPercentage") or 0)
        net = money(qty * price * (1 - discount))
        if credit and net > 0:
            net = -net
        vat = money(net * rate)
        row.update(
            # What the caller sent stays as sent, every digit of a Decimal included; the
            # amounts below are the emulator's own (float) arithmetic.
            Quantity=_as_sent(row.get("Quantity"), qty),
            UnitPrice=_as_sent(row.get("UnitPrice"), price),
            VatRate=rate,
            PercentVat=rate,
            AmountNoVat=net,
            Amount=net,
        )
        net_total += net
        vat_total += vat
        acc = spec.setdefault(rate, [0.0, 0.0])
        acc[0] += net
        acc[1] += vat
        out.append(row)
    net_total, vat_total = money(net_total), money(vat_total)
    gross = money(net_total + vat_total)
    total = _rounded_total(c, gross)
    return {
        "Rows": out,
        "net": net_total,
        "vat": vat_total,
        "roundings": money(total - gross),
        "total": total,
        "spec": [
            {
                "AmountInvoiceCurrency": money(a),
                "VatAmountInvoiceCurrency": money(v),
                "VatPercent": rate * 100,
            }
            for rate, (a, v) in sorted(spec.items(), reverse=True)
        ],
    }


def _customer_fields(c: Company, data: Record, field: str = "CustomerId") -> Record:
    customer = c.coll("customers").get(str(data.get(field)))
    if customer is None:
        raise _ref_error(field, data.get(field), "Customer")
    return customer


# -- customers and suppliers ------------------------------------------------------------------


@handles("create_customer", "update_customer")
def save_customer(c: Company, r: Request) -> tuple[int, Any]:
    schema = c.schemas.named("CustomerApi")
    data = c.validate(r)
    current = c.get("customers", r.params["customerId"]) if "customerId" in r.params else None
    terms = c.coll("termsofpayments").get(str(data.get("TermsOfPaymentId")))
    if terms is None:
        raise _ref_error("TermsOfPaymentId", data.get("TermsOfPaymentId"), "Terms of payment")
    if data.get("ReverseChargeOnConstructionServices") and not data.get("VatNumber"):
        raise VismaError(  # evidence fact 18
            400,
            2000,
            "VatNumber can not be null or empty when using ReverseChargeOnConstructionServices",
            [
                field_error(
                    "VatNumber",
                    "Required",
                    "VatNumber can not be null or empty when using "
                    "ReverseChargeOnConstructionServices",
                )
            ],
        )
    _assign_number(c, "customers", "CustomerNumber", data, "customer", current)
    data["TermsOfPayment"] = terms
    data.setdefault("CurrencyCode", c.region.currency)
    if current is None:
        data["IsFutureInvoiceDateAllowed"] = True
        return 201, create_record(c, "customers", schema, data)
    return 200, replace_record(c, "customers", schema, current, data)


@handles("delete_customer")
def delete_customer(c: Company, r: Request) -> tuple[int, Any]:
    ident = r.params["customerId"]
    c.get("customers", ident, "Customer")
    for coll in ("customerinvoices", "customerinvoicedrafts", "orders", "quotes"):
        if any(x.get("CustomerId") == ident for x in c.coll(coll).values()):
            raise VismaError(400, 4001, "The customer has documents and cannot be deleted.")
    del c.coll("customers")[ident]
    return 200, None


@handles("create_supplier", "update_supplier")
def save_supplier(c: Company, r: Request) -> tuple[int, Any]:
    schema = c.schemas.named("SupplierApi")
    data = c.validate(r)
    current = c.get("suppliers", r.params["id"]) if "id" in r.params else None
    if str(data.get("TermsOfPaymentId")) not in c.coll("termsofpayments"):
        raise _ref_error("TermsOfPaymentId", data.get("TermsOfPaymentId"), "Terms of payment")
    _assign_number(c, "suppliers", "SupplierNumber", data, "supplier", current)
    data.setdefault("CurrencyCode", c.region.currency)
    if current is None:
        return 201, create_record(c, "suppliers", schema, data)
    return 200, replace_record(c, "suppliers", schema, current, data)


# -- articles ---------------------------------------------------------------------------------


@handles("create_article", "update_article")
def save_article(c: Company, r: Request) -> tuple[int, Any]:
    schema = c.schemas.named("ArticleApi")
    data = c.validate(r, optional=frozenset({"Number"}))
    current = c.get("articles", r.params["articleId"]) if "articleId" in r.params else None
    unit = c.coll("units").get(str(data.get("UnitId")))
    if unit is None:
        raise _ref_error("UnitId", data.get("UnitId"), "Unit")
    coding = c.coll("articleaccountcodings").get(str(data.get("CodingId")))
    if coding is None:
        raise _ref_error("CodingId", data.get("CodingId"), "Article account coding")
    _assign_number(c, "articles", "Number", data, "article", current)
    net = float(data.get("NetPrice") or 0)
    data.update(
        UnitName=unit["Name"], UnitAbbreviation=unit["Abbreviation"], CodingName=coding["Name"]
    )
    if data.get("GrossPrice") is None:
        data["GrossPrice"] = money(net * (1 + float(coding["VatRatePercent"])))
    if current is None:
        return 201, create_record(c, "articles", schema, data)
    return 200, replace_record(c, "articles", schema, current, data)


# -- customer invoice drafts and invoices -----------------------------------------------------


#: The longest personal identity number the API accepts for a ROT/RUT person, though the spec
#: allows 50 characters (evidence fact 20).
SSN_MAX_LENGTH = 11


def _check_rot_rut(data: Record) -> None:
    """The ROT/RUT rules measured in the sandbox (evidence fact 20)."""
    if data.get("RotReducedInvoicingType") not in (1, 2):  # 1 ROT, 2 RUT
        return
    persons = data.get("Persons") or []
    if not persons:
        raise validation(
            [field_error("Persons", "Required", "Persons are required for ROT/RUT invoices.")]
        )
    for i, person in enumerate(persons):
        ssn = str(person.get("Ssn") or "")
        if len(ssn) > SSN_MAX_LENGTH:
            raise validation(
                [
                    field_error(
                        f"Persons[{i}].Ssn",
                        "MaxLength",
                        f"Persons[{i}].Ssn can be at most {SSN_MAX_LENGTH} characters long.",
                    )
                ]
            )
    for row in data.get("Rows") or []:
        if row.get("WorkCostType") and float(row.get("WorkHours") or 0) < 1:
            raise VismaError(
                400,
                2000,
                "Cannot add rows with labour article, work type set, but with work hours < 1.00",
            )


def _fill_sales_document(c: Company, data: Record, date_field: str) -> Record:
    _check_rot_rut(data)
    customer = _customer_fields(c, data)
    credit = bool(data.get("IsCreditInvoice"))
    calc = compute_rows(c, data.get("Rows"), credit)
    day = data.get(date_field) or c.today()
    terms_id = data.get("TermsOfPaymentId") or customer["TermsOfPaymentId"]
    terms = c.coll("termsofpayments").get(terms_id)
    days = int(terms["NumberOfDays"]) if terms else 30
    data.update(
        Rows=calc["Rows"],
        TermsOfPaymentId=terms_id,
        CustomerNumber=customer["CustomerNumber"],
        CustomerName=customer["Name"],
        InvoiceCustomerName=customer["Name"],
        InvoicePostalCode=customer["InvoicePostalCode"],
        InvoiceCity=customer["InvoiceCity"],
        InvoiceCountryCode=customer.get("InvoiceCountryCode") or c.region.country,
        InvoiceCurrencyCode=customer.get("CurrencyCode") or c.region.currency,
        CustomerIsPrivatePerson=customer["IsPrivatePerson"],
        # Derived from the customer whatever was sent (evidence fact 17); a reverse-charge
        # invoice needs the customer's flag (and the rows' own flags).
        ReverseChargeOnConstructionServices=bool(
            customer.get("ReverseChargeOnConstructionServices")
        ),
        TotalAmount=calc["net"],
        TotalVatAmount=calc["vat"],
        TotalRoundings=calc["roundings"],
        TotalAmountBaseCurrency=calc["net"],
        TotalVatAmountBaseCurrency=calc["vat"],
    )
    data[date_field] = day
    if not data.get("DueDate"):
        data["DueDate"] = add_days(day, days)
    data["_calc"] = calc
    return data


@handles("create_customer_invoice_draft", "update_customer_invoice_draft")
def save_draft(c: Company, r: Request) -> tuple[int, Any]:
    schema = c.schemas.named("CustomerInvoiceDraftApi")
    data = _fill_sales_document(c, c.validate(r), "InvoiceDate")
    data.pop("_calc")
    ident = r.params.get("customerInvoiceDraftId")
    if ident is None:
        return 201, create_record(c, "customerinvoicedrafts", schema, data)
    current = c.get("customerinvoicedrafts", ident, "Customer invoice draft")
    return 200, replace_record(c, "customerinvoicedrafts", schema, current, data)


def issue_invoice(c: Company, data: Record, **extra: Any) -> Record:
    """Number, book and store a customer invoice from a validated document body."""
    data = _fill_sales_document(c, data, "InvoiceDate")
    calc = data.pop("_calc")
    r = c.region
    lines: list[tuple[int, float]] = [(r.receivables_account, calc["total"])]
    for row_spec in calc["spec"]:
        vat = next((v for v in r.vat if v.percent == row_spec["VatPercent"]), r.vat[0])
        lines.append((vat.sales_account, -row_spec["AmountInvoiceCurrency"]))
        if vat.output_account and row_spec["VatAmountInvoiceCurrency"]:
            lines.append((vat.output_account, -row_spec["VatAmountInvoiceCurrency"]))
    if calc["roundings"]:
        lines.append((r.rounding_account, -calc["roundings"]))
    number = c.next_number("customerinvoice", int(c.settings.get("NextCustomerInvoiceNumber") or 1))
    voucher = book(c, data["InvoiceDate"], f"Customer invoice {number}", lines, "B")
    data.update(
        InvoiceNumber=number,
        CurrencyCode=data.get("InvoiceCurrencyCode"),
        CurrencyRate=1.0,
        TotalAmountInvoiceCurrency=calc["net"],
        TotalVatAmountInvoiceCurrency=calc["vat"],
        RemainingAmount=calc["total"],
        RemainingAmountInvoiceCurrency=calc["total"],
        VatSpecification=calc["spec"],
        VoucherId=voucher["Id"],
        VoucherNumber=voucher["NumberAndNumberSeries"],
        PaymentStatus=1,
        PaymentReferenceNumber=str(number),
        **extra,
    )
    return create_record(c, "customerinvoices", c.schemas.named("CustomerInvoiceApi"), data)


@handles("create_customer_invoice")
def create_invoice(c: Company, r: Request) -> tuple[int, Any]:
    return 201, issue_invoice(c, c.validate(r))


@handles("convert_customer_invoice_draft")
def convert_draft(c: Company, r: Request) -> tuple[int, Any]:
    ident = r.params["customerInvoiceDraftId"]
    draft = c.get("customerinvoicedrafts", ident, "Customer invoice draft")
    if isinstance(r.body, dict) and r.body:
        c.validate(r)
    body = {k: v for k, v in draft.items() if k not in ("Id", "CreatedUtc")}
    keep = r.query.get("keepOriginalDraftDate", "false").lower() == "true"
    if not keep:
        body["InvoiceDate"] = c.today()
        body["DueDate"] = None
    invoice = issue_invoice(c, body, CreatedFromDraftId=ident)
    del c.coll("customerinvoicedrafts")[ident]
    return 201, invoice


@handles("create_customer_invoice_payment")
def pay_customer_invoice(c: Company, r: Request) -> tuple[int, Any]:
    invoice = c.get("customerinvoices", r.params["invoiceId"], "Customer invoice")
    data = c.validate(r)
    return 201, register_payment(c, invoice, data, incoming=True)


def register_payment(c: Company, invoice: Record, data: Record, incoming: bool) -> Record:
    """Reduce RemainingAmount and book bank against receivables/payables."""
    bank = c.coll("bankaccounts").get(str(data.get("CompanyBankAccountId")))
    if bank is None:
        raise _ref_error("CompanyBankAccountId", data.get("CompanyBankAccountId"), "Bank account")
    amount = money(float(data["PaymentAmount"]))
    # A supplier invoice's RemainingAmount is negative (what we owe; evidence fact 7), while its
    # payments are positive: compare the payment with what is owed.
    direction = 1 if incoming else -1
    remaining = direction * float(invoice["RemainingAmount"])
    if amount == 0 or abs(amount) > abs(remaining) + 1e-9 or (amount > 0) != (remaining > 0):
        raise validation(
            [
                field_error(
                    "PaymentAmount",
                    "InvalidAmount",
                    f"PaymentAmount {amount:.2f} must be non-zero, have the sign of the remaining "
                    "amount "
                    f"and not exceed it ({remaining:.2f}).",
                )
            ]
        )
    day = data.get("PaymentDate") or c.today()
    r = c.region
    counter = r.receivables_account if incoming else r.payables_account
    sign = 1 if incoming else -1
    voucher = book(
        c,
        day,
        "Invoice payment",
        [(int(bank["LedgerAccountNumber"]), sign * amount), (counter, -sign * amount)],
        "C" if incoming else "E",
    )
    transaction = add_bank_transaction(
        c, bank["Id"], sign * amount, day, data.get("Reference"), voucher["Id"]
    )
    left = money(direction * (remaining - amount))
    invoice.update(RemainingAmount=left, RemainingAmountInvoiceCurrency=left)
    if "PaymentStatus" in invoice and isinstance(invoice["PaymentStatus"], int):
        invoice["PaymentStatus"] = 0 if left == 0 else 1
    if left == 0:
        invoice["PaymentDate"] = day
    if "ModifiedUtc" in invoice:
        invoice["ModifiedUtc"] = c.now()
    return c.shape(
        "InvoicePaymentApi", {**data, "PaymentDate": day, "BankTransactionId": transaction["Id"]}
    )


# -- orders and quotes ------------------------------------------------------------------------


def _document_totals(c: Company, data: Record) -> Record:
    _customer_fields(c, data)
    calc = compute_rows(c, data.get("Rows"))
    data["Rows"] = calc["Rows"]
    return {"net": calc["net"], "vat": calc["vat"], "roundings": calc["roundings"]}


@handles("create_order", "update_order")
def save_order(c: Company, r: Request) -> tuple[int, Any]:
    schema = c.schemas.named("OrderApi")
    data = c.validate(r)
    t = _document_totals(c, data)
    data.update(Amount=t["net"], VatAmount=t["vat"], RoundingsAmount=t["roundings"])
    data.setdefault("OrderDate", c.today())
    if "id" not in r.params:
        data["Number"] = c.next_number("order")
        return 201, create_record(c, "orders", schema, data)
    current = c.get("orders", r.params["id"], "Order")
    data["Number"] = current["Number"]
    return 200, replace_record(c, "orders", schema, current, data)


@handles("create_quote", "update_quote", "create_quote_draft", "update_quote_draft")
def save_quote(c: Company, r: Request) -> tuple[int, Any]:
    schema = c.schemas.named("QuoteApi")
    coll = "quotedrafts" if r.op.operation_id.endswith("_draft") else "quotes"
    data = c.validate(r)
    t = _document_totals(c, data)
    data.setdefault("QuoteDate", c.today())
    data.setdefault("DueDate", add_days(data["QuoteDate"], 30))
    data.update(
        TotalAmount=t["net"],
        VatAmount=t["vat"],
        RoundingsAmount=t["roundings"],
        CurrencyCode=c.region.currency,
    )
    if "id" not in r.params:
        if coll == "quotes":  # drafts get their number when converted
            data.update(Number=c.next_number("quote"), Status=1)
        return 201, create_record(c, coll, schema, data)
    current = c.get(coll, r.params["id"], "Quote")
    if coll == "quotes":
        data.update(Number=current["Number"], Status=current["Status"])
    return 200, replace_record(c, coll, schema, current, data)


@handles("accept_quote")
def accept_quote(c: Company, r: Request) -> tuple[int, Any]:
    quote = c.get("quotes", r.params["id"], "Quote")
    quote.update(Status=2, ApprovedDate=c.today(), ModifiedUtc=c.now())
    return 200, None


def _rows_for(rows: list[Record]) -> list[Record]:
    keep = ("ArticleId", "Text", "UnitPrice", "Quantity", "DiscountPercentage", "IsTextRow")
    return [{k: row.get(k) for k in keep if row.get(k) is not None} for row in rows]


@handles("convert_quote_to_order")
def quote_to_order(c: Company, r: Request) -> tuple[int, Any]:
    quote = c.get("quotes", r.params["id"], "Quote")
    data: Record = {
        "CustomerId": quote["CustomerId"],
        "Rows": _rows_for(quote["Rows"] or []),
        "CurrencyCode": c.region.currency,
        "EuThirdParty": False,
        "ReverseChargeOnConstructionServices": False,
        "Status": 1,
        "OrderDate": c.today(),
        "CreatedFromQuoteId": quote["Id"],
    }
    t = _document_totals(c, data)
    data.update(
        Amount=t["net"],
        VatAmount=t["vat"],
        RoundingsAmount=t["roundings"],
        Number=c.next_number("order"),
    )
    quote.update(Status=3)
    return 200, create_record(c, "orders", c.schemas.named("OrderApi"), data)


@handles("convert_quote_to_customer_invoice", "convert_order_to_customer_invoice")
def document_to_invoice(c: Company, r: Request) -> tuple[int, Any]:
    is_quote = r.op.operation_id.startswith("convert_quote")
    source = c.get(
        "quotes" if is_quote else "orders", r.params["id"], "Quote" if is_quote else "Order"
    )
    body = {
        "CustomerId": source["CustomerId"],
        "Rows": _rows_for(source["Rows"] or []),
        "EuThirdParty": False,
        "RotReducedInvoicingType": 0,
    }
    extra = {"CreatedFromQuoteId" if is_quote else "CreatedFromOrderId": source["Id"]}
    invoice = issue_invoice(c, body, **extra)
    source.update(Status=3 if is_quote else 5)
    return 200, invoice


@handles("convert_order_draft_to_order", "complete_order", "void_order")
def order_status(c: Company, r: Request) -> tuple[int, Any]:
    order = c.get("orders", r.params["id"], "Order")
    order["Status"] = {"convert_order_draft_to_order": 1, "complete_order": 2, "void_order": 4}[
        r.op.operation_id
    ]
    stamp(c, order, c.schemas.named("OrderApi"), created=False)
    schema = r.op.response_schema
    return r.op.success_status, (order if schema is not None else None)


@handles("void_customer_invoice")
def void_invoice(c: Company, r: Request) -> tuple[int, Any]:
    invoice = c.get("customerinvoices", r.params["invoiceId"], "Customer invoice")
    if (
        invoice["RemainingAmount"]
        != invoice["TotalAmount"] + invoice["TotalVatAmount"] + invoice["TotalRoundings"]
    ):
        raise VismaError(400, 4002, "An invoice with payments cannot be voided.")
    invoice.update(RemainingAmount=0.0, RemainingAmountInvoiceCurrency=0.0)
    return 200, None


@handles("convert_quote_draft")
def convert_quote_draft(c: Company, r: Request) -> tuple[int, Any]:
    draft = c.get("quotedrafts", r.params["id"], "Quote draft")
    data: Record = {
        "CustomerId": draft["CustomerId"],
        "Rows": _rows_for(draft.get("Rows") or []),
        "QuoteDate": draft.get("QuoteDate") or c.today(),
        "DueDate": draft.get("DueDate"),
    }
    t = _document_totals(c, data)
    data.update(
        TotalAmount=t["net"],
        VatAmount=t["vat"],
        RoundingsAmount=t["roundings"],
        CurrencyCode=c.region.currency,
        Number=c.next_number("quote"),
        Status=1,
    )
    quote = create_record(c, "quotes", c.schemas.named("QuoteApi"), data)
    del c.coll("quotedrafts")[draft["Id"]]
    return 200, quote


@handles("send_customer_invoice_payment_reminder")
def payment_reminder(c: Company, r: Request) -> tuple[int, Any]:
    invoice = c.get("customerinvoices", r.params["invoiceId"], "Customer invoice")
    if isinstance(r.body, dict):
        c.validate(r)
    if float(invoice["RemainingAmount"]) == 0:
        raise VismaError(400, 4002, "A paid invoice needs no payment reminder.")
    invoice.update(
        PaymentReminderIssued=True,
        PaymentRemindersCount=int(invoice["PaymentRemindersCount"] or 0) + 1,
        LastPaymentReminderSentDate=c.today(),
    )
    return 200, None
