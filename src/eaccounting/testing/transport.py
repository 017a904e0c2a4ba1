"""In-process httpx transports that call the emulator core directly (no sockets, no loop)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable

import httpx

from .app import EmulatorCore, Reply, render_headers


def _call(core: EmulatorCore, request: httpx.Request) -> tuple[Reply, object]:
    """The reply, and what the ``on_served`` fault hook returned (None without one)."""
    headers = {k.lower(): v for k, v in request.headers.items()}
    reply = core.handle(
        request.method, request.url.path, request.url.query.decode("ascii"), headers, request.read()
    )
    hook = core.faults.on_served
    return reply, (None if hook is None else hook(request.method, request.url.path))


def _response(reply: Reply, request: httpx.Request) -> httpx.Response:
    if reply.fault == "drop":
        raise httpx.RemoteProtocolError(
            "Server disconnected without sending a response.", request=request
        )
    body = reply.body
    if reply.fault == "truncate":
        raise httpx.RemoteProtocolError(
            f"peer closed connection without sending complete message body (received "
            f"{len(body) // 2} bytes, expected {len(body)})",
            request=request,
        )
    return httpx.Response(
        reply.status, headers=render_headers(reply), stream=httpx.ByteStream(body), request=request
    )


class EmulatorTransport(httpx.BaseTransport):
    """Sync transport; fault latency goes through the injected ``sleep``."""

    def __init__(self, core: EmulatorCore, sleep: Callable[[float], None]) -> None:
        self.core = core
        self.sleep = sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        reply, hooked = _call(self.core, request)
        if inspect.isawaitable(hooked):
            raise TypeError("Faults.on_served returned an awaitable to the sync transport")
        if reply.delay:
            self.sleep(reply.delay)
        return _response(reply, request)


class AsyncEmulatorTransport(httpx.AsyncBaseTransport):
    """Async transport; fault latency goes through the injected async ``sleep``."""

    def __init__(
        self, core: EmulatorCore, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    ) -> None:
        self.core = core
        self.sleep = sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        reply, hooked = _call(self.core, request)
        if inspect.isawaitable(hooked):
            await hooked
        if reply.delay:
            await self.sleep(reply.delay)
        return _response(reply, request)
