"""Issue 8 §5: no access token, refresh token, client secret, authorization code or PKCE
verifier appears in logs (any level, any logger), exception messages, tracebacks or reprs.

The flow runs over a loopback server so httpx, httpcore and uvicorn log too: authorize,
exchange the code, call the API, refresh, hit API errors (404, 400, 401 after revocation),
reuse a spent refresh token (invalid_grant) and use a wrong client secret (invalid_client).
Every secret the emulator ever issued is then searched for. (Cassettes are scanned by the
contract harness itself.)
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from eaccounting import (
    APIError,
    AsyncClient,
    Client,
    EAccountingError,
    FileTokenStore,
    MemoryTokenStore,
    Token,
)
from eaccounting.testing import Emulator
from eaccounting.testing.clock import SystemClock

from .conftest import loopback


def _emulator(origin: str) -> Emulator:
    return Emulator("se", clock=SystemClock(), origin=origin, client_secret="s3cr3t-client-value")


def _issued_secrets(emu: Emulator) -> set[str]:
    identity = emu.core.identity
    return {
        identity.client_secret,
        *identity.access,
        *identity.refresh,
        *identity.consumed_refresh,
    }


def _exception_texts(exc: BaseException) -> list[str]:
    texts = [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    if isinstance(exc, APIError):
        texts += [repr(exc.body), str(exc.url), repr(exc.errors)]
    return texts


def _run_flow(emu: Emulator, tmp_path: Path) -> tuple[list[str], set[str]]:
    """The full flow; returns every text that must be clean, and extra secrets seen."""
    texts: list[str] = []
    extra: set[str] = set()
    store = FileTokenStore(tmp_path / "token.json")
    settings: dict[str, Any] = {
        "client_id": emu.client_id,
        "client_secret": emu.client_secret,
        "base_url": emu.base_url,
        "identity_url": emu.origin,
        "redirect_uri": emu.redirect_uri,
    }
    client = Client(token_store=store, **settings)
    auth = client.authorization_url(scopes=["ea:api", "offline_access", "ea:sales"])
    assert auth.code_verifier is not None
    extra.add(auth.code_verifier)
    # The user's browser (not the library, and not logging here) follows the URL and comes
    # back to the redirect URI with a code.
    query = urlsplit(auth.url).query
    redirect = emu.core.handle("GET", "/connect/authorize", query, {}, b"")
    location = dict(redirect.headers)["location"]
    code = parse_qs(urlsplit(location).query)["code"][0]
    extra.add(code)

    token = client.exchange_code(code=code, code_verifier=auth.code_verifier)
    texts += [repr(token), str(token), repr(store), repr(client), repr(client.token_manager)]
    texts += [repr(auth), str(auth)]
    assert client.customers.list().items is not None
    refreshed = client.refresh_token()
    texts += [repr(refreshed), repr(client.token_manager)]

    failures: list[BaseException] = []
    for call in (
        lambda: client.customers.get("0b6a2c6e-5a4f-4c0e-9d1b-2f3a4b5c6d7e"),  # 404
        lambda: client.request("POST", "/customers", json={"Name": ""}),  # 400
        lambda: client.exchange_code(code=code, code_verifier=auth.code_verifier),  # code reused
    ):
        try:
            call()
        except EAccountingError as exc:
            failures.append(exc)

    # Someone else rotated the pair: our refresh token is spent → re-consent required.
    spent = Token(refreshed.access_token, token.refresh_token, 0.0)
    stale_client = Client(token_store=MemoryTokenStore(spent), **settings)
    try:
        stale_client.customers.list()
    except EAccountingError as exc:
        failures.append(exc)

    # A wrong client secret at the token endpoint (and in the client's repr).
    wrong = Client(
        token_store=MemoryTokenStore(Token("x", refreshed.refresh_token, 0.0)),
        **{**settings, "client_secret": "wrong-secret-value"},
    )
    extra.add("wrong-secret-value")
    texts.append(repr(wrong))
    try:
        wrong.customers.list()
    except EAccountingError as exc:
        failures.append(exc)

    async def async_part() -> None:
        async_client = AsyncClient(token_store=store, **settings)
        texts.append(repr(async_client))
        try:
            await async_client.refresh_token()
            await async_client.customers.get("0b6a2c6e-5a4f-4c0e-9d1b-2f3a4b5c6d7e")
        except EAccountingError as exc:
            failures.append(exc)
        finally:
            await async_client.aclose()

    asyncio.run(async_part())

    # The grant is revoked server-side (say, a password change) while the client still trusts
    # its token: 401, refresh → invalid_grant → re-consent required.
    extra |= _issued_secrets(emu)
    emu.core.identity.access.clear()
    emu.core.identity.consumed_refresh.update(emu.core.identity.refresh)
    emu.core.identity.refresh.clear()
    try:
        client.customers.list()
    except EAccountingError as exc:
        failures.append(exc)
    assert len(failures) == 7
    # The reused code is named as such, not as a refresh-token problem.
    assert "rejected the authorization code (invalid_grant)" in str(failures[2])
    for exc in failures:
        texts += _exception_texts(exc)
    for c in (client, stale_client, wrong):
        c.close()
    return texts, extra


def test_no_secret_in_logs_exceptions_or_reprs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, figures: dict[str, Any]
) -> None:
    caplog.set_level(logging.DEBUG)  # root: eaccounting, httpx, httpcore, uvicorn, authlib
    for name in ("eaccounting", "httpx", "httpcore", "uvicorn", "authlib"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        with loopback(_emulator) as emu:
            texts, extra = _run_flow(emu, tmp_path)
            secrets = _issued_secrets(emu) | extra
    finally:
        for name in ("eaccounting", "httpx", "httpcore", "uvicorn", "authlib"):
            logging.getLogger(name).setLevel(logging.NOTSET)

    records = caplog.records
    assert len(records) > 50, "the flow should have logged at DEBUG"
    assert {"eaccounting", "httpx", "httpcore"} <= {r.name.split(".")[0] for r in records}
    log_text = "\n".join(
        f"{r.name} {r.levelname} {r.getMessage()} {r.exc_text or ''}" for r in records
    )
    haystacks = {"logs": log_text, **{f"text {i}": t for i, t in enumerate(texts)}}
    assert len(secrets) >= 8
    for secret in secrets:
        assert len(secret) >= 8
        for where, text in haystacks.items():
            assert secret not in text, f"a secret leaked into {where}"
    figures.update(
        secrets_checked=len(secrets),
        log_records=len(records),
        texts_checked=len(texts),
        loggers=sorted({r.name for r in records}),
    )
