"""Filling an emulator company with many records quickly, for paging and scale tests."""

from __future__ import annotations

import uuid

from eaccounting.testing import Emulator


def add_customers(emu: Emulator, total: int) -> list[str]:
    """Give the company ``total`` customers: one created through the API (so it is complete
    and valid), the rest copies of it with their own ids and numbers. Returns every id."""
    with emu.client(rate_limit=None) as setup:
        terms = setup.get_json("/termsofpayments")["Data"][0]["Id"]
        body = {"Name": "Customer", "IsPrivatePerson": False, "TermsOfPaymentId": terms}
        body |= {"InvoiceCity": "Stockholm", "InvoicePostalCode": "111 22", "IsActive": True}
        setup.request("POST", "/customers", json=body)
    customers = emu.core.company.coll("customers")
    template = next(iter(customers.values()))
    for i in range(total - len(customers)):
        ident = str(uuid.UUID(int=i + 1, version=4))
        customers[ident] = {**template, "Id": ident, "CustomerNumber": f"9{i:05d}"}
    return list(customers)
