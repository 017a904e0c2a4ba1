"""Fixtures for driving the ``eaccounting`` command line against the emulator."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
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
def served() -> Iterator[Served]:
    import uvicorn

    from eaccounting.testing import Emulator, SystemClock

    port = free_port()
    callback_port = free_port()
    origin = f"http://127.0.0.1:{port}"
    emu = Emulator(region="se", clock=SystemClock(), origin=origin, client_secret=SECRET)
    # The registered redirect URI of the emulator's test app: the CLI's loopback callback.
    emu.core.identity.redirect_uri = f"http://localhost:{callback_port}/callback"
    server = uvicorn.Server(
        uvicorn.Config(emu.app, host="127.0.0.1", port=port, log_level="error", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(250):
        if server.started:
            break
        time.sleep(0.02)
    try:
        yield Served(emu, origin, callback_port)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        emu.close()


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
