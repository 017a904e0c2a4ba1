"""The emulated identity server: /connect/authorize and /connect/token.

Authorization code (+ optional PKCE S256/plain), confidential client via HTTP Basic or form
fields, 1-hour access tokens, single-use rotating refresh tokens (reuse → invalid_grant).
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from .clock import Clock, IdGenerator

ACCESS_TOKEN_LIFETIME = 3600
ALL_SCOPES = (
    "ea:api",
    "offline_access",
    "ea:sales",
    "ea:purchase",
    "ea:accounting",
)


@dataclass
class Grant:
    client_id: str
    scopes: frozenset[str]
    expires_at: float


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    scopes: frozenset[str]
    challenge: str | None
    method: str
    expires_at: float


class OAuthError(Exception):
    """An OAuth2 error response (RFC 6749 §5.2)."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


class IdentityServer:
    """Issues and checks tokens for the registered test app and the pre-consented test user."""

    def __init__(
        self,
        clock: Clock,
        ids: IdGenerator,
        redirect_uri: str,
        lifetime: Callable[[], int | None] = lambda: None,
        client_secret: str | None = None,
    ) -> None:
        self.clock = clock
        self.ids = ids
        self.client_id = "emulator-test-app"
        self.client_secret = client_secret or "emulator-secret-" + ids.secret(8)
        self.redirect_uri = redirect_uri
        self._lifetime = lifetime  # the early-expiry fault, if configured
        self.access: dict[str, Grant] = {}
        self.refresh: dict[str, Grant] = {}
        self.consumed_refresh: set[str] = set()
        self.codes: dict[str, _Code] = {}
        #: POST /connect/token calls per grant_type, valid or not (tests count refreshes).
        self.token_requests: Counter[str] = Counter()

    # -- authorize -------------------------------------------------------------------------
    def authorize(self, query: dict[str, str]) -> str:
        """Validate an authorize request; returns the redirect URL carrying the code."""
        if query.get("client_id") != self.client_id:
            raise OAuthError("invalid_client", "Unknown client_id.")
        redirect = query.get("redirect_uri", "")
        if redirect != self.redirect_uri:
            raise OAuthError("invalid_request", "redirect_uri is not registered for this client.")
        if query.get("response_type") != "code":
            raise OAuthError("unsupported_response_type", "Only response_type=code is supported.")
        scopes = frozenset(query.get("scope", "").split())
        if "ea:api" not in scopes:
            raise OAuthError("invalid_scope", "The scope ea:api is required.")
        method = query.get("code_challenge_method", "plain")
        if method not in ("plain", "S256"):
            raise OAuthError("invalid_request", "code_challenge_method must be S256 or plain.")
        code = self.ids.secret(16)
        self.codes[code] = _Code(
            self.client_id,
            redirect,
            scopes,
            query.get("code_challenge"),
            method,
            self.clock.time() + 300,
        )
        params = {"code": code, "scope": " ".join(sorted(scopes))}
        if "state" in query:
            params["state"] = query["state"]
        return f"{redirect}?{urlencode(params)}"

    # -- token -----------------------------------------------------------------------------
    def _client(self, form: dict[str, str], authorization: str | None) -> str:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.lower().startswith("basic "):
            try:
                raw = base64.b64decode(authorization[6:]).decode()
            except (ValueError, UnicodeDecodeError):
                raise OAuthError("invalid_client", "Malformed Basic credentials.", 401) from None
            client_id, _, secret = raw.partition(":")
        if client_id != self.client_id or secret != self.client_secret:
            raise OAuthError("invalid_client", "Client authentication failed.", 401)
        return client_id

    def token(self, form: dict[str, str], authorization: str | None) -> dict[str, Any]:
        """Handle POST /connect/token; returns the token response body."""
        grant = form.get("grant_type")
        self.token_requests[str(grant)] += 1
        client_id = self._client(form, authorization)
        if grant == "authorization_code":
            code = self.codes.pop(form.get("code", ""), None)
            if code is None or code.expires_at < self.clock.time():
                raise OAuthError("invalid_grant", "The authorization code is invalid or expired.")
            if form.get("redirect_uri") != code.redirect_uri:
                raise OAuthError("invalid_grant", "redirect_uri does not match.")
            if code.challenge is not None:
                verifier = form.get("code_verifier", "")
                if code.method == "S256":
                    digest = hashlib.sha256(verifier.encode()).digest()
                    computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                else:
                    computed = verifier
                if not verifier or computed != code.challenge:
                    raise OAuthError("invalid_grant", "PKCE verification failed.")
            return self.issue(client_id, code.scopes)
        if grant == "refresh_token":
            presented = form.get("refresh_token", "")
            held = self.refresh.pop(presented, None)
            if held is None:
                if presented in self.consumed_refresh:
                    raise OAuthError("invalid_grant", "The refresh token has already been used.")
                raise OAuthError("invalid_grant", "The refresh token is invalid.")
            self.consumed_refresh.add(presented)
            return self.issue(client_id, held.scopes)
        raise OAuthError("unsupported_grant_type", f"grant_type {grant!r} is not supported.")

    def issue(self, client_id: str, scopes: frozenset[str]) -> dict[str, Any]:
        """Mint an access token (and a refresh token if offline_access was granted)."""
        now = self.clock.time()
        access = self.ids.secret(24)
        self.access[access] = Grant(
            client_id, scopes, now + (self._lifetime() or ACCESS_TOKEN_LIFETIME)
        )
        body: dict[str, Any] = {
            "access_token": access,
            # Early expiry is a server-side surprise: the client is still told one hour.
            "expires_in": ACCESS_TOKEN_LIFETIME,
            "token_type": "Bearer",
            "scope": " ".join(sorted(scopes)),
        }
        if "offline_access" in scopes:
            refresh = self.ids.secret(24)
            self.refresh[refresh] = Grant(client_id, scopes, now + 50 * 365 * 86400)
            body["refresh_token"] = refresh
        return body

    def check(self, authorization: str | None) -> Grant | None:
        """The grant behind a ``Bearer`` header, or None if missing, unknown or expired."""
        if not authorization or not authorization.startswith("Bearer "):
            return None
        grant = self.access.get(authorization[7:])
        if grant is None or grant.expires_at <= self.clock.time():
            return None
        return grant
