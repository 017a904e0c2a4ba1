"""Operation mixins of the resource facades: list / get / create / update / delete.

A concrete resource sets ``path`` (collection path), ``model`` (generated model class name),
``write_schema`` (request schema, defaults to ``model``) and ``id_name`` (the id's name in
error messages), and inherits only the operations the API supports.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, ClassVar, Generic, Protocol, TypeVar

import httpx

from .._bodies import (
    check_guid,
    list_params,
    merge_changes,
    parse_model,
    prepare_body,
    to_json_object,
    warn_unknown_keys,
)
from .._config import json_body
from .._pages import Page, validate_page
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
]

M = TypeVar("M")
T = TypeVar("T")

OrderArg = OrderBy | str | list[OrderBy | str] | tuple[OrderBy | str, ...] | None
SelectArg = list[str] | tuple[str, ...] | str | None


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

    def __init__(self, client: AsyncRequester) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.path}>"

    def _parse(self, data: Any) -> M:
        result: M = parse_model(self.model, data)
        return result

    def _item_path(self, id: Any) -> str:
        return f"{self.path}/{check_guid(id, self.id_name)}"

    def _schema(self) -> str:
        return self.write_schema or self.model

    def _create_body(self, body: Any) -> dict[str, Any]:
        data = to_json_object(body, "body")
        warn_unknown_keys(data, self._schema())
        return prepare_body(data, self._schema())

    def _update_body(
        self, current: dict[str, Any], changes: Any, fields: Mapping[str, Any]
    ) -> dict[str, Any]:
        delta: dict[str, Any] = {} if changes is None else to_json_object(changes, "changes")
        delta.update(to_json_object(dict(fields), "fields") if fields else {})
        # Only the caller's keys are checked: what the API returned (current) may hold
        # properties newer than the spec, and goes back as it came.
        warn_unknown_keys(delta, self._schema(), exact=False)
        return prepare_body(merge_changes(current, delta), self._schema())

    async def _call(self, method: str, path: str, **options: Any) -> Any:
        """Send through the client and decode the JSON body (None when empty)."""
        return json_body(await self._client.request(method, path, **options))

    async def _action(self, method: str, id: Any, action: str, model: str, **options: Any) -> Any:
        """``method {path}/{id}/{action}``, the answer parsed as the generated ``model``."""
        return parse_model(
            model, await self._call(method, f"{self._item_path(id)}/{action}", **options)
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
            self.path, params=query, parse=self._parse, page_size=page_size, prefetch=prefetch
        )


class AsyncGet(AsyncResource[M]):
    async def get(self, id: Any, *, params: Mapping[str, Any] | None = None) -> M:
        """Fetch one by id."""
        return self._parse(await self.get_raw(id, params=params))

    async def get_raw(self, id: Any, *, params: Mapping[str, Any] | None = None) -> Any:
        """Fetch one by id as the raw JSON object."""
        return await self._call("GET", self._item_path(id), params=params)


class AsyncCreate(AsyncResource[M]):
    async def create(self, body: Any, *, params: Mapping[str, Any] | None = None) -> M:
        """Create from a generated model or a mapping of API property names.

        POST is not retried after an ambiguous failure unless the client was built (or
        ``with_options``-ed) with ``retry_non_idempotent=True``.
        """
        payload = self._create_body(body)
        return self._parse(await self._call("POST", self.path, json=payload, params=params))


class AsyncUpdate(AsyncResource[M]):
    async def update(
        self,
        id: Any,
        changes: Any = None,
        *,
        params: Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> M:
        """Safe update: GET, merge ``changes``/``fields``, drop read-only fields, PUT.

        ``changes`` is a generated model (only the attributes you set are sent) or a mapping
        of API property names; ``fields`` take property names in snake_case or PascalCase.
        Everything else keeps its current value despite the API's full-replace PUT.
        """
        path = self._item_path(id)
        current = await self._call("GET", path)
        payload = self._update_body(current or {}, changes, fields)
        return self._parse(await self._call("PUT", path, json=payload, params=params))


class AsyncDelete(AsyncResource[M]):
    async def delete(self, id: Any) -> None:
        """Delete by id."""
        await self._client.request("DELETE", self._item_path(id))
