"""Stateful scenarios: CRUD chains through the overlay's OpenAPI links, and the invoice flow.

Schemathesis checks each operation on its own; these scenarios check that operations agree with
each other the way the API documents: what ``create`` returns, ``get`` finds, ``update`` changes,
``list`` contains and ``delete`` removes (a later ``get`` is 404). Which operation follows which
comes from the links overlay ``08-links.yaml`` adds to the create operations' responses, so the
links are under contract too. Every response is also checked against the spec.

Bodies are the smallest valid ones per resource (``CRUD`` below); references they need (terms of
payment, units, codings, cost centers, bank accounts) are read from the company first, as a user
must, since they differ per region and company.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

import httpx
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup

from eaccounting import NotFoundError
from eaccounting._spec import OperationIndex

from .calls import POSITIVE_CHECKS, send, visma_error_problem
from .cases import load_schema
from .cassettes import MissingInteraction
from .profiles import RegionProfile
from .report import Cell, Status
from .targets import Session
from .views import facade_call

T = TypeVar("T")

# The date scenarios book on: inside the emulator's open fiscal year and its frozen "today".
BOOKING_DATE = "2026-01-15"


class ScenarioFailure(AssertionError):
    """A step of a scenario did not behave as documented."""


@dataclass
class Company:
    """References read from the company before the scenarios create anything."""

    terms_of_payment_id: str = ""
    unit_id: str = ""
    coding_id: str = ""
    cost_center_id: str = ""
    bank_account_id: str = ""
    currency: str = ""
    bank: int = 0  # the ledger account of the bank (from the region profile)
    tag: str = "1"  # the run's tag: keeps numbers unique in a long-lived sandbox company
    ids: dict[str, str] = field(default_factory=dict)  # created along the way: customer, ...


def _conform(label: str, case: Any, response: httpx.Response, checks: list[Any]) -> None:
    """A step's response conforms to the spec, and an error carries Visma's body."""
    try:
        case.validate_response(response, checks=checks)
    except (Exception, FailureGroup) as error:  # the step failed
        raise ScenarioFailure(
            f"{label}: response does not conform to the spec: {' '.join(str(error).split())[:400]}"
        ) from None
    problem = visma_error_problem(response)
    if problem:
        raise ScenarioFailure(f"{label}: {problem}")


def _path_pattern(template: str) -> re.Pattern[str]:
    """``/customers/{customerId}`` → a pattern whose groups are the path parameters."""
    parts = re.split(r"\{([^}/]+)\}", template)
    pattern = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)
    )
    return re.compile(pattern)


class Steps:
    """Calls operations through the project's client, checking each response against the spec:
    by operationId (``call``), or through a facade method (``facade``)."""

    def __init__(
        self, session: Session, schema: Any, spec: Mapping[str, Any], client: Any = None
    ) -> None:
        self.session = session
        self.schema = schema
        self.spec = spec
        self.requests = 0
        #: The client the facade steps use: the session's, or a blocking view of its AsyncClient.
        self.client = client if client is not None else session.client
        self._captured: list[httpx.Response] = []
        self._templates = [
            (entry.method, _path_pattern(entry.path), entry.definition)
            for entry in OperationIndex(spec)
        ]
        http = self.client.http
        # A blocking view drives the AsyncClient's httpx client too: look behind it.
        self._async_hooks = isinstance(getattr(http, "wrapped", http), httpx.AsyncClient)
        hooks = http.event_hooks
        hooks["response"] = [*hooks.get("response", []), self._capture]

    def _capture(self, response: httpx.Response) -> Any:
        self._captured.append(response)
        if self._async_hooks:  # async clients await their hooks
            return asyncio.sleep(0)
        return None

    def facade(self, action: Callable[[], T]) -> T:
        """Run ``client.<resource>.<method>(...)``; each response it got is checked like a step's.

        The facade's typed errors pass through (a step that expects one catches it).
        """
        self._captured = []
        try:
            return action()
        finally:
            for response in self._captured:
                self.requests += 1
                self._check(response)

    def _check(self, response: httpx.Response) -> None:
        request = response.request
        path = request.url.path.split("/v2", 1)[-1]
        found = next(
            (
                (str(op["operationId"]), match.groupdict())
                for method, pattern, op in self._templates
                if method == request.method and (match := pattern.fullmatch(path))
            ),
            None,
        )
        if found is None:
            raise ScenarioFailure(f"the facade called {request.method} {path}: not in the spec")
        operation_id, parameters = found
        if not hasattr(response, "_elapsed"):
            response.elapsed = timedelta(0)
        case = self.schema.find_operation_by_id(operation_id).Case(path_parameters=parameters)
        checks = POSITIVE_CHECKS if response.is_success else [not_a_server_error]
        _conform(f"{operation_id} (through the facade)", case, response, checks)

    def call(
        self,
        operation_id: str,
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        expect: tuple[int, ...] = (200, 201, 204),
    ) -> httpx.Response:
        operation = self.schema.find_operation_by_id(operation_id)
        extra: dict[str, Any] = {}
        if body is not None:
            extra = {"body": body, "media_type": "application/json"}
        case = operation.Case(path_parameters=dict(path or {}), query=dict(query or {}), **extra)
        response = send(self.session.client, case)
        self.requests += 1
        if response.status_code not in expect:
            raise ScenarioFailure(
                f"{operation_id} {case.method} {case.formatted_path}: expected "
                f"{' or '.join(map(str, expect))}, got {response.status_code}: "
                f"{' '.join(response.text.split())[:300]}"
            )
        _conform(operation_id, case, response, POSITIVE_CHECKS)
        return response

    def json(self, operation_id: str, **kwargs: Any) -> Any:
        return self.call(operation_id, **kwargs).json()

    def first(self, list_operation: str) -> dict[str, Any]:
        data = self.json(list_operation, query={"$page": 1, "$pagesize": 50})["Data"]
        if not data:
            raise ScenarioFailure(f"{list_operation}: the company has none (a scenario needs one)")
        return dict(data[0])

    def list_ids(self, list_operation: str) -> set[str]:
        """Every ``Id`` the list operation returns, walking all pages."""
        ids: set[str] = set()
        page = 1
        while True:
            body = self.json(list_operation, query={"$page": page, "$pagesize": 1000})
            ids.update(str(item.get("Id")) for item in body["Data"])
            if page >= int(body["Meta"]["TotalNumberOfPages"] or 1):
                return ids
            page += 1

    # -- the spec's links ------------------------------------------------------------------
    def operation(self, operation_id: str) -> tuple[str, str, dict[str, Any]]:
        """Path, method and raw definition, from Schemathesis' index of the spec."""
        operation = self.schema.find_operation_by_id(operation_id)
        return operation.path, operation.method, operation.definition.raw

    def links(self, operation_id: str) -> dict[str, tuple[str, str]]:
        """``{target operationId: (path parameter, response field)}`` from the 2xx links."""
        _, _, operation = self.operation(operation_id)
        found: dict[str, tuple[str, str]] = {}
        for code, response in operation.get("responses", {}).items():
            if not str(code).startswith("2"):
                continue
            for link in (response.get("links") or {}).values():
                ((parameter, expression),) = link["parameters"].items()
                found[link["operationId"]] = (parameter, expression.rsplit("/", 1)[-1])
        return found

    def list_operation_for(self, create_operation: str) -> str | None:
        path, _, _ = self.operation(create_operation)
        get = self.spec["paths"][path].get("get")
        return get["operationId"] if isinstance(get, dict) else None


