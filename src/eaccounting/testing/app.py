"""Request dispatch (transport-agnostic core) and the ASGI app around it."""

from __future__ import annotations

import asyncio
import base64
import inspect
import re
import threading
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qsl

import httpx

from .._json_wire import dumps, loads
from . import banking, ledger, purchase, resources, sales  # noqa: F401  (register handlers)
from .clock import Clock, IdGenerator, parse_utc
from .company import Company, Request
from .errors import VismaError, field_error, module_not_activated, validation
from .faults import Faults
from .handlers import Binary, Handler, not_implemented, resolve
from .identity import IdentityServer, OAuthError
from .ratelimit import LIMIT, QuotaTracker
from .regions import GATED, Region, check_gates
from .schema import Conformer
from .spec import Operation, SpecIndex

JSON = "application/json;charset=UTF-8"
_READONLY_SUFFIX = "_readonly"


@dataclass
class Reply:
    """A finished response plus transport-level fault instructions."""

    status: int
    body: bytes = b""
    content_type: str | None = JSON
    headers: list[tuple[str, str]] = field(default_factory=list)
    delay: float = 0.0
    fault: str | None = None  # "drop" or "truncate"


def _dumps(payload: Any) -> bytes:
    # Decimals (amounts as the client sent them) with every digit, like the client's own encoder.
    return dumps(payload)


