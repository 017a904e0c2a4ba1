"""What the resource facades add by hand to the generated ones: one mixin per resource.

The mechanical part of each facade (which of list/get/create/update/delete it has, the paths,
models and body schemas) is generated into ``resources.py`` from the resource table
(``spec/facade_table.py``). What is here is not mechanical: safe updates addressed by more
than one key, conversions, PDFs, payments, bank-transaction ranges, the company-settings
singleton. A mixin is named in its resource's table row (``extras``), together with the
operations it performs (``by_hand``), for which the generator then writes nothing.

Requests still come from the generated operations' request builders (``_perform`` and
friends): nothing here formats an API path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._bodies import account_number as _account_number
from .._bodies import (
    bank_params,
    check_date,
    check_guid,
    optional_body,
    to_json_object,
)
from .._builders import build_request
from .._pages import Page, validate_page
from ..errors import ValidationError
from .mixins import AsyncCreate, AsyncResource, Id
from .paging import AsyncPager

if TYPE_CHECKING:
    from eaccounting_api.bodies import CustomerInvoiceApiBody, CustomerInvoiceDraftApiBody
    from eaccounting_api.models.account_api import AccountApi
    from eaccounting_api.models.account_balance_api import AccountBalanceApi
    from eaccounting_api.models.bank_transaction_api import BankTransactionApi
    from eaccounting_api.models.company_settings_api import CompanySettingsApi
    from eaccounting_api.models.cost_center_api import CostCenterApi
    from eaccounting_api.models.customer_invoice_api import CustomerInvoiceApi
    from eaccounting_api.models.customer_invoice_draft_api import CustomerInvoiceDraftApi
    from eaccounting_api.models.invoice_payment_api import InvoicePaymentApi
    from eaccounting_api.models.invoice_url_api import InvoiceUrlApi
    from eaccounting_api.models.order_api import OrderApi
    from eaccounting_api.models.quote_api import QuoteApi  # noqa: F401 (named in strings)
    from eaccounting_api.models.supplier_invoice_api import SupplierInvoiceApi
    from eaccounting_api.models.supplier_invoice_draft_api import SupplierInvoiceDraftApi  # noqa: F401 (named in strings)
    from eaccounting_api.models.voucher_api import VoucherApi
    from eaccounting_api.models.voucher_draft_api import VoucherDraftApi  # noqa: F401 (named in strings)

__all__ = [
    "AsyncAccountBalanceExtras",
    "AsyncAccountExtras",
    "AsyncBankTransactionExtras",
    "AsyncCompanySettingsExtras",
    "AsyncCostCenterExtras",
    "AsyncCustomerInvoiceDraftExtras",
    "AsyncCustomerInvoiceExtras",
    "AsyncInvoicePaymentExtras",
    "AsyncOrderExtras",
    "AsyncQuoteExtras",
    "AsyncSupplierInvoiceDraftExtras",
    "AsyncSupplierInvoiceExtras",
    "AsyncVoucherDraftExtras",
    "AsyncVoucherExtras",
]


class AsyncCustomerInvoiceExtras(AsyncCreate["CustomerInvoiceApi", "CustomerInvoiceApiBody"]):
    """Credit notes, the PDF (as a URL or bytes), voiding and payments."""

    async def create_credit_note(
        self,
        body: CustomerInvoiceApi | CustomerInvoiceApiBody,
        *,
        params: Mapping[str, Any] | None = None,
    ) -> CustomerInvoiceApi:
        """Create a credit invoice: ``body`` with ``IsCreditInvoice`` set to true."""
        data = to_json_object(body, "body")
        data["IsCreditInvoice"] = True
        return await self._create(data, params=params)

    async def pdf_url(self, invoice_id: Id) -> InvoiceUrlApi:
        """A temporary URL to the invoice PDF (``GET /customerinvoices/{id}/pdf``)."""
        result: InvoiceUrlApi = await self._operation_result(
            "customer_invoices.get_customer_invoice_pdf",
            check_guid(invoice_id, self.id_name),
            model="InvoiceUrlApi",
        )
        return result

    async def pdf(self, invoice_id: Id) -> bytes:
        """The invoice PDF bytes (``GET /customerinvoices/{id}/print``)."""
        response = await self._perform(
            "customer_invoices.print_customer_invoice",
            check_guid(invoice_id, self.id_name),
            headers={"Accept": "application/pdf"},
        )
        return response.content

    async def void(self, invoice_id: Id, *, update_stock: bool | None = None) -> None:
        """Void an invoice."""
        await self._perform(
            "customer_invoices.void_customer_invoice",
            check_guid(invoice_id, self.id_name),
            params={"updateStock": update_stock},
        )

    async def create_payment(self, invoice_id: Id, body: Any) -> InvoicePaymentApi:
        """Register a payment on the invoice."""
        result: InvoicePaymentApi = await self._operation_result(
            "customer_invoices.create_customer_invoice_payment",
            check_guid(invoice_id, self.id_name),
            model="InvoicePaymentApi",
            body=body,
            body_schema="InvoicePaymentApi",
        )
        return result


class AsyncCustomerInvoiceDraftExtras(
    AsyncCreate["CustomerInvoiceDraftApi", "CustomerInvoiceDraftApiBody"]
):
    """Credit-note drafts and conversion to an invoice."""

    async def create_credit_note(
        self, body: CustomerInvoiceDraftApi | CustomerInvoiceDraftApiBody
    ) -> CustomerInvoiceDraftApi:
        """Create a credit-invoice draft (``IsCreditInvoice`` true)."""
        data = to_json_object(body, "body")
        data["IsCreditInvoice"] = True
        return await self._create(data)

    async def convert(
        self, draft_id: Id, body: Any = None, *, params: Mapping[str, Any] | None = None
    ) -> CustomerInvoiceApi:
        """Convert the draft into a customer invoice."""
        result: CustomerInvoiceApi = await self._operation_result(
            "customer_invoice_drafts.convert_customer_invoice_draft",
            check_guid(draft_id, self.id_name),
            model="CustomerInvoiceApi",
            body=optional_body(body),
            params=params,
        )
        return result


class AsyncSupplierInvoiceExtras(AsyncResource["SupplierInvoiceApi"]):
    """Payments on a supplier invoice."""

    async def create_payment(self, invoice_id: Id, body: Any) -> InvoicePaymentApi:
        """Register a payment on the supplier invoice."""
        result: InvoicePaymentApi = await self._operation_result(
            "supplier_invoices.create_supplier_invoice_payment",
            check_guid(invoice_id, self.id_name),
            model="InvoicePaymentApi",
            body=body,
            body_schema="InvoicePaymentApi",
        )
        return result


class AsyncSupplierInvoiceDraftExtras(AsyncResource["SupplierInvoiceDraftApi"]):
    """Conversion to a supplier invoice."""

    async def convert(self, draft_id: Id) -> SupplierInvoiceApi:
        """Convert the draft into a supplier invoice."""
        result: SupplierInvoiceApi = await self._operation_result(
            "supplier_invoice_drafts.convert_supplier_invoice_draft",
            check_guid(draft_id, self.id_name),
            model="SupplierInvoiceApi",
        )
        return result


class AsyncVoucherExtras(AsyncResource["VoucherApi"]):
    """Vouchers are addressed by fiscal year and id."""

    async def get(self, fiscal_year_id: Id, voucher_id: Id) -> VoucherApi:
        """``GET /vouchers/{fiscalyearId}/{voucherId}``."""
        result: VoucherApi = await self._operation_result(
            "vouchers.get_voucher",
            check_guid(fiscal_year_id, "fiscal_year_id"),
            check_guid(voucher_id, "voucher_id"),
            model=self.model,
        )
        return result

    def iterate_fiscal_year(
        self, fiscal_year_id: Id, *, page_size: int | None = None, prefetch: int = 0
    ) -> AsyncPager[VoucherApi]:
        """Every voucher of one fiscal year."""
        pager: AsyncPager[VoucherApi] = self._operation_pages(
            "vouchers.list_vouchers_by_fiscal_year",
            check_guid(fiscal_year_id, "fiscal_year_id"),
            model=self.model,
            page_size=page_size,
            prefetch=prefetch,
        )
        return pager


class AsyncVoucherDraftExtras(AsyncResource["VoucherDraftApi"]):
    """Conversion to a voucher."""

    async def convert(self, voucher_draft_id: Id) -> VoucherApi:
        """Convert the draft into a voucher."""
        result: VoucherApi = await self._operation_result(
            "voucher_drafts.convert_voucher_draft",
            check_guid(voucher_draft_id, self.id_name),
            model="VoucherApi",
        )
        return result


class AsyncAccountExtras(AsyncResource["AccountApi"]):
    """Accounts are addressed by fiscal year and account number."""

    async def get(self, fiscal_year_id: Id, account_number: int | str) -> AccountApi:
        """``GET /accounts/{fiscalyearId}/{accountNumber}``."""
        result: AccountApi = await self._operation_result(
            "accounts.get_account",
            *self._account_key(fiscal_year_id, account_number),
            model=self.model,
        )
        return result

    async def update(
        self, fiscal_year_id: Id, account_number: int | str, changes: Any = None, **fields: Any
    ) -> AccountApi:
        """Safe update of one account, checked like every ``update()``: a concurrent change
        to a property written raises :class:`~eaccounting.UpdateConflictError`."""
        key = self._account_key(fiscal_year_id, account_number)
        path: str = build_request("accounts.update_account", *key)["url"]
        return await self._checked_update(path, changes, fields, id="/".join(key))

    def iterate_fiscal_year(
        self, fiscal_year_id: Id, *, page_size: int | None = None, prefetch: int = 0
    ) -> AsyncPager[AccountApi]:
        """Every account of one fiscal year."""
        pager: AsyncPager[AccountApi] = self._operation_pages(
            "accounts.list_accounts_by_fiscal_year",
            check_guid(fiscal_year_id, "fiscal_year_id"),
            model=self.model,
            page_size=page_size,
            prefetch=prefetch,
        )
        return pager

    @staticmethod
    def _account_key(fiscal_year_id: Id, account_number: int | str) -> tuple[str, str]:
        return check_guid(fiscal_year_id, "fiscal_year_id"), _account_number(account_number)


class AsyncAccountBalanceExtras(AsyncResource["AccountBalanceApi"]):
    """Balances of all accounts, or one, on a date."""

    def iterate(
        self, date: Any, *, page_size: int | None = None, prefetch: int = 0
    ) -> AsyncPager[AccountBalanceApi]:
        """Balances of all accounts on ``date``."""
        pager: AsyncPager[AccountBalanceApi] = self._operation_pages(
            "account_balance.list_account_balances",
            check_date(date, "date"),
            model=self.model,
            page_size=page_size,
            prefetch=prefetch,
        )
        return pager

    async def list(
        self, date: Any, *, page: int = 1, page_size: int = 50
    ) -> Page[AccountBalanceApi]:
        """One page of balances on ``date``."""
        pager = self.iterate(date, page_size=page_size)
        pager.start_page = validate_page(page)
        return await pager.first_page()

    async def get(self, account_number: int | str, date: Any) -> AccountBalanceApi:
        """The balance of one account on ``date``."""
        result: AccountBalanceApi = await self._operation_result(
            "account_balance.get_account_balance",
            _account_number(account_number),
            check_date(date, "date"),
            model=self.model,
        )
        return result


class AsyncCostCenterExtras(AsyncResource["CostCenterApi"]):
    """A cost center has no GET by id: its safe update reads it from the list."""

    async def update(self, cost_center_id: Id, changes: Any = None, **fields: Any) -> CostCenterApi:
        """Safe update: the current value is taken from the list (there is no GET by id)."""
        wanted = check_guid(cost_center_id, "cost_center_id").lower()
        current: dict[str, Any] | None = None
        listing = build_request("cost_centers.list_cost_centers")["url"]
        pages: Any = self._client.paginate(listing, page_size=100).pages()
        async for page in pages:
            for raw in page.items:
                if isinstance(raw, dict) and str(raw.get("Id", "")).lower() == wanted:
                    current = raw
        if current is None:
            raise ValidationError(
                f"cost_center_id={cost_center_id!r} is not in /costcenters", field="cost_center_id"
            )
        payload = self._update_body(current, changes, fields)
        result: CostCenterApi = await self._operation_result(
            "cost_centers.update_cost_center", wanted, model=self.model, body=payload
        )
        return result


class AsyncOrderExtras(AsyncResource["OrderApi"]):
    """Conversion of an order to an invoice."""

    async def convert_to_invoice(self, order_id: Id, body: Any = None) -> CustomerInvoiceApi:
        """Convert the order into a customer invoice."""
        result: CustomerInvoiceApi = await self._operation_result(
            "orders.convert_order_to_customer_invoice",
            check_guid(order_id, self.id_name),
            model="CustomerInvoiceApi",
            body=optional_body(body),
        )
        return result


class AsyncQuoteExtras(AsyncResource["QuoteApi"]):
    """Conversion of a quote to an order or an invoice."""

    async def convert_to_order(self, quote_id: Id, body: Any = None) -> OrderApi:
        """Convert the quote into an order."""
        result: OrderApi = await self._operation_result(
            "quotes.convert_quote_to_order",
            check_guid(quote_id, self.id_name),
            model="OrderApi",
            body=optional_body(body),
        )
        return result

    async def convert_to_invoice(self, quote_id: Id, body: Any = None) -> CustomerInvoiceApi:
        """Convert the quote into a customer invoice."""
        result: CustomerInvoiceApi = await self._operation_result(
            "quotes.convert_quote_to_customer_invoice",
            check_guid(quote_id, self.id_name),
            model="CustomerInvoiceApi",
            body=optional_body(body),
        )
        return result


class AsyncBankTransactionExtras(AsyncResource["BankTransactionApi"]):
    """Matched or unmatched transactions of a bank account, and single transactions."""

    def iterate(
        self,
        bank_account_id: Id,
        *,
        matched: bool,
        from_date: Any = None,
        to_date: Any = None,
        page_size: int | None = None,
        prefetch: int = 0,
    ) -> AsyncPager[BankTransactionApi]:
        """Matched or unmatched transactions of a bank account."""
        which = "matched" if matched else "unmatched"
        pager: AsyncPager[BankTransactionApi] = self._operation_pages(
            f"bank_transactions.list_{which}_bank_transactions",
            check_guid(bank_account_id, "bank_account_id"),
            model=self.model,
            params=bank_params(from_date, to_date),
            page_size=page_size,
            prefetch=prefetch,
        )
        return pager

    async def get(self, bank_account_id: Id, bank_transaction_id: Id) -> BankTransactionApi:
        """One transaction."""
        result: BankTransactionApi = await self._operation_result(
            "bank_transactions.get_bank_transaction",
            check_guid(bank_account_id, "bank_account_id"),
            check_guid(bank_transaction_id, "bank_transaction_id"),
            model=self.model,
        )
        return result


class AsyncInvoicePaymentExtras(AsyncResource["InvoicePaymentApi"]):
    """Payments on customer and supplier invoices (also ``create_payment`` on each)."""

    async def create_for_customer_invoice(self, invoice_id: Id, body: Any) -> InvoicePaymentApi:
        """``POST /customerinvoices/{invoiceId}/payments``."""
        operation = "customer_invoices.create_customer_invoice_payment"
        return await self._pay(operation, invoice_id, body)

    async def create_for_supplier_invoice(self, invoice_id: Id, body: Any) -> InvoicePaymentApi:
        """``POST /supplierinvoices/{invoiceId}/payments``."""
        operation = "supplier_invoices.create_supplier_invoice_payment"
        return await self._pay(operation, invoice_id, body)

    async def _pay(self, operation: str, invoice_id: Id, body: Any) -> InvoicePaymentApi:
        result: InvoicePaymentApi = await self._operation_result(
            operation,
            check_guid(invoice_id, "invoice_id"),
            model=self.model,
            body=body,
            body_schema=self.model,
        )
        return result


class AsyncCompanySettingsExtras(AsyncResource["CompanySettingsApi"]):
    """The company settings: a singleton."""

    async def get(self) -> CompanySettingsApi:
        result: CompanySettingsApi = await self._operation_result(
            "company_settings.get_company_settings", model=self.model
        )
        return result

    async def update(
        self, changes: Any = None, *, verify: bool = False, **fields: Any
    ) -> CompanySettingsApi:
        """Safe update of the company settings, checked like every ``update()``: a concurrent
        change to a property written raises :class:`~eaccounting.UpdateConflictError`."""
        path: str = build_request("company_settings.update_company_settings")["url"]
        return await self._checked_update(path, changes, fields, id=None, verify=verify)
