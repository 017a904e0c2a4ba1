"""The generated facades: every tag has one, every request is one the effective spec has.

Nothing here counts by hand: the tags, operations and facades are read from the effective spec
(``eaccounting_api/openapi.json``), the resource table and the generated classes.
"""

from __future__ import annotations

import functools
import inspect
import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from eaccounting import AsyncClient, Client, NotFoundError, ValidationError
from eaccounting._builders import build_request, endpoint_module
from eaccounting._spec import effective_spec
from eaccounting._sync import resources
from eaccounting._sync.resources import SyncResources
from spec import facade as generator
from spec.facade_table import TABLE, Row

from .conftest import make_client, visma_error

pytest.importorskip("eaccounting_api.api")

GUID = "0b6a2c6e-5a4f-4c0e-9d1b-2f3a4b5c6d7e"
VERB_METHOD = {"list": "GET", "get": "GET", "create": "POST", "update": "PUT", "delete": "DELETE"}

#: The seed's resources (sdk-landscape.md §3.1 as the client already named them).
SEED = (
    "customers suppliers articles customer_invoices customer_invoice_drafts supplier_invoices "
    "supplier_invoice_drafts vouchers voucher_drafts accounts account_balances fiscal_years "
    "vat_codes terms_of_payment projects cost_centers cost_center_items orders quotes attachments "
    "bank_accounts bank_transactions customer_ledger_items invoice_payments units users "
    "company_settings"
).split()


def spec_operations() -> dict[str, tuple[str, str, str | None]]:
    """operation id → (METHOD, path template, tag), from the effective spec."""
    found: dict[str, tuple[str, str, str | None]] = {}
    for path, item in effective_spec()["paths"].items():
        for method, op in item.items():
            if method in generator.METHODS:
                found[op["operationId"]] = (method.upper(), path, (op.get("tags") or [None])[0])
    return found


def template(path: str) -> re.Pattern[str]:
    return re.compile("/v2" + re.sub(r"\\\{[^}/]+\\\}", "[^/]+", re.escape(path)))


def facades() -> Iterator[tuple[str, type]]:
    for name, value in vars(SyncResources).items():
        cls = getattr(value, "cls", None)
        if cls is not None:
            yield name, cls


def actions(cls: type) -> list[str]:
    """The generated methods named after an operation of the spec."""
    ops = spec_operations()
    return sorted(n for n in dir(cls) if n in ops and callable(getattr(cls, n)))


# -- every tag has a facade ---------------------------------------------------------------------
def test_every_tag_with_operations_has_a_facade_on_both_clients() -> None:
    tags = {tag for _, _, tag in spec_operations().values()}
    rows = {row.tag: row for row in TABLE}
    assert tags <= set(rows), sorted(tags - set(rows))
    for tag in tags:
        name = rows[tag].name
        assert isinstance(getattr(SyncResources, name).cls, type), name
        assert name in dir(Client) and name in dir(AsyncClient), name


def test_declared_tags_without_a_facade_are_exactly_those_without_operations() -> None:
    declared = {t["name"] for t in effective_spec().get("tags", [])}
    used = {tag for _, _, tag in spec_operations().values()}
    covered = {row.tag for row in TABLE}
    assert declared - covered == declared - used  # nothing to call, so nothing to face


def test_the_seed_resources_are_client_attributes() -> None:
    client = Client(access_token="t", base_url="https://visma.test/v2")
    for name in SEED:
        assert type(getattr(client, name)).__name__ == name.title().replace("_", ""), name


def test_every_operation_of_the_spec_is_reachable_through_a_facade() -> None:
    reached: set[str] = set()
    for _, cls in facades():
        reached |= {module.rsplit(".", 1)[1] for module in cls.operations.values()}
        reached |= set(actions(cls))
    reached |= {name for row in TABLE for name in row.by_hand}
    assert set(spec_operations()) - reached == set()


# -- every facade request is in the spec --------------------------------------------------------
def test_each_crud_verb_is_the_spec_operation_of_that_method_on_the_facade_path() -> None:
    ops = spec_operations()
    checked = 0
    for name, cls in facades():
        for verb, module in cls.operations.items():
            method, path, _ = ops[module.rsplit(".", 1)[1]]
            assert method == VERB_METHOD[verb], (name, verb)
            item = re.fullmatch(re.escape(cls.path) + r"/\{[^}/]+\}", path)
            on = path == cls.path if verb in ("list", "create") else item is not None
            assert on, (name, verb, path, cls.path)
            # The request builder makes the spec's path.
            url = build_request(module, *([GUID] if "{" in path else []))["url"]
            assert template(path).fullmatch("/v2" + url), (name, verb, url)
            checked += 1
    assert checked >= len(TABLE)


