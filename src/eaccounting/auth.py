"""OAuth2 authorization-code flow (authlib) and single-flight token refresh.

Visma's refresh tokens are single-use: a refresh returns a new pair and invalidates the old
refresh token at once, with no grace period. Two concurrent refreshes with the same token
therefore lose the grant. :class:`TokenManager` makes refresh single-flight per token store:
a ``threading.Lock`` (shared by every client using that store in this process) serialises
threads, and a per-event-loop ``asyncio.Lock`` queues the tasks of one loop without blocking
it. Whoever gets the lock re-reads the store first and reuses a token another caller already
refreshed. The rotated pair is saved to the store before the new access token is used.

The flows are in ``_async/token_flow.py`` (written) and ``_sync/token_flow.py`` (derived), the
locks in ``_concurrency``, the shared state in ``_oauth``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

import attrs

from ._async.token_flow import AsyncTokenFlow
from ._oauth import TokenEndpointError, TokenPersistenceError
from ._sync.token_flow import TokenFlow

__all__ = [
    "DEFAULT_SCOPES",
    "AuthorizationRequest",
    "TokenEndpointError",
    "TokenManager",
    "TokenPersistenceError",
    "build_authorization_url",
]

# ea:api and offline_access are mandatory (the latter yields the refresh token); without a data
# scope every business endpoint answers 403/4006, so the default asks read/write on all three.
# Pass ``scopes=`` (e.g. the *_readonly ones) for least privilege.
DEFAULT_SCOPES: tuple[str, ...] = (
    "ea:api",
    "offline_access",
    "ea:sales",
    "ea:purchase",
    "ea:accounting",
)


@attrs.frozen
class AuthorizationRequest:
    """Where to send the user, plus the values to keep until the callback (server-side)."""

    url: str
    state: str = attrs.field(repr=False)
    code_verifier: str | None = attrs.field(repr=False)


def build_authorization_url(
    *,
    authorize_url: str,
    client_id: str,
    redirect_uri: str,
    scopes: Sequence[str] = DEFAULT_SCOPES,
    state: str | None = None,
    prompt: str | None = "select_account",
    use_pkce: bool = True,
    code_verifier: str | None = None,
    extra_params: Mapping[str, str] | None = None,
) -> AuthorizationRequest:
    """The authorize URL with ``state``, PKCE (S256) and ``prompt=select_account``.

    ``prompt=select_account`` makes Visma show the company picker, because a token is bound to
    the company chosen at login.
    """
    from authlib.oauth2.rfc7636 import create_s256_code_challenge  # type: ignore[import-untyped]

    if not client_id:
        raise ValueError("client_id is required to build an authorization URL")
    if not redirect_uri:
        raise ValueError("redirect_uri is required (it must match the one registered with Visma)")
    state = state or secrets.token_urlsafe(24)
    params: dict[str, str] = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(scopes),
        "state": state,
    }
    if prompt:
        params["prompt"] = prompt
    if use_pkce:
        code_verifier = code_verifier or secrets.token_urlsafe(64)
        params["code_challenge"] = str(create_s256_code_challenge(code_verifier))
        params["code_challenge_method"] = "S256"
    else:
        code_verifier = None
    if extra_params:
        params.update(extra_params)
    return AuthorizationRequest(
        url=f"{authorize_url}?{urlencode(params)}", state=state, code_verifier=code_verifier
    )


class TokenManager(TokenFlow, AsyncTokenFlow):
    """Hands out a valid access token and refreshes it single-flight.

    Holds the current token in memory and goes to the store only when a refresh is due, so a
    file store costs nothing per request. ``access_token``/``refresh``/``exchange_code`` for
    sync clients, ``aaccess_token``/``arefresh``/``aexchange_code`` for async ones.
    """
