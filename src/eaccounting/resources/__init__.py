"""Typed resource facades over the generated models: ``client.customers.get(id)`` etc.

Each facade offers the operations the API supports for it (list / iterate / get / create /
update / delete) plus resource-specific actions (convert, PDF, payments). Every call goes
through the owning client's pipeline. Anything not covered here is reachable through
``client.api`` (all generated operations) or ``client.request``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from ..paging import AsyncPager, Page, SyncPager
from ._base import check_date, check_guid, prepare_body, to_json_object
from ._mixins import (
    AsyncCreate,
    AsyncDelete,
    AsyncGet,
    AsyncList,
    AsyncResource,
    AsyncUpdate,
    SyncCreate,
    SyncDelete,
    SyncGet,
    SyncList,
    SyncResource,
    SyncUpdate,
    _json,
    _page,
)

if TYPE_CHECKING:
    from eaccounting_api.models.account_api import AccountApi
    from eaccounting_api.models.account_balance_api import AccountBalanceApi
    from eaccounting_api.models.article_api import ArticleApi  # noqa: F401
    from eaccounting_api.models.attachment import Attachment  # noqa: F401
    from eaccounting_api.models.bank_account_api import BankAccountApi  # noqa: F401
    from eaccounting_api.models.bank_transaction_api import BankTransactionApi
    from eaccounting_api.models.company_settings_api import CompanySettingsApi
    from eaccounting_api.models.cost_center_api import CostCenterApi
    from eaccounting_api.models.cost_center_item_api import CostCenterItemApi  # noqa: F401
    from eaccounting_api.models.customer_api import CustomerApi  # noqa: F401
    from eaccounting_api.models.customer_invoice_api import CustomerInvoiceApi
    from eaccounting_api.models.customer_invoice_draft_api import CustomerInvoiceDraftApi
    from eaccounting_api.models.customer_ledger_item_api import CustomerLedgerItemApi  # noqa: F401
    from eaccounting_api.models.fiscal_year_api import FiscalYearApi  # noqa: F401
    from eaccounting_api.models.invoice_payment_api import InvoicePaymentApi
    from eaccounting_api.models.invoice_url_api import InvoiceUrlApi
    from eaccounting_api.models.order_api import OrderApi
    from eaccounting_api.models.project_api import ProjectApi  # noqa: F401
    from eaccounting_api.models.quote_api import QuoteApi  # noqa: F401
    from eaccounting_api.models.supplier_api import SupplierApi  # noqa: F401
    from eaccounting_api.models.supplier_invoice_api import SupplierInvoiceApi
    from eaccounting_api.models.supplier_invoice_draft_api import SupplierInvoiceDraftApi  # noqa: F401
    from eaccounting_api.models.terms_of_payment_api import TermsOfPaymentApi  # noqa: F401
    from eaccounting_api.models.unit_api import UnitApi  # noqa: F401
    from eaccounting_api.models.user_api import UserApi  # noqa: F401
    from eaccounting_api.models.vat_code_api import VatCodeApi  # noqa: F401
    from eaccounting_api.models.voucher_api import VoucherApi
    from eaccounting_api.models.voucher_draft_api import VoucherDraftApi  # noqa: F401

    from .._client import AsyncClient, Client

from ._base import parse_model

__all__ = ["AsyncResources", "SyncResources"]


def _parsed(name: str, data: Any) -> Any:
    return parse_model(name, data)


def _date(value: Any, name: str) -> str:
    return check_date(value, name)


# -- customers, suppliers, articles ----------------------------------------------------------


class _CustomersSpec:
    path: ClassVar[str] = "/customers"
    model: ClassVar[str] = "CustomerApi"
    id_name: ClassVar[str] = "customer_id"
    modified_field: ClassVar[str | None] = "ChangedUtc"


class Customers(
    _CustomersSpec,
    SyncList["CustomerApi"],
    SyncGet["CustomerApi"],
    SyncCreate["CustomerApi"],
    SyncUpdate["CustomerApi"],
    SyncDelete["CustomerApi"],
):
    """``/customers``."""


class AsyncCustomers(
    _CustomersSpec,
    AsyncList["CustomerApi"],
    AsyncGet["CustomerApi"],
    AsyncCreate["CustomerApi"],
    AsyncUpdate["CustomerApi"],
    AsyncDelete["CustomerApi"],
):
    """``/customers``."""


class _SuppliersSpec:
    path: ClassVar[str] = "/suppliers"
    model: ClassVar[str] = "SupplierApi"
    id_name: ClassVar[str] = "supplier_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"


class Suppliers(
    _SuppliersSpec,
    SyncList["SupplierApi"],
    SyncGet["SupplierApi"],
    SyncCreate["SupplierApi"],
    SyncUpdate["SupplierApi"],
    SyncDelete["SupplierApi"],
):
    """``/suppliers``."""


class AsyncSuppliers(
    _SuppliersSpec,
    AsyncList["SupplierApi"],
    AsyncGet["SupplierApi"],
    AsyncCreate["SupplierApi"],
    AsyncUpdate["SupplierApi"],
    AsyncDelete["SupplierApi"],
):
    """``/suppliers``."""


class _ArticlesSpec:
    path: ClassVar[str] = "/articles"
    model: ClassVar[str] = "ArticleApi"
    id_name: ClassVar[str] = "article_id"
    modified_field: ClassVar[str | None] = "ChangedUtc"


class Articles(
    _ArticlesSpec,
    SyncList["ArticleApi"],
    SyncGet["ArticleApi"],
    SyncCreate["ArticleApi"],
    SyncUpdate["ArticleApi"],
):
    """``/articles`` (no delete in the API)."""


class AsyncArticles(
    _ArticlesSpec,
    AsyncList["ArticleApi"],
    AsyncGet["ArticleApi"],
    AsyncCreate["ArticleApi"],
    AsyncUpdate["ArticleApi"],
):
    """``/articles`` (no delete in the API)."""


# -- customer invoices and drafts ------------------------------------------------------------


class _CustomerInvoicesSpec:
    path: ClassVar[str] = "/customerinvoices"
    model: ClassVar[str] = "CustomerInvoiceApi"
    id_name: ClassVar[str] = "invoice_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"


class CustomerInvoices(
    _CustomerInvoicesSpec,
    SyncList["CustomerInvoiceApi"],
    SyncGet["CustomerInvoiceApi"],
    SyncCreate["CustomerInvoiceApi"],
):
    """``/customerinvoices``: invoices and credit notes (``IsCreditInvoice``), PDFs, payments."""

    def create_credit_note(
        self, body: Any, *, params: Mapping[str, Any] | None = None
    ) -> CustomerInvoiceApi:
        """Create a credit invoice: ``body`` with ``IsCreditInvoice`` set to true."""
        data = to_json_object(body, "body")
        data["IsCreditInvoice"] = True
        return self.create(data, params=params)

    def pdf_url(self, invoice_id: Any) -> InvoiceUrlApi:
        """A temporary URL to the invoice PDF (``GET /customerinvoices/{id}/pdf``)."""
        response = self._client.request("GET", f"{self._item_path(invoice_id)}/pdf")
        result: InvoiceUrlApi = _parsed("InvoiceUrlApi", _json(response))
        return result

    def pdf(self, invoice_id: Any) -> bytes:
        """The invoice PDF bytes (``GET /customerinvoices/{id}/print``)."""
        response = self._client.request(
            "GET", f"{self._item_path(invoice_id)}/print", headers={"Accept": "application/pdf"}
        )
        return response.content

    def void(self, invoice_id: Any, *, update_stock: bool | None = None) -> None:
        """Void an invoice."""
        self._client.request(
            "POST", f"{self._item_path(invoice_id)}/void", params={"updateStock": update_stock}
        )

    def create_payment(self, invoice_id: Any, body: Any) -> InvoicePaymentApi:
        """Register a payment on the invoice."""
        payload = prepare_body(to_json_object(body, "body"), "InvoicePaymentApi")
        response = self._client.request(
            "POST", f"{self._item_path(invoice_id)}/payments", json=payload
        )
        result: InvoicePaymentApi = _parsed("InvoicePaymentApi", _json(response))
        return result


class AsyncCustomerInvoices(
    _CustomerInvoicesSpec,
    AsyncList["CustomerInvoiceApi"],
    AsyncGet["CustomerInvoiceApi"],
    AsyncCreate["CustomerInvoiceApi"],
):
    """``/customerinvoices``: invoices and credit notes, PDFs, payments."""

    async def create_credit_note(
        self, body: Any, *, params: Mapping[str, Any] | None = None
    ) -> CustomerInvoiceApi:
        """Create a credit invoice: ``body`` with ``IsCreditInvoice`` set to true."""
        data = to_json_object(body, "body")
        data["IsCreditInvoice"] = True
        return await self.create(data, params=params)

    async def pdf_url(self, invoice_id: Any) -> InvoiceUrlApi:
        """A temporary URL to the invoice PDF."""
        response = await self._client.request("GET", f"{self._item_path(invoice_id)}/pdf")
        result: InvoiceUrlApi = _parsed("InvoiceUrlApi", _json(response))
        return result

    async def pdf(self, invoice_id: Any) -> bytes:
        """The invoice PDF bytes."""
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
        response = await self._client.request(
            "POST", f"{self._item_path(invoice_id)}/payments", json=payload
        )
        result: InvoicePaymentApi = _parsed("InvoicePaymentApi", _json(response))
        return result


class _CustomerInvoiceDraftsSpec:
    path: ClassVar[str] = "/customerinvoicedrafts"
    model: ClassVar[str] = "CustomerInvoiceDraftApi"
    id_name: ClassVar[str] = "draft_id"
    modified_field: ClassVar[str | None] = "CreatedUtc"


class CustomerInvoiceDrafts(
    _CustomerInvoiceDraftsSpec,
    SyncList["CustomerInvoiceDraftApi"],
    SyncGet["CustomerInvoiceDraftApi"],
    SyncCreate["CustomerInvoiceDraftApi"],
    SyncUpdate["CustomerInvoiceDraftApi"],
    SyncDelete["CustomerInvoiceDraftApi"],
):
    """``/customerinvoicedrafts``, including conversion to an invoice."""

    def create_credit_note(self, body: Any) -> CustomerInvoiceDraftApi:
        """Create a credit-invoice draft (``IsCreditInvoice`` true)."""
        data = to_json_object(body, "body")
        data["IsCreditInvoice"] = True
        return self.create(data)

    def convert(
        self, draft_id: Any, body: Any = None, *, params: Mapping[str, Any] | None = None
    ) -> CustomerInvoiceApi:
        """Convert the draft into a customer invoice."""
        payload = {} if body is None else to_json_object(body, "body")
        response = self._client.request(
            "POST", f"{self._item_path(draft_id)}/convert", json=payload, params=params
        )
        result: CustomerInvoiceApi = _parsed("CustomerInvoiceApi", _json(response))
        return result


class AsyncCustomerInvoiceDrafts(
    _CustomerInvoiceDraftsSpec,
    AsyncList["CustomerInvoiceDraftApi"],
    AsyncGet["CustomerInvoiceDraftApi"],
    AsyncCreate["CustomerInvoiceDraftApi"],
    AsyncUpdate["CustomerInvoiceDraftApi"],
    AsyncDelete["CustomerInvoiceDraftApi"],
):
    """``/customerinvoicedrafts``, including conversion to an invoice."""

    async def create_credit_note(self, body: Any) -> CustomerInvoiceDraftApi:
        """Create a credit-invoice draft (``IsCreditInvoice`` true)."""
        data = to_json_object(body, "body")
        data["IsCreditInvoice"] = True
        return await self.create(data)

    async def convert(
        self, draft_id: Any, body: Any = None, *, params: Mapping[str, Any] | None = None
    ) -> CustomerInvoiceApi:
        """Convert the draft into a customer invoice."""
        payload = {} if body is None else to_json_object(body, "body")
        response = await self._client.request(
            "POST", f"{self._item_path(draft_id)}/convert", json=payload, params=params
        )
        result: CustomerInvoiceApi = _parsed("CustomerInvoiceApi", _json(response))
        return result


# -- supplier invoices and drafts ------------------------------------------------------------


class _SupplierInvoicesSpec:
    path: ClassVar[str] = "/supplierinvoices"
    model: ClassVar[str] = "SupplierInvoiceApi"
    id_name: ClassVar[str] = "invoice_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"


class SupplierInvoices(
    _SupplierInvoicesSpec,
    SyncList["SupplierInvoiceApi"],
    SyncGet["SupplierInvoiceApi"],
    SyncCreate["SupplierInvoiceApi"],
):
    """``/supplierinvoices``."""

    def create_payment(self, invoice_id: Any, body: Any) -> InvoicePaymentApi:
        """Register a payment on the supplier invoice."""
        payload = prepare_body(to_json_object(body, "body"), "InvoicePaymentApi")
        response = self._client.request(
            "POST", f"{self._item_path(invoice_id)}/payments", json=payload
        )
        result: InvoicePaymentApi = _parsed("InvoicePaymentApi", _json(response))
        return result


class AsyncSupplierInvoices(
    _SupplierInvoicesSpec,
    AsyncList["SupplierInvoiceApi"],
    AsyncGet["SupplierInvoiceApi"],
    AsyncCreate["SupplierInvoiceApi"],
):
    """``/supplierinvoices``."""

    async def create_payment(self, invoice_id: Any, body: Any) -> InvoicePaymentApi:
        """Register a payment on the supplier invoice."""
        payload = prepare_body(to_json_object(body, "body"), "InvoicePaymentApi")
        response = await self._client.request(
            "POST", f"{self._item_path(invoice_id)}/payments", json=payload
        )
        result: InvoicePaymentApi = _parsed("InvoicePaymentApi", _json(response))
        return result


class _SupplierInvoiceDraftsSpec:
    path: ClassVar[str] = "/supplierinvoicedrafts"
    model: ClassVar[str] = "SupplierInvoiceDraftApi"
    id_name: ClassVar[str] = "draft_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"


class SupplierInvoiceDrafts(
    _SupplierInvoiceDraftsSpec,
    SyncList["SupplierInvoiceDraftApi"],
    SyncGet["SupplierInvoiceDraftApi"],
    SyncCreate["SupplierInvoiceDraftApi"],
    SyncUpdate["SupplierInvoiceDraftApi"],
    SyncDelete["SupplierInvoiceDraftApi"],
):
    """``/supplierinvoicedrafts``, including conversion to a supplier invoice."""

    def convert(self, draft_id: Any) -> SupplierInvoiceApi:
        """Convert the draft into a supplier invoice."""
        response = self._client.request("POST", f"{self._item_path(draft_id)}/convert")
        result: SupplierInvoiceApi = _parsed("SupplierInvoiceApi", _json(response))
        return result


class AsyncSupplierInvoiceDrafts(
    _SupplierInvoiceDraftsSpec,
    AsyncList["SupplierInvoiceDraftApi"],
    AsyncGet["SupplierInvoiceDraftApi"],
    AsyncCreate["SupplierInvoiceDraftApi"],
    AsyncUpdate["SupplierInvoiceDraftApi"],
    AsyncDelete["SupplierInvoiceDraftApi"],
):
    """``/supplierinvoicedrafts``, including conversion to a supplier invoice."""

    async def convert(self, draft_id: Any) -> SupplierInvoiceApi:
        """Convert the draft into a supplier invoice."""
        response = await self._client.request("POST", f"{self._item_path(draft_id)}/convert")
        result: SupplierInvoiceApi = _parsed("SupplierInvoiceApi", _json(response))
        return result


# -- vouchers and drafts ---------------------------------------------------------------------


class _VouchersSpec:
    path: ClassVar[str] = "/vouchers"
    model: ClassVar[str] = "VoucherApi"
    id_name: ClassVar[str] = "voucher_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"


class Vouchers(_VouchersSpec, SyncList["VoucherApi"], SyncCreate["VoucherApi"]):
    """``/vouchers``: vouchers are addressed by fiscal year and id."""

    def get(self, fiscal_year_id: Any, voucher_id: Any) -> VoucherApi:
        """``GET /vouchers/{fiscalyearId}/{voucherId}``."""
        path = f"{self.path}/{check_guid(fiscal_year_id, 'fiscal_year_id')}/"
        path += check_guid(voucher_id, "voucher_id")
        return self._parse(_json(self._client.request("GET", path)))

    def iterate_fiscal_year(
        self, fiscal_year_id: Any, *, page_size: int | None = None, prefetch: int = 0
    ) -> SyncPager[VoucherApi]:
        """Every voucher of one fiscal year."""
        path = f"{self.path}/{check_guid(fiscal_year_id, 'fiscal_year_id')}"
        return self._client.paginate(
            path, parse=self._parse, page_size=page_size, prefetch=prefetch
        )


class AsyncVouchers(_VouchersSpec, AsyncList["VoucherApi"], AsyncCreate["VoucherApi"]):
    """``/vouchers``: vouchers are addressed by fiscal year and id."""

    async def get(self, fiscal_year_id: Any, voucher_id: Any) -> VoucherApi:
        """``GET /vouchers/{fiscalyearId}/{voucherId}``."""
        path = f"{self.path}/{check_guid(fiscal_year_id, 'fiscal_year_id')}/"
        path += check_guid(voucher_id, "voucher_id")
        return self._parse(_json(await self._client.request("GET", path)))

    def iterate_fiscal_year(
        self, fiscal_year_id: Any, *, page_size: int | None = None, prefetch: int = 0
    ) -> AsyncPager[VoucherApi]:
        """Every voucher of one fiscal year."""
        path = f"{self.path}/{check_guid(fiscal_year_id, 'fiscal_year_id')}"
        return self._client.paginate(
            path, parse=self._parse, page_size=page_size, prefetch=prefetch
        )


class _VoucherDraftsSpec:
    path: ClassVar[str] = "/voucherdrafts"
    model: ClassVar[str] = "VoucherDraftApi"
    id_name: ClassVar[str] = "voucher_draft_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"


class VoucherDrafts(
    _VoucherDraftsSpec,
    SyncList["VoucherDraftApi"],
    SyncGet["VoucherDraftApi"],
    SyncCreate["VoucherDraftApi"],
    SyncUpdate["VoucherDraftApi"],
    SyncDelete["VoucherDraftApi"],
):
    """``/voucherdrafts``, including conversion to a voucher."""

    def convert(self, voucher_draft_id: Any) -> VoucherApi:
        """Convert the draft into a voucher."""
        response = self._client.request("POST", f"{self._item_path(voucher_draft_id)}/convert")
        result: VoucherApi = _parsed("VoucherApi", _json(response))
        return result


class AsyncVoucherDrafts(
    _VoucherDraftsSpec,
    AsyncList["VoucherDraftApi"],
    AsyncGet["VoucherDraftApi"],
    AsyncCreate["VoucherDraftApi"],
    AsyncUpdate["VoucherDraftApi"],
    AsyncDelete["VoucherDraftApi"],
):
    """``/voucherdrafts``, including conversion to a voucher."""

    async def convert(self, voucher_draft_id: Any) -> VoucherApi:
        """Convert the draft into a voucher."""
        response = await self._client.request(
            "POST", f"{self._item_path(voucher_draft_id)}/convert"
        )
        result: VoucherApi = _parsed("VoucherApi", _json(response))
        return result


# -- accounting ------------------------------------------------------------------------------


def _account_number(value: Any) -> str:
    from ..errors import ValidationError

    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
        raise ValidationError(
            f"account_number={value!r} must be a positive integer (e.g. 1930)",
            field="account_number",
        )
    return str(value)


class _AccountsSpec:
    path: ClassVar[str] = "/accounts"
    model: ClassVar[str] = "AccountApi"
    id_name: ClassVar[str] = "fiscal_year_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"


class Accounts(_AccountsSpec, SyncList["AccountApi"], SyncCreate["AccountApi"]):
    """``/accounts``: accounts are addressed by fiscal year and account number."""

    def _account_path(self, fiscal_year_id: Any, account_number: Any) -> str:
        fy = check_guid(fiscal_year_id, "fiscal_year_id")
        return f"{self.path}/{fy}/{_account_number(account_number)}"

    def get(self, fiscal_year_id: Any, account_number: int | str) -> AccountApi:
        """``GET /accounts/{fiscalyearId}/{accountNumber}``."""
        path = self._account_path(fiscal_year_id, account_number)
        return self._parse(_json(self._client.request("GET", path)))

    def update(
        self, fiscal_year_id: Any, account_number: int | str, changes: Any = None, **fields: Any
    ) -> AccountApi:
        """Safe update of one account (read-modify-write)."""
        path = self._account_path(fiscal_year_id, account_number)
        current = _json(self._client.request("GET", path))
        payload = self._update_body(current or {}, changes, fields)
        return self._parse(_json(self._client.request("PUT", path, json=payload)))

    def iterate_fiscal_year(
        self, fiscal_year_id: Any, *, page_size: int | None = None, prefetch: int = 0
    ) -> SyncPager[AccountApi]:
        """Every account of one fiscal year."""
        path = f"{self.path}/{check_guid(fiscal_year_id, 'fiscal_year_id')}"
        return self._client.paginate(
            path, parse=self._parse, page_size=page_size, prefetch=prefetch
        )


class AsyncAccounts(_AccountsSpec, AsyncList["AccountApi"], AsyncCreate["AccountApi"]):
    """``/accounts``: accounts are addressed by fiscal year and account number."""

    def _account_path(self, fiscal_year_id: Any, account_number: Any) -> str:
        fy = check_guid(fiscal_year_id, "fiscal_year_id")
        return f"{self.path}/{fy}/{_account_number(account_number)}"

    async def get(self, fiscal_year_id: Any, account_number: int | str) -> AccountApi:
        """``GET /accounts/{fiscalyearId}/{accountNumber}``."""
        path = self._account_path(fiscal_year_id, account_number)
        return self._parse(_json(await self._client.request("GET", path)))

    async def update(
        self, fiscal_year_id: Any, account_number: int | str, changes: Any = None, **fields: Any
    ) -> AccountApi:
        """Safe update of one account (read-modify-write)."""
        path = self._account_path(fiscal_year_id, account_number)
        current = _json(await self._client.request("GET", path))
        payload = self._update_body(current or {}, changes, fields)
        return self._parse(_json(await self._client.request("PUT", path, json=payload)))

    def iterate_fiscal_year(
        self, fiscal_year_id: Any, *, page_size: int | None = None, prefetch: int = 0
    ) -> AsyncPager[AccountApi]:
        """Every account of one fiscal year."""
        path = f"{self.path}/{check_guid(fiscal_year_id, 'fiscal_year_id')}"
        return self._client.paginate(
            path, parse=self._parse, page_size=page_size, prefetch=prefetch
        )


class _AccountBalancesSpec:
    path: ClassVar[str] = "/accountbalances"
    model: ClassVar[str] = "AccountBalanceApi"


class AccountBalances(_AccountBalancesSpec, SyncResource["AccountBalanceApi"]):
    """``/accountbalances``: balances of all accounts, or one, on a date."""

    def iterate(
        self, date: Any, *, page_size: int | None = None, prefetch: int = 0
    ) -> SyncPager[AccountBalanceApi]:
        """Balances of all accounts on ``date``."""
        path = f"{self.path}/{_date(date, 'date')}"
        return self._client.paginate(
            path, parse=self._parse, page_size=page_size, prefetch=prefetch
        )

    def list(self, date: Any, *, page: int = 1, page_size: int = 50) -> Page[AccountBalanceApi]:
        """One page of balances on ``date``."""
        pager = self.iterate(date, page_size=page_size)
        pager.start_page = _page(page)
        return pager.first_page()

    def get(self, account_number: int | str, date: Any) -> AccountBalanceApi:
        """The balance of one account on ``date``."""
        path = f"{self.path}/{_account_number(account_number)}/{_date(date, 'date')}"
        return self._parse(_json(self._client.request("GET", path)))


class AsyncAccountBalances(_AccountBalancesSpec, AsyncResource["AccountBalanceApi"]):
    """``/accountbalances``: balances of all accounts, or one, on a date."""

    def iterate(
        self, date: Any, *, page_size: int | None = None, prefetch: int = 0
    ) -> AsyncPager[AccountBalanceApi]:
        """Balances of all accounts on ``date``."""
        path = f"{self.path}/{_date(date, 'date')}"
        return self._client.paginate(
            path, parse=self._parse, page_size=page_size, prefetch=prefetch
        )

    async def list(
        self, date: Any, *, page: int = 1, page_size: int = 50
    ) -> Page[AccountBalanceApi]:
        """One page of balances on ``date``."""
        pager = self.iterate(date, page_size=page_size)
        pager.start_page = _page(page)
        return await pager.first_page()

    async def get(self, account_number: int | str, date: Any) -> AccountBalanceApi:
        """The balance of one account on ``date``."""
        path = f"{self.path}/{_account_number(account_number)}/{_date(date, 'date')}"
        return self._parse(_json(await self._client.request("GET", path)))


class _FiscalYearsSpec:
    path: ClassVar[str] = "/fiscalyears"
    model: ClassVar[str] = "FiscalYearApi"
    write_schema: ClassVar[str | None] = "FiscalYearUpdateApi"
    id_name: ClassVar[str] = "fiscal_year_id"


class FiscalYears(
    _FiscalYearsSpec,
    SyncList["FiscalYearApi"],
    SyncGet["FiscalYearApi"],
    SyncCreate["FiscalYearApi"],
    SyncUpdate["FiscalYearApi"],
):
    """``/fiscalyears``."""


class AsyncFiscalYears(
    _FiscalYearsSpec,
    AsyncList["FiscalYearApi"],
    AsyncGet["FiscalYearApi"],
    AsyncCreate["FiscalYearApi"],
    AsyncUpdate["FiscalYearApi"],
):
    """``/fiscalyears``."""


class _VatCodesSpec:
    path: ClassVar[str] = "/vatcodes"
    model: ClassVar[str] = "VatCodeApi"
    id_name: ClassVar[str] = "vat_code_id"


class VatCodes(_VatCodesSpec, SyncList["VatCodeApi"], SyncGet["VatCodeApi"]):
    """``/vatcodes`` (read-only)."""


class AsyncVatCodes(_VatCodesSpec, AsyncList["VatCodeApi"], AsyncGet["VatCodeApi"]):
    """``/vatcodes`` (read-only)."""


class _TermsOfPaymentSpec:
    path: ClassVar[str] = "/termsofpayments"
    model: ClassVar[str] = "TermsOfPaymentApi"
    id_name: ClassVar[str] = "terms_of_payment_id"


class TermsOfPayment(
    _TermsOfPaymentSpec, SyncList["TermsOfPaymentApi"], SyncGet["TermsOfPaymentApi"]
):
    """``/termsofpayments`` (read-only)."""


class AsyncTermsOfPayment(
    _TermsOfPaymentSpec, AsyncList["TermsOfPaymentApi"], AsyncGet["TermsOfPaymentApi"]
):
    """``/termsofpayments`` (read-only)."""


class _ProjectsSpec:
    path: ClassVar[str] = "/projects"
    model: ClassVar[str] = "ProjectApi"
    id_name: ClassVar[str] = "project_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"


class Projects(
    _ProjectsSpec,
    SyncList["ProjectApi"],
    SyncGet["ProjectApi"],
    SyncCreate["ProjectApi"],
    SyncUpdate["ProjectApi"],
):
    """``/projects``."""


class AsyncProjects(
    _ProjectsSpec,
    AsyncList["ProjectApi"],
    AsyncGet["ProjectApi"],
    AsyncCreate["ProjectApi"],
    AsyncUpdate["ProjectApi"],
):
    """``/projects``."""


class _CostCentersSpec:
    path: ClassVar[str] = "/costcenters"
    model: ClassVar[str] = "CostCenterApi"
    id_name: ClassVar[str] = "cost_center_id"


class CostCenters(_CostCentersSpec, SyncList["CostCenterApi"]):
    """``/costcenters`` (list; update by id)."""

    def update(self, cost_center_id: Any, changes: Any = None, **fields: Any) -> CostCenterApi:
        """Safe update: the current value is taken from the list (there is no GET by id)."""
        wanted = check_guid(cost_center_id, "cost_center_id").lower()
        current: dict[str, Any] | None = None
        pages: Any = self._client.paginate(self.path, page_size=100).pages()
        for page in pages:
            for raw in page.items:
                if isinstance(raw, dict) and str(raw.get("Id", "")).lower() == wanted:
                    current = raw
        from ..errors import ValidationError

        if current is None:
            raise ValidationError(
                f"cost_center_id={cost_center_id!r} is not in /costcenters", field="cost_center_id"
            )
        payload = self._update_body(current, changes, fields)
        path = f"{self.path}/{wanted}"
        return self._parse(_json(self._client.request("PUT", path, json=payload)))


class AsyncCostCenters(_CostCentersSpec, AsyncList["CostCenterApi"]):
    """``/costcenters`` (list; update by id)."""

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
        from ..errors import ValidationError

        if current is None:
            raise ValidationError(
                f"cost_center_id={cost_center_id!r} is not in /costcenters", field="cost_center_id"
            )
        payload = self._update_body(current, changes, fields)
        path = f"{self.path}/{wanted}"
        return self._parse(_json(await self._client.request("PUT", path, json=payload)))


class _CostCenterItemsSpec:
    path: ClassVar[str] = "/costcenteritems"
    model: ClassVar[str] = "CostCenterItemApi"
    id_name: ClassVar[str] = "cost_center_item_id"


class CostCenterItems(
    _CostCenterItemsSpec,
    SyncGet["CostCenterItemApi"],
    SyncCreate["CostCenterItemApi"],
    SyncUpdate["CostCenterItemApi"],
):
    """``/costcenteritems``."""


class AsyncCostCenterItems(
    _CostCenterItemsSpec,
    AsyncGet["CostCenterItemApi"],
    AsyncCreate["CostCenterItemApi"],
    AsyncUpdate["CostCenterItemApi"],
):
    """``/costcenteritems``."""


# -- sales: orders and quotes ----------------------------------------------------------------


class _OrdersSpec:
    path: ClassVar[str] = "/orders"
    model: ClassVar[str] = "OrderApi"
    id_name: ClassVar[str] = "order_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"


class Orders(
    _OrdersSpec,
    SyncList["OrderApi"],
    SyncGet["OrderApi"],
    SyncCreate["OrderApi"],
    SyncUpdate["OrderApi"],
    SyncDelete["OrderApi"],
):
    """``/orders``."""

    def convert_to_invoice(self, order_id: Any, body: Any = None) -> CustomerInvoiceApi:
        """Convert the order into a customer invoice."""
        payload = {} if body is None else to_json_object(body, "body")
        response = self._client.request(
            "POST", f"{self._item_path(order_id)}/convert", json=payload
        )
        result: CustomerInvoiceApi = _parsed("CustomerInvoiceApi", _json(response))
        return result


class AsyncOrders(
    _OrdersSpec,
    AsyncList["OrderApi"],
    AsyncGet["OrderApi"],
    AsyncCreate["OrderApi"],
    AsyncUpdate["OrderApi"],
    AsyncDelete["OrderApi"],
):
    """``/orders``."""

    async def convert_to_invoice(self, order_id: Any, body: Any = None) -> CustomerInvoiceApi:
        """Convert the order into a customer invoice."""
        payload = {} if body is None else to_json_object(body, "body")
        response = await self._client.request(
            "POST", f"{self._item_path(order_id)}/convert", json=payload
        )
        result: CustomerInvoiceApi = _parsed("CustomerInvoiceApi", _json(response))
        return result


class _QuotesSpec:
    path: ClassVar[str] = "/quotes"
    model: ClassVar[str] = "QuoteApi"
    id_name: ClassVar[str] = "quote_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"


class Quotes(
    _QuotesSpec,
    SyncList["QuoteApi"],
    SyncGet["QuoteApi"],
    SyncCreate["QuoteApi"],
    SyncUpdate["QuoteApi"],
    SyncDelete["QuoteApi"],
):
    """``/quotes``."""

    def convert_to_order(self, quote_id: Any, body: Any = None) -> OrderApi:
        """Convert the quote into an order."""
        payload = {} if body is None else to_json_object(body, "body")
        response = self._client.request(
            "POST", f"{self._item_path(quote_id)}/converttoorder", json=payload
        )
        result: OrderApi = _parsed("OrderApi", _json(response))
        return result

    def convert_to_invoice(self, quote_id: Any, body: Any = None) -> CustomerInvoiceApi:
        """Convert the quote into a customer invoice."""
        payload = {} if body is None else to_json_object(body, "body")
        response = self._client.request(
            "POST", f"{self._item_path(quote_id)}/converttocustomerinvoice", json=payload
        )
        result: CustomerInvoiceApi = _parsed("CustomerInvoiceApi", _json(response))
        return result


class AsyncQuotes(
    _QuotesSpec,
    AsyncList["QuoteApi"],
    AsyncGet["QuoteApi"],
    AsyncCreate["QuoteApi"],
    AsyncUpdate["QuoteApi"],
    AsyncDelete["QuoteApi"],
):
    """``/quotes``."""

    async def convert_to_order(self, quote_id: Any, body: Any = None) -> OrderApi:
        """Convert the quote into an order."""
        payload = {} if body is None else to_json_object(body, "body")
        response = await self._client.request(
            "POST", f"{self._item_path(quote_id)}/converttoorder", json=payload
        )
        result: OrderApi = _parsed("OrderApi", _json(response))
        return result

    async def convert_to_invoice(self, quote_id: Any, body: Any = None) -> CustomerInvoiceApi:
        """Convert the quote into a customer invoice."""
        payload = {} if body is None else to_json_object(body, "body")
        response = await self._client.request(
            "POST", f"{self._item_path(quote_id)}/converttocustomerinvoice", json=payload
        )
        result: CustomerInvoiceApi = _parsed("CustomerInvoiceApi", _json(response))
        return result


# -- attachments, banking, ledger, payments --------------------------------------------------


class _AttachmentsSpec:
    path: ClassVar[str] = "/attachments"
    model: ClassVar[str] = "Attachment"
    write_schema: ClassVar[str | None] = "AttachmentUploadApi"
    id_name: ClassVar[str] = "attachment_id"


class Attachments(
    _AttachmentsSpec,
    SyncList["Attachment"],
    SyncGet["Attachment"],
    SyncCreate["Attachment"],
    SyncDelete["Attachment"],
):
    """``/attachments`` (create takes an ``AttachmentUploadApi`` with base64 ``Data``)."""


class AsyncAttachments(
    _AttachmentsSpec,
    AsyncList["Attachment"],
    AsyncGet["Attachment"],
    AsyncCreate["Attachment"],
    AsyncDelete["Attachment"],
):
    """``/attachments``."""


class _BankAccountsSpec:
    path: ClassVar[str] = "/bankaccounts"
    model: ClassVar[str] = "BankAccountApi"
    id_name: ClassVar[str] = "bank_account_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"


class BankAccounts(
    _BankAccountsSpec,
    SyncList["BankAccountApi"],
    SyncGet["BankAccountApi"],
    SyncCreate["BankAccountApi"],
    SyncUpdate["BankAccountApi"],
    SyncDelete["BankAccountApi"],
):
    """``/bankaccounts``."""


class AsyncBankAccounts(
    _BankAccountsSpec,
    AsyncList["BankAccountApi"],
    AsyncGet["BankAccountApi"],
    AsyncCreate["BankAccountApi"],
    AsyncUpdate["BankAccountApi"],
    AsyncDelete["BankAccountApi"],
):
    """``/bankaccounts``."""


def _bank_params(from_date: Any, to_date: Any) -> dict[str, Any]:
    return {
        "fromDate": None if from_date is None else _date(from_date, "from_date"),
        "toDate": None if to_date is None else _date(to_date, "to_date"),
    }


class _BankTransactionsSpec:
    path: ClassVar[str] = "/banktransactions"
    model: ClassVar[str] = "BankTransactionApi"
    id_name: ClassVar[str] = "bank_transaction_id"


class BankTransactions(_BankTransactionsSpec, SyncResource["BankTransactionApi"]):
    """``/banktransactions/{bankAccountId}/matched|unmatched`` and single transactions."""

    def iterate(
        self,
        bank_account_id: Any,
        *,
        matched: bool,
        from_date: Any = None,
        to_date: Any = None,
        page_size: int | None = None,
        prefetch: int = 0,
    ) -> SyncPager[BankTransactionApi]:
        """Matched or unmatched transactions of a bank account."""
        which = "matched" if matched else "unmatched"
        path = f"{self.path}/{check_guid(bank_account_id, 'bank_account_id')}/{which}"
        return self._client.paginate(
            path,
            params=_bank_params(from_date, to_date),
            parse=self._parse,
            page_size=page_size,
            prefetch=prefetch,
        )

    def get(self, bank_account_id: Any, bank_transaction_id: Any) -> BankTransactionApi:
        """One transaction."""
        path = f"{self.path}/{check_guid(bank_account_id, 'bank_account_id')}/"
        path += check_guid(bank_transaction_id, "bank_transaction_id")
        return self._parse(_json(self._client.request("GET", path)))


class AsyncBankTransactions(_BankTransactionsSpec, AsyncResource["BankTransactionApi"]):
    """``/banktransactions/{bankAccountId}/matched|unmatched`` and single transactions."""

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
            params=_bank_params(from_date, to_date),
            parse=self._parse,
            page_size=page_size,
            prefetch=prefetch,
        )

    async def get(self, bank_account_id: Any, bank_transaction_id: Any) -> BankTransactionApi:
        """One transaction."""
        path = f"{self.path}/{check_guid(bank_account_id, 'bank_account_id')}/"
        path += check_guid(bank_transaction_id, "bank_transaction_id")
        return self._parse(_json(await self._client.request("GET", path)))


class _CustomerLedgerItemsSpec:
    path: ClassVar[str] = "/customerledgeritems"
    model: ClassVar[str] = "CustomerLedgerItemApi"
    id_name: ClassVar[str] = "customer_ledger_item_id"
    modified_field: ClassVar[str | None] = "ModifiedUtc"


class CustomerLedgerItems(
    _CustomerLedgerItemsSpec,
    SyncList["CustomerLedgerItemApi"],
    SyncGet["CustomerLedgerItemApi"],
    SyncCreate["CustomerLedgerItemApi"],
):
    """``/customerledgeritems``."""


class AsyncCustomerLedgerItems(
    _CustomerLedgerItemsSpec,
    AsyncList["CustomerLedgerItemApi"],
    AsyncGet["CustomerLedgerItemApi"],
    AsyncCreate["CustomerLedgerItemApi"],
):
    """``/customerledgeritems``."""


class InvoicePayments(SyncResource["InvoicePaymentApi"]):
    """Payments on customer and supplier invoices."""

    path: ClassVar[str] = "/customerinvoices"
    model: ClassVar[str] = "InvoicePaymentApi"

    def create_for_customer_invoice(self, invoice_id: Any, body: Any) -> InvoicePaymentApi:
        """``POST /customerinvoices/{invoiceId}/payments``."""
        return self._post(f"/customerinvoices/{check_guid(invoice_id, 'invoice_id')}", body)

    def create_for_supplier_invoice(self, invoice_id: Any, body: Any) -> InvoicePaymentApi:
        """``POST /supplierinvoices/{invoiceId}/payments``."""
        return self._post(f"/supplierinvoices/{check_guid(invoice_id, 'invoice_id')}", body)

    def _post(self, base: str, body: Any) -> InvoicePaymentApi:
        payload = prepare_body(to_json_object(body, "body"), self.model)
        response = self._client.request("POST", f"{base}/payments", json=payload)
        return self._parse(_json(response))


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
        response = await self._client.request("POST", f"{base}/payments", json=payload)
        return self._parse(_json(response))


class _UnitsSpec:
    path: ClassVar[str] = "/units"
    model: ClassVar[str] = "UnitApi"
    id_name: ClassVar[str] = "unit_id"


class Units(_UnitsSpec, SyncList["UnitApi"], SyncGet["UnitApi"]):
    """``/units``."""


class AsyncUnits(_UnitsSpec, AsyncList["UnitApi"], AsyncGet["UnitApi"]):
    """``/units``."""


class _UsersSpec:
    path: ClassVar[str] = "/users"
    model: ClassVar[str] = "UserApi"


class Users(_UsersSpec, SyncList["UserApi"]):
    """``/users``."""


class AsyncUsers(_UsersSpec, AsyncList["UserApi"]):
    """``/users``."""


class CompanySettings(SyncResource["CompanySettingsApi"]):
    """``/companysettings`` (a singleton)."""

    path: ClassVar[str] = "/companysettings"
    model: ClassVar[str] = "CompanySettingsApi"

    def get(self) -> CompanySettingsApi:
        return self._parse(_json(self._client.request("GET", self.path)))

    def update(self, changes: Any = None, **fields: Any) -> CompanySettingsApi:
        """Safe update (read-modify-write) of the company settings."""
        current = _json(self._client.request("GET", self.path))
        payload = self._update_body(current or {}, changes, fields)
        return self._parse(_json(self._client.request("PUT", self.path, json=payload)))


class AsyncCompanySettings(AsyncResource["CompanySettingsApi"]):
    """``/companysettings`` (a singleton)."""

    path: ClassVar[str] = "/companysettings"
    model: ClassVar[str] = "CompanySettingsApi"

    async def get(self) -> CompanySettingsApi:
        return self._parse(_json(await self._client.request("GET", self.path)))

    async def update(self, changes: Any = None, **fields: Any) -> CompanySettingsApi:
        """Safe update (read-modify-write) of the company settings."""
        current = _json(await self._client.request("GET", self.path))
        payload = self._update_body(current or {}, changes, fields)
        return self._parse(_json(await self._client.request("PUT", self.path, json=payload)))


# -- the containers the clients expose -------------------------------------------------------


class SyncResources:
    """All synchronous facades of one client (created lazily by ``Client``)."""

    def __init__(self, client: Client) -> None:
        self.customers = Customers(client)
        self.suppliers = Suppliers(client)
        self.articles = Articles(client)
        self.customer_invoices = CustomerInvoices(client)
        self.customer_invoice_drafts = CustomerInvoiceDrafts(client)
        self.supplier_invoices = SupplierInvoices(client)
        self.supplier_invoice_drafts = SupplierInvoiceDrafts(client)
        self.vouchers = Vouchers(client)
        self.voucher_drafts = VoucherDrafts(client)
        self.accounts = Accounts(client)
        self.account_balances = AccountBalances(client)
        self.fiscal_years = FiscalYears(client)
        self.vat_codes = VatCodes(client)
        self.terms_of_payment = TermsOfPayment(client)
        self.projects = Projects(client)
        self.cost_centers = CostCenters(client)
        self.cost_center_items = CostCenterItems(client)
        self.orders = Orders(client)
        self.quotes = Quotes(client)
        self.attachments = Attachments(client)
        self.bank_accounts = BankAccounts(client)
        self.bank_transactions = BankTransactions(client)
        self.customer_ledger_items = CustomerLedgerItems(client)
        self.invoice_payments = InvoicePayments(client)
        self.units = Units(client)
        self.users = Users(client)
        self.company_settings = CompanySettings(client)


class AsyncResources:
    """All asynchronous facades of one client (created lazily by ``AsyncClient``)."""

    def __init__(self, client: AsyncClient) -> None:
        self.customers = AsyncCustomers(client)
        self.suppliers = AsyncSuppliers(client)
        self.articles = AsyncArticles(client)
        self.customer_invoices = AsyncCustomerInvoices(client)
        self.customer_invoice_drafts = AsyncCustomerInvoiceDrafts(client)
        self.supplier_invoices = AsyncSupplierInvoices(client)
        self.supplier_invoice_drafts = AsyncSupplierInvoiceDrafts(client)
        self.vouchers = AsyncVouchers(client)
        self.voucher_drafts = AsyncVoucherDrafts(client)
        self.accounts = AsyncAccounts(client)
        self.account_balances = AsyncAccountBalances(client)
        self.fiscal_years = AsyncFiscalYears(client)
        self.vat_codes = AsyncVatCodes(client)
        self.terms_of_payment = AsyncTermsOfPayment(client)
        self.projects = AsyncProjects(client)
        self.cost_centers = AsyncCostCenters(client)
        self.cost_center_items = AsyncCostCenterItems(client)
        self.orders = AsyncOrders(client)
        self.quotes = AsyncQuotes(client)
        self.attachments = AsyncAttachments(client)
        self.bank_accounts = AsyncBankAccounts(client)
        self.bank_transactions = AsyncBankTransactions(client)
        self.customer_ledger_items = AsyncCustomerLedgerItems(client)
        self.invoice_payments = AsyncInvoicePayments(client)
        self.units = AsyncUnits(client)
        self.users = AsyncUsers(client)
        self.company_settings = AsyncCompanySettings(client)