class Recorder:
    """Answers every request with a Visma 404 and notes what was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.asked.append((request.method, request.url.path))
        return visma_error(404, 4004, "not found")


def _arguments(method: Any) -> list[Any]:
    values = {"Id": GUID, "date | str": "2026-01-31", "int | str": "1930", "str": "SE"}
    parameters = list(inspect.signature(method).parameters.values())
    return [
        values[str(p.annotation)]
        for p in parameters
        if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty
    ]


def _drive(call: Any) -> None:
    try:
        result = call()
        if hasattr(result, "__iter__") and not isinstance(result, (bytes, dict)):
            next(iter(result))
    except NotFoundError:
        pass


@pytest.mark.parametrize("name", sorted(row.name for row in TABLE if row.tag))
def test_every_generated_method_asks_for_its_operation_path(name: str) -> None:
    recorder = Recorder()
    client, _ = make_client(recorder)
    facade = getattr(client, name)
    ops = spec_operations()
    for operation in actions(type(facade)):
        method = getattr(facade, operation)
        recorder.asked.clear()
        _drive(functools.partial(method, *_arguments(method)))
        want, path, _ = ops[operation]
        assert len(recorder.asked) == 1, (operation, recorder.asked)
        asked_method, asked_path = recorder.asked[0]
        assert asked_method == want and template(path).fullmatch(asked_path), (
            operation,
            recorder.asked,
            path,
        )
    for verb in type(facade).operations:
        recorder.asked.clear()
        call = {
            "list": lambda: facade.list(),
            "get": lambda: facade.get(GUID),
            "create": lambda: facade.create({}),
            "update": lambda: facade.update(GUID, {}),
            "delete": lambda: facade.delete(GUID),
        }[verb]
        try:
            _drive(call)
        except ValidationError:
            continue  # refused before sending (a required field missing): asked for nothing
        first = recorder.asked[0]
        expected = "GET" if verb == "update" else VERB_METHOD[verb]
        op = ops[type(facade).operations["get" if verb == "update" else verb].rsplit(".", 1)[1]]
        assert first[0] == expected and template(op[1]).fullmatch(first[1]), (verb, first)


def test_generated_ids_are_checked_before_any_request(flavour: str) -> None:
    recorder = Recorder()
    client, _ = make_client(recorder)
    with pytest.raises(ValidationError, match=r"customer_label_id='nope' is not a GUID"):
        client.customer_labels.get("nope")
    with pytest.raises(ValidationError, match=r"message_thread_id=7 is not a GUID"):
        client.message_threads.get(7)
    with pytest.raises(ValidationError, match=r"countrycode='' must be non-empty text"):
        client.countries.get_country("")
    with pytest.raises(ValidationError, match=r"from_date='2026-13-01' is not a date"):
        client.sie_files.export_sie4("2026-13-01", "2026-12-31")
    assert recorder.asked == []


def test_a_new_tag_crud_round_trip_on_both_clients(flavour: str) -> None:
    label = {"Id": GUID, "Name": "VIP", "Description": "best customers"}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path == "/v2/customerlabels":
            return httpx.Response(
                200,
                json={
                    "Meta": {"CurrentPage": 1, "PageSize": 50, "TotalNumberOfPages": 1},
                    "Data": [label],
                },
            )
        if request.url.path == f"/v2/customerlabels/{GUID}":
            return httpx.Response(200, json=label)
        return visma_error(404, 4004, "not found")

    client, _ = make_client(handler)
    page = client.customer_labels.list()
    assert [item.name for item in page.items] == ["VIP"]
    got = client.customer_labels.get(uuid.UUID(GUID))
    assert (str(got.id), got.name) == (GUID, "VIP")


# -- the generator ------------------------------------------------------------------------------
def test_the_committed_facades_are_what_the_table_and_the_spec_give() -> None:
    assert resources.__file__ is not None
    assert generator.TARGET.read_text() == generator.generate()


def test_a_tag_without_a_row_stops_the_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = effective_spec()
    ops = generator.operations(spec)
    monkeypatch.setattr(generator, "TABLE", tuple(r for r in TABLE if r.tag != "Notes"))
    with pytest.raises(generator.FacadeError, match=r"tag 'Notes' has operations but no row"):
        generator.check_table(ops, spec)


def test_a_row_is_all_a_resource_needs() -> None:
    ops = generator.operations(effective_spec())
    plan = generator.plan(Row("notes", "Notes", "NoteApi", "note_id"), ops)
    assert plan.path == "/notes"
    assert {v: o.id for v, o in plan.verbs.items()} == {
        "list": "list_notes",
        "get": "get_note",
        "create": "create_note",
        "update": "update_note",
    }
    assert plan.actions == []
    threads = generator.plan(Row("t", "MessageThreads", "MessageThreadApi"), ops)
    # PUT /messagethreads/{id} takes a MessageStatusApi: a method of its own, not a safe update.
    assert sorted(threads.verbs) == ["create", "get", "list"]
    assert "mark_message_thread" in {o.id for o in threads.actions}


def test_a_by_hand_operation_must_exist() -> None:
    ops = generator.operations(effective_spec())
    with pytest.raises(generator.FacadeError, match=r"by_hand names 'get_notez'"):
        generator.plan(Row("notes", "Notes", "NoteApi", by_hand=("get_notez",)), ops)


def test_builders_are_the_generated_modules() -> None:
    module = endpoint_module("customers.get_customer")
    assert module.build_request is module._get_kwargs
