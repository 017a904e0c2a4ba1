"""The resource table: one row per ``client.<name>`` facade. Adding a resource = one row.

Everything else about a facade (which of list/get/create/update/delete it has, their paths,
response models and body schemas, a method for each other operation of its tag) is found in
the effective spec by ``spec/facade.py``. A row says only what the spec cannot:

- ``name``: the client attribute (the seed's names, sdk-landscape.md §3.1, are kept);
- ``tag``: the spec tag whose operations the facade gets (``None``: hand-written only);
- ``model``: the schema the resource's list/get/create/update answer with;
- ``id``: the id's name in error messages (``customer_id=... is not a GUID``);
- ``modified``: the timestamp property for changed-since sync, if any;
- ``extras``: the hand-written mixin in ``eaccounting/_async/extras.py``, if any, and
  ``by_hand``: the operations it performs (the generator writes nothing for them);
- ``path``: the collection path, only where no operation of the tag has one.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TABLE", "Row"]


@dataclass(frozen=True)
class Row:
    name: str
    tag: str | None
    model: str
    id: str = "id"
    modified: str | None = None
    extras: str | None = None
    by_hand: tuple[str, ...] = ()
    path: str | None = None


# fmt: off
TABLE: tuple[Row, ...] = (
    # The seed's resources (the attributes and signatures users already have).
    Row("customers", "Customers", "CustomerApi", "customer_id", "ChangedUtc"),
    Row("suppliers", "Suppliers", "SupplierApi", "supplier_id", "ModifiedUtc"),
    Row("articles", "Articles", "ArticleApi", "article_id", "ChangedUtc"),
    Row("customer_invoices", "CustomerInvoices", "CustomerInvoiceApi", "invoice_id", "ModifiedUtc", "CustomerInvoiceExtras", ("get_customer_invoice_pdf", "print_customer_invoice", "void_customer_invoice", "create_customer_invoice_payment")),  # noqa: E501
    Row("customer_invoice_drafts", "CustomerInvoiceDrafts", "CustomerInvoiceDraftApi", "draft_id", "CreatedUtc", "CustomerInvoiceDraftExtras", ("convert_customer_invoice_draft",)),  # noqa: E501
    Row("supplier_invoices", "SupplierInvoices", "SupplierInvoiceApi", "invoice_id", "ModifiedUtc", "SupplierInvoiceExtras", ("create_supplier_invoice_payment",)),  # noqa: E501
    Row("supplier_invoice_drafts", "SupplierInvoiceDrafts", "SupplierInvoiceDraftApi", "draft_id", "ModifiedUtc", "SupplierInvoiceDraftExtras", ("convert_supplier_invoice_draft",)),  # noqa: E501
    Row("vouchers", "Vouchers", "VoucherApi", "voucher_id", "ModifiedUtc", "VoucherExtras", ("get_voucher", "list_vouchers_by_fiscal_year")),  # noqa: E501
    Row("voucher_drafts", "VoucherDrafts", "VoucherDraftApi", "voucher_draft_id", "ModifiedUtc", "VoucherDraftExtras", ("convert_voucher_draft",)),  # noqa: E501
    Row("accounts", "Accounts", "AccountApi", "fiscal_year_id", "ModifiedUtc", "AccountExtras", ("get_account", "update_account", "list_accounts_by_fiscal_year")),  # noqa: E501
    Row("account_balances", "AccountBalance", "AccountBalanceApi", extras="AccountBalanceExtras", by_hand=("list_account_balances", "get_account_balance"), path="/accountbalances"),  # noqa: E501
    Row("fiscal_years", "FiscalYears", "FiscalYearApi", "fiscal_year_id"),
    Row("vat_codes", "VatCode", "VatCodeApi", "vat_code_id"),
    Row("terms_of_payment", "TermsOfPayment", "TermsOfPaymentApi", "terms_of_payment_id"),
    Row("projects", "Projects", "ProjectApi", "project_id", "ModifiedUtc"),
    Row("cost_centers", "CostCenters", "CostCenterApi", "cost_center_id", extras="CostCenterExtras", by_hand=("update_cost_center",)),  # noqa: E501
    Row("cost_center_items", "CostCenterItems", "CostCenterItemApi", "cost_center_item_id"),
    Row("orders", "Orders", "OrderApi", "order_id", "ModifiedUtc", "OrderExtras", ("convert_order_to_customer_invoice",)),  # noqa: E501
    Row("quotes", "Quotes", "QuoteApi", "quote_id", "ModifiedUtc", "QuoteExtras", ("convert_quote_to_order", "convert_quote_to_customer_invoice")),  # noqa: E501
    Row("attachments", "Attachments", "Attachment", "attachment_id"),
    Row("bank_accounts", "BankAccounts", "BankAccountApi", "bank_account_id", "ModifiedUtc"),
    Row("bank_transactions", "BankTransactions", "BankTransactionApi", "bank_transaction_id", extras="BankTransactionExtras", by_hand=("list_matched_bank_transactions", "list_unmatched_bank_transactions", "get_bank_transaction"), path="/banktransactions"),  # noqa: E501
    Row("customer_ledger_items", "CustomerLedgerItems", "CustomerLedgerItemApi", "customer_ledger_item_id", "ModifiedUtc"),  # noqa: E501
    Row("invoice_payments", None, "InvoicePaymentApi", extras="InvoicePaymentExtras", path="/customerinvoices"),  # noqa: E501
    Row("units", "Units", "UnitApi", "unit_id"),
    Row("users", "Users", "UserApi"),
    Row("company_settings", "CompanySettings", "CompanySettingsApi", extras="CompanySettingsExtras", by_hand=("get_company_settings", "update_company_settings")),  # noqa: E501
    # One facade for each remaining tag of the spec.
    Row("account_types", "AccountTypes", "AccountTypesApi"),
    Row("allocation_periods", "AllocationPeriods", "AllocationPeriodApi", "allocation_period_id"),
    Row("app_store_activation_statuses", "AppStoreActivationStatus", "AppStoreActivationStatusApi"),
    Row("approvals", "Approval", "ApprovalApi"),
    Row("article_account_codings", "ArticleAccountCodings", "ArticleAccountCodingApi", "article_account_coding_id"),  # noqa: E501
    Row("article_labels", "ArticleLabels", "ArticleLabelApi", "article_label_id"),
    Row("attachment_links", "AttachmentLinks", "AttachmentLinkApi", "attachment_id"),
    Row("banks", "Bank", "BankApi"),
    Row("countries", "Countries", "CountryApi"),
    Row("currencies", "Currencies", "CurrencyApi"),
    Row("customer_labels", "CustomerLabels", "CustomerLabelApi", "customer_label_id"),
    Row("delivery_methods", "DeliveryMethods", "DeliveryMethodApi", "delivery_method_id"),
    Row("delivery_terms", "DeliveryTerms", "DeliveryTermApi", "delivery_term_id"),
    Row("discount_agreements", "DiscountAgreements", "DiscountAgreementApi", "discount_agreement_id"),  # noqa: E501
    Row("documents", "Documents", "DocumentApi", "document_id"),
    Row("foreign_payment_codes", "ForeignPaymentCodes", "ForeignPaymentCodesApi", "foreign_payment_code_id"),  # noqa: E501
    Row("inventory_items", "InventoryItems", "InventoryItemApi", "inventory_item_id"),
    Row("message_threads", "MessageThreads", "MessageThreadApi", "message_thread_id"),
    Row("notes", "Notes", "NoteApi", "note_id"),
    Row("partner_resource_links", "PartnerResourceLinks", "PartnerResourceLinkApi", "partner_resource_link_id"),  # noqa: E501
    Row("payment_vouchers", "PaymentVoucher", "VoucherApi"),
    Row("quote_drafts", "QuoteDrafts", "QuoteApi", "quote_draft_id"),
    Row("sales_document_attachments", "SalesDocumentAttachments", "SalesDocumentAttachmentApi", "attachment_id"),  # noqa: E501
    Row("sales_price_lists", "SalesPriceLists", "SalesPriceListApi", "sales_price_list_id"),
    Row("sie_files", "SieFileImportExport", "DocumentApi"),
    Row("vat_reports", "VatReport", "VatReportApi", "vat_report_id"),
    Row("over_under_payment_vouchers", "VoucherWithOverunderPayment", "LedgerVoucherRelationApi"),
    Row("webshop_orders", "WebshopOrders", "WebshopOrderApi", "webshop_order_id"),
)
# fmt: on
