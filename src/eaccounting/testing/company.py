"""One regional sandbox company: in-memory state, seeding, snapshots and shared helpers."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._json_wire import dumps
from .clock import Clock, IdGenerator, iso_utc, today
from .errors import VismaError, bad_query, not_found, validation
from .odata import Predicate, apply_orderby, compile_filter, compile_orderby, compile_select
from .regions import COUNTRIES, Region
from .schema import Schema, Shaper, main_type, validate_object
from .spec import Operation, SpecIndex

MAX_PAGE_SIZE = 1000  # the reference gives no documented maximum; 1000 per the emulator brief
DEFAULT_PAGE_SIZE = 50
Record = dict[str, Any]


@dataclass
class Request:
    """What a handler sees: the operation, path/query params, parsed JSON body."""

    op: Operation
    params: dict[str, str]
    query: dict[str, str]
    body: Any


def money(value: float) -> float:
    """Round half away from zero to 2 decimals, as bookkeeping does (not banker's rounding)."""
    return math.copysign(math.floor(abs(value) * 100 + 0.5 + 1e-9) / 100, value) + 0.0


class Company:
    """State of one sandbox company plus the helpers handlers share."""

    def __init__(self, region: Region, index: SpecIndex, clock: Clock, ids: IdGenerator) -> None:
        self.region = region
        self.index = index
        self.schemas = index.schemas
        self.clock = clock
        self.ids = ids
        self.collections: dict[str, dict[str, Record]] = {}
        self.counters: dict[str, int] = {}
        self.blobs: dict[str, str] = {}
        self.settings: Record = {}
        self.origin = ""  # the public origin, for URLs the API hands out (set by the emulator)
        self.max_page_size = MAX_PAGE_SIZE  # larger $pagesize values are clamped to this
        # Evidence fact 9 leaves these open; the Emulator's options choose (see its docstring).
        self.empty_list_pages = 0
        self.oversized_pages = "clamp"
        self._filters: dict[tuple[int, str], Predicate] = {}
        self.seed()

    # -- basics --------------------------------------------------------------------------
    def now(self) -> str:
        return iso_utc(self.clock.time())

    def today(self) -> str:
        return today(self.clock).isoformat()

    def shaper(self) -> Shaper:
        return Shaper(self.schemas, self.today(), self.now())

    def shape(self, schema: Schema | str, data: Record) -> Record:
        if isinstance(schema, str):
            schema = self.schemas.named(schema)
        return self.shaper().shape(schema, data)

    def coll(self, name: str) -> dict[str, Record]:
        return self.collections.setdefault(name, {})

    def next_number(self, kind: str, start: int = 1) -> int:
        value = self.counters.get(kind, start)
        self.counters[kind] = value + 1
        return value

    def get(self, coll: str, ident: str, what: str | None = None) -> Record:
        record = self.coll(coll).get(ident) or self.coll(coll).get(ident.lower())
        if record is None:
            raise not_found(what or coll, ident)
        return record

    def validate(
        self, req: Request, schema: Schema | None = None, optional: frozenset[str] = frozenset()
    ) -> Record:
        """The request body checked against ``schema`` (default: the operation's body schema).

        ``optional`` names required fields the emulator fills in itself (assigned numbers).
        """
        schema = schema or req.op.request_schema
        if not isinstance(req.body, dict):
            raise VismaError(400, 2000, "The request body must be a JSON object.")
        if schema is None:
            return dict(req.body)
        errors: list[dict[str, Any]] = []
        data = validate_object(self.schemas, schema, req.body, errors, optional=optional)
        if errors:
            raise validation(errors)
        return data

    def validate_items(self, req: Request) -> list[Record]:
        """An array body checked item by item against the operation's ``items`` schema."""
        schema = req.op.request_schema or {}
        if not isinstance(req.body, list):
            raise VismaError(400, 2000, "The request body must be a JSON array.")
        items = schema.get("items", {})
        errors: list[dict[str, Any]] = []
        out = []
        for i, item in enumerate(req.body):
            if not isinstance(item, dict):
                raise VismaError(400, 2000, f"Item {i} of the request body must be an object.")
            out.append(validate_object(self.schemas, items, item, errors, prefix=f"[{i}]."))
        if errors:
            raise validation(errors)
        return out

    # -- paging and OData ----------------------------------------------------------------
    def _prop_lookup(self, schema: Schema) -> Callable[[str], Schema | None]:
        def lookup(path: str) -> Schema | None:
            current: Schema | None = schema
            for part in path.split("/"):
                if current is None:
                    return None
                if main_type(current) == "array":
                    return None
                current = self.schemas.properties(current).get(part)
            return current

        return lookup

    def page(
        self, req: Request, records: list[Record], item_schema: Schema | None = None
    ) -> Record:
        """A ``Meta``/``Data`` page of ``records`` after $filter, $orderby, $select, $page."""
        schema = item_schema or req.op.item_schema or {}
        q = req.query
        page = _positive_int(q.get("$page", "1"), "$page")
        asked = _positive_int(q.get("$pagesize", str(DEFAULT_PAGE_SIZE)), "$pagesize")
        if asked > self.max_page_size and self.oversized_pages == "refuse":
            raise bad_query(
                f"The query parameter '$pagesize' can be at most {self.max_page_size}, "
                f"got '{asked}'."
            )
        size = min(asked, self.max_page_size)
        lookup = self._prop_lookup(schema)
        if "$filter" in q:
            key = (id(schema), q["$filter"])
            pred = self._filters.get(key)
            if pred is None:
                pred = compile_filter(q["$filter"], lookup)
                if len(self._filters) > 512:  # bound the cache on long-running servers
                    self._filters.clear()
                self._filters[key] = pred
            records = [r for r in records if pred(r)]
        if "$orderby" in q:
            records = apply_orderby(records, compile_orderby(q["$orderby"], lookup))
        total = len(records)
        data = records[(page - 1) * size : page * size]
        if "$select" in q:
            names = compile_select(q["$select"], lookup)
            data = [{n: r.get(n) for n in names} for r in data]
        return {
            "Meta": {
                "CurrentPage": page,
                "PageSize": size,
                "TotalNumberOfPages": (total + size - 1) // size or self.empty_list_pages,
                "TotalNumberOfResults": total,
                "ServerTimeUtc": self.now(),
            },
            "Data": data,
        }

    # -- seeding -------------------------------------------------------------------------
    def seed(self) -> None:
        """Populate the company the way a fresh regional sandbox looks."""
        r = self.region
        now, day = self.now(), self.today()
        year = int(day[:4])
        put = self._put
        for y in (year - 1, year):
            put(
                "fiscalyears",
                "FiscalYearApi",
                {
                    "Id": self.ids.guid(),
                    "StartDate": f"{y}-01-01",
                    "EndDate": f"{y}-12-31",
                    "IsLockedForAccounting": False,
                    "BookkeepingMethod": 0,
                },
            )
        vat_ids: dict[str, str] = {}
        for v in r.vat:
            vid = self.ids.guid()
            vat_ids[v.code] = vid
            put(
                "vatcodes",
                "VatCodeApi",
                {
                    "Id": vid,
                    "Code": v.code,
                    "Description": v.description,
                    "VatRate": v.percent,
                    "RelatedAccounts": {"AccountNumber1": v.output_account},
                },
            )
            put(
                "articleaccountcodings",
                "ArticleAccountCodingApi",
                {
                    "Id": self.ids.guid(),
                    "Name": v.description,
                    "NameEnglish": v.description,
                    "Type": "Goods",
                    "VatRate": f"{v.percent:g}%",
                    "IsActive": True,
                    "VatRatePercent": v.percent / 100,
                    "DomesticSalesSubjectToVatAccountNumber": v.sales_account,
                    "ChangedUtc": now,
                },
            )
        for fy in list(self.coll("fiscalyears").values()):
            for number, name in r.accounts:
                self.coll("accounts")[f"{fy['Id']}:{number}"] = self.shape(
                    "AccountApi",
                    {
                        "Name": name,
                        "Number": str(number),
                        "FiscalYearId": fy["Id"],
                        "IsActive": True,
                        "ModifiedUtc": now,
                        "CreatedUtc": now,
                        "Type": 0 if r.code != "nl" else (1 if number < 2000 else 2),
                        "ReferenceCode": None,
                    },
                )
        for name, days in r.terms_of_payment:
            put(
                "termsofpayments",
                "TermsOfPaymentApi",
                {
                    "Id": self.ids.guid(),
                    "Name": name,
                    "NameEnglish": f"{days} days net",
                    "NumberOfDays": days,
                    "TermsOfPaymentTypeId": 0 if days else 2,
                    "TermsOfPaymentTypeText": "Net",
                    "AvailableForSales": True,
                    "AvailableForPurchase": True,
                },
            )
        for code, name, abbr in r.units:
            put(
                "units",
                "UnitApi",
                {
                    "Id": self.ids.guid(),
                    "Name": name,
                    "Code": code,
                    "Abbreviation": abbr,
                    "AbbreviationEnglish": abbr,
                },
            )
        for code, name, eu in COUNTRIES:
            self.coll("countries")[code] = self.shape(
                "CountryApi", {"Name": name, "NameEnglish": name, "Code": code, "IsEuMember": eu}
            )
        for code in sorted({r.currency, "SEK", "NOK", "EUR", "USD", "DKK"}):
            self.coll("currencies")[code] = {"Code": code}
        put(
            "users",
            "UserApi",
            {
                "Id": self.ids.guid(),
                "Email": "test.user@example.com",
                "FirstName": "Test",
                "LastName": "User",
                "IsActive": True,
                "IsCurrentUser": True,
                "HasPurchaseInvoicesApprovalPermission": True,
                "HasVATReportsApprovalPermission": True,
            },
        )
        put(
            "bankaccounts",
            "BankAccountApi",
            {
                "Id": self.ids.guid(),
                "Name": "Business account",
                "BankAccountType": 1,
                "LedgerAccountNumber": r.bank_account,
                "IsActive": True,
                "IsDefaultChequeAccount": True,
                "CurrencyCode": r.currency,
                "ModifiedUtc": now,
            },
        )
        cc_id = self.ids.guid()
        put(
            "costcenters",
            "CostCenterApi",
            {"Id": cc_id, "Name": "Department", "Number": 1, "IsActive": True, "Items": []},
        )
        put(
            "deliverymethods",
            "DeliveryMethodApi",
            {"Id": self.ids.guid(), "Name": "Post", "Code": "P"},
        )
        put(
            "deliveryterms",
            "DeliveryTermApi",
            {"Id": self.ids.guid(), "Name": "Free carrier", "Code": "FCA"},
        )
        first_terms = next(iter(self.coll("termsofpayments")))
        self.settings = self.shape(
            "CompanySettingsApi",
            {
                "Name": r.company,
                "CountryCode": r.country,
                "CurrencyCode": r.currency,
                "TermsOfPaymentId": first_terms,
                "AccountNumberDigits": 4,
                "AccountingLockedTo": f"{year - 1}-01-01",  # shaped to the spec's format
                "ProductVariant": 1,
                "ActivatedModules": [],
                "Email": f"info@emulator.{r.code}",
                **r.settings,
            },
        )

    def _put(self, coll: str, schema: str, data: Record) -> Record:
        record = self.shape(schema, data)
        self.coll(coll)[data["Id"]] = record
        return record

    # -- fiscal years and accounts -------------------------------------------------------
    def fiscal_year_of(self, day: str) -> Record | None:
        for fy in self.coll("fiscalyears").values():
            if fy["StartDate"][:10] <= day[:10] <= fy["EndDate"][:10]:
                return fy
        return None

    def account(self, number: int | str, day: str) -> Record | None:
        fy = self.fiscal_year_of(day)
        if fy is None:
            return None
        return self.coll("accounts").get(f"{fy['Id']}:{number}")

    # -- snapshots -----------------------------------------------------------------------
    def dump(self) -> dict[str, Any]:
        return {
            "region": self.region.code,
            "collections": self.collections,
            "counters": self.counters,
            "blobs": self.blobs,
            "settings": self.settings,
            "id_state": _jsonable(self.ids.getstate()),
        }

    def restore(self, data: dict[str, Any]) -> None:
        if data.get("region") != self.region.code:
            raise ValueError(
                f"snapshot region={data.get('region')!r} does not match emulator region "
                f"{self.region.code!r}"
            )
        self.collections = data["collections"]
        self.counters = data["counters"]
        self.blobs = data["blobs"]
        self.settings = data["settings"]
        if "id_state" in data:  # continue the snapshot's id sequence: loads stay deterministic
            self.ids.setstate(_tupled(data["id_state"]))
        self._filters.clear()

    def save(self, path: str | Path) -> None:
        Path(path).write_bytes(dumps(self.dump(), indent=1))


def _positive_int(text: str, name: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise bad_query(
            f"The query parameter '{name}' must be a positive integer, got '{text}'."
        ) from None
    if value < 1:
        raise bad_query(f"The query parameter '{name}' must be a positive integer, got '{text}'.")
    return value


def _jsonable(value: object) -> object:
    return [_jsonable(v) for v in value] if isinstance(value, (list, tuple)) else value


def _tupled(value: object) -> object:
    return tuple(_tupled(v) for v in value) if isinstance(value, list) else value
