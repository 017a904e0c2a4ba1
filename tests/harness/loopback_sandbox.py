"""A loopback emulator standing in for a region's Visma sandbox: the environment the harness's
sandbox target reads (credentials, hosts, the region's refresh token, the token directory)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from eaccounting import Token
from eaccounting.testing import Emulator
from harness.targets import serve_on_loopback


@contextmanager
def loopback_sandbox(
    monkeypatch: pytest.MonkeyPatch, token_dir: Path, region: str = "no", seed: int = 7
) -> Iterator[tuple[Emulator, Token]]:
    """Serve ``region``'s emulator and point the sandbox target at it; yields it and the
    refresh token the run starts from."""
    emulator = Emulator(region=region, seed=seed)
    seed_token = emulator.issue_token()
    with serve_on_loopback(emulator.app) as origin:
        monkeypatch.setenv("EACCOUNTING_CLIENT_ID", emulator.client_id)
        monkeypatch.setenv("EACCOUNTING_CLIENT_SECRET", emulator.client_secret)
        monkeypatch.setenv("EACCOUNTING_BASE_URL", f"{origin}/v2")
        monkeypatch.setenv("EACCOUNTING_IDENTITY_URL", origin)
        monkeypatch.setenv(
            f"EACCOUNTING_{region.upper()}_REFRESH_TOKEN", str(seed_token.refresh_token)
        )
        monkeypatch.setenv("EACCOUNTING_TOKEN_DIR", str(token_dir))
        yield emulator, seed_token
