"""The typed resource facades: ``client.customers.get(id)`` etc.

Each facade offers the operations the API supports for it (list / iterate / get / create /
update / delete) plus resource-specific actions (convert, PDF, payments). Every call goes
through the owning client's pipeline. Anything not covered here is reachable through
``client.api`` (all generated operations) or ``client.request``.

Adding a resource: write its class here and add one line to :class:`AsyncResources` below;
the sync twin and the clients' attributes follow.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from .._accessor import facade
from .._bodies import account_number as _account_number
from .._bodies import (
    bank_params,
    check_date,
    check_guid,
    optional_body,
    prepare_body,
    to_json_object,
)
from .._pages import Page, validate_page
from ..errors import ValidationError
from .mixins import (
    AsyncCreate,
    AsyncDelete,
    AsyncGet,
    AsyncList,
    AsyncResource,
    AsyncUpdate,
)
from .paging import AsyncPager

if TYPE_CHECKING:
    from eaccounting_api.models.account_api import AccountApi
    from eaccounting_api.models.account_balance_api import AccountBalanceApi
    from eaccounting_api.models.article_api import ArticleApi  # noqa: F401 (named in strings)
    from eaccounting_api.models.attachment import Attachment  # noqa: F401 (named in strings)
    from eaccounting_api.models.bank_account_api import BankAccountApi  # noqa: F401 (named in strings)
    from eaccounting_api.models.bank_transaction_api import BankTransactionApi
    from eaccounting_api.models.company_settings_api import CompanySettingsApi
    from eaccounting_api.models.cost_center_api import CostCenterApi
    from eaccounting_api.models.cost_center_item_api import CostCenterItemApi  # noqa: F401 (named in strings)
    from eaccounting_api.models.customer_api import CustomerApi  # noqa: F401 (named in strings)
    from eaccounting_api.models.customer_invoice_api import CustomerInvoiceApi
    from eaccounting_api.models.customer_invoice_draft_api import CustomerInvoiceDraftApi
    from eaccounting_api.models.customer_ledger_item_api import CustomerLedgerItemApi  # noqa: F401 (named in strings)
    from eaccounting_api.models.fiscal_year_api import FiscalYearApi  # noqa: F401 (named in strings)
    from eaccounting_api.models.invoice_payment_api import InvoicePaymentApi
    from eaccounting_api.models.invoice_url_api import InvoiceUrlApi
    from eaccounting_api.models.order_api import OrderApi
    from eaccounting_api.models.project_api import ProjectApi  # noqa: F401 (named in strings)
    from eaccounting_api.models.quote_api import QuoteApi  # noqa: F401 (named in strings)
    from eaccounting_api.models.supplier_api import SupplierApi  # noqa: F401 (named in strings)
    from eaccounting_api.models.supplier_invoice_api import SupplierInvoiceApi
    from eaccounting_api.models.supplier_invoice_draft_api import SupplierInvoiceDraftApi  # noqa: F401 (named in strings)
    from eaccounting_api.models.terms_of_payment_api import TermsOfPaymentApi  # noqa: F401 (named in strings)
    from eaccounting_api.models.unit_api import UnitApi  # noqa: F401 (named in strings)
    from eaccounting_api.models.user_api import UserApi  # noqa: F401 (named in strings)
    from eaccounting_api.models.vat_code_api import VatCodeApi  # noqa: F401 (named in strings)
    from eaccounting_api.models.voucher_api import VoucherApi
    from eaccounting_api.models.voucher_draft_api import VoucherDraftApi  # noqa: F401 (named in strings)

__all__ = [
    "AsyncAccountBalances",
    "AsyncAccounts",
    "AsyncArticles",
    "AsyncAttachments",
    "AsyncBankAccounts",
    "AsyncBankTransactions",
    "AsyncCompanySettings",
    "AsyncCostCenterItems",
    "AsyncCostCenters",
    "AsyncCustomerInvoiceDrafts",
    "AsyncCustomerInvoices",
    "AsyncCustomerLedgerItems",
    "AsyncCustomers",
    "AsyncFiscalYears",
    "AsyncInvoicePayments",
    "AsyncOrders",
    "AsyncProjects",
    "AsyncQuotes",
    "AsyncResources",
    "AsyncSupplierInvoiceDrafts",
    "AsyncSupplierInvoices",
    "AsyncSuppliers",
    "AsyncTermsOfPayment",
    "AsyncUnits",
    "AsyncUsers",
    "AsyncVatCodes",
    "AsyncVoucherDrafts",
    "AsyncVouchers",
]


class AsyncCustomers(
    AsyncList["CustomerApi"],
    AsyncGet["CustomerApi"],
    AsyncCreate["CustomerApi"],
    AsyncUpdate["CustomerApi"],
    AsyncDelete["CustomerApi"],
):
    """``/customers``."""

    path: ClassVar[str] = "/customers"
    model: ClassVar[str] = "CustomerApi"
    id_name: ClassVar[str] = "customer_id"
    modified_field: ClassVar[str | None] = "ChangedUtc"


class AsyncSuppliers(
    AsyncList["SupplierApi"],
    AsyncGet["SupplierApi"],
    AsyncCreate["SupplierApi"],
    AsyncUpdate["SupplierApi"],
    AsyncDelete["SupplierApi"],
):
    """``/suppliers``."""

    path: ClassVar[str] = "/suppliers"
    model: ClassVar[str] = "SupplierApi"
    id_name: ClassVar[str] = "supplier_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"


class AsyncArticles(
    AsyncList["ArticleApi"],
    AsyncGet["ArticleApi"],
    AsyncCreate["ArticleApi"],
    AsyncUpdate["ArticleApi"],
):
    """``/articles`` (no delete in the API)."""

    path: ClassVar[str] = "/articles"
    model: ClassVar[str] = "ArticleApi"
    id_name: ClassVar[str] = "article_id"
    modified_field: ClassVar[str | None] = "ChangedUtc"


class AsyncCustomerInvoices(
    AsyncList["CustomerInvoiceApi"],
    AsyncGet["CustomerInvoiceApi"],
    AsyncCreate["CustomerInvoiceApi"],
):
    """``/customerinvoices``: invoices and credit notes (``IsCreditInvoice``), PDFs, payments."""

    path: ClassVar[str] = "/customerinvoices"
    model: ClassVar[str] = "CustomerInvoiceApi"
    id_name: ClassVar[str] = "invoice_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"

    async def create_credit_note(
        self, body: Any, *, params: Mapping[str, Any] | None = None
    ) -> CustomerInvoiceApi:
        """Create a credit invoice: ``body`` with ``IsCreditInvoice`` set to true."""
        data = to_json_object(body, "body")
        data["IsCreditInvoice"] = True
        return await self.create(data, params=params)

    async def pdf_url(self, invoice_id: Any) -> InvoiceUrlApi:
        """A temporary URL to the invoice PDF (``GET /customerinvoices/{id}/pdf``)."""
        result: InvoiceUrlApi = await self._action("GET", invoice_id, "pdf", "InvoiceUrlApi")
        return result

    async def pdf(self, invoice_id: Any) -> bytes:
        """The invoice PDF bytes (``GET /customerinvoices/{id}/print``)."""
        response = await self._client.request(
            "GET", f"{self._item_path(invoice_id)}/print", headers={"Accept": "application/pdf"}
        )
        return response.content

    async def void(self, invoice_id: Any, *, update_stock: bool | None = None) -> None:
        """Void an invoice."""
        await self._client.request(
            "POST", f"{self._item_path(invoice_id)}/void", params={"updateStock": update_stock}
        )

    async def create_payment(self, invoice_id: Any, body: Any) -> InvoicePaymentApi:
        """Register a payment on the invoice."""
        payload = prepare_body(to_json_object(body, "body"), "InvoicePaymentApi")
        result: InvoicePaymentApi = await self._action(
            "POST", invoice_id, "payments", "InvoicePaymentApi", json=payload
        )
        return result


class AsyncCustomerInvoiceDrafts(
    AsyncList["CustomerInvoiceDraftApi"],
    AsyncGet["CustomerInvoiceDraftApi"],
    AsyncCreate["CustomerInvoiceDraftApi"],
    AsyncUpdate["CustomerInvoiceDraftApi"],
    AsyncDelete["CustomerInvoiceDraftApi"],
):
    """``/customerinvoicedrafts``, including conversion to an invoice."""

    path: ClassVar[str] = "/customerinvoicedrafts"
    model: ClassVar[str] = "CustomerInvoiceDraftApi"
    id_name: ClassVar[str] = "draft_id"
    modified_field: ClassVar[str | None] = "CreatedUtc"

    async def create_credit_note(self, body: Any) -> CustomerInvoiceDraftApi:
        """Create a credit-invoice draft (``IsCreditInvoice`` true)."""
        data = to_json_object(body, "body")
        data["IsCreditInvoice"] = True
        return await self.create(data)

    async def convert(
        self, draft_id: Any, body: Any = None, *, params: Mapping[str, Any] | None = None
    ) -> CustomerInvoiceApi:
        """Convert the draft into a customer invoice."""
        payload = optional_body(body)
        result: CustomerInvoiceApi = await self._action(
            "POST", draft_id, "convert", "CustomerInvoiceApi", json=payload, params=params
        )
        return result


class AsyncSupplierInvoices(
    AsyncList["SupplierInvoiceApi"],
    AsyncGet["SupplierInvoiceApi"],
    AsyncCreate["SupplierInvoiceApi"],
):
    """``/supplierinvoices``."""

    path: ClassVar[str] = "/supplierinvoices"
    model: ClassVar[str] = "SupplierInvoiceApi"
    id_name: ClassVar[str] = "invoice_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"

    async def create_payment(self, invoice_id: Any, body: Any) -> InvoicePaymentApi:
        """Register a payment on the supplier invoice."""
        payload = prepare_body(to_json_object(body, "body"), "InvoicePaymentApi")
        result: InvoicePaymentApi = await self._action(
            "POST", invoice_id, "payments", "InvoicePaymentApi", json=payload
        )
        return result


class AsyncSupplierInvoiceDrafts(
    AsyncList["SupplierInvoiceDraftApi"],
    AsyncGet["SupplierInvoiceDraftApi"],
    AsyncCreate["SupplierInvoiceDraftApi"],
    AsyncUpdate["SupplierInvoiceDraftApi"],
    AsyncDelete["SupplierInvoiceDraftApi"],
):
    """``/supplierinvoicedrafts``, including conversion to a supplier invoice."""

    path: ClassVar[str] = "/supplierinvoicedrafts"
    model: ClassVar[str] = "SupplierInvoiceDraftApi"
    id_name: ClassVar[str] = "draft_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"

    async def convert(self, draft_id: Any) -> SupplierInvoiceApi:
        """Convert the draft into a supplier invoice."""
        result: SupplierInvoiceApi = await self._action(
            "POST", draft_id, "convert", "SupplierInvoiceApi"
        )
        return result


class AsyncVouchers(AsyncList["VoucherApi"], AsyncCreate["VoucherApi"]):
    """``/vouchers``: vouchers are addressed by fiscal year and id."""

    path: ClassVar[str] = "/vouchers"
    model: ClassVar[str] = "VoucherApi"
    id_name: ClassVar[str] = "voucher_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"

    async def get(self, fiscal_year_id: Any, voucher_id: Any) -> VoucherApi:
        """``GET /vouchers/{fiscalyearId}/{voucherId}``."""
        path = f"{self.path}/{check_guid(fiscal_year_id, 'fiscal_year_id')}/"
        path += check_guid(voucher_id, "voucher_id")
        return self._parse(await self._call("GET", path))

    def iterate_fiscal_year(
        self, fiscal_year_id: Any, *, page_size: int | None = None, prefetch: int = 0
    ) -> AsyncPager[VoucherApi]:
        """Every voucher of one fiscal year."""
        path = f"{self.path}/{check_guid(fiscal_year_id, 'fiscal_year_id')}"
        return self._client.paginate(
            path, parse=self._parse, page_size=page_size, prefetch=prefetch
        )


class AsyncVoucherDrafts(
    AsyncList["VoucherDraftApi"],
    AsyncGet["VoucherDraftApi"],
    AsyncCreate["VoucherDraftApi"],
    AsyncUpdate["VoucherDraftApi"],
    AsyncDelete["VoucherDraftApi"],
):
    """``/voucherdrafts``, including conversion to a voucher."""

    path: ClassVar[str] = "/voucherdrafts"
    model: ClassVar[str] = "VoucherDraftApi"
    id_name: ClassVar[str] = "voucher_draft_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"

    async def convert(self, voucher_draft_id: Any) -> VoucherApi:
        """Convert the draft into a voucher."""
        result: VoucherApi = await self._action("POST", voucher_draft_id, "convert", "VoucherApi")
        return result


class AsyncAccounts(AsyncList["AccountApi"], AsyncCreate["AccountApi"]):
    """``/accounts``: accounts are addressed by fiscal year and account number."""

    path: ClassVar[str] = "/accounts"
    model: ClassVar[str] = "AccountApi"
    id_name: ClassVar[str] = "fiscal_year_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"

    def _account_path(self, fiscal_year_id: Any, account_number: Any) -> str:
        fy = check_guid(fiscal_year_id, "fiscal_year_id")
        return f"{self.path}/{fy}/{_account_number(account_number)}"

    async def get(self, fiscal_year_id: Any, account_number: int | str) -> AccountApi:
        """``GET /accounts/{fiscalyearId}/{accountNumber}``."""
        path = self._account_path(fiscal_year_id, account_number)
        return self._parse(await self._call("GET", path))

    async def update(
        self, fiscal_year_id: Any, account_number: int | str, changes: Any = None, **fields: Any
    ) -> AccountApi:
        """Safe update of one account, checked like every ``update()``."""
        path = self._account_path(fiscal_year_id, account_number)
        return await self._checked_update(path, changes, fields, id=path.split("/", 2)[2])

    def iterate_fiscal_year(
        self, fiscal_year_id: Any, *, page_size: int | None = None, prefetch: int = 0
    ) -> AsyncPager[AccountApi]:
        """Every account of one fiscal year."""
        path = f"{self.path}/{check_guid(fiscal_year_id, 'fiscal_year_id')}"
        return self._client.paginate(
            path, parse=self._parse, page_size=page_size, prefetch=prefetch
        )


class AsyncAccountBalances(AsyncResource["AccountBalanceApi"]):
    """``/accountbalances``: balances of all accounts, or one, on a date."""

    path: ClassVar[str] = "/accountbalances"
    model: ClassVar[str] = "AccountBalanceApi"

    def iterate(
        self, date: Any, *, page_size: int | None = None, prefetch: int = 0
    ) -> AsyncPager[AccountBalanceApi]:
        """Balances of all accounts on ``date``."""
        path = f"{self.path}/{check_date(date, 'date')}"
        return self._client.paginate(
            path, parse=self._parse, page_size=page_size, prefetch=prefetch
        )

    async def list(
        self, date: Any, *, page: int = 1, page_size: int = 50
    ) -> Page[AccountBalanceApi]:
        """One page of balances on ``date``."""
        pager = self.iterate(date, page_size=page_size)
        pager.start_page = validate_page(page)
        return await pager.first_page()

    async def get(self, account_number: int | str, date: Any) -> AccountBalanceApi:
        """The balance of one account on ``date``."""
        path = f"{self.path}/{_account_number(account_number)}/{check_date(date, 'date')}"
        return self._parse(await self._call("GET", path))


class AsyncFiscalYears(
    AsyncList["FiscalYearApi"],
    AsyncGet["FiscalYearApi"],
    AsyncCreate["FiscalYearApi"],
    AsyncUpdate["FiscalYearApi"],
):
    """``/fiscalyears``."""

    path: ClassVar[str] = "/fiscalyears"
    model: ClassVar[str] = "FiscalYearApi"
    write_schema: ClassVar[str | None] = "FiscalYearUpdateApi"
    id_name: ClassVar[str] = "fiscal_year_id"


class AsyncVatCodes(AsyncList["VatCodeApi"], AsyncGet["VatCodeApi"]):
    """``/vatcodes`` (read-only)."""

    path: ClassVar[str] = "/vatcodes"
    model: ClassVar[str] = "VatCodeApi"
    id_name: ClassVar[str] = "vat_code_id"


class AsyncTermsOfPayment(AsyncList["TermsOfPaymentApi"], AsyncGet["TermsOfPaymentApi"]):
    """``/termsofpayments`` (read-only)."""

    path: ClassVar[str] = "/termsofpayments"
    model: ClassVar[str] = "TermsOfPaymentApi"
    id_name: ClassVar[str] = "terms_of_payment_id"


class AsyncProjects(
    AsyncList["ProjectApi"],
    AsyncGet["ProjectApi"],
    AsyncCreate["ProjectApi"],
    AsyncUpdate["ProjectApi"],
):
    """``/projects``."""

    path: ClassVar[str] = "/projects"
    model: ClassVar[str] = "ProjectApi"
    id_name: ClassVar[str] = "project_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"


class AsyncCostCenters(AsyncList["CostCenterApi"]):
    """``/costcenters`` (list; update by id)."""

    path: ClassVar[str] = "/costcenters"
    model: ClassVar[str] = "CostCenterApi"
    id_name: ClassVar[str] = "cost_center_id"

    async def update(
        self, cost_center_id: Any, changes: Any = None, **fields: Any
    ) -> CostCenterApi:
        """Safe update: the current value is taken from the list (there is no GET by id)."""
        wanted = check_guid(cost_center_id, "cost_center_id").lower()
        current: dict[str, Any] | None = None
        pages: Any = self._client.paginate(self.path, page_size=100).pages()
        async for page in pages:
            for raw in page.items:
                if isinstance(raw, dict) and str(raw.get("Id", "")).lower() == wanted:
                    current = raw
        if current is None:
            raise ValidationError(
                f"cost_center_id={cost_center_id!r} is not in /costcenters", field="cost_center_id"
            )
        payload = self._update_body(current, changes, fields)
        path = f"{self.path}/{wanted}"
        return self._parse(await self._call("PUT", path, json=payload))


class AsyncCostCenterItems(
    AsyncGet["CostCenterItemApi"],
    AsyncCreate["CostCenterItemApi"],
    AsyncUpdate["CostCenterItemApi"],
):
    """``/costcenteritems``."""

    path: ClassVar[str] = "/costcenteritems"
    model: ClassVar[str] = "CostCenterItemApi"
    id_name: ClassVar[str] = "cost_center_item_id"


class AsyncOrders(
    AsyncList["OrderApi"],
    AsyncGet["OrderApi"],
    AsyncCreate["OrderApi"],
    AsyncUpdate["OrderApi"],
    AsyncDelete["OrderApi"],
):
    """``/orders``."""

    path: ClassVar[str] = "/orders"
    model: ClassVar[str] = "OrderApi"
    id_name: ClassVar[str] = "order_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"

    async def convert_to_invoice(self, order_id: Any, body: Any = None) -> CustomerInvoiceApi:
        """Convert the order into a customer invoice."""
        payload = optional_body(body)
        result: CustomerInvoiceApi = await self._action(
            "POST", order_id, "convert", "CustomerInvoiceApi", json=payload
        )
        return result


class AsyncQuotes(
    AsyncList["QuoteApi"],
    AsyncGet["QuoteApi"],
    AsyncCreate["QuoteApi"],
    AsyncUpdate["QuoteApi"],
    AsyncDelete["QuoteApi"],
):
    """``/quotes``."""

    path: ClassVar[str] = "/quotes"
    model: ClassVar[str] = "QuoteApi"
    id_name: ClassVar[str] = "quote_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"

    async def convert_to_order(self, quote_id: Any, body: Any = None) -> OrderApi:
        """Convert the quote into an order."""
        payload = optional_body(body)
        result: OrderApi = await self._action(
            "POST", quote_id, "converttoorder", "OrderApi", json=payload
        )
        return result

    async def convert_to_invoice(self, quote_id: Any, body: Any = None) -> CustomerInvoiceApi:
        """Convert the quote into a customer invoice."""
        payload = optional_body(body)
        result: CustomerInvoiceApi = await self._action(
            "POST", quote_id, "converttocustomerinvoice", "CustomerInvoiceApi", json=payload
        )
        return result


class AsyncAttachments(
    AsyncList["Attachment"],
    AsyncGet["Attachment"],
    AsyncCreate["Attachment"],
    AsyncDelete["Attachment"],
):
    """``/attachments`` (create takes an ``AttachmentUploadApi`` with base64 ``Data``)."""

    path: ClassVar[str] = "/attachments"
    model: ClassVar[str] = "Attachment"
    write_schema: ClassVar[str | None] = "AttachmentUploadApi"
    id_name: ClassVar[str] = "attachment_id"


class AsyncBankAccounts(
    AsyncList["BankAccountApi"],
    AsyncGet["BankAccountApi"],
    AsyncCreate["BankAccountApi"],
    AsyncUpdate["BankAccountApi"],
    AsyncDelete["BankAccountApi"],
):
    """``/bankaccounts``."""

    path: ClassVar[str] = "/bankaccounts"
    model: ClassVar[str] = "BankAccountApi"
    id_name: ClassVar[str] = "bank_account_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"


class AsyncBankTransactions(AsyncResource["BankTransactionApi"]):
    """``/banktransactions/{bankAccountId}/matched|unmatched`` and single transactions."""

    path: ClassVar[str] = "/banktransactions"
    model: ClassVar[str] = "BankTransactionApi"
    id_name: ClassVar[str] = "bank_transaction_id"

    def iterate(
        self,
        bank_account_id: Any,
        *,
        matched: bool,
        from_date: Any = None,
        to_date: Any = None,
        page_size: int | None = None,
        prefetch: int = 0,
    ) -> AsyncPager[BankTransactionApi]:
        """Matched or unmatched transactions of a bank account."""
        which = "matched" if matched else "unmatched"
        path = f"{self.path}/{check_guid(bank_account_id, 'bank_account_id')}/{which}"
        return self._client.paginate(
            path,
            params=bank_params(from_date, to_date),
            parse=self._parse,
            page_size=page_size,
            prefetch=prefetch,
        )

    async def get(self, bank_account_id: Any, bank_transaction_id: Any) -> BankTransactionApi:
        """One transaction."""
        path = f"{self.path}/{check_guid(bank_account_id, 'bank_account_id')}/"
        path += check_guid(bank_transaction_id, "bank_transaction_id")
        return self._parse(await self._call("GET", path))


class AsyncCustomerLedgerItems(
    AsyncList["CustomerLedgerItemApi"],
    AsyncGet["CustomerLedgerItemApi"],
    AsyncCreate["CustomerLedgerItemApi"],
):
    """``/customerledgeritems``."""

    path: ClassVar[str] = "/customerledgeritems"
    model: ClassVar[str] = "CustomerLedgerItemApi"
    id_name: ClassVar[str] = "customer_ledger_item_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"


class AsyncInvoicePayments(AsyncResource["InvoicePaymentApi"]):
    """Payments on customer and supplier invoices."""

    path: ClassVar[str] = "/customerinvoices"
    model: ClassVar[str] = "InvoicePaymentApi"

    async def create_for_customer_invoice(self, invoice_id: Any, body: Any) -> InvoicePaymentApi:
        """``POST /customerinvoices/{invoiceId}/payments``."""
        return await self._post(f"/customerinvoices/{check_guid(invoice_id, 'invoice_id')}", body)

    async def create_for_supplier_invoice(self, invoice_id: Any, body: Any) -> InvoicePaymentApi:
        """``POST /supplierinvoices/{invoiceId}/payments``."""
        return await self._post(f"/supplierinvoices/{check_guid(invoice_id, 'invoice_id')}", body)

    async def _post(self, base: str, body: Any) -> InvoicePaymentApi:
        payload = prepare_body(to_json_object(body, "body"), self.model)
        return self._parse(await self._call("POST", f"{base}/payments", json=payload))


class AsyncUnits(AsyncList["UnitApi"], AsyncGet["UnitApi"]):
    """``/units``."""

    path: ClassVar[str] = "/units"
    model: ClassVar[str] = "UnitApi"
    id_name: ClassVar[str] = "unit_id"


class AsyncUsers(AsyncList["UserApi"]):
    """``/users``."""

    path: ClassVar[str] = "/users"
    model: ClassVar[str] = "UserApi"


class AsyncCompanySettings(AsyncResource["CompanySettingsApi"]):
    """``/companysettings`` (a singleton)."""

    path: ClassVar[str] = "/companysettings"
    model: ClassVar[str] = "CompanySettingsApi"

    async def get(self) -> CompanySettingsApi:
        return self._parse(await self._call("GET", self.path))

    async def update(
        self, changes: Any = None, *, verify: bool = False, **fields: Any
    ) -> CompanySettingsApi:
        """Safe update of the company settings, checked like every ``update()``: a concurrent
        change to a property written raises :class:`~eaccounting.UpdateConflictError`."""
        return await self._checked_update(self.path, changes, fields, id=None, verify=verify)


class AsyncResources:
    """The facades as attributes of a client, each built on first use: one line a resource."""

    customers = facade(AsyncCustomers)
    suppliers = facade(AsyncSuppliers)
    articles = facade(AsyncArticles)
    customer_invoices = facade(AsyncCustomerInvoices)
    customer_invoice_drafts = facade(AsyncCustomerInvoiceDrafts)
    supplier_invoices = facade(AsyncSupplierInvoices)
    supplier_invoice_drafts = facade(AsyncSupplierInvoiceDrafts)
    vouchers = facade(AsyncVouchers)
    voucher_drafts = facade(AsyncVoucherDrafts)
    accounts = facade(AsyncAccounts)
    account_balances = facade(AsyncAccountBalances)
    fiscal_years = facade(AsyncFiscalYears)
    vat_codes = facade(AsyncVatCodes)
    terms_of_payment = facade(AsyncTermsOfPayment)
    projects = facade(AsyncProjects)
    cost_centers = facade(AsyncCostCenters)
    cost_center_items = facade(AsyncCostCenterItems)
    orders = facade(AsyncOrders)
    quotes = facade(AsyncQuotes)
    attachments = facade(AsyncAttachments)
    bank_accounts = facade(AsyncBankAccounts)
    bank_transactions = facade(AsyncBankTransactions)
    customer_ledger_items = facade(AsyncCustomerLedgerItems)
    invoice_payments = facade(AsyncInvoicePayments)
    units = facade(AsyncUnits)
    users = facade(AsyncUsers)
    company_settings = facade(AsyncCompanySettings)
