"""Client configuration: environments, from_env, with_options, logging and redaction."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from eaccounting import AsyncClient, Client, FileTokenStore
from eaccounting._logging import redact, redact_url

from .conftest import BASE, make_client


def test_production_is_the_default_and_legacy_sandbox_is_opt_in() -> None:
    client = Client(access_token="t")
    assert client.base_url == "https://eaccountingapi.vismaonline.com/v2"
    assert client.environment.token_url == "https://identity.vismaonline.com/connect/token"
    legacy = Client(access_token="t", environment="legacy-sandbox")
    assert legacy.base_url == "https://eaccountingapi-sandbox.test.vismaonline.com/v2"
    assert (
        legacy.environment.authorize_url
        == "https://identity-sandbox.test.vismaonline.com/connect/authorize"
    )
    with pytest.raises(ValueError, match="environment='staging' is not one of"):
        Client(environment="staging")


def test_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EACCOUNTING_CLIENT_ID", "cid")
    monkeypatch.setenv("EACCOUNTING_CLIENT_SECRET", "csecret")
    monkeypatch.setenv("EACCOUNTING_TOKEN_FILE", str(tmp_path / "t.json"))
    monkeypatch.setenv("EACCOUNTING_BASE_URL", "http://emulator.local/v2")
    monkeypatch.setenv("EACCOUNTING_IDENTITY_URL", "http://emulator.local")
    monkeypatch.setenv("EACCOUNTING_ALLOW_INSECURE_HTTP", "1")
    client = Client.from_env()
    assert client.base_url == "http://emulator.local/v2"
    assert client.environment.token_url == "http://emulator.local/connect/token"
    assert isinstance(client.token_store, FileTokenStore)
    assert client.token_store.path == tmp_path / "t.json"
    assert isinstance(AsyncClient.from_env(), AsyncClient)


def test_with_options_shares_the_transport_and_overrides_timeout(flavour: str) -> None:
    client, _ = make_client(lambda r: httpx.Response(200, json={}))
    quick = client.with_options(timeout=2.5, max_retries=5)
    assert quick.timeout == httpx.Timeout(2.5)
    assert quick.retry_policy.max_retries == 5
    assert client.retry_policy.max_retries == 2
    quick.close()  # does not close the shared transport
    assert client.request("GET", "/units").status_code == 200


def test_debug_logging_shows_method_url_status_and_no_secrets(
    caplog: pytest.LogCaptureFixture,
    flavour: str,
) -> None:
    client, _ = make_client(lambda r: httpx.Response(200, json={}), access_token="tok-SECRET")
    with caplog.at_level(logging.DEBUG, logger="eaccounting"):
        client.request("GET", "/customers", params={"$page": 2, "code": "auth-code-SECRET"})
    (record,) = [r for r in caplog.records if r.name == "eaccounting"]
    message = record.getMessage()
    assert message.startswith(f"GET {BASE}/customers?%24page=2&code=%2A%2A%2A -> 200 (")
    assert message.endswith(" ms)")
    assert "SECRET" not in caplog.text


def test_redaction_helpers() -> None:
    assert redact("Authorization: Bearer abc.def-ghi") == "Authorization: Bearer ***"
    assert redact('{"refresh_token": "r1", "x": 1}') == '{"refresh_token": "***", "x": 1}'
    assert redact_url("https://h/cb?code=abc&state=s") == "https://h/cb?code=%2A%2A%2A&state=s"


def test_context_manager_closes() -> None:
    with Client(
        access_token="t", transport=httpx.MockTransport(lambda r: httpx.Response(200))
    ) as c:
        assert c.request("GET", "/units").status_code == 200
    assert c.http.is_closed


def test_eaccounting_log_env_enables_debug_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    from eaccounting import _logging

    logger = logging.getLogger("eaccounting")
    monkeypatch.setattr(_logging, "_configured", False)
    monkeypatch.setenv("EACCOUNTING_LOG", "debug")
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    Client(access_token="t")
    assert logger.level == logging.DEBUG
    assert len(logger.handlers) == 1


def test_environment_proxy_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    from eaccounting._client import _env_proxy

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "localhost")
    assert _env_proxy(Client(access_token="t")._config) == "http://proxy.example:3128"
    local = Client(access_token="t", base_url="https://localhost/v2")
    assert _env_proxy(local._config) is None
