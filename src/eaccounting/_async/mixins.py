"""Operation mixins of the resource facades: list / get / create / update / delete.

A concrete resource sets ``path`` (collection path), ``model`` (generated model class name),
``write_schema`` (request schema, defaults to ``model``), ``id_name`` (the id's name in
error messages) and ``operations`` (which generated operation performs each verb), and
inherits only the operations the API supports. The concrete resources are generated
(``facades.py``, by ``python -m spec facade``); their requests come from the generated
operations' request builders (:mod:`eaccounting._builders`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, ClassVar, Generic, Protocol, TypeAlias, TypeVar
from uuid import UUID

import httpx

from .._bodies import (
    _normalise,
    check_guid,
    list_params,
    merge_changes,
    parse_model,
    prepare_body,
    to_json_object,
    warn_unknown_keys,
)
from .._builders import build_request
from .._concurrency import AsyncObjectLock
from .._config import json_body
from .._conflicts import FieldPath, changed_paths, clashes, dotted, value_at, written_paths
from .._pages import Page, validate_page
from ..errors import UpdateConflictError
from ..odata import Filter, OrderBy
from .paging import AsyncPager

__all__ = [
    "AsyncCreate",
    "AsyncDelete",
    "AsyncGet",
    "AsyncList",
    "AsyncRequester",
    "AsyncResource",
    "AsyncUpdate",
    "Id",
]

M = TypeVar("M")
#: The create operation's typed body (``eaccounting_api.bodies.<Model>Body``).
B = TypeVar("B")

_CHANGED = (
    "changed by someone else since it was read; nothing was written (error.current holds "
    "the object as it is now: decide again from it)"
)
_OVERWRITTEN = (
    "written, then overwritten by someone else before the check read it back (error.current "
    "holds the object as it is now)"
)
T = TypeVar("T")

OrderArg = OrderBy | str | list[OrderBy | str] | tuple[OrderBy | str, ...] | None
SelectArg = list[str] | tuple[str, ...] | str | None
#: An id as the facades take it: a UUID or its text (checked before any request).
Id: TypeAlias = UUID | str


class AsyncRequester(Protocol):
    """What a facade needs of its client (the client itself; a protocol keeps the import
    graph one-way: the client imports the resources, never the other way round)."""

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Awaitable[httpx.Response]: ...

    def paginate(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        parse: Callable[[Any], T] = ...,
        page_size: int | None = None,
        start_page: int = 1,
        prefetch: int = 0,
    ) -> AsyncPager[T]: ...


class AsyncResource(Generic[M]):
    """Base of the resource facades."""

    path: ClassVar[str]
    model: ClassVar[str]
    write_schema: ClassVar[str | None] = None
    id_name: ClassVar[str] = "id"
    #: The timestamp property for changed-since sync, if the resource has one.
    modified_field: ClassVar[str | None] = None
    #: Facade verb (list/get/create/update/delete) → the generated operation performing it
    #: (``"<tag package>.<operation id>"``), as the facade generator found it in the spec.
    operations: ClassVar[Mapping[str, str]] = {}

    def __init__(self, client: AsyncRequester) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.path}>"

    def _parse(self, data: Any) -> M:
        result: M = parse_model(self.model, data)
        return result

    def _collection_path(self) -> str:
        """The collection's URL, from the list (or create) operation's request builder."""
        for verb in ("list", "create"):
            if verb in self.operations:
                url: str = build_request(self.operations[verb])["url"]
                return url
        return self.path

    def _item_path(self, id: Any) -> str:
        """One item's URL, from the get/update/delete operation's request builder (the
        generator checks that they share one path)."""
        checked = check_guid(id, self.id_name)
        for verb in ("get", "update", "delete"):
            if verb in self.operations:
                url: str = build_request(self.operations[verb], checked)["url"]
                return url
        return f"{self.path}/{checked}"

    def _schema(self) -> str:
        return self.write_schema or self.model

    def _create_body(self, body: Any) -> dict[str, Any]:
        data = to_json_object(body, "body")
        warn_unknown_keys(data, self._schema())
        return prepare_body(data, self._schema())

    def _update_body(
        self, current: dict[str, Any], changes: Any, fields: Mapping[str, Any]
    ) -> dict[str, Any]:
        return prepare_body(merge_changes(current, self._delta(changes, fields)), self._schema())

    def _delta(self, changes: Any, fields: Mapping[str, Any]) -> dict[str, Any]:
        """The caller's changes as one JSON object (``fields`` win over ``changes``)."""
        delta = _delta(changes, fields)
        # Only the caller's keys are checked: what the API returned (current) may hold
        # properties newer than the spec, and goes back as it came.
        warn_unknown_keys(delta, self._schema(), exact=False)
        return delta

    async def _checked_update(
        self,
        path: str,
        changes: Any,
        fields: Mapping[str, Any],
        *,
        id: str | None,
        params: Mapping[str, Any] | None = None,
        verify: bool = False,
    ) -> M:
        """GET, merge, re-GET under the object's lock, compare, PUT (see ``update``)."""
        delta = self._delta(changes, fields)
        base = await self._call("GET", path) or {}
        payload = prepare_body(merge_changes(base, delta), self._schema())
        sent = {_normalise(key) for key in payload}
        mine = {p for p in written_paths(delta) if _sent(p, sent)}
        async with AsyncObjectLock(path):
            fresh = await self._call("GET", path) or {}
            changed = changed_paths(base, fresh)
            if changed:
                merged = merge_changes(fresh, delta)
                # Theirs and ours clash where ours would replace the value they wrote.
                replaced = {p for p in changed if value_at(merged, p) != value_at(fresh, p)}
                clash = clashes(replaced, mine)
                if clash:
                    raise self._conflict(path, id, clash, fresh, _CHANGED)
                # Only other properties changed: keep them, apply ours on the fresh copy.
                payload = prepare_body(merged, self._schema())
            written = await self._call("PUT", path, json=payload, params=params)
            if verify:
                await self._verify(path, id, mine, written or payload)
        return self._parse(written)

    async def _verify(self, path: str, id: str | None, mine: set[FieldPath], written: Any) -> None:
        """Read back after the PUT: each property this update wrote still holds its value."""
        now = await self._call("GET", path) or {}
        lost = tuple(sorted(dotted(p) for p in mine if value_at(now, p) != value_at(written, p)))
        if lost:
            raise self._conflict(path, id, lost, now, _OVERWRITTEN)

    def _conflict(
        self, path: str, id: str | None, fields: tuple[str, ...], current: Any, why: str
    ) -> UpdateConflictError:
        shown = self.path if id is None else f"{self.path} {id}"
        return UpdateConflictError(
            f"update of {shown}: {', '.join(fields)} {why}",
            resource=self.path,
            id=id,
            fields=fields,
            url=path,
            current=current,
        )

    async def _call(self, method: str, path: str, **options: Any) -> Any:
        """Send through the client and decode the JSON body (None when empty)."""
        return json_body(await self._client.request(method, path, **options))

    async def _perform(
        self,
        operation: str,
        *path: str,
        body: Any = None,
        items: Sequence[Any] | None = None,
        body_schema: str | None = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send the request of the generated ``operation`` for the checked ``path`` values,
        with the caller's ``body`` (or a list body of ``items``), each prepared as
        ``body_schema``, and query ``params``."""
        request = build_request(operation, *path)
        payload: Any = None
        if body is not None:
            payload = to_json_object(body, "body")
            if body_schema is not None:
                payload = prepare_body(payload, body_schema)
        elif items is not None:
            payload = [to_json_object(item, f"body[{i}]") for i, item in enumerate(items)]
            if body_schema is not None:
                payload = [prepare_body(item, body_schema) for item in payload]
        # The builder's query holds the spec's defaults (``keepOriginalDraftDate=false``): only
        # what the caller asks for is sent, the API applies its own defaults.
        return await self._client.request(
            request["method"].upper(),
            request["url"],
            params=params,
            json=payload,
            headers=headers,
        )

    async def _operation_result(
        self, operation: str, *path: str, model: str | None, many: bool = False, **options: Any
    ) -> Any:
        """:meth:`_perform`, the JSON answer parsed as ``model`` (a list of them if ``many``;
        the JSON itself without a model)."""
        data = json_body(await self._perform(operation, *path, **options))
        if model is None or data is None:
            return data
        if many:
            return [parse_model(model, item) for item in data]
        return parse_model(model, data)

    def _operation_pages(
        self,
        operation: str,
        *path: str,
        model: str,
        params: Mapping[str, Any] | None = None,
        page_size: int | None = None,
        prefetch: int = 0,
    ) -> AsyncPager[Any]:
        """Every item of a paged operation's answer, parsed as ``model``."""
        request = build_request(operation, *path)
        return self._client.paginate(
            request["url"],
            params=params,
            parse=lambda item: parse_model(model, item),
            page_size=page_size,
            prefetch=prefetch,
        )


class AsyncList(AsyncResource[M]):
    async def list(
        self,
        *,
        page: int = 1,
        page_size: int = 50,
        filter: Filter | str | None = None,
        orderby: OrderArg = None,
        select: SelectArg = None,
        params: Mapping[str, Any] | None = None,
    ) -> Page[M]:
        """One page (1-based ``page``)."""
        pager = self.iterate(
            page_size=page_size, filter=filter, orderby=orderby, select=select, params=params
        )
        pager.start_page = validate_page(page)
        return await pager.first_page()

    def iterate(
        self,
        *,
        page_size: int | None = None,
        filter: Filter | str | None = None,
        orderby: OrderArg = None,
        select: SelectArg = None,
        params: Mapping[str, Any] | None = None,
        prefetch: int = 0,
    ) -> AsyncPager[M]:
        """Every item across pages: ``async for x in ...`` or ``.pages()``; ``prefetch`` pages
        ahead."""
        query = list_params(filter=filter, orderby=orderby, select=select, params=params)
        return self._client.paginate(
            self._collection_path(),
            params=query,
            parse=self._parse,
            page_size=page_size,
            prefetch=prefetch,
        )


class AsyncGet(AsyncResource[M]):
    async def get(self, id: Id, *, params: Mapping[str, Any] | None = None) -> M:
        """Fetch one by id."""
        return self._parse(await self.get_raw(id, params=params))

    async def get_raw(self, id: Id, *, params: Mapping[str, Any] | None = None) -> Any:
        """Fetch one by id as the raw JSON object."""
        return await self._call("GET", self._item_path(id), params=params)


class AsyncCreate(AsyncResource[M], Generic[M, B]):
    async def create(self, body: M | B, *, params: Mapping[str, Any] | None = None) -> M:
        """Create from a generated model or the operation's typed body (``<Model>Body``, a
        ``TypedDict`` with the API's property names: mypy rejects a misspelled key).

        Any other mapping of property names works at run time too. POST is not retried after
        an ambiguous failure unless the client was built (or ``with_options``-ed) with
        ``retry_non_idempotent=True``.
        """
        return await self._create(body, params=params)

    async def _create(self, body: Any, *, params: Mapping[str, Any] | None = None) -> M:
        payload = self._create_body(body)
        return self._parse(
            await self._call("POST", self._collection_path(), json=payload, params=params)
        )


class AsyncUpdate(AsyncResource[M]):
    async def update(
        self,
        id: Id,
        changes: M | Mapping[str, Any] | None = None,
        *,
        params: Mapping[str, Any] | None = None,
        verify: bool = False,
        **fields: Any,
    ) -> M:
        """Safe update: GET, merge ``changes``/``fields``, re-GET, compare, PUT.

        ``changes`` is a generated model (only the attributes you set are sent) or a mapping
        of API property names; ``fields`` take property names in snake_case or PascalCase.
        Everything else keeps its current value despite the API's full-replace PUT.

        Visma has no ``If-Match``, so a concurrent change is detected by reading the object
        again just before the PUT and comparing it with the first read (the whole object,
        ``ChangedUtc``/``ModifiedUtc`` included). If someone else changed a property this
        update writes, nothing is written and :class:`~eaccounting.UpdateConflictError` (a
        ``ConflictError``) names the resource, the id and those properties; if they changed
        only other properties, the changes are applied on the fresh copy, keeping theirs.
        In this process, updates of one object hold a lock from the re-read to the PUT, so
        they never lose each other's changes. Between processes one window remains: a write
        landing between the re-read and the PUT (one round trip) is overwritten unseen.
        ``verify=True`` reads the object back after the PUT and raises the same error if a
        property written was overwritten meanwhile (one more request; it cannot see a write
        that lands after that read). Costs: 3 requests (GET, GET, PUT), 4 with ``verify``.
        """
        return await self._checked_update(
            self._item_path(id),
            changes,
            fields,
            id=check_guid(id, self.id_name),
            params=params,
            verify=verify,
        )


class AsyncDelete(AsyncResource[M]):
    async def delete(self, id: Id) -> None:
        """Delete by id."""
        await self._client.request("DELETE", self._item_path(id))


def _delta(changes: Any, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The caller's changes as one JSON object (``fields`` win over ``changes``)."""
    delta: dict[str, Any] = {} if changes is None else to_json_object(changes, "changes")
    delta.update(to_json_object(dict(fields), "fields") if fields else {})
    return delta


def _sent(path: FieldPath, sent: set[str]) -> bool:
    """``path`` goes out in the PUT (read-only properties are dropped before sending)."""
    return _normalise(path[0]) in sent
