"""Export every voucher row of one fiscal year to CSV (one line per row, debit and credit).

    python examples/export_vouchers.py --year 2026 --out vouchers-2026.csv
    python examples/export_vouchers.py --emulator se --out -        # offline demo, to stdout

``--year`` picks the fiscal year that starts in that calendar year (default: the fiscal year
that contains today). Credentials: ``eaccounting.Client.from_env()`` (see docs/auth.md).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import sys
from collections.abc import Iterator
from typing import Any, TextIO

import eaccounting

COLUMNS = [
    "VoucherDate",
    "Number",
    "VoucherText",
    "AccountNumber",
    "AccountDescription",
    "Debit",
    "Credit",
    "TransactionText",
]


def pick_fiscal_year(client: eaccounting.Client, year: int | None, today: dt.date) -> Any:
    years = client.fiscal_years.list(page_size=100).items
    for fiscal_year in years:
        if year is not None and fiscal_year.start_date.year == year:
            return fiscal_year
        if year is None and fiscal_year.start_date <= today <= fiscal_year.end_date:
            return fiscal_year
    known = ", ".join(f"{y.start_date}..{y.end_date}" for y in years)
    wanted = f"starting in {year}" if year is not None else f"containing {today}"
    raise SystemExit(f"no fiscal year {wanted} (the company has: {known})")


def voucher_rows(client: eaccounting.Client, fiscal_year: Any) -> Iterator[dict[str, Any]]:
    """Every row of every voucher of ``fiscal_year``, paging through all vouchers."""
    for voucher in client.vouchers.iterate_fiscal_year(fiscal_year.id, page_size=200):
        for row in voucher.rows:
            yield {
                "VoucherDate": voucher.voucher_date,
                "Number": voucher.number_and_number_series or "",
                "VoucherText": voucher.voucher_text,
                "AccountNumber": row.account_number,
                "AccountDescription": row.account_description or "",
                "Debit": f"{row.debit_amount or 0:.2f}",
                "Credit": f"{row.credit_amount or 0:.2f}",
                "TransactionText": row.transaction_text or "",
            }


def export(client: eaccounting.Client, fiscal_year: Any, out: TextIO) -> int:
    """Write the CSV to ``out``; returns the number of rows written."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for row in voucher_rows(client, fiscal_year):
        writer.writerow(row)
        count += 1
    return count


#: A purchase account of each emulated region's chart of accounts (for the demo vouchers).
DEMO_PURCHASE_ACCOUNT = {"se": 4010, "no": 4000, "fi": 4000, "nl": 7000}


def demo_vouchers(client: eaccounting.Client, region: str, day: dt.date) -> None:
    """Book two purchases paid from the bank (for --emulator: something to export)."""
    bank = client.bank_accounts.list().items[0].ledger_account_number
    for text, amount in (("Coffee beans", 1200.0), ("Packaging", 345.5)):
        client.vouchers.create(
            {
                "VoucherDate": day.isoformat(),
                "VoucherText": text,
                "Rows": [
                    {"AccountNumber": DEMO_PURCHASE_ACCOUNT[region], "DebitAmount": amount},
                    {"AccountNumber": bank, "CreditAmount": amount},
                ],
            }
        )


def run(client: eaccounting.Client, year: int | None, today: dt.date, target: str) -> str:
    fiscal_year = pick_fiscal_year(client, year, today)
    with contextlib.ExitStack() as stack:
        out = (
            sys.stdout
            if target == "-"
            else stack.enter_context(open(target, "w", newline="", encoding="utf-8"))
        )
        count = export(client, fiscal_year, out)
    return f"{count} voucher row(s) of {fiscal_year.start_date}..{fiscal_year.end_date}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, help="calendar year the fiscal year starts in")
    parser.add_argument("--out", default="vouchers.csv", help="CSV file, or - for stdout")
    parser.add_argument(
        "--emulator", metavar="REGION", help="use a fresh emulator company with demo vouchers"
    )
    args = parser.parse_args(argv)
    if args.emulator:
        from eaccounting.testing import Emulator

        with Emulator(region=args.emulator) as emu:
            client = emu.client()
            today = dt.date.fromtimestamp(emu.clock.time())
            demo_vouchers(client, args.emulator, today)
            summary = run(client, args.year, today, args.out)
    else:
        with eaccounting.Client.from_env() as client:
            summary = run(client, args.year, dt.date.today(), args.out)
    print(f"exported {summary} to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
