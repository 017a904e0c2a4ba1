"""Create a customer invoice from a draft, book it, and register the customer's payment.

Finds (or creates) the customer and the article, creates an invoice draft, converts it into
an invoice (which books the sale), then pays the full amount into the company's first bank
account (which books the payment) and prints the vouchers.

    python examples/invoice_with_payment.py --customer "Kafferosteriet AB" --emulator se
    python examples/invoice_with_payment.py --customer "Kafferosteriet AB"   # your sandbox

Credentials: ``eaccounting.Client.from_env()`` (see docs/auth.md). Against a real company this
creates real records: use a sandbox.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

import eaccounting
from eaccounting import F


def find_or_create_customer(client: eaccounting.Client, name: str) -> Any:
    for customer in client.customers.iterate(filter=F("Name") == name):
        return customer
    terms = client.terms_of_payment.list().items[0]
    return client.customers.create(
        {
            "Name": name,
            "InvoiceCity": "Göteborg",
            "InvoicePostalCode": "41101",
            "TermsOfPaymentId": terms.id,
            "IsPrivatePerson": False,
            "IsActive": True,
        }
    )


def find_or_create_article(client: eaccounting.Client, name: str, price: float) -> Any:
    for article in client.articles.iterate(filter=F("Name") == name):
        return article
    unit = client.units.list().items[0]
    # The first coding is the standard VAT rate; any operation is reachable through client.api.
    codings = client.api.article_account_codings.list_article_account_codings()
    assert codings is not None  # typed: the success model or None (API errors raise)
    coding = codings.data[0]
    return client.articles.create(
        {
            "Name": name,
            "IsActive": True,
            "UnitId": unit.id,
            "CodingId": coding.id,
            "NetPrice": price,
        }
    )


def invoice_and_pay(
    client: eaccounting.Client,
    *,
    customer_name: str,
    article_name: str,
    price: float,
    quantity: float,
    payment_date: dt.date | None = None,
) -> tuple[Any, Any]:
    """Returns the invoice as booked and as paid."""
    customer = find_or_create_customer(client, customer_name)
    article = find_or_create_article(client, article_name, price)
    draft = client.customer_invoice_drafts.create(
        {
            "CustomerId": customer.id,
            "EuThirdParty": False,
            "RotReducedInvoicingType": 0,  # 0 = normal (no ROT/RUT tax reduction)
            "Rows": [
                {
                    "ArticleId": article.id,
                    "Quantity": quantity,
                    "IsTextRow": False,
                    "ReversedConstructionServicesVatFree": False,
                }
            ],
        }
    )
    invoice = client.customer_invoice_drafts.convert(draft.id)
    currency = client.company_settings.get().currency_code
    bank = client.bank_accounts.list().items[0]
    client.customer_invoices.create_payment(
        invoice.id,
        {
            "PaymentAmount": invoice.remaining_amount,
            "PaymentCurrency": currency,
            "PaymentDate": (payment_date or invoice.invoice_date).isoformat(),
            "PaymentType": 1,
            "CompanyBankAccountId": bank.id,
        },
    )
    return invoice, client.customer_invoices.get(invoice.id)


def run(client: eaccounting.Client, args: argparse.Namespace) -> tuple[Any, Any]:
    return invoice_and_pay(
        client,
        customer_name=args.customer,
        article_name=args.article,
        price=args.price,
        quantity=args.quantity,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customer", default="Kafferosteriet AB")
    parser.add_argument("--article", default="Espresso beans 1 kg")
    parser.add_argument("--price", type=float, default=249.0)
    parser.add_argument("--quantity", type=float, default=4)
    parser.add_argument("--emulator", metavar="REGION", help="use a fresh emulator company")
    args = parser.parse_args(argv)
    if args.emulator:
        from eaccounting.testing import Emulator

        with Emulator(region=args.emulator) as emu:
            booked, paid = run(emu.client(), args)
    else:
        with eaccounting.Client.from_env() as client:
            booked, paid = run(client, args)
    print(
        f"invoice {booked.invoice_number} to {args.customer}: "
        f"{booked.remaining_amount:.2f} {booked.currency_code} to pay "
        f"(net {booked.total_amount:.2f}, VAT {booked.total_vat_amount:.2f}), "
        f"booked as voucher {booked.voucher_number}"
    )
    print(f"paid on {paid.payment_date}; remaining {paid.remaining_amount:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
