"""The fixture-friendly :class:`Emulator`, plus ``serve()`` and ``coverage()`` for the CLI."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from .._json_wire import loads
from .app import ASGIApp, EmulatorCore
from .clock import Clock, ManualClock, SystemClock
from .company import MAX_PAGE_SIZE
from .faults import Faults
from .identity import ALL_SCOPES
from .regions import GATED, get_region
from .spec import SpecIndex, default_index
from .transport import AsyncEmulatorTransport, EmulatorTransport

if TYPE_CHECKING:
    from eaccounting import AsyncClient, Client
    from eaccounting.tokens import Token

DEFAULT_ORIGIN = "http://emulator.local"
REDIRECT_URI = "http://localhost:8765/callback"


class Emulator:
    """A stateful stand-in for one regional sandbox company.

        with Emulator(region="se") as emu:
            client = emu.client()
            client.customers.list()

    Everything is deterministic: ids and secrets come from ``seed``, time from ``clock``
    (default: a :class:`ManualClock` frozen at 2026-01-15T09:00:00.673021Z until advanced),
    faults from ``faults`` (seeded). ``rate_limit`` is the per-client, per-endpoint quota per
    minute (600, as documented); ``None`` turns it off for load loops. Fault latency is slept
    through ``sleep``/``async_sleep``, so tests can record it instead of waiting.
    ``max_page_size`` clamps ``$pagesize`` (answering with the smaller ``Meta.PageSize``), to
    test clients against servers that cap pages lower than asked.

    What the real API does is unknown in two places (evidence fact 9), so both are choices:
    ``empty_list_pages`` is the ``TotalNumberOfPages`` of an empty list (0, the default, or 1);
    ``oversized_pages`` is what a ``$pagesize`` above ``max_page_size`` gets: ``"clamp"`` (the
    default: the smaller page) or ``"refuse"`` (400). ``dates_with_time=True`` sends an
    invoice's ``DueDate``/``PaymentDate`` with a time part as the sandbox was seen doing
    (evidence fact 3); off by default, since the spec says ``format: date``.
    """

    def __init__(
        self,
        region: str = "se",
        *,
        seed: int = 0,
        clock: Clock | None = None,
        faults: Faults | None = None,
        origin: str = DEFAULT_ORIGIN,
        sleep: Callable[[float], None] = time.sleep,
        async_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        spec: SpecIndex | None = None,
        rate_limit: int | None = 600,
        client_secret: str | None = None,
        max_page_size: int = MAX_PAGE_SIZE,
        empty_list_pages: int = 0,
        oversized_pages: str = "clamp",
        dates_with_time: bool = False,
    ) -> None:
        if (
            isinstance(max_page_size, bool)
            or not isinstance(max_page_size, int)
            or max_page_size < 1
        ):
            raise ValueError(f"max_page_size={max_page_size!r} must be an integer >= 1")
        if empty_list_pages not in (0, 1) or isinstance(empty_list_pages, bool):
            raise ValueError(f"empty_list_pages={empty_list_pages!r} must be 0 or 1")
        if oversized_pages not in ("clamp", "refuse"):
            raise ValueError(f"oversized_pages={oversized_pages!r} must be 'clamp' or 'refuse'")
        self.max_page_size = max_page_size
        self.empty_list_pages = empty_list_pages
        self.oversized_pages = oversized_pages
        self.region = get_region(region)
        self.clock: Clock = clock if clock is not None else ManualClock()
        self.faults = faults if faults is not None else Faults()
        self.origin = origin.rstrip("/")
        self.sleep = sleep
        self.async_sleep = async_sleep
        self.core = EmulatorCore(
            self.region,
            spec or default_index(),
            self.clock,
            seed,
            self.faults,
            REDIRECT_URI,
            self.origin,
            client_secret,
        )
        self.core.rate_limit = rate_limit
        self.core.quota.limit = rate_limit or self.core.quota.limit
        self._apply_paging()
        self.core.conformer.dates_with_time = dates_with_time
        self.app = ASGIApp(self.core)
        self._clients: list[Any] = []

    # -- identity ---------------------------------------------------------------------------
    @property
    def client_id(self) -> str:
        return self.core.identity.client_id

    @property
    def client_secret(self) -> str:
        return self.core.identity.client_secret

    @property
    def redirect_uri(self) -> str:
        return self.core.identity.redirect_uri

    @property
    def api_module_active(self) -> bool:
        """Set False to play a company without the API integration: every call is 403/4002."""
        return self.core.api_module_active

    @api_module_active.setter
    def api_module_active(self, active: bool) -> None:
        self.core.api_module_active = active

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v2"

    def issue_token(self, scopes: Iterable[str] = ALL_SCOPES) -> Token:
        """A fresh token pair for the pre-consented test user, as an ``eaccounting`` Token."""
        from eaccounting.tokens import Token

        body = self.core.identity.issue(self.client_id, frozenset(scopes))
        return Token(
            access_token=body["access_token"],
            refresh_token=body.get("refresh_token"),
            expires_at=self.clock.time() + body["expires_in"],
            scope=body["scope"],
        )

    # -- transports and clients ---------------------------------------------------------------
    def transport(self) -> httpx.BaseTransport:
        """A sync in-process transport (for ``eaccounting.Client`` or ``httpx.Client``)."""
        return EmulatorTransport(self.core, self.sleep)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """An async in-process transport (for ``eaccounting.AsyncClient``/``httpx.AsyncClient``)."""
        return AsyncEmulatorTransport(self.core, self.async_sleep)

    def asgi_transport(self) -> httpx.AsyncBaseTransport:
        """``httpx.ASGITransport`` over the ASGI app (exercises the ASGI layer)."""
        return httpx.ASGITransport(app=self.app)

    def _client_kwargs(self, scopes: Iterable[str], kwargs: dict[str, Any]) -> dict[str, Any]:
        from eaccounting.tokens import MemoryTokenStore

        settings: dict[str, Any] = {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "base_url": self.base_url,
            "identity_url": self.origin,
            "redirect_uri": self.redirect_uri,
            "token_store": MemoryTokenStore(self.issue_token(scopes)),
            "clock": self.clock.time,
            # The in-process emulator's origin (http://emulator.local) is never on the network.
            "allow_insecure_http": True,
        }
        settings.update(kwargs)
        return settings

    def client(self, *, scopes: Iterable[str] = ALL_SCOPES, **kwargs: Any) -> Client:
        """An ``eaccounting.Client`` wired to this emulator with a valid token."""
        from eaccounting import Client

        kwargs.setdefault("transport", self.transport())
        kwargs.setdefault("sleep", self.sleep)
        client = Client(**self._client_kwargs(scopes, kwargs))
        self._clients.append(client)
        return client

    def async_client(self, *, scopes: Iterable[str] = ALL_SCOPES, **kwargs: Any) -> AsyncClient:
        """An ``eaccounting.AsyncClient`` wired to this emulator with a valid token."""
        from eaccounting import AsyncClient

        kwargs.setdefault("transport", self.async_transport())
        client = AsyncClient(**self._client_kwargs(scopes, kwargs))
        return client

    # -- state --------------------------------------------------------------------------------
    def add_bank_transaction(
        self,
        amount: float,
        *,
        date: str | None = None,
        reference: str | None = None,
        bank_account_id: str | None = None,
    ) -> dict[str, Any]:
        """Simulate an unmatched transaction arriving on a bank account (default: the first)."""
        from .banking import add_bank_transaction

        company = self.core.company
        account = bank_account_id or next(iter(company.coll("bankaccounts")))
        return add_bank_transaction(company, account, amount, date or company.today(), reference)

    def reset(self) -> None:
        """Back to the freshly seeded company (tokens issued earlier become invalid)."""
        self.core.reset()
        self._apply_paging()

    def _apply_paging(self) -> None:
        company = self.core.company
        company.max_page_size = self.max_page_size
        company.empty_list_pages = self.empty_list_pages
        company.oversized_pages = self.oversized_pages

    def snapshot(self, path: str | Path) -> None:
        """Write the company's state to a JSON file."""
        self.core.company.save(path)

    def load(self, path: str | Path) -> None:
        """Replace the company's state with a snapshot written by :meth:`snapshot`."""
        self.core.company.restore(loads(Path(path).read_bytes()))

    def coverage(self) -> CoverageReport:
        return coverage(self.region.code, self.core)

    def close(self) -> None:
        for client in self._clients:
            client.close()
        self._clients.clear()

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class CoverageReport:
    """Which operations the emulator serves, and how."""

    region: str
    total: int
    stateful: tuple[str, ...]  # business rules over shared state
    crud: tuple[str, ...]  # the generic, spec-driven CRUD engine (also stateful)
    stub: tuple[str, ...]  # schema-shaped answers without state
    region_gated: tuple[str, ...]  # answer 403/4009 in this region
    not_implemented: tuple[str, ...]

    def summary(self) -> str:
        """One line for the CLI: how many operations are served, and how."""
        stateful = len(self.stateful) + len(self.crud)
        served = self.total - len(self.not_implemented)
        return (
            f"{self.region}: {served}/{self.total} operations answer "
            f"({stateful} with state: {len(self.stateful)} business rules + {len(self.crud)} "
            f"generic CRUD; {len(self.stub)} schema-shaped stubs); "
            f"{len(self.region_gated)} region-gated; {len(self.not_implemented)} not implemented"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "total": self.total,
            "implemented_with_state": len(self.stateful) + len(self.crud),
            "stateful": list(self.stateful),
            "crud": list(self.crud),
            "stub": list(self.stub),
            "region_gated": list(self.region_gated),
            "not_implemented": list(self.not_implemented),
        }


