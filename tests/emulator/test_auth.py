"""OAuth2 (authorization code + PKCE, rotating refresh tokens), bearer, scopes and the quota."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from eaccounting.testing import Emulator, ManualClock

from .conftest import api_client

VERIFIER = "a" * 43 + "-verifier"
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=")


def identity(emu: Emulator) -> httpx.Client:
    return httpx.Client(transport=emu.transport(), base_url=emu.origin)


def authorize(emu: Emulator, **extra: str) -> str:
    params = {
        "client_id": emu.client_id,
        "redirect_uri": emu.redirect_uri,
        "response_type": "code",
        "scope": "ea:api offline_access ea:sales",
        "state": "xyz",
        "code_challenge": CHALLENGE.decode(),
        "code_challenge_method": "S256",
        **extra,
    }
    response = identity(emu).get("/connect/authorize", params=params)
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == emu.redirect_uri
    assert query["state"] == ["xyz"]
    return query["code"][0]


def token(emu: Emulator, auth: tuple[str, str] | None = None, **form: str) -> httpx.Response:
    return identity(emu).post(
        "/connect/token", data=form, auth=auth or (emu.client_id, emu.client_secret)
    )


def test_authorization_code_with_pkce(emu: Emulator) -> None:
    code = authorize(emu)
    response = token(
        emu,
        grant_type="authorization_code",
        code=code,
        redirect_uri=emu.redirect_uri,
        code_verifier=VERIFIER,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["expires_in"] == 3600
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "ea:api ea:sales offline_access"
    api = httpx.Client(
        transport=emu.transport(),
        base_url=emu.base_url,
        headers={"Authorization": f"Bearer {body['access_token']}"},
    )
    assert api.get("/customers").status_code == 200
    # Codes are single-use.
    again = token(
        emu,
        grant_type="authorization_code",
        code=code,
        redirect_uri=emu.redirect_uri,
        code_verifier=VERIFIER,
    )
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_wrong_pkce_verifier_is_invalid_grant(emu: Emulator) -> None:
    code = authorize(emu)
    response = token(
        emu,
        grant_type="authorization_code",
        code=code,
        redirect_uri=emu.redirect_uri,
        code_verifier="wrong",
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "PKCE verification failed.",
    }


def test_client_secret_in_body_and_bad_secret(emu: Emulator) -> None:
    code = authorize(emu, code_challenge="", code_challenge_method="plain")
    ok = identity(emu).post(
        "/connect/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": emu.redirect_uri,
            "client_id": emu.client_id,
            "client_secret": emu.client_secret,
            "code_verifier": "",
        },
    )
    assert ok.status_code == 200
    bad = token(emu, auth=(emu.client_id, "nope"), grant_type="refresh_token", refresh_token="x")
    assert bad.status_code == 401
    assert bad.json()["error"] == "invalid_client"


def test_client_secret_can_be_chosen() -> None:
    emu = Emulator(region="se", client_secret="chosen-secret")
    assert emu.client_secret == "chosen-secret"
    assert (
        token(
            emu,
            auth=(emu.client_id, "chosen-secret"),
            grant_type="refresh_token",
            refresh_token=emu.issue_token().refresh_token or "",
        ).status_code
        == 200
    )


def test_unregistered_redirect_uri_is_rejected(emu: Emulator) -> None:
    response = identity(emu).get(
        "/connect/authorize",
        params={
            "client_id": emu.client_id,
            "redirect_uri": "http://evil.example/cb",
            "response_type": "code",
            "scope": "ea:api",
        },
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_refresh_tokens_rotate_and_reuse_fails(emu: Emulator) -> None:
    first = emu.issue_token()
    response = token(emu, grant_type="refresh_token", refresh_token=first.refresh_token or "")
    assert response.status_code == 200
    second = response.json()
    assert second["refresh_token"] != first.refresh_token
    reuse = token(emu, grant_type="refresh_token", refresh_token=first.refresh_token or "")
    assert reuse.status_code == 400
    assert reuse.json() == {
        "error": "invalid_grant",
        "error_description": "The refresh token has already been used.",
    }
    assert (
        token(emu, grant_type="refresh_token", refresh_token=second["refresh_token"]).status_code
        == 200
    )


def test_access_tokens_expire_after_one_hour() -> None:
    clock = ManualClock()
    emu = Emulator(region="se", clock=clock)
    api = api_client(emu)
    clock.advance(3599)
    assert api.get("/units").status_code == 200
    clock.advance(1)
    response = api.get("/units")
    assert response.status_code == 401
    assert response.json()["ErrorCode"] == 4005
    assert response.json()["DeveloperErrorMessage"] == (
        "AuthorizationException - Authorization has been denied for this request."
    )


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc"])
def test_bearer_required(emu: Emulator, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    client = httpx.Client(transport=emu.transport(), base_url=emu.base_url, headers=headers)
    response = client.get("/customers")
    assert response.status_code == 401
    assert response.json()["ErrorCode"] == 4005


def test_readonly_scope_cannot_write(emu: Emulator) -> None:
    api = api_client(emu, ("ea:api", "ea:sales_readonly"))
    assert api.get("/customers").status_code == 200
    response = api.post("/customers", json={"Name": "x"})
    assert response.status_code == 403
    assert response.json()["ErrorCode"] == 4006
    assert response.json()["DeveloperErrorMessage"] == (
        "NoAccessToScopesException - The access token lacks the required scope; needs one of: "
        "ea:sales."
    )
    # A sales token does not reach accounting.
    assert api.get("/vouchers").status_code == 403


def test_rate_limit_is_600_per_minute_per_endpoint() -> None:
    clock = ManualClock()
    emu = Emulator(region="se", clock=clock)
    api = api_client(emu)
    for _ in range(600):
        assert api.get("/units").status_code == 200
    clock.advance(15)
    limited = api.get("/units")
    assert limited.status_code == 429
    assert "retry-after" not in limited.headers
    assert limited.json()["ErrorCode"] == 4010
    assert limited.json()["DeveloperErrorMessage"] == (
        "API calls quota exceeded! maximum admitted 600 per Minute. Try again in 45 seconds."
    )
    assert api.get("/countries").status_code == 200  # other endpoints have their own quota
    clock.advance(45)
    assert api.get("/units").status_code == 200


def test_identity_endpoints_not_found(emu: Emulator) -> None:
    response = identity(emu).get("/connect/userinfo")
    assert response.status_code == 404