# -- the CRUD resources -----------------------------------------------------------------------
Body = Callable[[Company], dict[str, Any]]


@dataclass(frozen=True)
class Crud:
    """A resource walked create → get → update → list contains → delete → get 404."""

    create: str
    body: Body
    change: tuple[str, Any]  # the field ``update`` changes, and its new value
    #: Ids the company keeps for later scenarios (e.g. the customer an invoice is for).
    keep_as: str | None = None
    #: Body fields the API accepts but does not return.
    not_echoed: tuple[str, ...] = ()


def _row(c: Company) -> dict[str, Any]:
    """A quote row (QuoteRowApi and QuoteDraftRowApi have no reverse-VAT flag)."""
    return {"ArticleId": c.ids["article"], "Quantity": 2, "IsTextRow": False}


def _invoice_row(c: Company) -> dict[str, Any]:
    return {**_row(c), "ReversedConstructionServicesVatFree": False}


def _document(c: Company) -> dict[str, Any]:
    return {
        "CustomerId": c.ids["customer"],
        "EuThirdParty": False,
        "RotReducedInvoicingType": 0,
        "Rows": [_invoice_row(c)],
    }


CRUD: tuple[Crud, ...] = (
    Crud(
        "create_customer",
        lambda c: {
            "Name": "Contract Customer",
            "InvoiceCity": "Contract City",
            "InvoicePostalCode": "12345",
            "IsActive": True,
            "IsPrivatePerson": False,
            "TermsOfPaymentId": c.terms_of_payment_id,
        },
        ("Name", "Contract Customer Renamed"),
        keep_as="customer",
    ),
    Crud(
        "create_article",
        lambda c: {
            "Name": "Contract Article",
            "Number": f"CT-{c.tag}",
            "IsActive": True,
            "UnitId": c.unit_id,
            "CodingId": c.coding_id,
            "NetPrice": 100.0,
        },
        ("Name", "Contract Article Renamed"),
        keep_as="article",
    ),
    Crud("create_article_label", lambda c: {"Name": "Contract"}, ("Name", "Contract 2")),
    Crud("create_customer_label", lambda c: {"Name": "Contract"}, ("Name", "Contract 2")),
    Crud(
        "create_supplier",
        lambda c: {"Name": "Contract Supplier", "TermsOfPaymentId": c.terms_of_payment_id},
        ("Name", "Contract Supplier Renamed"),
        keep_as="supplier",
    ),
    Crud(
        "create_project",
        lambda c: {"Name": "Contract Project", "Number": f"P{c.tag}", "Status": 1},
        ("Name", "Contract Project Renamed"),
    ),
    Crud(
        "create_cost_center_item",
        lambda c: {
            "CostCenterId": c.cost_center_id,
            "Name": "Contract Department",
            "ShortName": "CTD",
            "IsActive": True,
        },
        ("Name", "Contract Department Renamed"),
    ),
    Crud(
        "create_customer_invoice_draft",
        _document,
        ("YourReference", "Contract reference"),
    ),
    Crud(
        "create_quote_draft",
        lambda c: {"CustomerId": c.ids["customer"], "Rows": [_row(c)]},
        ("CustomerReference", "Contract reference"),
    ),
    Crud(
        "create_quote",
        lambda c: {"CustomerId": c.ids["customer"], "Rows": [_row(c)]},
        ("CustomerReference", "Contract reference"),
    ),
    Crud(
        "create_order",
        lambda c: {
            "CustomerId": c.ids["customer"],
            "CurrencyCode": c.currency,
            "EuThirdParty": False,
            "ReverseChargeOnConstructionServices": False,
            "RotReducedInvoicingType": 0,
            "Status": 1,
            "Rows": [
                {
                    "ArticleId": c.ids["article"],
                    "LineNumber": 1,
                    "Quantity": 1,
                    "IsTextRow": False,
                    "IsWorkCost": False,
                    "EligibleForReverseChargeOnVat": False,
                }
            ],
        },
        ("YourReference", "Contract reference"),
    ),
    Crud(
        "create_bank_account",
        lambda c: {"Name": "Contract Bank", "BankAccountType": 1, "LedgerAccountNumber": c.bank},
        ("Name", "Contract Bank Renamed"),
    ),
    Crud(
        "create_partner_resource_link",
        lambda c: {
            "ResourceId": c.ids["customer"],
            "ResourceType": 1,
            "Href": "https://partner.example/customers/1",
            "PartnerCompanyName": "Contract Partner",
            "PartnerSystemName": "Contract",
        },
        ("Href", "https://partner.example/customers/2"),
    ),
    Crud("create_note", lambda c: {"Text": "Contract note"}, ("Text", "Contract note 2")),
    Crud(
        "create_attachment",
        lambda c: {"ContentType": "text/plain", "FileName": "contract.txt", "Data": "Y29udHJhY3Q="},
        ("FileName", "unused.txt"),  # attachments have no update operation
        not_echoed=("Data",),  # the content is downloaded separately, never echoed
    ),
    Crud(
        "create_supplier_invoice_draft",
        lambda c: {
            "SupplierId": c.ids["supplier"],
            "Rows": [],
            "IsCreditInvoice": False,
            "InvoiceNumber": "CT-F1",
            "TotalAmount": 125.0,
            "Vat": 25.0,
        },
        ("InvoiceNumber", "CT-F2"),
    ),
)