def coverage(region: str = "se", core: EmulatorCore | None = None) -> CoverageReport:
    """Classify every operation of the effective spec for ``region``."""
    if core is None:
        core = Emulator(region).core
    kinds: dict[str, list[str]] = {"stateful": [], "crud": [], "stub": []}
    missing = []
    for op_id, (_, kind) in sorted(core.handlers.items()):
        if kind == "stub" and op_id in core.disabled:
            missing.append(op_id)
        else:
            kinds[kind].append(op_id)
    gated = sorted(o for o, regions in GATED.items() if core.region.code not in regions)
    return CoverageReport(
        region=core.region.code,
        total=len(core.handlers),
        stateful=tuple(kinds["stateful"]),
        crud=tuple(kinds["crud"]),
        stub=tuple(kinds["stub"]),
        region_gated=tuple(gated),
        not_implemented=tuple(missing),
    )


def listen(host: str = "127.0.0.1", port: int = 8080) -> socket.socket:
    """A socket bound to ``host:port`` for :func:`serve`; port 0 picks a free one.

    Binding before anything is printed lets a caller report a bad or busy port as one line.
    Raises ``ValueError`` for a port outside 0-65535 and ``OSError`` when it cannot bind.
    """
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise ValueError(f"port {port!r} is out of range: expected 0 to 65535")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        # Listening now: connections made once "on http://..." is printed wait in the backlog
        # until the server accepts them, instead of being refused.
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def serve(
    region: str = "se",
    host: str = "127.0.0.1",
    port: int = 8080,
    seed: int = 0,
    client_secret: str | None = None,
    *,
    sock: socket.socket | None = None,
) -> None:
    """Run the emulator as a loopback HTTP server (uvicorn) with the wall clock.

    ``sock`` is a socket from :func:`listen` (default: bound here to ``host:port``).
    The test app's secret is ``client_secret`` if given (the caller knows it), else derived from
    ``seed`` (``Emulator(region, seed=seed).client_secret``); it is never printed.
    """
    import uvicorn

    if sock is None:
        sock = listen(host, port)
    port = int(sock.getsockname()[1])
    emulator = Emulator(
        region,
        seed=seed,
        clock=SystemClock(),
        origin=f"http://{host}:{port}",
        client_secret=client_secret,
    )
    print(  # the CLI shows how to connect
        f"eAccounting emulator ({emulator.region.country}) on {emulator.origin}/v2  "
        f"client_id={emulator.client_id}",
        flush=True,
    )
    server = uvicorn.Server(uvicorn.Config(emulator.app, log_level="warning"))
    server.run(sockets=[sock])
