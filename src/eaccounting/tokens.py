"""OAuth2 token value and the stores that persist it.

Visma's refresh tokens are single-use and rotate on every refresh, so the store is the single
source of truth for the current pair: the client saves the rotated pair *before* it uses the
new access token, and re-reads the store before deciding that a refresh is needed.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import attrs

__all__ = ["FileTokenStore", "MemoryTokenStore", "Token", "TokenStore"]


def _hidden(value: object) -> str:
    return "None" if value is None else "'***'"


@attrs.define
class Token:
    """An OAuth2 token pair. ``expires_at`` is in epoch seconds; the repr hides secrets."""

    access_token: str = attrs.field(repr=_hidden)
    refresh_token: str | None = attrs.field(repr=_hidden)
    expires_at: float
    scope: str = ""
    token_type: str = "Bearer"

    def expires_within(self, seconds: float, *, now: float | None = None) -> bool:
        """True if the access token is expired or expires within ``seconds``."""
        current = time.time() if now is None else now
        return self.expires_at - seconds <= current

    def to_dict(self) -> dict[str, Any]:
        """Serialise for a token store."""
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at,
            "scope": self.scope,
            "token_type": self.token_type,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Token:
        """Build from :meth:`to_dict` output or from a token endpoint response.

        A token endpoint response carries ``expires_in`` (seconds from now) instead of
        ``expires_at``.
        """
        if "expires_at" in data and data["expires_at"] is not None:
            expires_at = float(data["expires_at"])
        else:
            expires_at = time.time() + float(data.get("expires_in", 3600))
        return cls(
            access_token=str(data["access_token"]),
            refresh_token=data.get("refresh_token"),
            expires_at=expires_at,
            scope=str(data.get("scope") or ""),
            token_type=str(data.get("token_type") or "Bearer"),
        )


@runtime_checkable
class TokenStore(Protocol):
    """Where the current token pair lives. Implementations must make ``save`` durable."""

    def load(self) -> Token | None:
        """Return the stored token, or None if there is none."""
        ...

    def save(self, token: Token) -> None:
        """Persist ``token``, replacing the previous one."""
        ...

    def clear(self) -> None:
        """Forget the stored token."""
        ...


class MemoryTokenStore:
    """A process-local token store (tests, short-lived scripts)."""

    def __init__(self, token: Token | None = None) -> None:
        self._token = token
        self._lock = threading.Lock()

    def load(self) -> Token | None:
        with self._lock:
            return self._token

    def save(self, token: Token) -> None:
        with self._lock:
            self._token = token

    def clear(self) -> None:
        with self._lock:
            self._token = None

    def __repr__(self) -> str:
        return f"MemoryTokenStore(has_token={self._token is not None})"


class FileTokenStore:
    """A JSON file holding one token pair, readable only by its owner (mode 0600).

    ``save`` writes a temporary file in the same directory, fsyncs it and renames it over the
    target, so a crash mid-write leaves either the old file or the new one, never a partial one.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._lock_fd: int | None = None

    def try_lock(self) -> bool:
        """Take the cross-process refresh lock (``<path>.lock``, flock) without blocking.

        Processes sharing one token file must not refresh at the same time: the refresh token
        is single-use. Returns True when this process now holds the lock (always True where
        flock is unavailable).
        """
        try:
            import fcntl
        except ImportError:  # pragma: no cover - non-POSIX
            return True
        lock_path = self.path.with_name(self.path.name + ".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._lock_fd = fd
        return True

    def unlock(self) -> None:
        """Release the lock taken by :meth:`try_lock`."""
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            os.close(fd)  # closing the descriptor releases the flock

    def load(self) -> Token | None:
        with self._lock:
            try:
                raw = self.path.read_text(encoding="utf-8")
            except FileNotFoundError:
                return None
        try:
            data = json.loads(raw)
            return Token.from_dict(data)
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(
                f"token file {str(self.path)!r} is not a valid token store "
                f"(expected a JSON object with access_token and expires_at): {type(exc).__name__}"
            ) from None

    def save(self, token: Token) -> None:
        payload = json.dumps(token.to_dict(), separators=(",", ":")).encode("utf-8")
        directory = self.path.parent
        directory.mkdir(parents=True, exist_ok=True)
        with self._lock:
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=directory)
            try:
                os.fchmod(fd, 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(payload)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
                raise
            # Make the rename itself durable.
            with contextlib.suppress(OSError):
                dir_fd = os.open(directory, os.O_RDONLY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)

    def clear(self) -> None:
        with self._lock, contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"
