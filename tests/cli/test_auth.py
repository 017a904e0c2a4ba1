"""``eaccounting auth``: login with a scripted browser, status without secrets, logout."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import SECRET, Served


def follow(url: str, **changes: str) -> httpx.Response:
    """Play the user's browser: consent at /connect/authorize, land on the loopback callback.

    ``changes`` tamper with the redirect's query (to test state checking).
    """
    with httpx.Client(trust_env=False, timeout=10) as browser:
        consent = browser.get(url)
        assert consent.status_code == 302, consent.text
        location = httpx.URL(consent.headers["location"])
        if changes:
            location = location.copy_merge_params(changes)
        return browser.get(location)


def scripted_browser(monkeypatch: pytest.MonkeyPatch, **changes: str) -> list[str]:
    """Make the CLI "open a browser" that follows the URL in a background thread."""
    import eaccounting.cli.auth as app

    opened: list[str] = []

    def open_browser(url: str) -> bool:
        opened.append(url)
        threading.Thread(target=follow, args=(url,), kwargs=changes, daemon=True).start()
        return True

    monkeypatch.setattr(app, "_browser_available", lambda: True)
    monkeypatch.setattr(app, "_open_browser", open_browser)
    return opened


def login_args(served: Served, token_file: Path) -> list[str]:
    return [
        "auth",
        "login",
        *served.connection_args(),
        "--port",
        str(served.callback_port),
        "--token-file",
        str(token_file),
        "--timeout",
        "20",
    ]


def test_login_status_logout_in_process(
    cli: Any, served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token_file = tmp_path / "token.json"
    opened = scripted_browser(monkeypatch)
    result = cli(*login_args(served, token_file), env=served.env())
    assert result.exit_code == 0, result.output
    assert "Signed in to Emulator Sverige AB" in result.stderr
    # The authorization URL: PKCE S256, state, prompt=select_account, the loopback redirect.
    query = dict(httpx.URL(opened[0]).params)
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["prompt"] == "select_account" and query["state"]
    assert query["redirect_uri"] == f"http://localhost:{served.callback_port}/callback"
    assert set(query["scope"].split()) >= {"ea:api", "offline_access"}
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    stored = json.loads(token_file.read_text())
    secrets = [stored["access_token"], stored["refresh_token"], SECRET]

    status = cli("auth", "status", "--token-file", str(token_file))
    assert status.exit_code == 0, status.output
    assert "Emulator Sverige AB" in status.stdout
    assert "ea:sales" in status.stdout and "expires at" in status.stdout
    as_json = cli("auth", "status", "--token-file", str(token_file), "--json")
    info = json.loads(as_json.stdout)
    assert info["company"] == "Emulator Sverige AB"
    assert "ea:accounting" in info["scopes"] and info["expired"] is False
    for output in (result.output, status.output, as_json.output):
        assert not any(secret in output for secret in secrets)

    # The stored token and profile are enough for `call`: no URLs or secrets repeated.
    listed = cli("call", "list_vat_codes", "--token-file", str(token_file))
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout)["Meta"]["TotalNumberOfResults"] > 0

    out = cli("auth", "logout", "--token-file", str(token_file))
    assert out.exit_code == 0 and "Signed out" in out.stderr
    assert not token_file.exists()
    after = cli("auth", "status", "--token-file", str(token_file))
    assert after.exit_code == 3
    assert "not signed in" in after.stderr


def test_login_rejects_a_callback_with_the_wrong_state(
    cli: Any, served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token_file = tmp_path / "token.json"
    scripted_browser(monkeypatch, state="forged")
    result = cli(*login_args(served, token_file), env=served.env())
    assert result.exit_code == 3
    assert "state does not match" in result.stderr
    assert not token_file.exists()


def test_login_reports_a_refused_consent(
    cli: Any, served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scripted_browser(monkeypatch, error="access_denied", error_description="User said no")
    result = cli(*login_args(served, tmp_path / "t.json"), env=served.env())
    assert result.exit_code == 3
    assert "authorization refused: access_denied User said no" in result.stderr


def test_login_needs_client_credentials(cli: Any, tmp_path: Path) -> None:
    result = cli("auth", "login", "--token-file", str(tmp_path / "t.json"))
    assert result.exit_code == 2
    assert "EACCOUNTING_CLIENT_ID" in result.stderr


def test_login_end_to_end_in_a_subprocess_printing_the_url(served: Served, tmp_path: Path) -> None:
    """No browser available: the URL is printed, a scripted user follows it."""
    token_file = tmp_path / "token.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EACCOUNTING_", "DISPLAY"))}
    env.update(served.env())
    env["WAYLAND_DISPLAY"] = ""
    process = subprocess.Popen(
        [sys.executable, "-m", "eaccounting.cli", *login_args(served, token_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stderr is not None
    url = ""
    lines = []
    for line in process.stderr:
        lines.append(line)
        if line.startswith(served.origin + "/connect/authorize?"):
            url = line.strip()
            break
    assert url, "".join(lines)
    landing = follow(url)
    assert landing.status_code == 200 and "Signed in" in landing.text
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Signed in to Emulator Sverige AB" in err
    stored = json.loads(token_file.read_text())
    assert stored["refresh_token"] not in err + out
    assert stored["access_token"] not in err + out


def test_status_refreshes_an_expired_token_without_showing_it(
    cli: Any, served: Served, tmp_path: Path
) -> None:
    from eaccounting import FileTokenStore

    token_file = tmp_path / "token.json"
    token = served.emu.issue_token()
    token.expires_at = 0  # long expired: status must refresh it to look up the company
    FileTokenStore(token_file).save(token)
    profile = {
        "base_url": served.base_url,
        "identity_url": served.origin,
        "client_id": served.emu.client_id,
    }
    Path(str(token_file) + ".profile.json").write_text(json.dumps(profile))
    result = cli("auth", "status", "--token-file", str(token_file), env=served.env())
    assert result.exit_code == 0, result.output
    assert "Emulator Sverige AB" in result.stdout
    rotated = FileTokenStore(token_file).load()
    assert rotated is not None and rotated.refresh_token != token.refresh_token
    for secret in (token.refresh_token, rotated.access_token, rotated.refresh_token, SECRET):
        assert secret and secret not in result.output


def test_login_reports_a_busy_callback_port(cli: Any, served: Served, tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", served.callback_port))
        busy.listen()
        result = cli(*login_args(served, tmp_path / "t.json"), env=served.env())
    assert result.exit_code == 2
    assert f"cannot listen on localhost:{served.callback_port}" in result.stderr
    assert "--port" in result.stderr
