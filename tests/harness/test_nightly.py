"""The scheduled sandbox job's entry point (`python -m harness.nightly`), against a loopback
emulator standing in for Visma: the rotated refresh token is written back before anything else
runs, a failed write-back stops the run without leaking the token, and no write-back command
means no token is spent."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from eaccounting import Client, MemoryTokenStore, ReconsentRequiredError, Token
from eaccounting.testing import Emulator
from harness import nightly

from .loopback_sandbox import loopback_sandbox

# Stands in for `gh secret set NAME`: the new value arrives on standard input. It also notes
# how many cassettes existed at that moment, to prove the write-back came before any recording.
SECRET_SINK = """
import pathlib, sys
secret, cassettes = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
count = len(list(cassettes.rglob("*.yaml"))) if cassettes.exists() else 0
with secret.open("a") as out:
    out.write(sys.stdin.read() + " " + str(count) + "\\n")
"""
REFUSING_SINK = "import sys; sys.stderr.write('denied ' + sys.stdin.read()); sys.exit(1)"


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Emulator, Token]]:
    with loopback_sandbox(monkeypatch, tmp_path / "tokens", seed=11) as (emulator, seed):
        monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "output"))
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
        monkeypatch.setattr(sys, "argv", ["nightly"])
        yield emulator, seed


def _args(tmp_path: Path) -> list[str]:
    return [
        "--region", "no", "--examples", "1", "--negative", "0",
        "--cassette-dir", str(tmp_path / "cassettes"), "--report-dir", str(tmp_path / "reports"),
    ]  # fmt: skip


def _refreshes(emulator: Emulator, refresh_token: str) -> bool:
    """Whether the emulator still accepts ``refresh_token`` (it is spent by using it)."""
    store = MemoryTokenStore(Token(access_token="", refresh_token=refresh_token, expires_at=0))
    client = Client(
        base_url="https://emulator.invalid/v2",
        identity_url="https://emulator.invalid",
        client_id=emulator.client_id,
        client_secret=emulator.client_secret,
        token_store=store,
        transport=emulator.transport(),
        max_retries=0,
    )
    try:
        client.refresh_token()
    except ReconsentRequiredError:
        return False
    return True


def test_the_nightly_job_writes_the_rotated_token_back_first_and_reports(
    sandbox: tuple[Emulator, Token], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator, seed = sandbox
    sink = tmp_path / "sink.py"
    sink.write_text(SECRET_SINK, "utf-8")
    secret = tmp_path / "secret"
    command = f"{sys.executable} {sink} {secret} {tmp_path / 'cassettes'}"
    monkeypatch.setenv("EACCOUNTING_TOKEN_WRITEBACK", command)

    assert nightly.main(_args(tmp_path)) == 0

    lines = secret.read_text("utf-8").splitlines()
    assert len(lines) == 1  # one rotation, written back once
    written, cassettes_then = lines[0].split(" ")
    assert cassettes_then == "0"  # before anything was recorded
    stored = (tmp_path / "tokens" / "no.json").read_text("utf-8")
    assert f'"refresh_token":"{written}"' in stored
    assert written != seed.refresh_token
    assert not _refreshes(emulator, str(seed.refresh_token))  # the seed is spent …
    assert _refreshes(emulator, written)  # … and what was written back is the live one
    assert (tmp_path / "output").read_text("utf-8") == "changed=true\n"
    summary = (tmp_path / "summary.md").read_text("utf-8")
    assert summary.startswith("## Sandbox contract: no\n")
    assert "0 failed" in summary
    assert len(list((tmp_path / "cassettes" / "no").glob("*.yaml"))) >= 50


def test_a_failed_write_back_stops_the_run_and_never_shows_the_token(
    sandbox: tuple[Emulator, Token],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("EACCOUNTING_TOKEN_WRITEBACK", f'{sys.executable} -c "{REFUSING_SINK}"')

    assert nightly.main(_args(tmp_path)) == 2

    stored = (tmp_path / "tokens" / "no.json").read_text("utf-8")
    rotated = stored.split('"refresh_token":"')[1].split('"')[0]
    error = capsys.readouterr().err
    assert "could not be written back" in error and "exit status 1: denied ***" in error
    assert "3 attempts" in error and str(tmp_path / "tokens" / "no.json") in error
    assert rotated not in error
    assert not (tmp_path / "cassettes").exists()  # nothing ran after the failed write-back


def test_without_a_write_back_command_no_token_is_spent(
    sandbox: tuple[Emulator, Token],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    emulator, seed = sandbox
    monkeypatch.delenv("EACCOUNTING_TOKEN_WRITEBACK", raising=False)

    assert nightly.main(_args(tmp_path)) == 2

    assert "set EACCOUNTING_TOKEN_WRITEBACK" in capsys.readouterr().err
    assert _refreshes(emulator, str(seed.refresh_token))
