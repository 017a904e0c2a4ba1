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

The region comes from the parameter, else from the marker's ``region`` (positional or keyword),
else Sweden; the marker's other keywords go to :class:`~eaccounting.testing.Emulator`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from eaccounting import AsyncClient, Client

    from .emulator import Emulator

__all__ = ["EmulatorFixture", "eaccounting_emulator"]

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
def eaccounting_emulator(request: pytest.FixtureRequest) -> Iterator[EmulatorFixture]:
    """A fresh emulated company for this test, with a signed-in ``client``/``async_client``."""
    from .emulator import Emulator

    fixture = EmulatorFixture(Emulator(**_options(request)))
    try:
        yield fixture
    finally:
        fixture.close()
