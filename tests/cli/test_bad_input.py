"""Bad input gives one line on stderr and the documented exit code, before anything runs."""

from __future__ import annotations

import socket
from typing import Any

import pytest

pytest.importorskip("uvicorn")


def one_line(result: Any) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return str(lines[0])


@pytest.mark.parametrize("port", ["99999", "-1"])
def test_serve_refuses_a_port_out_of_range(cli: Any, port: str) -> None:
    result = cli("emulator", "serve", "--port", port)
    assert result.exit_code == 2
    assert one_line(result) == f"error: --port: port {port} is out of range: expected 0 to 65535"
    assert result.stdout == ""


def test_serve_reports_a_busy_port_before_announcing_anything(cli: Any) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cli("emulator", "serve", "--port", str(port))
    assert result.exit_code == 2  # usage, not 3 (authentication)
    line = one_line(result)
    assert line.startswith(f"error: cannot listen on 127.0.0.1:{port} (")
    assert line.endswith("); pick another --port")
    assert "on http://" not in result.stdout + result.stderr


def test_call_without_the_body_an_operation_sends(cli: Any) -> None:
    result = cli("call", "create_customer", "--emulator", "se")
    assert result.exit_code == 2
    assert one_line(result) == (
        "error: create_customer sends a request body (POST /customers): pass --body "
        "@file.json, --body - (stdin) or inline JSON; --body '{}' sends an empty object"
    )


@pytest.mark.parametrize(
    ("param", "message"),
    [
        (
            "$pagesize=5000",
            "error: --param $pagesize=5000: expected a page size from 1 to 1000 "
            "(the most the client asks for per page)",
        ),
        (
            "pagesize=0",
            "error: --param pagesize=0: expected a page size from 1 to 1000 "
            "(the most the client asks for per page)",
        ),
        ("$page=0", "error: --param $page=0: expected a page number from 1"),
    ],
)
def test_call_refuses_a_page_size_it_would_not_send(cli: Any, param: str, message: str) -> None:
    result = cli("call", "list_customers", "--emulator", "se", "-p", param)
    assert result.exit_code == 2
    assert one_line(result) == message


def test_all_pages_refuses_a_page_size_out_of_range(cli: Any) -> None:
    result = cli("call", "list_customers", "--emulator", "se", "--all-pages", "--page-size", "0")
    assert result.exit_code == 2
    assert one_line(result).startswith("error: --page-size=0: expected a page size from 1 to 1000")


@pytest.mark.parametrize(
    ("extra", "flags"),
    [
        (["--base-url", "http://127.0.0.1:9/v2"], "--base-url"),
        (
            ["--identity-url", "http://127.0.0.1:9", "--environment", "sandbox"],
            "--environment, --identity-url",
        ),
        (["--token-file", "t.json"], "--token-file"),
    ],
)
def test_emulator_and_a_real_connection_exclude_each_other(
    cli: Any, extra: list[str], flags: str
) -> None:
    result = cli("call", "list_vat_codes", "--emulator", "se", *extra)
    assert result.exit_code == 2
    assert one_line(result) == (
        f"error: --emulator se runs a company in process; it cannot be combined with {flags} "
        "(drop one or the other)"
    )


def test_missing_extra_messages_keep_their_brackets(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as without the [emulator] extra
    result = cli("emulator", "serve")
    assert result.exit_code == 2
    assert one_line(result) == (
        "error: serving the emulator needs uvicorn: pip install 'visma-eaccounting[emulator]'"
    )


def test_emulator_ignores_connection_variables_of_the_environment(cli: Any) -> None:
    # Only options clash with --emulator: a shell that exports EACCOUNTING_BASE_URL for real
    # work can still try an operation offline.
    env = {"EACCOUNTING_BASE_URL": "http://127.0.0.1:9/v2", "EACCOUNTING_ENVIRONMENT": "sandbox"}
    result = cli("call", "list_vat_codes", "--emulator", "se", "--raw", env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('{"Meta":')