def _facade_of(steps: Steps, create_operation: str) -> str | None:
    """The ``client.<resource>`` attribute whose facade creates this resource, if one does."""
    path, method, _ = steps.operation(create_operation)
    call = facade_call(create_operation, method, path)
    return call.resource if call is not None and call.method == "create" else None


def crud(steps: Steps, company: Company, resource: Crud) -> None:
    """Through the resource's facade where one exists (``client.customers`` …), else raw."""
    attribute = _facade_of(steps, resource.create)
    if attribute is not None:
        crud_through_facade(steps, company, resource, attribute)
    else:
        crud_by_operation(steps, company, resource)


def crud_through_facade(steps: Steps, company: Company, resource: Crud, attribute: str) -> None:
    """create → get → update (safe: read, merge, write) → list contains → delete → get 404."""
    name, facade = f"client.{attribute}", getattr(steps.client, attribute)
    body = resource.body(company)
    created = steps.facade(lambda: facade.create(body)).to_dict()
    ident = str(created.get("Id") or "")
    if not ident:
        raise ScenarioFailure(f"{name}.create: the created object has no Id: {created}")
    fetched = steps.facade(lambda: facade.get(ident)).to_dict()
    if str(fetched.get("Id")) != ident:
        raise ScenarioFailure(f"{name}.get: returned Id {fetched.get('Id')}, created {ident}")
    for key, value in body.items():
        if key in resource.not_echoed or isinstance(value, (list, dict)):
            continue
        if fetched.get(key) != value:
            raise ScenarioFailure(f"{name}.get: {key} is {fetched.get(key)!r}, created {value!r}")
    if hasattr(facade, "update"):
        key, value = resource.change
        steps.facade(lambda: facade.update(ident, {key: value}))
        again = steps.facade(lambda: facade.get(ident)).to_dict()
        if again.get(key) != value:
            raise ScenarioFailure(f"{name}.update: {key} is {again.get(key)!r} after update")

    def listed() -> set[str]:
        return {str(item.id) for item in steps.facade(lambda: list(facade.iterate(page_size=1000)))}

    if hasattr(facade, "iterate") and ident not in listed():
        raise ScenarioFailure(f"{name}.iterate: does not contain the created {ident}")
    if hasattr(facade, "delete"):
        steps.facade(lambda: facade.delete(ident))
        try:
            steps.facade(lambda: facade.get(ident))
        except NotFoundError:
            pass
        else:
            raise ScenarioFailure(f"{name}.get: found the deleted {ident}")
        if hasattr(facade, "iterate") and ident in listed():
            raise ScenarioFailure(f"{name}.iterate: still lists the deleted {ident}")
    if resource.keep_as:  # later scenarios need one that still exists
        if hasattr(facade, "delete"):
            ident = str(steps.facade(lambda: facade.create(body)).id)
        company.ids[resource.keep_as] = ident


