"""Accounting: vouchers that must balance inside an open fiscal year, account balances derived
from booked vouchers, accounts, fiscal years and company settings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from .company import Company, Record, Request, money
from .errors import VismaError, bad_query, field_error, not_found, validation
from .handlers import create_record, handles, replace_record

_SERIES_TYPES = {"A": 2, "B": 3, "C": 4, "E": 5}


def _require_open_year(c: Company, day: str) -> Record:
    fy = c.fiscal_year_of(day)
    if fy is None:
        raise VismaError(400, 3001, f"No fiscal year exists for the date {day[:10]}.")
    locked_to = str(c.settings.get("AccountingLockedTo") or "")[:10]
    if fy.get("IsLockedForAccounting") or (locked_to and day[:10] <= locked_to):
        raise VismaError(400, 4026, f"The voucher date {day[:10]} is in a locked period.")
    return fy


def book(
    c: Company, day: str, text: str, lines: list[tuple[int, float]], series: str = "A"
) -> Record:
    """Book a balanced voucher; ``lines`` are (account, signed amount: + debit, - credit)."""
    _require_open_year(c, day)
    rows = []
    for account, amount in lines:
        if amount == 0:
            continue
        acc = c.account(account, day)
        rows.append(
            {
                "AccountNumber": account,
                "AccountDescription": acc["Name"] if acc else None,
                "DebitAmount": money(amount) if amount > 0 else 0.0,
                "CreditAmount": money(-amount) if amount < 0 else 0.0,
            }
        )
    return _store_voucher(c, {"VoucherDate": day[:10], "VoucherText": text, "Rows": rows}, series)


def _store_voucher(c: Company, data: Record, series: str) -> Record:
    number = c.next_number(f"voucher-{series}")
    data.update(
        NumberSeries=series,
        NumberAndNumberSeries=f"{series}{number}",
        VoucherType=_SERIES_TYPES.get(series, 2),
        ImportedVoucherNumber=None,
    )
    return create_record(c, "vouchers", c.schemas.named("VoucherApi"), data)


@handles("create_voucher")
def create_voucher(c: Company, r: Request) -> tuple[int, Any]:
    data = c.validate(r)
    day = data.get("VoucherDate") or c.today()
    data["VoucherDate"] = day[:10]
    _require_open_year(c, day)
    rows = data.get("Rows") or []
    errors = []
    if len(rows) < 2:
        errors.append(field_error("Rows", "TooFewRows", "A voucher needs at least two rows."))
    debit = credit = 0.0
    for i, row in enumerate(rows):
        acc = c.account(row["AccountNumber"], day)
        if acc is None:
            raise VismaError(
                400,
                3002,
                f"Account {row['AccountNumber']} does not exist in the fiscal year of {day[:10]}.",
                [
                    field_error(
                        f"Rows[{i}].AccountNumber",
                        "AccountNotFound",
                        f"Account {row['AccountNumber']} was not found.",
                    )
                ],
            )
        d, cr = float(row.get("DebitAmount") or 0), float(row.get("CreditAmount") or 0)
        if (d == 0) == (cr == 0) or d < 0 or cr < 0:
            errors.append(
                field_error(
                    f"Rows[{i}]",
                    "InvalidAmount",
                    "Each row needs exactly one positive debit or credit.",
                )
            )
        debit, credit = debit + d, credit + cr
        row["AccountDescription"] = acc["Name"]
    if money(debit) != money(credit):
        errors.append(
            field_error(
                "Rows",
                "VoucherNotBalanced",
                "The voucher is not balanced: "
                f"debit {money(debit):.2f}, credit {money(credit):.2f}.",
            )
        )
    if errors:
        raise validation(errors)
    return 201, _store_voucher(c, data, data.get("NumberSeries") or "A")


def _vouchers_in(c: Company, fy: Record) -> list[Record]:
    start, end = fy["StartDate"][:10], fy["EndDate"][:10]
    return [v for v in c.coll("vouchers").values() if start <= v["VoucherDate"][:10] <= end]


@handles("list_vouchers_by_fiscal_year")
def list_vouchers_fy(c: Company, r: Request) -> tuple[int, Any]:
    fy = c.get("fiscalyears", r.params["fiscalyearId"], "Fiscal year")
    return 200, c.page(r, _vouchers_in(c, fy))


@handles("get_voucher")
def get_voucher(c: Company, r: Request) -> tuple[int, Any]:
    c.get("fiscalyears", r.params["fiscalyearId"], "Fiscal year")
    return 200, c.get("vouchers", r.params["voucherId"], "Voucher")


def _date_param(text: str) -> str:
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise bad_query(f"The value '{text}' is not a valid date (yyyy-MM-dd).", 6001) from None


def _balances(c: Company, day: str) -> list[Record]:
    """Balances at ``day``: balance-sheet accounts accumulate from the opening balances of the
    first fiscal year; profit-and-loss accounts start from zero each fiscal year."""
    fy = c.fiscal_year_of(day)
    if fy is None:
        raise VismaError(400, 3001, f"No fiscal year exists for the date {day}.")
    limit = c.region.balance_sheet_below
    sums: dict[str, float] = {
        str(n): float(o["Balance"]) for n, o in c.coll("openingbalances").items()
    }
    for v in c.coll("vouchers").values():
        vday = v["VoucherDate"][:10]
        if vday > day:
            continue
        current = vday >= fy["StartDate"][:10]
        for row in v["Rows"]:
            if not current and int(row["AccountNumber"]) >= limit:
                continue
            key = str(row["AccountNumber"])
            sums[key] = (
                sums.get(key, 0.0)
                + float(row["DebitAmount"] or 0)
                - float(row["CreditAmount"] or 0)
            )
    out = []
    for acc in c.coll("accounts").values():
        if acc["FiscalYearId"] == fy["Id"]:
            out.append(
                {
                    "AccountNumber": int(acc["Number"]),
                    "AccountName": acc["Name"],
                    "Balance": money(sums.get(acc["Number"], 0.0)),
                    "AccountType": acc["Type"],
                    "AccountTypeDescription": acc["TypeDescription"],
                }
            )
    return out


@handles("list_account_balances")
def list_balances(c: Company, r: Request) -> tuple[int, Any]:
    return 200, c.page(r, _balances(c, _date_param(r.params["date"])))


@handles("get_account_balance")
def get_balance(c: Company, r: Request) -> tuple[int, Any]:
    day = _date_param(r.params["date"])
    for row in _balances(c, day):
        if str(row["AccountNumber"]) == r.params["accountNumber"]:
            return 200, row
    raise VismaError(404, 3002, f"Account {r.params['accountNumber']} was not found.")


# -- accounts ---------------------------------------------------------------------------------


def _accounts_of(c: Company, fy_id: str) -> list[Record]:
    return [a for a in c.coll("accounts").values() if a["FiscalYearId"] == fy_id]


@handles("list_accounts")
def list_accounts(c: Company, r: Request) -> tuple[int, Any]:
    fy = c.fiscal_year_of(c.today())
    return 200, c.page(r, _accounts_of(c, fy["Id"]) if fy else [])


@handles("list_accounts_by_fiscal_year")
def list_accounts_fy(c: Company, r: Request) -> tuple[int, Any]:
    fy = c.get("fiscalyears", r.params["fiscalyearId"], "Fiscal year")
    return 200, c.page(r, _accounts_of(c, fy["Id"]))


@handles("get_account", "update_account")
def account(c: Company, r: Request) -> tuple[int, Any]:
    key = f"{r.params['fiscalyearId']}:{r.params['accountNumber']}"
    current = c.coll("accounts").get(key)
    if current is None:
        raise not_found("Account", r.params["accountNumber"])
    if r.op.method == "GET":
        return 200, current
    data = c.validate(r)
    data["FiscalYearId"], data["Number"] = current["FiscalYearId"], current["Number"]
    record = {**current, **{k: None for k in ("VatCodeId",)}, **data, "ModifiedUtc": c.now()}
    c.coll("accounts")[key] = c.shape("AccountApi", record)
    return 200, c.coll("accounts")[key]


@handles("create_account")
def create_account(c: Company, r: Request) -> tuple[int, Any]:
    data = c.validate(r)
    fy = c.coll("fiscalyears").get(str(data["FiscalYearId"]))
    if fy is None:  # a bad reference in the body is a bad request (3001), not a missing route
        raise VismaError(
            400,
            3001,
            f"Fiscal year {data['FiscalYearId']} does not exist.",
            [field_error("FiscalYearId", "NotFound", "The fiscal year does not exist.")],
        )
    key = f"{fy['Id']}:{data['Number']}"
    if key in c.coll("accounts"):
        raise VismaError(
            400,
            4000,
            f"Account {data['Number']} already exists.",
            [field_error("Number", "Duplicate", "Number must be unique.")],
        )
    if not str(data["Number"]).isdigit() or len(str(data["Number"])) != 4:
        raise validation(
            [field_error("Number", "InvalidFormat", f"Number '{data['Number']}' must be 4 digits.")]
        )
    now = c.now()
    c.coll("accounts")[key] = c.shape("AccountApi", {**data, "CreatedUtc": now, "ModifiedUtc": now})
    return 201, c.coll("accounts")[key]


# -- fiscal years -----------------------------------------------------------------------------


@handles("create_fiscal_year")
def create_fiscal_year(c: Company, r: Request) -> tuple[int, Any]:
    data = c.validate(r)
    last = max(c.coll("fiscalyears").values(), key=lambda f: f["EndDate"])
    start, end = str(data.get("StartDate", ""))[:10], str(data.get("EndDate", ""))[:10]
    expected = date.fromordinal(date.fromisoformat(last["EndDate"][:10]).toordinal() + 1)
    if start != expected.isoformat() or not end or end <= start:
        raise VismaError(
            400,
            4020,
            f"A new fiscal year must start on {expected.isoformat()} and end after it starts.",
        )
    fy = create_record(
        c,
        "fiscalyears",
        c.schemas.named("FiscalYearApi"),
        {**data, "StartDate": start, "EndDate": end, "IsLockedForAccounting": False},
    )
    for acc in _accounts_of(c, last["Id"]):
        c.coll("accounts")[f"{fy['Id']}:{acc['Number']}"] = {**acc, "FiscalYearId": fy["Id"]}
    return 201, fy


# -- company settings -------------------------------------------------------------------------


@handles("get_company_settings")
def get_settings(c: Company, r: Request) -> tuple[int, Any]:
    return 200, c.settings


@handles("update_company_settings")
def update_settings(c: Company, r: Request) -> tuple[int, Any]:
    schema = c.schemas.named("CompanySettingsApi")
    c.settings = replace_record(
        c, "_settings", schema, {**c.settings, "Id": "settings"}, c.validate(r)
    )
    c.settings.pop("Id", None)
    c.coll("_settings").clear()
    return 200, c.settings


@handles("update_rot_rut_settings")
def update_rot_rut(c: Company, r: Request) -> tuple[int, Any]:
    data = c.validate(r)
    c.settings = c.shape(
        "CompanySettingsApi",
        {**c.settings, "CompanyRotRutSettings": data, "UsesRotReducedInvoicing": True},
    )
    return 200, c.settings


# -- Dutch-only account helpers ---------------------------------------------------------------

_NL_TYPES = ((1, "Balans"), (2, "Winst- en verliesrekening"))


@handles("list_account_types")
def account_types(c: Company, r: Request) -> tuple[int, Any]:
    rows = [{"Type": t, "TypeDescription": d} for t, d in _NL_TYPES]
    return 200, c.page(r, [c.shape(r.op.item_schema or {}, x) for x in rows])


@handles("list_standard_accounts")
def standard_accounts(c: Company, r: Request) -> tuple[int, Any]:
    schema = r.op.item_schema or {}
    rows = [
        c.shape(
            schema,
            {
                "Number": str(n),
                "Name": name,
                "Type": 1 if n < 2000 else 2,
                "TypeDescription": _NL_TYPES[0 if n < 2000 else 1][1],
                "ReferenceCode": None,
            },
        )
        for n, name in c.region.accounts
    ]
    return 200, c.page(r, rows)


# -- opening balances -------------------------------------------------------------------------


def _first_year(c: Company) -> Record:
    return min(c.coll("fiscalyears").values(), key=lambda f: f["StartDate"])


@handles("list_opening_balances")
def list_opening_balances(c: Company, r: Request) -> tuple[int, Any]:
    return 200, c.page(r, sorted(c.coll("openingbalances").values(), key=lambda o: o["Number"]))


@handles("update_opening_balances")
def update_opening_balances(c: Company, r: Request) -> tuple[int, Any]:
    """Set opening balances of balance-sheet accounts in the company's first fiscal year."""
    if not isinstance(r.body, list):
        raise VismaError(400, 2000, "The request body must be a JSON array of opening balances.")
    first = _first_year(c)
    errors = []
    updates: dict[str, Record] = {}
    for i, item in enumerate(r.body):
        number = item.get("Number") if isinstance(item, dict) else None
        acc = c.coll("accounts").get(f"{first['Id']}:{number}")
        balance = item.get("Balance") if isinstance(item, dict) else None
        if (
            acc is None
            or isinstance(balance, bool)
            or not isinstance(balance, (int, float, Decimal))
        ):
            errors.append(
                field_error(
                    f"[{i}]",
                    "InvalidOpeningBalance",
                    f"Item {i} needs an existing account Number and a numeric "
                    f"Balance, got Number={number!r}.",
                )
            )
            continue
        if int(str(number)) >= c.region.balance_sheet_below:
            errors.append(
                field_error(
                    f"[{i}].Number",
                    "NotBalanceSheetAccount",
                    f"Account {number} is not a balance-sheet account.",
                )
            )
            continue
        updates[str(number)] = {
            "Name": acc["Name"],
            "Number": int(str(number)),
            "Balance": money(float(balance)),
        }
    if errors:
        raise validation(errors)
    c.coll("openingbalances").update(updates)
    return 200, sorted(c.coll("openingbalances").values(), key=lambda o: o["Number"])


