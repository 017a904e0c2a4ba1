"""A tiny identity server + API for auth tests: rotating single-use refresh tokens."""

from __future__ import annotations

import base64
import threading
from urllib.parse import parse_qs

import httpx

from .conftest import visma_error

CLIENT_ID = "client-1"
CLIENT_SECRET = "s3cret-value"


class FakeVisma:
    """Issues access-N/refresh-N pairs; a refresh token works once; API needs a live token."""

    def __init__(self, *, valid_access: str = "access-0", valid_refresh: str = "refresh-0") -> None:
        self.lock = threading.Lock()
        self.generation = 0
        self.valid_access = {valid_access}
        self.valid_refresh = {valid_refresh}
        self.refresh_calls = 0
        self.token_requests: list[httpx.Request] = []
        self.api_calls: list[httpx.Request] = []
        self.api_auth: list[str] = []
        self.revoked = False

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/connect/token":
            return self._token(request)
        with self.lock:
            self.api_calls.append(request)
            auth = request.headers.get("Authorization", "")
            self.api_auth.append(auth)
            ok = auth.startswith("Bearer ") and auth[7:] in self.valid_access
        if not ok:
            return visma_error(
                401,
                4005,
                "AuthorizationException - Authorization has been denied for this request.",
            )
        return httpx.Response(200, json={"path": request.url.path, "auth": auth[7:]})

    async def ahandler(self, request: httpx.Request) -> httpx.Response:
        return self.handler(request)

    def _token(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.token_requests.append(request)
            expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if request.headers.get("Authorization") != f"Basic {expected}":
                return httpx.Response(401, json={"error": "invalid_client"})
            form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
            grant = form.get("grant_type")
            if grant == "refresh_token":
                self.refresh_calls += 1
                token = form.get("refresh_token")
                if self.revoked or token not in self.valid_refresh:
                    return httpx.Response(400, json={"error": "invalid_grant"})
                self.valid_refresh.discard(token)  # single use
            elif grant == "authorization_code":
                if form.get("code") != "the-code":
                    return httpx.Response(400, json={"error": "invalid_grant"})
            else:
                return httpx.Response(400, json={"error": "unsupported_grant_type"})
            self.generation += 1
            access = f"access-{self.generation}"
            refresh = f"refresh-{self.generation}"
            self.valid_access = {access}
            self.valid_refresh.add(refresh)
            return httpx.Response(
                200,
                json={
                    "access_token": access,
                    "refresh_token": refresh,
                    "expires_in": 3600,
                    "token_type": "Bearer",
                    "scope": "ea:api offline_access",
                },
            )
