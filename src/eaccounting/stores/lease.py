"""What the shared token stores have in common: lease settings, the fencing rule, errors.

A refresh spends the single-use refresh token, so across machines exactly one worker may
refresh a company's token at a time. The stores grant that right as a *lease*: a lock that
expires by itself after ``lease_seconds``, so a worker that dies mid-refresh blocks the others
for at most that long. A lease alone is not enough: a worker may stall (GC pause, frozen VM)
past its lease while another worker takes over and rotates the token. Every stored pair
therefore carries a *generation*; the lease holder remembers the generation it saw when it got
the lease, and its save succeeds only if the generation is still that one (compare-and-set).
A late save that lost the race does not overwrite the newer pair; it is kept aside as the
store's ``superseded`` pair (never thrown away) and logged.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import attrs

from ..errors import InvalidTokenFileError, TokenLockTimeoutError
from ..tokens import Token

__all__ = [
    "LeaseSettings",
    "LeasedStore",
    "StoreLockTimeoutError",
    "decode_token",
    "encode_token",
    "new_owner",
]


def _positive(instance: Any, attribute: attrs.Attribute[float], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(f"{attribute.name}={value!r} must be a positive number of seconds")


@attrs.frozen
class LeaseSettings:
    """How long a refresh lease lasts, and how long a worker waits for one.

    ``lease_seconds`` must exceed the token request's timeout (the client's default is 30 s),
    so a live holder never loses its lease while it waits for the token endpoint.
    ``wait_seconds`` bounds how long a worker waits for another worker's lease; it must be
    longer than ``lease_seconds`` so that the lease of a dead worker runs out before the
    waiters give up. ``rotation_wait_seconds``: after the token endpoint answers
    ``invalid_grant``, how long to watch the store for the pair a worker that stalled past its
    lease may still save, before declaring the grant lost (re-consent).
    """

    lease_seconds: float = attrs.field(default=60.0, validator=_positive)
    wait_seconds: float = attrs.field(default=75.0, validator=_positive)
    rotation_wait_seconds: float = attrs.field(default=10.0, validator=_positive)

    def __attrs_post_init__(self) -> None:
        if self.wait_seconds <= self.lease_seconds:
            raise ValueError(
                f"wait_seconds={self.wait_seconds!r} must be longer than "
                f"lease_seconds={self.lease_seconds!r} (a dead holder's lease must expire "
                "before waiters give up)"
            )


class LeasedStore:
    """What a store with a refresh lease tells the token manager about its waits (the
    duck-typed attributes ``TokenManager`` reads; ``try_lock``/``unlock`` are the store's own)."""

    lease: LeaseSettings

    @property
    def lock_wait_seconds(self) -> float:
        """How long the token manager waits for another worker's lease."""
        return self.lease.wait_seconds

    @property
    def rotation_wait_seconds(self) -> float:
        """After invalid_grant, how long the token manager watches for a late-saved pair."""
        return self.lease.rotation_wait_seconds


class StoreLockTimeoutError(TokenLockTimeoutError):
    """Another worker held the refresh lease for longer than ``wait_seconds``."""


def new_owner() -> str:
    """A unique lease owner id (one per acquisition)."""
    return secrets.token_hex(16)


def encode_token(token: Token) -> str:
    return json.dumps(token.to_dict(), separators=(",", ":"))


def decode_token(raw: str | bytes, where: str) -> Token:
    try:
        return Token.from_dict(json.loads(raw))
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, ValidationError
        raise InvalidTokenFileError(
            f"{where} does not hold a valid token (expected a JSON object with access_token "
            f"and expires_at): {type(exc).__name__}",
            path=where,
        ) from exc