@handles("update_accounting_lock_settings")
def update_accounting_lock(c: Company, r: Request) -> tuple[int, Any]:
    """Lock bookkeeping up to the end of ``AccountingLockedAsOf`` (year, month)."""
    data = c.validate(r)
    as_of = data.get("AccountingLockedAsOf") or {}
    year, month = as_of.get("Year"), as_of.get("Month")
    if year is None or month is None:
        locked_to = "0001-01-01T00:00:00Z"  # no lock
    elif not (1900 <= int(year) <= 9998 and 1 <= int(month) <= 12):
        raise validation(
            [
                field_error(
                    "AccountingLockedAsOf",
                    "InvalidDate",
                    f"Year {year} / Month {month} is not a valid month.",
                )
            ]
        )
    else:
        following = date(int(year) + int(month) // 12, int(month) % 12 + 1, 1)
        last = date.fromordinal(following.toordinal() - 1)
        locked_to = last.isoformat()
    # Reshaped so the lock date takes the form the spec gives AccountingLockedTo.
    c.settings = c.shape(
        "CompanySettingsApi",
        {
            **c.settings,
            "AccountingLockedTo": locked_to,
            "AccountingLockInterval": int(data.get("AccountingLockInterval") or 0),
        },
    )
    return 200, c.settings
