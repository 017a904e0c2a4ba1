"""Operation mixins (list / get / create / update / delete), sync and async.

A concrete resource sets ``path`` (collection path), ``model`` (generated model class name),
``write_schema`` (request schema, defaults to ``model``) and ``id_name`` (the id's name in
error messages), and inherits only the operations the API supports.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from ..odata import Filter, OrderBy
from ..paging import AsyncPager, Page, SyncPager
from ._base import (
    check_guid,
    list_params,
    merge_changes,
    parse_model,
    prepare_body,
    to_json_object,
)

if TYPE_CHECKING:
    from .._client import AsyncClient, Client

__all__ = [
    "AsyncCreate",
    "AsyncDelete",
    "AsyncGet",
    "AsyncList",
    "AsyncResource",
    "AsyncUpdate",
    "SyncCreate",
    "SyncDelete",
    "SyncGet",
    "SyncList",
    "SyncResource",
    "SyncUpdate",
]

M = TypeVar("M")

OrderArg = OrderBy | str | list[OrderBy | str] | tuple[OrderBy | str, ...] | None
SelectArg = list[str] | tuple[str, ...] | str | None


def _json(response: Any) -> Any:
    return response.json() if response.content else None


class _Spec(Generic[M]):
    path: ClassVar[str]
    model: ClassVar[str]
    write_schema: ClassVar[str | None] = None
    id_name: ClassVar[str] = "id"
    #: The timestamp property for changed-since sync, if the resource has one.
    modified_field: ClassVar[str | None] = None

    def _parse(self, data: Any) -> M:
        result: M = parse_model(self.model, data)
        return result

    def _item_path(self, id: Any) -> str:
        return f"{self.path}/{check_guid(id, self.id_name)}"

    def _schema(self) -> str:
        return self.write_schema or self.model

    def _create_body(self, body: Any) -> dict[str, Any]:
        return prepare_body(to_json_object(body, "body"), self._schema())

    def _update_body(
        self, current: dict[str, Any], changes: Any, fields: Mapping[str, Any]
    ) -> dict[str, Any]:
        delta: dict[str, Any] = {} if changes is None else to_json_object(changes, "changes")
        delta.update(to_json_object(dict(fields), "fields") if fields else {})
        return prepare_body(merge_changes(current, delta), self._schema())


class SyncResource(_Spec[M]):
    """Base of the synchronous resource facades."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.path}>"


class AsyncResource(_Spec[M]):
    """Base of the asynchronous resource facades."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.path}>"


class SyncList(SyncResource[M]):
    def list(
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
        pager.start_page = _page(page)
        return pager.first_page()

    def iterate(
        self,
        *,
        page_size: int | None = None,
        filter: Filter | str | None = None,
        orderby: OrderArg = None,
        select: SelectArg = None,
        params: Mapping[str, Any] | None = None,
        prefetch: int = 0,
    ) -> SyncPager[M]:
        """Every item across pages: ``for x in ...`` or ``.pages()``; ``prefetch`` pages ahead."""
        query = list_params(filter=filter, orderby=orderby, select=select, params=params)
        return self._client.paginate(
            self.path, params=query, parse=self._parse, page_size=page_size, prefetch=prefetch
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
        pager.start_page = _page(page)
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
        """Every item across pages: ``async for x in ...`` or ``.pages()``."""
        query = list_params(filter=filter, orderby=orderby, select=select, params=params)
        return self._client.paginate(
            self.path, params=query, parse=self._parse, page_size=page_size, prefetch=prefetch
        )


class SyncGet(SyncResource[M]):
    def get(self, id: Any, *, params: Mapping[str, Any] | None = None) -> M:
        """Fetch one by id."""
        return self._parse(self.get_raw(id, params=params))

    def get_raw(self, id: Any, *, params: Mapping[str, Any] | None = None) -> Any:
        """Fetch one by id as the raw JSON object."""
        return _json(self._client.request("GET", self._item_path(id), params=params))


class AsyncGet(AsyncResource[M]):
    async def get(self, id: Any, *, params: Mapping[str, Any] | None = None) -> M:
        """Fetch one by id."""
        return self._parse(await self.get_raw(id, params=params))

    async def get_raw(self, id: Any, *, params: Mapping[str, Any] | None = None) -> Any:
        """Fetch one by id as the raw JSON object."""
        response = await self._client.request("GET", self._item_path(id), params=params)
        return _json(response)


class SyncCreate(SyncResource[M]):
    def create(self, body: Any, *, params: Mapping[str, Any] | None = None) -> M:
        """Create from a generated model or a mapping of API property names.

        POST is not retried after an ambiguous failure unless the client was built (or
        ``with_options``-ed) with ``retry_non_idempotent=True``.
        """
        payload = self._create_body(body)
        return self._parse(
            _json(self._client.request("POST", self.path, json=payload, params=params))
        )


class AsyncCreate(AsyncResource[M]):
    async def create(self, body: Any, *, params: Mapping[str, Any] | None = None) -> M:
        """Create from a generated model or a mapping of API property names."""
        payload = self._create_body(body)
        response = await self._client.request("POST", self.path, json=payload, params=params)
        return self._parse(_json(response))


class SyncUpdate(SyncResource[M]):
    def update(
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
        current = _json(self._client.request("GET", path))
        payload = self._update_body(current or {}, changes, fields)
        return self._parse(_json(self._client.request("PUT", path, json=payload, params=params)))


class AsyncUpdate(AsyncResource[M]):
    async def update(
        self,
        id: Any,
        changes: Any = None,
        *,
        params: Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> M:
        """Safe update (see :meth:`SyncUpdate.update`)."""
        path = self._item_path(id)
        current = _json(await self._client.request("GET", path))
        payload = self._update_body(current or {}, changes, fields)
        response = await self._client.request("PUT", path, json=payload, params=params)
        return self._parse(_json(response))


class SyncDelete(SyncResource[M]):
    def delete(self, id: Any) -> None:
        """Delete by id."""
        self._client.request("DELETE", self._item_path(id))


class AsyncDelete(AsyncResource[M]):
    async def delete(self, id: Any) -> None:
        """Delete by id."""
        await self._client.request("DELETE", self._item_path(id))


def _page(page: object) -> int:
    from ..errors import ValidationError

    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise ValidationError(f"page={page!r} must be an integer >= 1 (pages are 1-based)")
    return page