def crud_by_operation(steps: Steps, company: Company, resource: Crud) -> None:
    """The same walk by operationId, for resources without a facade (labels, notes …)."""
    body = resource.body(company)
    links = steps.links(resource.create)
    created = steps.json(resource.create, body=body, expect=(200, 201))
    ident = str(created.get("Id") or "")
    if not ident:
        raise ScenarioFailure(f"{resource.create}: the created object has no Id: {created}")

    def step(kind: str) -> tuple[str, dict[str, str]] | None:
        target = next((op for op in links if op.startswith(f"{kind}_")), None)
        if target is None:
            return None
        parameter, field_name = links[target]
        return target, {parameter: str(created[field_name])}

    get = step("get")
    if get is None:
        raise ScenarioFailure(f"{resource.create}: the spec links no get operation")
    fetched = steps.json(get[0], path=get[1])
    if str(fetched.get("Id")) != ident:
        raise ScenarioFailure(f"{get[0]}: returned Id {fetched.get('Id')}, created {ident}")
    for name, value in body.items():
        if name in resource.not_echoed or isinstance(value, (list, dict)):
            continue
        if fetched.get(name) != value:
            raise ScenarioFailure(f"{get[0]}: {name} is {fetched.get(name)!r}, created {value!r}")

    update = step("update")
    if update is not None:
        name, value = resource.change
        # PUT replaces the whole object: send everything fetched, with one field changed.
        steps.call(update[0], path=update[1], body={**fetched, name: value}, expect=(200, 201))
        again = steps.json(get[0], path=get[1])
        if again.get(name) != value:
            raise ScenarioFailure(f"{update[0]}: {name} is {again.get(name)!r} after update")

    list_operation = steps.list_operation_for(resource.create)
    if list_operation and ident not in steps.list_ids(list_operation):
        raise ScenarioFailure(f"{list_operation}: does not contain the created {ident}")

    delete = step("delete")
    if delete is not None:
        steps.call(delete[0], path=delete[1], expect=(200, 204))
        steps.call(get[0], path=get[1], expect=(404,))
        if list_operation and ident in steps.list_ids(list_operation):
            raise ScenarioFailure(f"{list_operation}: still lists the deleted {ident}")
    if resource.keep_as:  # later scenarios need one that still exists
        if delete is not None:
            kept = steps.json(resource.create, body=body, expect=(200, 201))
            ident = str(kept["Id"])
        company.ids[resource.keep_as] = ident


