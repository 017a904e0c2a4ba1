"""Write a rotated refresh token back to where the next run reads it.

Visma's refresh tokens are single-use: every sandbox run spends the stored one and gets a
successor. On an ephemeral CI runner the successor must leave the machine (for example into
the repository secret the next run starts from) before anything else in the run can fail, or
the next run finds a spent token and a person must consent again.

:class:`WriteBackTokenStore` wraps the run's file store: each ``save`` first writes the file
(the pair is never lost on this machine), then hands the new refresh token to a command on
standard input, e.g. ``gh secret set EACCOUNTING_SE_REFRESH_TOKEN`` with a token scoped to
this repository's secrets. The command is run without a shell; the token is never an
argument, never logged, and scrubbed from any error.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Sequence

from eaccounting.tokens import FileTokenStore, Token

__all__ = ["WRITEBACK_VARIABLE", "TokenWriteBackError", "WriteBackTokenStore", "from_environment"]

WRITEBACK_VARIABLE = "EACCOUNTING_TOKEN_WRITEBACK"


class TokenWriteBackError(RuntimeError):
    """The rotated refresh token could not be written back; the run must stop."""


class WriteBackTokenStore:
    """A :class:`FileTokenStore` whose every save is also handed to ``command``."""

    def __init__(
        self,
        inner: FileTokenStore,
        command: Sequence[str],
        *,
        attempts: int = 3,
        timeout: float = 60.0,
    ) -> None:
        if not command:
            raise ValueError("the write-back command is empty")
        self.inner = inner
        self.command = tuple(command)
        self.attempts = attempts
        self.timeout = timeout
        self.written_back = 0

    def load(self) -> Token | None:
        return self.inner.load()

    def save(self, token: Token) -> None:
        self.inner.save(token)  # on this machine first: the pair is never lost here
        if token.refresh_token:
            self._write_back(token.refresh_token)

    def clear(self) -> None:
        self.inner.clear()

    # The cross-process refresh lock of the file store (see eaccounting.auth).
    def try_lock(self) -> bool:
        return self.inner.try_lock()

    def unlock(self) -> None:
        self.inner.unlock()

    # Checked before a refresh spends the token; bounded lock waits name the real lock file.
    def check_writable(self) -> None:
        self.inner.check_writable()

    @property
    def lock_wait_seconds(self) -> float | None:
        return self.inner.lock_wait_seconds

    def lock_timeout_error(self, waited: float) -> Exception:
        return self.inner.lock_timeout_error(waited)

    def _write_back(self, secret: str) -> None:
        problem = ""
        for _ in range(self.attempts):
            try:
                done = subprocess.run(
                    self.command,
                    input=secret,
                    text=True,
                    capture_output=True,
                    timeout=self.timeout,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                problem = type(exc).__name__
                continue
            if done.returncode == 0:
                self.written_back += 1
                return
            said = (done.stderr or done.stdout).strip().replace(secret, "***")
            problem = f"exit status {done.returncode}" + (f": {said[-300:]}" if said else "")
        raise TokenWriteBackError(
            f"the rotated refresh token could not be written back with {self.command[0]!r} "
            f"({problem}; {self.attempts} attempts). It is kept only in {self.inner.path} on "
            "this machine: save it from there before this machine goes away, or the next run "
            "needs a new consent (eaccounting auth login)"
        )

    def __repr__(self) -> str:
        return f"WriteBackTokenStore({self.inner!r}, command={self.command[0]!r})"


def from_environment(
    inner: FileTokenStore, value: str | None
) -> FileTokenStore | WriteBackTokenStore:
    """``inner`` wrapped with the command in ``$EACCOUNTING_TOKEN_WRITEBACK``, if one is set."""
    if not value or not value.strip():
        return inner
    return WriteBackTokenStore(inner, shlex.split(value))
