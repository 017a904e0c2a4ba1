"""Helpers for facade tests: Visma-shaped responses and clients over httpx.MockTransport."""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import eaccounting
from eaccounting import AsyncClient, Client, MemoryTokenStore, Token

from . import twins
from .twins import flavour  # noqa: F401 (the fixture)

ORIGIN = "https://visma.test"
BASE = f"{ORIGIN}/v2"
ERROR_ID = "8d2c5f0e-4c1a-4b7e-9a51-1f0b7c3d2e10"
NOW = 1_800_000_000.0


def visma_error(
    status: int,
    code: int,
    message: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    error_id: str = ERROR_ID,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    body = {
        "ErrorCode": code,
        "DeveloperErrorMessage": message,
        "ErrorId": error_id,
        "Errors": errors,
    }
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"Content-Type": "application/json;charset=UTF-8", **(headers or {})},
    )


def paged(items: list[Any], page: int, page_size: int, total: int) -> httpx.Response:
    pages = (total + page_size - 1) // page_size
    return httpx.Response(
        200,
        json={
            "Meta": {
                "CurrentPage": page,
                "PageSize": page_size,
                "TotalNumberOfPages": pages,
                "TotalNumberOfResults": total,
                "ServerTimeUtc": "2026-02-17T14:42:56.7582722Z",
            },
            "Data": items,
        },
    )


def fresh_token(access: str = "access-0", refresh: str = "refresh-0", ttl: float = 3600) -> Token:
    return Token(access_token=access, refresh_token=refresh, expires_at=NOW + ttl)


class Sleeps:
    """Records sleeps instead of sleeping."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.calls.append(seconds)


def make_client(
    handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any
) -> tuple[Client, Sleeps]:
    """A Client, or under the ``flavour`` fixture's async run an AsyncClient driven blocking."""
    running = twins.current()
    if running is not None and running.loop is not None:
        sleep = kwargs.pop("sleep", None)
        if sleep is not None and not inspect.iscoroutinefunction(sleep):
            kwargs["sleep"] = _async_sleep(sleep)
        client, sleeps = make_async_client(handler, **kwargs)
        if sleep is not None and hasattr(sleep, "calls"):
            sleeps = sleep
        return twins.blocking(client, running.loop), sleeps
    sleeps = Sleeps()
    options: dict[str, Any] = {
        "base_url": BASE,
        "identity_url": ORIGIN,
        "transport": httpx.MockTransport(handler),
        "access_token": "static-token",
        "sleep": sleeps,
        "clock": lambda: NOW,
    }
    options.update(kwargs)
    return Client(**options), sleeps


def make_async_client(handler: Callable[..., Any], **kwargs: Any) -> tuple[AsyncClient, Sleeps]:
    sleeps = Sleeps()
    options: dict[str, Any] = {
        "base_url": BASE,
        "identity_url": ORIGIN,
        "transport": httpx.MockTransport(handler),
        "access_token": "static-token",
        "sleep": sleeps.asleep,
        "clock": lambda: NOW,
    }
    options.update(kwargs)
    return AsyncClient(**options), sleeps


def _async_sleep(sleep: Callable[[float], None]) -> Callable[[float], Any]:
    async def asleep(seconds: float) -> None:
        sleep(seconds)

    return asleep


@pytest.fixture
def store() -> MemoryTokenStore:
    return MemoryTokenStore(fresh_token())


__all__ = [
    "BASE",
    "ERROR_ID",
    "NOW",
    "ORIGIN",
    "Sleeps",
    "eaccounting",
    "fresh_token",
    "make_async_client",
    "make_client",
    "paged",
    "time",
    "visma_error",
]
