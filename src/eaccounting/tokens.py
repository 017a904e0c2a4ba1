"""OAuth2 token value and the stores that persist it.

Visma's refresh tokens are single-use and rotate on every refresh, so the store is the single
source of truth for the current pair: the client saves the rotated pair *before* it uses the
new access token, and re-reads the store before deciding that a refresh is needed.
"""

from __future__ import annotations

import errno
import json
import math
import os
import stat
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import attrs

from . import _secret_files
from ._secret_files import (
    foreign_symlink,
    make_private_dirs,
    reason,
    replace_atomically,
    write_probe,
)
from .errors import (
    InvalidTokenFileError,
    TokenLockTimeoutError,
    TokenStoreAccessError,
    ValidationError,
)

__all__ = ["FileTokenStore", "MemoryTokenStore", "Token", "TokenStore"]


def _hidden(value: object) -> str:
    return "None" if value is None else "'***'"


def _kind(value: object) -> str:
    """What a value is, never what it holds (it may be a secret)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "an empty string" if not value else "a string"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__


def _seconds(data: Mapping[str, Any], name: str) -> float:
    value = data[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValidationError(
            f"{name} must be a finite number of seconds, not {_kind(value)}", field=name
        )
    return float(value)


def _optional_text(data: Mapping[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise ValidationError(f"{name} must be a string or null, not {_kind(value)}", field=name)
    return value


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
    def from_dict(cls, data: Mapping[str, Any]) -> Token:
        """Build from :meth:`to_dict` output or from a token endpoint response.

        A token endpoint response carries ``expires_in`` (seconds from now) instead of
        ``expires_at``. Anything else raises :class:`~eaccounting.ValidationError` naming the
        field and the type found (never the value: it may be a secret).
        """
        if not isinstance(data, Mapping):
            raise ValidationError(f"a token must be a JSON object, not {_kind(data)}")
        access_token = data.get("access_token")
        # Empty is allowed: a store seeded with only a refresh token refreshes at once.
        if not isinstance(access_token, str):
            raise ValidationError(
                f"access_token must be a string, not {_kind(access_token)}",
                field="access_token",
            )
        refresh_token = _optional_text(data, "refresh_token")
        if data.get("expires_at") is not None:
            expires_at = _seconds(data, "expires_at")
        elif data.get("expires_in") is not None:
            expires_at = time.time() + _seconds(data, "expires_in")
        else:
            expires_at = time.time() + 3600.0
        return cls(
            access_token=access_token,
            refresh_token=refresh_token,
            expires_at=expires_at,
            scope=_optional_text(data, "scope") or "",
            token_type=_optional_text(data, "token_type") or "Bearer",
        )


@runtime_checkable
class TokenStore(Protocol):
    """Where the current token pair lives. Implementations must make ``save`` durable.

    Optional, looked up by name: ``check_writable()`` (raise if ``save`` would fail now; the
    client calls it before spending a refresh token), ``try_lock()``/``unlock()`` (a
    cross-process refresh lock) and ``lock_wait_seconds`` (how long to wait for it).
    """

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


# -- the token file ----------------------------------------------------------------------------

_EXPECTED = (
    "a JSON object with a string access_token, a string or null refresh_token and a number "
    "expires_at (written by `eaccounting auth login` or FileTokenStore.save)"
)
#: Written and fsynced in the token's directory before a refresh spends the refresh token: a
#: disk too full for this could not take the rotated pair (a token file is about 2 KB).
_PROBE_BYTES = 8192


class FileTokenStore:
    """A JSON file holding one token pair, readable only by its owner (mode 0600).

    ``save`` writes a temporary file next to the real file (through any symlinks), fsyncs it
    and renames it over the real file, so a crash mid-write leaves either the old file or the
    new one, never a partial one, and a symlink keeps pointing at the current pair. An existing
    file keeps its mode and owner; new files are 0600 and new directories 0700.

    ``lock_wait_seconds`` bounds the wait for the cross-process refresh lock
    (``<real file>.lock``); None (the default) waits as long as the client's timeout.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, lock_wait_seconds: float | None = None
    ) -> None:
        if lock_wait_seconds is not None and (
            isinstance(lock_wait_seconds, bool)
            or not isinstance(lock_wait_seconds, (int, float))
            or not lock_wait_seconds > 0
        ):
            raise ValidationError(
                f"lock_wait_seconds={lock_wait_seconds!r} must be a positive number of seconds "
                "or None",
                field="lock_wait_seconds",
            )
        self.path = Path(path)
        self.lock_wait_seconds = lock_wait_seconds
        self._lock = threading.Lock()
        self._lock_fd: int | None = None

    # -- where ---------------------------------------------------------------------------------

    @property
    def real_path(self) -> Path:
        """The file ``path`` names, through any symlinks (where it would be, if missing)."""
        return Path(os.path.realpath(self.path))

    @property
    def lock_path(self) -> Path:
        """The cross-process lock file, next to the real file."""
        real = self.real_path
        return real.with_name(real.name + ".lock")

    def _where(self, real: Path) -> str:
        if real == self.path.absolute():
            return repr(str(self.path))
        return f"{str(self.path)!r} (-> {str(real)!r})"

    # -- locking -------------------------------------------------------------------------------

    def try_lock(self) -> bool:
        """Take the cross-process refresh lock (``<real file>.lock``, flock) without blocking.

        Processes sharing one token file must not refresh at the same time: the refresh token
        is single-use. Returns True when this process now holds the lock (always True where
        flock is unavailable).
        """
        try:
            import fcntl
        except ImportError:  # pragma: no cover - non-POSIX
            return True
        lock_path = self.lock_path
        make_private_dirs(lock_path.parent)
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise TokenStoreAccessError(
                f"cannot open the token refresh lock {str(lock_path)!r} ({reason(exc)}); "
                "expected a file this process can create or write. No refresh token was spent",
                path=str(lock_path),
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
                return False  # held by someone else
            raise TokenStoreAccessError(
                f"cannot lock the token refresh lock {str(lock_path)!r} ({reason(exc)}); "
                "expected a file system with flock support. No refresh token was spent",
                path=str(lock_path),
            ) from exc
        self._lock_fd = fd
        return True

    def unlock(self) -> None:
        """Release the lock taken by :meth:`try_lock`."""
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            os.close(fd)  # closing the descriptor releases the flock

    def lock_timeout_error(self, waited: float) -> TokenLockTimeoutError:
        """The error a refresh raises after waiting ``waited`` seconds for :meth:`try_lock`."""
        lock_path = str(self.lock_path)
        return TokenLockTimeoutError(
            f"gave up after {waited:g} s waiting for the token refresh lock {lock_path!r}: "
            "another process holds it (stopped, or stuck in a refresh). No refresh token was "
            "spent; retry later, or raise the client's timeout or lock_wait_seconds",
            path=lock_path,
            waited=waited,
        )

    # -- reading -------------------------------------------------------------------------------

    def load(self) -> Token | None:
        real = self.real_path
        with self._lock:
            try:
                raw = real.read_bytes()
            except FileNotFoundError:
                return None
            except OSError as exc:
                raise TokenStoreAccessError(
                    f"cannot read the token file {self._where(real)} ({reason(exc)}); "
                    f"expected a regular file this process can read ({self._owner_hint(real)})",
                    path=str(real),
                ) from exc
        return self._parse(raw, real)

    def _owner_hint(self, real: Path) -> str:
        try:
            info = os.stat(real)
        except OSError:
            return "it could not be stat'ed either"
        return (
            f"it is owned by uid {info.st_uid} with mode {stat.S_IMODE(info.st_mode):o}; "
            f"this process runs as uid {_secret_files.effective_uid()}"
        )

    def _parse(self, raw: bytes, real: Path) -> Token:
        where = self._where(real)
        if not raw.strip():
            raise InvalidTokenFileError(
                f"token file {where} is not a valid token store: it is empty; expected {_EXPECTED}",
                path=str(real),
            )
        try:
            data = json.loads(raw)
        except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
            raise InvalidTokenFileError(
                f"token file {where} is not a valid token store: it is not JSON "
                f"({type(exc).__name__}); expected {_EXPECTED}",
                path=str(real),
            ) from exc
        try:
            return Token.from_dict(data)
        except ValidationError as exc:
            raise InvalidTokenFileError(
                f"token file {where} is not a valid token store: {exc}; expected {_EXPECTED}",
                path=str(real),
            ) from exc

    # -- writing -------------------------------------------------------------------------------

    def check_writable(self) -> None:
        """Raise :class:`~eaccounting.TokenStoreAccessError` unless :meth:`save` can work now.

        The client calls this before it spends a refresh token: the file must be a regular
        file owned by this process's user (root may write anyone's file and gives it back to
        its owner), no symlink on the way may be planted by another user, and a file of the
        token's size must be creatable and fsync-able in its directory.
        """
        real = self.real_path
        where = self._where(real)
        uid = _secret_files.effective_uid()
        self._check_link_owner(uid, where, real)
        try:
            info: os.stat_result | None = os.stat(real)
        except FileNotFoundError:
            info = None
        except OSError as exc:
            raise TokenStoreAccessError(
                f"cannot inspect the token file {where} ({reason(exc)}); expected a file "
                "this process can replace",
                path=str(real),
            ) from exc
        if info is not None:
            if not stat.S_ISREG(info.st_mode):
                raise TokenStoreAccessError(
                    f"token file {where} is not a regular file; expected a regular file "
                    "this process can replace",
                    path=str(real),
                )
            if uid not in (None, 0) and info.st_uid != uid:
                raise TokenStoreAccessError(
                    f"token file {where} is owned by uid {info.st_uid}, not by this process's "
                    f"uid {uid}; expected a file owned by uid {uid}. Refusing to refresh (no "
                    "refresh token was spent): run as its owner or chown it",
                    path=str(real),
                )
        make_private_dirs(real.parent)
        self._probe(real, where)

    def _check_link_owner(self, uid: int | None, where: str, real: Path) -> None:
        """A symlink planted by another user could aim our writes anywhere: refuse it."""
        found = foreign_symlink(self.path, uid)
        if found is not None:
            link, owner = found
            raise TokenStoreAccessError(
                f"token file {where} is reached through the symlink {str(link)!r} owned "
                f"by uid {owner}; expected symlinks owned by uid {uid} or root. "
                "Refusing to write through it (no refresh token was spent)",
                path=str(real),
            )

    def _probe(self, real: Path, where: str) -> None:
        try:
            write_probe(real.parent, f".{real.name}.", _PROBE_BYTES)
        except OSError as exc:
            raise TokenStoreAccessError(
                f"cannot create and write files next to the token file {where} "
                f"({reason(exc)}); expected a directory this process can write with room for "
                f"{_PROBE_BYTES} bytes. Refusing to refresh (no refresh token was spent)",
                path=str(real),
            ) from exc

    def writable(self) -> bool:
        """True if :meth:`check_writable` passes."""
        try:
            self.check_writable()
        except TokenStoreAccessError:
            return False
        return True

    def save(self, token: Token) -> None:
        payload = json.dumps(token.to_dict(), separators=(",", ":")).encode("utf-8")
        real = self.real_path
        try:
            with self._lock:
                replace_atomically(real, payload)
        except OSError as exc:
            raise TokenStoreAccessError(
                f"cannot save the token file {self._where(real)} ({reason(exc)}); the "
                "previous file is unchanged",
                path=str(real),
            ) from exc

    def clear(self) -> None:
        real = self.real_path
        with self._lock:
            try:
                real.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise TokenStoreAccessError(
                    f"cannot delete the token file {self._where(real)} ({reason(exc)}); "
                    "expected a directory this process can write",
                    path=str(real),
                ) from exc

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"