# -- flows --------------------------------------------------------------------------------------
def _balance(steps: Steps, account: int) -> float:
    body = steps.json(
        "get_account_balance", path={"accountNumber": str(account), "date": BOOKING_DATE}
    )
    return float(body.get("Balance") or 0.0)


def invoice_flow(steps: Steps, company: Company, profile: RegionProfile) -> None:
    """Draft → convert → invoice → payment → ledger (bank balance and a new voucher), through
    ``client.customer_invoice_drafts`` and ``client.customer_invoices``."""
    drafts, invoices = steps.client.customer_invoice_drafts, steps.client.customer_invoices
    draft = steps.facade(lambda: drafts.create(_document(company))).to_dict()
    converted = steps.facade(lambda: drafts.convert(draft["Id"])).to_dict()
    invoice = steps.facade(lambda: invoices.get(converted["Id"])).to_dict()
    if invoice.get("CustomerId") != company.ids["customer"]:
        raise ScenarioFailure("customer_invoices.get: the invoice is not for the draft's customer")
    total = float(invoice.get("TotalAmount") or 0) + float(invoice.get("TotalVatAmount") or 0)
    remaining = float(invoice.get("RemainingAmount") or 0)
    if remaining <= 0 or abs(remaining - total - float(invoice.get("TotalRoundings") or 0)) > 1:
        raise ScenarioFailure(
            f"customer_invoices.get: RemainingAmount {remaining} does not match the total {total}"
        )
    if invoice.get("CurrencyCode") not in (None, profile.currency):
        raise ScenarioFailure(
            f"customer_invoices.get: CurrencyCode {invoice.get('CurrencyCode')!r}, "
            f"the {profile.region} company invoices in {profile.currency}"
        )
    remaining_drafts = steps.facade(lambda: list(drafts.iterate(page_size=1000)))
    if draft["Id"] in {str(d.id) for d in remaining_drafts}:
        raise ScenarioFailure("customer_invoice_drafts.convert: the draft still exists")

    bank_before = _balance(steps, profile.bank_account)
    vouchers_before = steps.json("list_vouchers", query={"$pagesize": 1})["Meta"][
        "TotalNumberOfResults"
    ]
    payment = {
        "CompanyBankAccountId": company.bank_account_id,
        "PaymentAmount": remaining,
        "PaymentCurrency": profile.currency,
        "PaymentType": 1,
        "PaymentDate": BOOKING_DATE,
    }
    steps.facade(lambda: invoices.create_payment(invoice["Id"], payment))
    paid = steps.facade(lambda: invoices.get(invoice["Id"])).to_dict()
    if float(paid.get("RemainingAmount") or 0) != 0:
        raise ScenarioFailure(
            f"customer_invoices.create_payment: RemainingAmount {paid.get('RemainingAmount')} "
            "after paying it in full"
        )
    bank_after = _balance(steps, profile.bank_account)
    if round(bank_after - bank_before, 2) != round(remaining, 2):
        raise ScenarioFailure(
            f"the payment of {remaining} moved bank account {profile.bank_account} by "
            f"{round(bank_after - bank_before, 2)}"
        )
    vouchers_after = steps.json("list_vouchers", query={"$pagesize": 1})["Meta"][
        "TotalNumberOfResults"
    ]
    if vouchers_after != vouchers_before + 1:
        raise ScenarioFailure(
            f"list_vouchers: {vouchers_after - vouchers_before} new vouchers after a payment, "
            "expected the payment's one"
        )


