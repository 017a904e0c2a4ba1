"""User code under ``mypy --strict``: the typed write bodies catch what the API would not.

Each test writes a small user file into tmp_path and runs mypy on it in a subprocess (the
interpreter of this environment, so it sees the installed ``eaccounting`` and
``eaccounting_api`` through their ``py.typed`` markers, as a user's checker would).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.typing.user_code import check_user_code

pytest.importorskip("mypy")
pytest.importorskip("eaccounting_api.bodies")


def mypy(tmp_path: Path, source: str) -> tuple[int, list[str]]:
    """mypy --strict's exit status (0/1) and its error lines (``line: message``) for ``source``,
    run as a user would: no project config, the packages as installed."""
    name = "user.py"
    errors = check_user_code(tmp_path, {name: textwrap.dedent(source).lstrip()}, repo_config=False)[
        name
    ]
    return (1 if errors else 0), errors


CORRECT = """
    from decimal import Decimal

    from eaccounting.types import (
        UNSET,
        CustomerApi,
        CustomerApiBody,
        CustomerInvoiceApiBody,
        CustomerInvoiceRowApiBody,
        Unset,
    )
    from eaccounting_api.api.customers import create_customer
    from eaccounting_api.client import AuthenticatedClient

    customer: CustomerApiBody = {
        "Name": "Acme AB",
        "InvoiceCity": "Stockholm",
        "InvoicePostalCode": "111 22",
        "TermsOfPaymentId": "8f9a3b1c-0d2e-4f5a-8b6c-7d8e9f0a1b2c",
        "IsPrivatePerson": False,
        "IsActive": True,
        "EmailAddress": None,
        "CustomerLabels": [{"Name": "VIP"}],
    }
    row: CustomerInvoiceRowApiBody = {"ArticleId": "a", "UnitPrice": Decimal("9.5"), "Quantity": 2}
    invoice: CustomerInvoiceApiBody = {
        "CustomerId": "0b6a2c6e-5a4f-4c0e-9d1b-2f3a4b5c6d7e",
        "EuThirdParty": False,
        "RotReducedInvoicingType": 0,
        "Rows": [row, {"Text": "Thanks for your order"}],
        "InvoiceDate": "2026-01-31",
    }


    def send(client: AuthenticatedClient) -> CustomerApi | None:
        created = create_customer.sync(client=client, body=customer)
        return created if isinstance(created, CustomerApi) else None


    def name_of(created: CustomerApi) -> str:
        return created.name  # required in the spec: a str, never Unset


    def city_of(created: CustomerApi) -> str | None:
        city = created.delivery_city
        return None if isinstance(city, Unset) else city


    assert UNSET is not None
"""


def test_correct_bodies_pass_mypy_strict(tmp_path: Path) -> None:
    assert mypy(tmp_path, CORRECT) == (0, [])


def test_a_misspelled_key_and_a_wrong_value_type_are_each_an_error(tmp_path: Path) -> None:
    source = """
        from eaccounting.types import CustomerApiBody, CustomerInvoiceApiBody

        typo: CustomerApiBody = {
            "Nmae": "Acme AB",
            "InvoiceCity": "Stockholm",
            "InvoicePostalCode": "111 22",
            "TermsOfPaymentId": "8f9a3b1c-0d2e-4f5a-8b6c-7d8e9f0a1b2c",
            "IsPrivatePerson": False,
            "IsActive": True,
        }
        wrong_type: CustomerApiBody = {
            "Name": "Acme AB",
            "InvoiceCity": "Stockholm",
            "InvoicePostalCode": 11122,
            "TermsOfPaymentId": "8f9a3b1c-0d2e-4f5a-8b6c-7d8e9f0a1b2c",
            "IsPrivatePerson": False,
            "IsActive": True,
        }
        nested: CustomerInvoiceApiBody = {
            "CustomerId": "0b6a2c6e-5a4f-4c0e-9d1b-2f3a4b5c6d7e",
            "EuThirdParty": False,
            "RotReducedInvoicingType": 3,
            "Rows": [{"ArticleId": "a", "Quantity": "2"}],
        }
        read_only: CustomerApiBody = {
            "Id": "0b6a2c6e-5a4f-4c0e-9d1b-2f3a4b5c6d7e",
            "Name": "Acme AB",
            "InvoiceCity": "Stockholm",
            "InvoicePostalCode": "111 22",
            "TermsOfPaymentId": "8f9a3b1c-0d2e-4f5a-8b6c-7d8e9f0a1b2c",
            "IsPrivatePerson": False,
            "IsActive": True,
        }
    """
    status, errors = mypy(tmp_path, source)
    assert status == 1
    assert errors == [
        '3: Missing key "Name" for TypedDict "CustomerApiBody"  [typeddict-item]',
        '3: Extra key "Nmae" for TypedDict "CustomerApiBody"  [typeddict-unknown-key]',
        '14: Incompatible types (expression has type "int", TypedDict item "InvoicePostalCode" '
        'has type "str")  [typeddict-item]',
        '22: Incompatible types (expression has type "Literal[3]", TypedDict item '
        '"RotReducedInvoicingType" has type "Literal[0, 1, 2]")  [typeddict-item]',
        '23: Incompatible types (expression has type "str", TypedDict item "Quantity" has type '
        '"Decimal | int")  [typeddict-item]',
        '25: Extra key "Id" for TypedDict "CustomerApiBody"  [typeddict-unknown-key]',
    ]


def test_the_facades_create_takes_the_typed_body(tmp_path: Path) -> None:
    # The literal is checked against the create operation's TypedDict where the user writes it.
    source = """
        import eaccounting

        async def main(sync: eaccounting.Client, aio: eaccounting.AsyncClient) -> None:
            sync.customers.create({
                "Nmae": "Acme AB",
                "InvoiceCity": "Stockholm",
                "InvoicePostalCode": "111 22",
                "TermsOfPaymentId": "8f9a3b1c-0d2e-4f5a-8b6c-7d8e9f0a1b2c",
                "IsPrivatePerson": False,
                "IsActive": True,
            })
            created = await aio.customers.create({
                "Name": "Acme AB",
                "InvoiceCity": "Stockholm",
                "InvoicePostalCode": "111 22",
                "TermsOfPaymentId": "8f9a3b1c-0d2e-4f5a-8b6c-7d8e9f0a1b2c",
                "IsPrivatePerson": False,
                "IsActive": True,
            })
            assert created.name == "Acme AB"  # typed as CustomerApi
            sync.customer_invoices.create_credit_note({"CustomerId": 7, "Rows": []})
    """
    status, errors = mypy(tmp_path, source)
    assert status == 1
    # A literal that fits neither the model nor the TypedDict is refused as the argument.
    assert errors == [
        '4: Argument 1 to "create" of "SyncCreate" has incompatible type "dict[str, object]"; '
        'expected "CustomerApi | CustomerApiBody"  [arg-type]',
        '21: Argument 1 to "create_credit_note" of "CustomerInvoiceExtras" has incompatible type '
        '"dict[str, object]"; expected "CustomerInvoiceApi | CustomerInvoiceApiBody"  [arg-type]',
    ]
