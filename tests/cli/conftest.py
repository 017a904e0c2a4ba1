"""Fixtures for driving the ``eaccounting`` command line against the emulator."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Any

import pytest

pytest.importorskip("typer")
pytest.importorskip("eaccounting_api.models.customer_api")

SECRET = "cli-test-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    """An emulator served over loopback HTTP, with the CLI's callback port registered."""

    emu: Any
    origin: str
    callback_port: int

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v2"

    def env(self) -> dict[str, str]:
        return {"EACCOUNTING_CLIENT_ID": self.emu.client_id, "EACCOUNTING_CLIENT_SECRET": SECRET}

    def connection_args(self) -> list[str]:
        return ["--base-url", self.base_url, "--identity-url", self.origin]


@pytest.fixture
def eaccounting_emulator_options() -> dict[str, Any]:
    """The plugin's emulator, served over loopback HTTP with a known app secret."""
    return {"served": True, "client_secret": SECRET}


@pytest.fixture
def served(eaccounting_emulator: Any) -> Served:
    callback_port = free_port()
    emu = eaccounting_emulator.emulator
    # The registered redirect URI of the emulator's test app: the CLI's loopback callback.
    emu.core.identity.redirect_uri = f"http://localhost:{callback_port}/callback"
    return Served(emu, eaccounting_emulator.origin, callback_port)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Any:
    """Invoke the CLI in process; no EACCOUNTING_* variables leak in from the environment."""
    from typer.testing import CliRunner

    from eaccounting.cli.app import build_app

    for name in (
        "EACCOUNTING_CLIENT_ID",
        "EACCOUNTING_CLIENT_SECRET",
        "EACCOUNTING_ACCESS_TOKEN",
        "EACCOUNTING_TOKEN_FILE",
        "EACCOUNTING_BASE_URL",
        "EACCOUNTING_IDENTITY_URL",
        "EACCOUNTING_ENVIRONMENT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("EACCOUNTING_NO_BROWSER", "1")
    runner = CliRunner()
    app = build_app()

    def invoke(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Any:
        return runner.invoke(app, list(args), env=env, input=input)

    return invoke