def voucher_flow(steps: Steps, profile: RegionProfile) -> None:
    """An unbalanced voucher is refused; a balanced one is numbered, listed and moves the bank."""
    rows = [
        {"AccountNumber": profile.bank_account, "DebitAmount": 250.0, "CreditAmount": 0.0},
        {"AccountNumber": profile.revenue_account, "DebitAmount": 0.0, "CreditAmount": 250.0},
    ]
    unbalanced = [rows[0], {**rows[1], "CreditAmount": 200.0}]
    body = {"VoucherDate": BOOKING_DATE, "VoucherText": "Contract voucher", "Rows": unbalanced}
    steps.call("create_voucher", body=body, expect=(400,))
    bank_before = _balance(steps, profile.bank_account)
    voucher = steps.json("create_voucher", body={**body, "Rows": rows}, expect=(200, 201))
    if not voucher.get("NumberAndNumberSeries"):
        raise ScenarioFailure(f"create_voucher: the voucher has no number: {voucher}")
    year = next(
        (
            y
            for y in steps.json("list_fiscal_years", query={"$pagesize": 1000})["Data"]
            if str(y["StartDate"])[:10] <= BOOKING_DATE <= str(y["EndDate"])[:10]
        ),
        None,
    )
    if year is None:
        raise ScenarioFailure(f"list_fiscal_years: no fiscal year contains {BOOKING_DATE}")
    fetched = steps.json(
        "get_voucher", path={"fiscalyearId": str(year["Id"]), "voucherId": str(voucher["Id"])}
    )
    booked = sorted(
        (r["AccountNumber"], r["DebitAmount"], r["CreditAmount"]) for r in fetched["Rows"]
    )
    expected = sorted((r["AccountNumber"], r["DebitAmount"], r["CreditAmount"]) for r in rows)
    if booked != expected:
        raise ScenarioFailure(f"get_voucher: rows {booked}, booked {expected}")
    moved = round(_balance(steps, profile.bank_account) - bank_before, 2)
    if moved != 250.0:
        raise ScenarioFailure(
            f"a 250.00 voucher moved bank account {profile.bank_account} by {moved}"
        )


def supplier_invoice_flow(steps: Steps, company: Company) -> None:
    """Supplier invoice draft → convert (through its link) → the supplier invoice."""
    draft = steps.json(
        "create_supplier_invoice_draft",
        body={
            "SupplierId": company.ids["supplier"],
            "Rows": [],
            "IsCreditInvoice": False,
            "InvoiceNumber": "CT-S1",
            "InvoiceDate": BOOKING_DATE,
            "TotalAmount": 125.0,
            "Vat": 25.0,
        },
        expect=(200, 201),
    )
    parameter, field_name = steps.links("create_supplier_invoice_draft")[
        "convert_supplier_invoice_draft"
    ]
    invoice = steps.json(
        "convert_supplier_invoice_draft",
        path={parameter: str(draft[field_name])},
        body={},
        expect=(200, 201),
    )
    fetched = steps.json("get_supplier_invoice", path={"id": str(invoice["Id"])})
    got = (fetched.get("SupplierId"), fetched.get("InvoiceNumber"), fetched.get("TotalAmount"))
    if got != (company.ids["supplier"], "CT-S1", 125.0):
        raise ScenarioFailure(f"get_supplier_invoice: supplier, number, total are {got}")
    if draft["Id"] in steps.list_ids("list_supplier_invoice_drafts"):
        raise ScenarioFailure("convert_supplier_invoice_draft: the draft still exists")


def _percent(rate: float) -> float:
    """VAT rates as percentages, whether the API writes 0.25 or 25."""
    return round(rate * 100 if 0 < rate < 1 else rate, 2)


