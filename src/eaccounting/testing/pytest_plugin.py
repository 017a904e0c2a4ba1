"""The pytest plugin registered by installing visma-eaccounting (``pytest11`` entry point).

It provides one fixture, ``eaccounting_emulator``: a fresh emulated company per test with a
signed-in :class:`~eaccounting.Client` and :class:`~eaccounting.AsyncClient` wired to it in
process (no network, no credentials)::

    def test_lists_vat_codes(eaccounting_emulator):
        assert eaccounting_emulator.client.vat_codes.list().items

    @pytest.mark.eaccounting_emulator(region="no", seed=3)
    def test_norway(eaccounting_emulator): ...

    @pytest.mark.parametrize("eaccounting_emulator", ["se", "fi"], indirect=True)
    def test_every_region(eaccounting_emulator): ...

Options, each overriding the one before: the ``eaccounting_emulator_options`` fixture (override
it in a conftest.py for a whole directory), the marker (the region positional or keyword, other
keywords), the parameter (a region code or a dict). ``served=True`` also serves the company over
HTTP on a loopback port with the wall clock (needs the ``emulator`` extra): ``origin`` and
``base_url`` then say where, for code that is not Python or that talks HTTP itself. Every
other option goes to :class:`~eaccounting.testing.Emulator` (``seed``, ``faults``, ...).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from eaccounting import AsyncClient, Client

    from .emulator import Emulator

__all__ = ["EmulatorFixture", "eaccounting_emulator", "eaccounting_emulator_options"]

MARKER = "eaccounting_emulator"


class EmulatorFixture:
    """What the fixture yields: the emulator, and clients signed in to its company."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self._client: Client | None = None
        self._async_client: AsyncClient | None = None

    @property
    def region(self) -> str:
        return self.emulator.region.code

    @property
    def origin(self) -> str:
        """The identity server's origin (a loopback URL when ``served``)."""
        return self.emulator.origin

    @property
    def base_url(self) -> str:
        """The API's base URL, ``<origin>/v2``."""
        return self.emulator.base_url

    @property
    def client(self) -> Client:
        """A signed-in :class:`~eaccounting.Client` (created on first use, closed after)."""
        if self._client is None:
            self._client = self.emulator.client()
        return self._client

    @property
    def async_client(self) -> AsyncClient:
        """A signed-in :class:`~eaccounting.AsyncClient` (created on first use, closed after)."""
        if self._async_client is None:
            self._async_client = self.emulator.async_client()
        return self._async_client

    def close(self) -> None:
        if self._async_client is not None:
            try:
                asyncio.get_running_loop()
            except RuntimeError:  # no loop running (the usual case in teardown): close it
                asyncio.run(self._async_client.aclose())
            self._async_client = None
        self.emulator.close()  # closes the sync clients it handed out


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(region='se', **options): the region and Emulator options of the "
        "eaccounting_emulator fixture",
    )


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    options: dict[str, Any] = {}
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None:
        if len(marker.args) > 1:
            raise pytest.UsageError(
                f"@pytest.mark.{MARKER} takes one positional argument (the region), "
                f"got {marker.args!r}"
            )
        if marker.args:
            options["region"] = marker.args[0]
        options.update(marker.kwargs)
    param = getattr(request, "param", None)
    if isinstance(param, str):
        options["region"] = param
    elif isinstance(param, dict):
        options.update(param)
    elif param is not None:
        raise pytest.UsageError(
            f"eaccounting_emulator parameter {param!r}: expected a region code ('se') "
            "or a dict of Emulator options"
        )
    return options


@pytest.fixture
def eaccounting_emulator_options() -> dict[str, Any]:
    """Default options of ``eaccounting_emulator``; override in a conftest.py."""
    return {}


@pytest.fixture
def eaccounting_emulator(
    request: pytest.FixtureRequest, eaccounting_emulator_options: dict[str, Any]
) -> Iterator[EmulatorFixture]:
    """A fresh emulated company for this test, with a signed-in ``client``/``async_client``."""
    from .clock import SystemClock
    from .emulator import Emulator

    options = {**eaccounting_emulator_options, **_options(request)}
    served = bool(options.pop("served", False))
    with ExitStack() as stack:
        if served:
            from .loopback import LoopbackServer

            server = LoopbackServer()
            options.setdefault("origin", server.origin)
            options.setdefault("clock", SystemClock())  # HTTP callers live on the wall clock
        fixture = EmulatorFixture(Emulator(**options))
        stack.callback(fixture.close)
        if served:
            stack.enter_context(server.serving(fixture.emulator.app))
        yield fixture
