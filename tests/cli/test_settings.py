"""The library and the CLI resolve settings alike: argument > environment > auth login's profile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eaccounting import AsyncClient, Client, ConfigurationError, FileTokenStore
from eaccounting.settings import Profile, client_settings, config_dir, save_profile

from .conftest import Served

VARS = (
    "EACCOUNTING_CLIENT_ID",
    "EACCOUNTING_CLIENT_SECRET",
    "EACCOUNTING_ACCESS_TOKEN",
    "EACCOUNTING_TOKEN_FILE",
    "EACCOUNTING_BASE_URL",
    "EACCOUNTING_IDENTITY_URL",
    "EACCOUNTING_ENVIRONMENT",
    "EACCOUNTING_REDIRECT_URI",
)


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A clean environment whose user config directory is empty."""
    for name in VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "eaccounting"


def login_as(served: Served, directory: Path) -> Path:
    """What `eaccounting auth login` leaves in ``directory``: token.json and its profile."""
    token_file = directory / "token.json"
    FileTokenStore(token_file).save(served.emu.issue_token())
    save_profile(
        token_file,
        Profile(
            environment="production",
            base_url=served.base_url,
            identity_url=served.origin,
            client_id=served.emu.client_id,
        ),
    )
    return token_file


def test_config_dir_is_where_the_cli_keeps_it(home: Path) -> None:
    import click

    assert config_dir() == home == Path(click.get_app_dir("eaccounting"))


def test_from_env_uses_what_auth_login_stored(home: Path, served: Served) -> None:
    token_file = login_as(served, home)
    with Client.from_env() as client:
        assert client.base_url == served.base_url
        assert client.environment.identity_url == served.origin
        assert isinstance(client.token_store, FileTokenStore)
        assert client.token_store.path == token_file
        assert client.company_settings.get().name == "Emulator Sverige AB"
    assert isinstance(AsyncClient.from_env(), AsyncClient)


def test_environment_beats_the_profile_and_arguments_beat_both(
    home: Path, served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    login_as(served, home)
    monkeypatch.setenv("EACCOUNTING_BASE_URL", "http://env.example/v2")
    monkeypatch.setenv("EACCOUNTING_CLIENT_ID", "env-client")
    settings = client_settings({})
    assert settings["base_url"] == "http://env.example/v2"
    assert settings["identity_url"] == served.origin  # not in the environment: the profile
    assert settings["client_id"] == "env-client"
    explicit = client_settings({"base_url": "http://arg.example/v2", "client_id": "arg"})
    assert (explicit["base_url"], explicit["client_id"]) == ("http://arg.example/v2", "arg")


def test_a_named_token_file_brings_its_own_profile(
    home: Path, served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token_file = login_as(served, tmp_path / "elsewhere")
    monkeypatch.setenv("EACCOUNTING_TOKEN_FILE", str(token_file))
    with Client.from_env() as client:
        assert client.base_url == served.base_url
        assert client.token_store is not None and client.token_store.path == token_file


def test_an_access_token_needs_no_token_file(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EACCOUNTING_ACCESS_TOKEN", "at")
    settings = client_settings({})
    assert settings["access_token"] == "at" and "token_store" not in settings
    assert client_settings({"access_token": None, "token_store": FileTokenStore("x")})[
        "token_store"
    ].path == Path("x")


def test_no_credentials_anywhere_fails_at_construction(home: Path) -> None:
    with pytest.raises(ConfigurationError) as caught:
        Client.from_env()
    message = str(caught.value)
    assert message == (
        "no credentials: set EACCOUNTING_ACCESS_TOKEN, or EACCOUNTING_TOKEN_FILE (with "
        "EACCOUNTING_CLIENT_ID and EACCOUNTING_CLIENT_SECRET to refresh it), or sign in with "
        f"`eaccounting auth login` (it stores the token in {home / 'token.json'}); in code, "
        "pass access_token= or token_store="
    )
    with pytest.raises(ConfigurationError):
        AsyncClient.from_env(client_id="only-an-app-id")


def test_the_cli_resolves_the_same_way(cli: Any, served: Served, tmp_path: Path) -> None:
    # The cli fixture points XDG_CONFIG_HOME at tmp_path/config: log in there, then call
    # without any option or variable.
    login_as(served, tmp_path / "config" / "eaccounting")
    result = cli("call", "get_company_settings", "--raw")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["Name"] == "Emulator Sverige AB"


def test_the_cli_without_credentials_says_how_to_sign_in(cli: Any, tmp_path: Path) -> None:
    result = cli("call", "list_customers")
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: no credentials: set EACCOUNTING_ACCESS_TOKEN")
    assert "`eaccounting auth login`" in lines[0]
