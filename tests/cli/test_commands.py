"""``emulator``, ``contract``, ``spec diff``, help texts and the lazy typer import."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import types
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import free_port


def test_every_command_has_help_with_an_example(cli: Any) -> None:
    commands = [
        [],
        ["auth"],
        ["auth", "login"],
        ["auth", "status"],
        ["auth", "logout"],
        ["call"],
        ["operations"],
        ["emulator"],
        ["emulator", "serve"],
        ["emulator", "coverage"],
        ["contract"],
        ["spec"],
        ["spec", "diff"],
    ]
    for command in commands:
        result = cli(*command, "--help")
        assert result.exit_code == 0, (command, result.output)
        text = " ".join(result.stdout.split())
        assert re.search(r"Example: (\S+=\S+ )*eaccounting \w", text), command


def test_version(cli: Any) -> None:
    from eaccounting import __version__

    assert cli("--version").stdout.strip() == f"eaccounting {__version__}"


def test_emulator_coverage(cli: Any) -> None:
    result = cli("emulator", "coverage", "--region", "se")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("se: ") and "operations answer" in result.stdout
    report = json.loads(cli("emulator", "coverage", "--region", "nl", "--json").stdout)
    assert report[0]["region"] == "nl" and report[0]["total"] >= 220
    listed = cli("emulator", "coverage", "--region", "fi", "--list").stdout
    assert "business rules" in listed and "convert_customer_invoice_draft" in listed
    assert cli("emulator", "coverage", "--region", "xx").exit_code == 2
    flagged = cli("emulator", "--coverage", "--region", "fi").stdout
    assert flagged == listed


@pytest.mark.parametrize(
    "command",
    [
        ["eaccounting.cli", "emulator", "serve"],
        ["eaccounting.cli", "emulator"],
        ["eaccounting.testing"],  # the [emulator] extra alone: no typer, no rich
    ],
)
def test_emulator_serve_answers_over_http(tmp_path: Path, command: list[str]) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EACCOUNTING_")}
    env["EACCOUNTING_CLIENT_SECRET"] = "served-secret"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            *command,
            "--region",
            "no",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        origin = f"http://127.0.0.1:{port}"
        token: dict[str, Any] = {}
        for _ in range(200):
            try:
                # The secret from the environment is the test app's secret.
                token = httpx.post(
                    f"{origin}/connect/token",
                    data={"grant_type": "refresh_token", "refresh_token": "x"},
                    auth=("emulator-test-app", "served-secret"),
                    trust_env=False,
                ).json()
                break
            except httpx.TransportError:
                time.sleep(0.05)
        assert token == {
            "error": "invalid_grant",
            "error_description": "The refresh token is invalid.",
        }
        wrong = httpx.post(
            f"{origin}/connect/token",
            data={"grant_type": "refresh_token", "refresh_token": "x"},
            auth=("emulator-test-app", "other"),
            trust_env=False,
        )
        assert wrong.json()["error"] == "invalid_client"
    finally:
        process.terminate()
        out, err = process.communicate(timeout=10)
    assert "served-secret" not in out + err
    assert f"http://127.0.0.1:{port}/v2" in out
    if command[0] == "eaccounting.cli":
        assert "eaccounting auth login" in err


def test_serve_rejects_an_unknown_region(cli: Any) -> None:
    result = cli("emulator", "serve", "--region", "dk")
    assert result.exit_code == 2 and "unknown region 'dk'" in result.stderr


def test_contract_passes_options_to_the_harness(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import eaccounting.cli.contract as app

    seen: list[list[str]] = []
    fake = types.SimpleNamespace(main=lambda argv: seen.append(argv) or 0)
    monkeypatch.setattr(app, "_import_harness", lambda: fake)
    result = cli(
        "contract",
        "--region",
        "se",
        "--region",
        "no",
        "--mode",
        "record",
        "--report-dir",
        "out",
        "--examples",
        "1",
    )
    assert result.exit_code == 0, result.output
    assert seen == [
        [
            "--region",
            "se",
            "--region",
            "no",
            "--target",
            "emulator",
            "--mode",
            "record",
            "--report-dir",
            "out",
            "--examples",
            "1",
        ]
    ]
    fake.main = lambda argv: 1
    assert cli("contract").exit_code == 1


def test_contract_outside_a_source_checkout(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import eaccounting.cli.contract as app

    monkeypatch.setattr(app, "_import_harness", lambda: None)
    result = cli("contract")
    assert result.exit_code == 2
    assert "source checkout" in result.stderr and "make contract" in result.stderr


def test_contract_finds_the_harness_of_the_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    import eaccounting.cli.contract as app

    repo = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(repo / "docs" if (repo / "docs").is_dir() else repo)
    module = app._import_harness()
    assert module is not None and callable(module.main)


def test_spec_diff_delegates_to_the_differ(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import eaccounting.cli.spec_diff as differ

    seen: list[list[str]] = []
    fake = lambda argv=None: seen.append(list(argv or [])) or 3  # noqa: E731
    monkeypatch.setattr(differ, "main", fake)
    result = cli("spec", "diff", "old.yaml", "new.yaml", "--json")
    assert result.exit_code == 3
    assert seen == [["old.yaml", "new.yaml", "--json"]]


def test_import_eaccounting_does_not_import_typer() -> None:
    # (httpx itself imports click and rich when they are installed, for its own CLI.)
    code = (
        "import sys, eaccounting, eaccounting.cli, eaccounting.testing; "
        "print(sorted(m for m in ('typer', 'eaccounting.cli.app') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_without_the_cli_extra_main_explains_what_to_install() -> None:
    code = (
        "import sys; sys.modules['typer'] = None; "
        "from eaccounting.cli import main; sys.exit(main(['--help']))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 1
    assert "pip install 'visma-eaccounting[cli]'" in out.stderr