def region_facts(steps: Steps, company: Company, profile: RegionProfile) -> None:
    """The company is what the region profile says: currency and the statutory VAT rates."""
    if company.currency != profile.currency:
        raise ScenarioFailure(
            f"get_company_settings: CurrencyCode {company.currency!r}, the profile says "
            f"{profile.currency}"
        )
    rates = {
        _percent(float(code["VatRate"]))
        for code in steps.json("list_vat_codes", query={"$pagesize": 1000})["Data"]
        if code.get("VatRate") is not None
    }
    missing = sorted(set(profile.vat_rates) - rates)
    if missing:
        raise ScenarioFailure(f"list_vat_codes: no VAT code for the rates {missing} (has {rates})")


def read_company(steps: Steps, profile: RegionProfile) -> Company:
    settings = steps.json("get_company_settings")
    return Company(
        terms_of_payment_id=steps.first("list_terms_of_payments")["Id"],
        unit_id=steps.first("list_units")["Id"],
        coding_id=steps.first("list_article_account_codings")["Id"],
        cost_center_id=steps.first("list_cost_centers")["Id"],
        bank_account_id=steps.first("list_bank_accounts")["Id"],
        currency=str(settings.get("CurrencyCode") or ""),
        bank=profile.bank_account,
    )


def scenario_names() -> list[str]:
    names = [resource.create.removeprefix("create_") for resource in CRUD]
    return ["region_facts", *names, "invoice_flow", "voucher_flow", "supplier_invoice_flow"]


def run_all(
    session: Session,
    profile: RegionProfile,
    spec: Mapping[str, Any],
    tag: str | None = None,
    client: Any = None,
) -> dict[str, Cell]:
    """Run every scenario in order (later ones use what earlier ones created).

    ``tag`` (default: the session's) goes into numbers that must be unique per company; a
    replay passes the tag its cassettes were recorded with. ``client`` (default: the
    session's) is what the facade steps go through, e.g. a blocking view of an AsyncClient.
    """
    steps = Steps(session, load_schema(spec), spec, client)
    cells: dict[str, Cell] = {}

    def attempt(name: str, action: Callable[[], None]) -> bool:
        before = steps.requests
        try:
            action()
        except ScenarioFailure as error:
            cells[name] = Cell(Status.FAILED, steps.requests - before, failures=[str(error)])
            return False
        except MissingInteraction as error:  # replay: the cassette has no such request
            failure = f"missing interaction: {' '.join(str(error).split())[:600]}"
            cells[name] = Cell(Status.FAILED, steps.requests - before, failures=[failure])
            return False
        except (KeyError, TypeError, ValueError) as error:  # a response without what it promised
            failure = f"unexpected response shape: {type(error).__name__}: {error}"
            cells[name] = Cell(Status.FAILED, steps.requests - before, failures=[failure])
            return False
        cells[name] = Cell(Status.PASSED, steps.requests - before)
        return True

    company = Company()
    read_error = ""

    def read() -> None:
        nonlocal company, read_error
        try:
            company = read_company(steps, profile)
        except (ScenarioFailure, KeyError, TypeError, ValueError) as error:
            read_error = str(error)
            raise
        company.tag = tag or session.run_tag
        region_facts(steps, company, profile)

    # A failing check fails its own scenario only; the rest still run. Only when the company's
    # references could not be read at all do the scenarios that need them stay unexercised.
    if not attempt("region_facts", read) and read_error:
        needs = f"needs the company's references, which could not be read: {read_error}"
        for name in scenario_names()[1:]:
            if name != "voucher_flow":
                cells[name] = Cell(Status.NOT_EXERCISED, reason=needs[:400])
        attempt("voucher_flow", lambda: voucher_flow(steps, profile))
        return cells
    for resource in CRUD:
        attempt(resource.create.removeprefix("create_"), lambda r=resource: crud(steps, company, r))  # type: ignore[misc]
    if {"customer", "article"} <= company.ids.keys():
        attempt("invoice_flow", lambda: invoice_flow(steps, company, profile))
    else:
        cells["invoice_flow"] = Cell(
            Status.NOT_EXERCISED, reason="needs the customer and article scenarios to pass"
        )
    attempt("voucher_flow", lambda: voucher_flow(steps, profile))
    if "supplier" in company.ids:
        attempt("supplier_invoice_flow", lambda: supplier_invoice_flow(steps, company))
    else:
        cells["supplier_invoice_flow"] = Cell(
            Status.NOT_EXERCISED, reason="needs the supplier scenario to pass"
        )
    return cells