class EmulatorCore:
    """Routes a request through auth, quota, faults and the operation's handler."""

    def __init__(
        self,
        region: Region,
        index: SpecIndex,
        clock: Clock,
        seed: int,
        faults: Faults,
        redirect_uri: str,
        origin: str = "",
        client_secret: str | None = None,
    ) -> None:
        self.client_secret = client_secret
        self.origin = origin
        self.region = region
        check_gates(index.operations)
        self.index = index
        self.conformer = Conformer(index.schemas)
        self.clock = clock
        self.seed = seed
        self.faults = faults
        self.redirect_uri = redirect_uri
        self.handlers: dict[str, tuple[Handler, str]] = {
            op_id: resolve(op) for op_id, op in index.operations.items()
        }
        self.disabled: set[str] = set()
        # False: the company has not activated the API integration (every call 403/4002).
        self.api_module_active = True
        self._lock = threading.Lock()
        self.rate_limit: int | None = LIMIT  # None turns the quota off (benchmarks)
        self.reset()

    def reset(self) -> None:
        """Fresh company, tokens, quotas and fault sequence (same seed → same state)."""
        self.ids = IdGenerator(self.seed)
        self.identity = IdentityServer(
            self.clock,
            self.ids,
            self.redirect_uri,
            lambda: self.faults.token_lifetime,
            self.client_secret,
        )
        self.company = Company(self.region, self.index, self.clock, self.ids)
        self.company.origin = self.origin
        self.quota = QuotaTracker(self.clock, self.rate_limit or LIMIT)
        self.faults.reset()

    # -- entry point ----------------------------------------------------------------------
    def handle(
        self, method: str, path: str, query: str, headers: dict[str, str], body: bytes
    ) -> Reply:
        """Answer one request. Thread-safe: requests are served one at a time."""
        with self._lock:
            return self._handle(method, path, query, headers, body)

    def _handle(
        self, method: str, path: str, query: str, headers: dict[str, str], body: bytes
    ) -> Reply:
        try:
            if path.startswith("/v2/"):
                return self._api(method, path[3:], query, headers, body)
            if path.startswith("/connect/"):
                return self._identity(method, path, query, headers, body)
            if path.startswith("/files/") and method == "GET":
                return self._file(path.split("/")[2:], headers)
            raise VismaError(404, 3000, f"No resource matches {path}.")
        except VismaError as err:
            return self._error(err)
        except Exception as exc:  # an emulator bug: answer like the real API's 5000
            return self._error(VismaError(500, 5000, f"Emulator error {type(exc).__name__}: {exc}"))

    def _error(self, err: VismaError) -> Reply:
        return Reply(err.status, _dumps(err.body(self.ids.guid())))

    # -- API ------------------------------------------------------------------------------
    def _api(
        self, method: str, path: str, query: str, headers: dict[str, str], body: bytes
    ) -> Reply:
        matched = self.index.match(method, path)
        if matched is None:
            if self.index.path_exists(path):
                raise VismaError(405, 4002, f"The requested resource does not support {method}.")
            raise VismaError(404, 3000, f"No HTTP resource was found that matches /v2{path}.")
        op, params = matched
        grant = self.identity.check(headers.get("authorization"))
        if grant is None:
            raise VismaError(401, 4005, "Authorization has been denied for this request.")
        if not self.api_module_active:
            raise module_not_activated()
        allowed = op.scopes
        if op.writes:
            allowed = frozenset(s for s in allowed if not s.endswith(_READONLY_SUFFIX))
        if allowed and not (grant.scopes & allowed):
            raise VismaError(
                403,
                4006,
                "The access token lacks the required scope; needs one "
                f"of: {', '.join(sorted(allowed))}.",
            )
        wait = self.quota.hit(grant.client_id, path) if self.rate_limit is not None else None
        if wait is not None:
            return self._quota(wait)
        fault = self.faults.draw()
        delay = self.faults.latency
        if fault == "burst":
            reply = self._quota(60)
        elif fault == "error":
            # Alternate 500 and 503 so clients see both retryable server statuses.
            status = 503 if self.faults.errors_seen % 2 else 500
            self.faults.errors_seen += 1
            reply = self._error(VismaError(status, 5000, "An unexpected error occurred."))
        elif fault == "drop":
            reply = Reply(0, fault="drop")
        else:
            reply = self._run(op, params, query, headers, body)
            if fault == "truncate":
                reply.fault = "truncate"
            elif fault == "commit_drop":  # applied, but the response never arrives
                reply.fault = "drop"
        reply.delay = delay
        return reply

    def _quota(self, wait: int) -> Reply:
        err = VismaError(
            429,
            4010,
            "API calls quota exceeded! maximum admitted 600 per Minute. "
            f"Try again in {wait} seconds.",
        )
        body = err.body(self.ids.guid())
        body["DeveloperErrorMessage"] = err.message  # the real 429 has no exception prefix
        return Reply(429, _dumps(body))

    def _run(
        self,
        op: Operation,
        params: dict[str, str],
        query: str,
        headers: dict[str, str],
        body: bytes,
    ) -> Reply:
        regions = GATED.get(op.operation_id)
        if regions is not None and self.region.code not in regions:
            raise VismaError(
                403,
                4009,
                f"{op.operation_id} is not available for companies in {self.region.country}.",
            )
        handler, kind = self.handlers[op.operation_id]
        if kind == "stub" and op.operation_id in self.disabled:
            raise not_implemented(op)
        _bind_params(op, params, dict(parse_qsl(query)))
        parsed: Any = None
        if body:
            try:
                parsed = loads(body)
            except ValueError:
                raise VismaError(400, 2000, "The request body is not valid JSON.") from None
        status, payload = handler(self.company, Request(op, params, dict(parse_qsl(query)), parsed))
        if payload is None:
            return Reply(status, b"", None)
        if isinstance(payload, Binary):
            return Reply(status, payload.content, payload.content_type)
        return Reply(status, _dumps(self.conformer.conform(op.response_schema, payload)))

    # -- identity and files ---------------------------------------------------------------
    def _identity(
        self, method: str, path: str, query: str, headers: dict[str, str], body: bytes
    ) -> Reply:
        try:
            if path == "/connect/authorize" and method == "GET":
                location = self.identity.authorize(dict(parse_qsl(query)))
                return Reply(302, b"", None, [("location", location)])
            if path == "/connect/token" and method == "POST":
                form = dict(parse_qsl(body.decode("utf-8", "replace")))
                token = self.identity.token(form, headers.get("authorization"))
                return Reply(
                    200, _dumps(token), "application/json", [("cache-control", "no-store")]
                )
        except OAuthError as err:
            return Reply(err.status, _dumps(err.body()), "application/json")
        raise VismaError(404, 3000, f"No resource matches {path}.")

    def _file(self, segments: list[str], headers: dict[str, str]) -> Reply:
        """A temporary file URL (testing/files.py): served without, and refused with, a bearer."""
        if "authorization" in headers:
            # Storage hosts do not take the API's token; a client that sends it leaks it.
            message = b"Authorization header sent to a temporary file URL on another host."
            return Reply(400, message, "text/plain")
        kind, ident = [*segments, "", ""][:2]
        if kind == "attachments":
            attachment = self.company.get("attachments", ident, "Attachment")
            data = base64.b64decode(self.company.blobs.get(ident, ""))
            content_type = str(attachment.get("ContentType") or "application/octet-stream")
            return Reply(200, data, content_type)
        if kind == "invoices":
            invoice = self.company.get("customerinvoices", ident, "Customer invoice")
            return Reply(200, banking.render_invoice_pdf(invoice), "application/pdf")
        if kind == "sie4" and "_" in ident:
            start, end = ident.split("_", 1)
            return Reply(200, banking.render_sie4(self.company, start, end), "text/plain")
        raise VismaError(404, 3000, "No such file.")


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class DroppedConnection(httpx.RemoteProtocolError):
    """Raised inside the ASGI app to simulate a connection dropped without a response.

    A transport error, so ``httpx.ASGITransport`` surfaces it as one.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)


class ASGIApp:
    """ASGI 3 application serving one :class:`EmulatorCore` (plain ASGI keeps the hot path lean)."""

    def __init__(self, core: EmulatorCore) -> None:
        self.core = core

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        reply = self.core.handle(
            scope["method"],
            scope["path"],
            scope.get("query_string", b"").decode("latin-1"),
            headers,
            b"".join(chunks),
        )
        hook = self.core.faults.on_served
        hooked = None if hook is None else hook(scope["method"], scope["path"])
        if inspect.isawaitable(hooked):
            await hooked
        if reply.delay:
            await asyncio.sleep(reply.delay)
        out = [(k.encode(), v.encode()) for k, v in render_headers(reply)]
        if reply.fault == "drop":
            # Plain ASGI cannot close a socket without answering: servers turn an exception
            # raised before the response into a 500. So the connection closes right after the
            # headers (which promise a body), before any body byte: no usable response.
            out = [(k, v) for k, v in out if k != b"content-length"]
            out.append((b"content-length", str(max(len(reply.body), 1)).encode()))
            start = {"type": "http.response.start", "status": reply.status or 200, "headers": out}
            await send(start)
            raise DroppedConnection("emulator fault: connection dropped")
        await send({"type": "http.response.start", "status": reply.status, "headers": out})
        body = reply.body[: len(reply.body) // 2] if reply.fault == "truncate" else reply.body
        await send({"type": "http.response.body", "body": body})


def render_headers(reply: Reply) -> list[tuple[str, str]]:
    """Response headers; a truncated body keeps the full Content-Length, as a cut stream does."""
    headers = list(reply.headers)
    if reply.content_type:
        headers.append(("content-type", reply.content_type))
    headers.append(("content-length", str(len(reply.body))))
    return headers


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _bind_params(op: Operation, params: dict[str, str], query: dict[str, str]) -> None:
    """Refuse values that don't bind to the parameter's type, as ASP.NET model binding does.

    The real API answers a non-GUID id, a malformed date or ``?flag=maybe`` with 400 before
    any lookup. Absent query parameters are fine (they are optional).
    """
    wrong = []
    for location, name, kind in op.typed_params:
        source = params if location == "path" else query
        if name not in source:
            continue
        value = source[name]
        if not _binds(kind, value):
            expected = _EXPECTED.get(kind, f"a valid {kind}")
            message = f"The value '{value}' is not {expected}."
            wrong.append(field_error(name, "InvalidValue", message))
    if wrong:
        raise validation(wrong)


_EXPECTED = {
    "uuid": "a GUID",
    "date": "a yyyy-MM-dd date",
    "date-time": "a date and time",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
}


def _binds(kind: str, value: str) -> bool:
    try:
        if kind == "uuid":
            uuid.UUID(value)
        elif kind == "date":
            if not _ISO_DATE.fullmatch(value):
                return False
            date.fromisoformat(value)
        elif kind == "date-time":
            parse_utc(value)
        elif kind == "integer":
            int(value)
        elif kind == "number":
            float(value)
        elif kind == "boolean":
            return value.lower() in ("true", "false")
    except ValueError:
        return False
    return True
