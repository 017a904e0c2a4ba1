"""The client under contract: each recorded response read by the generated model of its
operation and, where a facade method exists, by the facade.

The spec view (Schemathesis' checks) says whether a response is what the spec promises. These
two say whether *our* code can read it: a response the spec accepts but the generated model or
the facade cannot read is a failure of the client, reported in its own column.

Both views work on the response already recorded (cassettes stay transport-level): the model
view hands it to the operation's generated ``_parse_response``; the facade view calls the
facade method with the case's ids and body on a client whose transport answers with that
response, so the facade's whole code path runs (ids, body preparation, paging, parsing, typed
errors), and checks the facade asked for the same method and path.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import unquote

import httpx
from schemathesis import Case

from eaccounting import Client, EAccountingError
from eaccounting._spec import operation_index
from eaccounting._sync import mixins
from eaccounting._sync.resources import SyncResources
from eaccounting.errors import APIError, ValidationError

from .cassettes import CANONICAL_API

__all__ = ["FacadeCall", "facade_call", "read_with_facade", "read_with_model"]


# -- the model view ----------------------------------------------------------------------------
def _operation_module(operation_id: str) -> str | None:
    """The generated endpoint module of ``operation_id`` (``eaccounting_api.api.<tag>.<id>``)."""
    package = operation_index().packages.get(operation_id)
    return f"eaccounting_api.api.{package}.{operation_id}" if package else None


@cache
def _generated_client() -> Any:
    from eaccounting_api.client import Client as GeneratedClient

    return GeneratedClient(base_url=CANONICAL_API)


def read_with_model(operation_id: str, response: httpx.Response) -> str | None:
    """``None`` if the generated model of ``operation_id`` reads ``response``, else why not."""
    name = _operation_module(operation_id)
    if name is None:
        return f"no generated module for {operation_id}"
    module = importlib.import_module(name)
    try:
        parsed = module._parse_response(client=_generated_client(), response=response)
        if hasattr(parsed, "to_dict"):
            parsed.to_dict()  # what was read can be written back
        elif isinstance(parsed, list):
            for item in parsed:
                if hasattr(item, "to_dict"):
                    item.to_dict()
    except Exception as error:  # any exception is a finding
        return f"{type(error).__name__}: {' '.join(str(error).split())[:300]}"
    return None


# -- the facade view ---------------------------------------------------------------------------
@dataclass(frozen=True)
class FacadeCall:
    """How the facade performs one operation: ``client.<resource>.<method>(...)``."""

    resource: str
    method: str
    call: Callable[[Any, Case], Any]

    @property
    def name(self) -> str:
        return f"client.{self.resource}.{self.method}"


def _ids(case: Case) -> list[Any]:
    """The path parameters in the order the path names them (the facades' argument order)."""
    values = case.path_parameters or {}
    # Generated cases hold path values percent-encoded (``%13R``); a facade takes the value
    # itself and encodes it once.
    return [
        unquote(v) if isinstance(v, str) else v
        for v in (values[name] for name in re.findall(r"\{([^}/]+)\}", case.operation.path))
    ]


def _body(case: Case) -> Any:
    body = case.body
    return None if type(body).__name__ == "NotSet" else body


def _pay(resource: str) -> FacadeCall:
    return FacadeCall(resource, "create_payment", lambda r, c: r.create_payment(*_ids(c), _body(c)))


def _convert(resource: str) -> FacadeCall:
    return FacadeCall(resource, "convert", lambda r, c: r.convert(*_ids(c)))


#: Operations whose facade method is not plain CRUD on its resource's path.
_ACTIONS: dict[str, FacadeCall] = {
    "get_company_settings": FacadeCall("company_settings", "get", lambda r, c: r.get()),
    "update_company_settings": FacadeCall(
        "company_settings", "update", lambda r, c: r.update(_body(c))
    ),
    "get_customer_invoice_pdf": FacadeCall(
        "customer_invoices", "pdf_url", lambda r, c: r.pdf_url(*_ids(c))
    ),
    "create_customer_invoice_payment": _pay("customer_invoices"),
    "create_supplier_invoice_payment": _pay("supplier_invoices"),
    "convert_customer_invoice_draft": _convert("customer_invoice_drafts"),
    "convert_supplier_invoice_draft": _convert("supplier_invoice_drafts"),
    "convert_voucher_draft": _convert("voucher_drafts"),
    "get_voucher": FacadeCall("vouchers", "get", lambda r, c: r.get(*_ids(c))),
    "get_account": FacadeCall("accounts", "get", lambda r, c: r.get(*_ids(c))),
    "update_account": FacadeCall("accounts", "update", lambda r, c: r.update(*_ids(c), _body(c))),
    "list_accounts_by_fiscal_year": FacadeCall(
        "accounts", "iterate_fiscal_year", lambda r, c: _first(r.iterate_fiscal_year(*_ids(c)))
    ),
    "list_vouchers_by_fiscal_year": FacadeCall(
        "vouchers", "iterate_fiscal_year", lambda r, c: _first(r.iterate_fiscal_year(*_ids(c)))
    ),
    "list_account_balances": FacadeCall(
        "account_balances", "iterate", lambda r, c: _first(r.iterate(*_ids(c)))
    ),
    "get_account_balance": FacadeCall("account_balances", "get", lambda r, c: r.get(*_ids(c))),
    "list_matched_bank_transactions": FacadeCall(
        "bank_transactions", "iterate", lambda r, c: _first(r.iterate(*_ids(c), matched=True))
    ),
    "list_unmatched_bank_transactions": FacadeCall(
        "bank_transactions", "iterate", lambda r, c: _first(r.iterate(*_ids(c), matched=False))
    ),
    "get_bank_transaction": FacadeCall("bank_transactions", "get", lambda r, c: r.get(*_ids(c))),
    "print_customer_invoice": FacadeCall("customer_invoices", "pdf", lambda r, c: r.pdf(*_ids(c))),
    "void_customer_invoice": FacadeCall("customer_invoices", "void", lambda r, c: r.void(*_ids(c))),
    "convert_order_to_customer_invoice": FacadeCall(
        "orders", "convert_to_invoice", lambda r, c: r.convert_to_invoice(*_ids(c), _body(c))
    ),
    "convert_quote_to_order": FacadeCall(
        "quotes", "convert_to_order", lambda r, c: r.convert_to_order(*_ids(c), _body(c))
    ),
    "convert_quote_to_customer_invoice": FacadeCall(
        "quotes", "convert_to_invoice", lambda r, c: r.convert_to_invoice(*_ids(c), _body(c))
    ),
    # update_cost_center is left out: its safe update reads the list first, and a canned
    # response cannot be both that list and the PUT's answer.
}


def _first(pager: Any) -> Any:
    """A pager asks for its first page when iterated."""
    return next(iter(pager), None)


_ID = r"/\{[^}/]+\}"


@cache
def _crud_calls() -> dict[tuple[str, str], FacadeCall]:
    """(METHOD, spec path template regex) → facade call, from the facades' mixins and paths."""
    found: dict[tuple[str, str], FacadeCall] = {}
    for name, value in vars(SyncResources).items():
        cls = getattr(value, "cls", None)
        path = getattr(cls, "path", None)
        if cls is None or path is None:
            continue
        item = re.escape(path) + _ID
        plans = (
            (mixins.SyncList, "GET", re.escape(path), "list", lambda r, c: r.list().items),
            (mixins.SyncGet, "GET", item, "get", lambda r, c: r.get(*_ids(c))),
            (mixins.SyncCreate, "POST", re.escape(path), "create", lambda r, c: r.create(_body(c))),
            (
                mixins.SyncUpdate,
                "PUT",
                item,
                "update",
                lambda r, c: r.update(*_ids(c), _body(c)),
            ),
            (mixins.SyncDelete, "DELETE", item, "delete", lambda r, c: r.delete(*_ids(c))),
        )
        for mixin, method, pattern, verb, call in plans:
            if issubclass(cls, mixin):
                found[(method, pattern)] = FacadeCall(name, verb, call)
    return found


@cache
def _operation_methods() -> dict[str, FacadeCall]:
    """operationId → the generated facade method named after it (``client.customers.
    list_customer_auto_invoice_recipients``): path parameters, then the case's body if the
    method takes one."""
    found: dict[str, FacadeCall] = {}
    for name, value in vars(SyncResources).items():
        cls = getattr(value, "cls", None)
        if cls is None:
            continue
        for operation in operation_index().packages:
            method = getattr(cls, operation, None)
            if method is None or not callable(method):
                continue
            takes_body = "body" in inspect.signature(method).parameters
            found[operation] = FacadeCall(name, operation, _method_call(operation, takes_body))
    return found


def _method_call(operation: str, takes_body: bool) -> Callable[[Any, Case], Any]:
    def call(resource: Any, case: Case) -> Any:
        extra = {"body": _body(case)} if takes_body else {}
        result = getattr(resource, operation)(*_ids(case), **extra)
        return _first(result) if hasattr(result, "pages") else result

    return call


def facade_call(operation_id: str, method: str, path: str) -> FacadeCall | None:
    """The facade method that performs ``method path`` (a spec path template), if one does."""
    action = _ACTIONS.get(operation_id) or _operation_methods().get(operation_id)
    if action is not None:
        return action
    for (verb, pattern), call in _crud_calls().items():
        if verb == method.upper() and re.fullmatch(pattern, path):
            return call
    return None


class _Canned(httpx.BaseTransport):
    """Answers every request with one recorded response, and notes what was asked."""

    def __init__(self) -> None:
        self.response: httpx.Response | None = None
        self.asked: list[tuple[str, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert self.response is not None
        self.asked.append((request.method, request.url.path))
        headers = {
            k: v
            for k, v in self.response.headers.items()
            if k.lower() in ("content-type", "location")
        }
        return httpx.Response(
            self.response.status_code, headers=headers, content=self.response.content
        )


@contextlib.contextmanager
def _unknown_keys_unlogged() -> Iterator[None]:
    """Keep the client's "not a property of …" warnings out of the run's output.

    Schemathesis draws bodies with arbitrary extra keys; the facade warns about each (3,000+
    lines a run) and sends them, which is what the view checks, so the warning is expected.
    """
    logger = logging.getLogger("eaccounting")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@cache
def _facade_client() -> tuple[Client, _Canned]:
    canned = _Canned()
    client = Client(
        base_url=CANONICAL_API, access_token="facade-view", transport=canned, max_retries=0
    )
    return client, canned


def read_with_facade(
    call: FacadeCall, case: Case, response: httpx.Response, *, positive: bool
) -> str | None:
    """``None`` if the facade reads ``response`` the way its status says, else why not.

    A 2xx must come back as the facade's result; an error status as the typed error for it
    (:class:`~eaccounting.APIError` with that status). A negative case may also be refused by
    the facade before sending (a :class:`~eaccounting.ValidationError`): that is reading the
    request right, not the response wrong.
    """
    client, canned = _facade_client()
    canned.response, canned.asked = response, []
    resource = getattr(client, call.resource)
    try:
        with _unknown_keys_unlogged():
            call.call(resource, case)
    except ValidationError as error:
        if not positive:
            return None
        return f"{call.name} refused what the spec accepts before sending: {error}"
    except APIError as error:
        raised = f"{call.name} raised {type(error).__name__} {error.status}"
        if error.status != response.status_code or response.is_success:
            return f"{raised} for a {response.status_code}"
    except EAccountingError as error:
        return f"{call.name} raised {type(error).__name__}: {' '.join(str(error).split())[:300]}"
    except Exception as error:  # an untyped failure is a finding too
        return f"{call.name} raised {type(error).__name__}: {' '.join(str(error).split())[:300]}"
    else:
        if not response.is_success:
            return f"{call.name} returned normally for a {response.status_code}"
    # The facade must have asked for the operation's path (a safe update reads it first, and
    # stops there on an error), and on success have performed the operation itself.
    expected = (case.method.upper(), httpx.URL(CANONICAL_API + case.formatted_path).path)
    paths = {path for _, path in canned.asked}
    if canned.asked and (
        expected[1] not in paths or (response.is_success and expected not in canned.asked)
    ):
        return f"{call.name} asked for {canned.asked}, the operation is {expected}"
    return None
