"""Targets: the embedded emulator (served on loopback) or a regional Visma sandbox.

Every target yields the project's own :class:`eaccounting.Client` (auth, retries, limits,
errors), so the harness exercises the facade exactly as a user's code would.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from eaccounting import AsyncClient, Client
from eaccounting.tokens import FileTokenStore, MemoryTokenStore, Token

from . import writeback
from .cassettes import CANONICAL_API
from .writeback import WriteBackTokenStore

TARGETS = ("emulator", "sandbox")
REPLAY_TOKEN = "replay-only-token"


class TargetError(Exception):
    """A target cannot be reached or is not configured."""


@dataclass
class Session:
    client: Client
    # The API base the client talks to; recorded URIs are rewritten from it to CANONICAL_API.
    recorded_base: str
    # Makes the scenarios' numbers (article, project) unique in a company that keeps what
    # earlier runs created; a fresh emulator company needs none.
    run_tag: str = "1"
    # Builds an AsyncClient for the same target (same base, tokens and settings).
    make_async: Callable[[], AsyncClient] | None = None

    @contextmanager
    def async_view(self) -> Iterator[Any]:
        """The session's target through ``AsyncClient``, as a blocking view on its own loop."""
        from .blocking import Blocking

        if self.make_async is None:
            raise TargetError("this session has no async client")
        loop = asyncio.new_event_loop()
        client = self.make_async()
        try:
            yield Blocking(client, loop)
        finally:
            loop.run_until_complete(client.aclose())
            loop.close()


@contextmanager
def serve_on_loopback(app: Any) -> Iterator[str]:
    """Run an ASGI app with uvicorn on 127.0.0.1 in a thread; yield its origin."""
    from eaccounting.testing.loopback import LoopbackServer

    with ExitStack() as stack:
        try:
            origin = stack.enter_context(LoopbackServer().serving(app))
        except RuntimeError as error:  # only start-up failures: the caller's own pass through
            raise TargetError(f"the emulator did not start: {error}") from None
        yield origin


@contextmanager
def replay_session() -> Iterator[Session]:
    """A client for cassette replay: the production host, a static token, no refresh."""
    settings: dict[str, Any] = {
        "base_url": CANONICAL_API,
        "access_token": REPLAY_TOKEN,
        "max_retries": 0,
    }
    with Client(**settings) as client:
        yield Session(client, CANONICAL_API, make_async=lambda: AsyncClient(**settings))


@contextmanager
def emulator_session(region: str, seed: int = 0) -> Iterator[Session]:
    """A fresh emulator company for ``region``, served on loopback.

    The emulator's clock stays frozen at its default instant and its ids come from ``seed``, so
    two recordings are byte-identical.
    """
    from eaccounting.testing import Emulator

    emulator = Emulator(region=region, seed=seed)
    token = emulator.issue_token()
    with serve_on_loopback(emulator.app) as origin:
        base = f"{origin}/v2"
        settings: dict[str, Any] = {
            "base_url": base,
            "identity_url": origin,
            "client_id": emulator.client_id,
            "client_secret": emulator.client_secret,
            "token_store": MemoryTokenStore(token),
            "max_retries": 0,
            "clock": emulator.clock.time,
        }
        with Client(**settings) as client:
            yield Session(client, base, make_async=lambda: AsyncClient(**settings))


def sandbox_token_store(region: str) -> FileTokenStore | WriteBackTokenStore:
    """The rotating refresh token of ``region``'s sandbox company.

    Refresh tokens are single-use: each run consumes the stored one and persists its successor
    in ``$EACCOUNTING_TOKEN_DIR/<region>.json`` (default ``~/.config/eaccounting/harness``).
    ``EACCOUNTING_<REGION>_REFRESH_TOKEN`` seeds the store the first time. With
    ``$EACCOUNTING_TOKEN_WRITEBACK`` set (a command), every successor is also handed to that
    command, so a CI runner that goes away leaves it where the next run starts from.
    """
    directory = Path(
        os.environ.get("EACCOUNTING_TOKEN_DIR", "~/.config/eaccounting/harness")
    ).expanduser()
    store = FileTokenStore(directory / f"{region}.json")
    if store.load() is None:
        variable = f"EACCOUNTING_{region.upper()}_REFRESH_TOKEN"
        seed = os.environ.get(variable, "").strip()
        if not seed:
            raise TargetError(
                f"no token for the {region} sandbox: set {variable} (a refresh token of the "
                f"{region} sandbox company) or put a token file in {directory}"
            )
        store.save(Token(access_token="", refresh_token=seed, expires_at=0.0))
    return writeback.from_environment(store, os.environ.get(writeback.WRITEBACK_VARIABLE))


@contextmanager
def sandbox_session(region: str) -> Iterator[Session]:
    """The real Visma API for ``region``'s sandbox company (credentials from the environment).

    Uses :meth:`eaccounting.Client.from_env`, so ``EACCOUNTING_ENVIRONMENT`` (or
    ``EACCOUNTING_BASE_URL``/``EACCOUNTING_IDENTITY_URL``) choose the hosts; the refresh token
    comes from :func:`sandbox_token_store`. Retries and the rate limiter stay on: this is what
    users run.
    """
    missing = [
        name
        for name in ("EACCOUNTING_CLIENT_ID", "EACCOUNTING_CLIENT_SECRET")
        if not os.environ.get(name)
    ]
    if missing:
        raise TargetError(f"the sandbox target needs {', '.join(missing)} in the environment")
    with Client.from_env(token_store=sandbox_token_store(region), access_token=None) as client:
        # Rotate first: the successor is saved (and written back) before anything can fail.
        client.refresh_token()
        # Base-36 seconds: short enough for the 9-character project number.
        tag = _base36(int(datetime.now(timezone.utc).timestamp()))
        yield Session(client, client.base_url.rstrip("/"), run_tag=tag)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


def open_session(target: str, mode: str, region: str) -> Any:
    if target not in TARGETS:
        raise TargetError(f"unknown target {target!r}: expected one of {', '.join(TARGETS)}")
    if mode == "replay":
        return replay_session()
    return emulator_session(region) if target == "emulator" else sandbox_session(region)
