"""How the commands that talk to the API get a client: ``--emulator``, or the same settings
resolution as ``Client.from_env()`` (options > ``EACCOUNTING_*`` variables > the profile)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from eaccounting.settings import default_token_file

from ._output import EXIT_USAGE, fail

if TYPE_CHECKING:
    from eaccounting import Client


@dataclass
class Connection:
    """Options shared by the commands that talk to the API; None means "not given"."""

    token_file: Path | None = None
    environment: str | None = None
    base_url: str | None = None
    identity_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    emulator: str | None = None

    def resolved_token_file(self) -> Path:
        return self.token_file if self.token_file is not None else default_token_file()


# Options that name a real API or a stored token: meaningless with an in-process emulator.
_NOT_WITH_EMULATOR = {
    "token_file": "--token-file",
    "environment": "--environment",
    "base_url": "--base-url",
    "identity_url": "--identity-url",
}


def build_client(connection: Connection) -> tuple[Client, Callable[[], None]]:
    """A client for ``connection`` and a function that releases it (exits on bad options).

    ``--emulator REGION`` gives an in-process emulator company (fresh for every run).
    Otherwise :func:`eaccounting.settings.client_settings` resolves options over
    ``EACCOUNTING_*`` variables over the profile that ``auth login`` saved.
    """
    if connection.emulator:
        clashing = [flag for name, flag in _NOT_WITH_EMULATOR.items() if getattr(connection, name)]
        if clashing:
            fail(
                f"--emulator {connection.emulator} runs a company in process; it cannot be "
                f"combined with {', '.join(clashing)} (drop one or the other)",
                EXIT_USAGE,
            )
        from eaccounting.testing import REGIONS, Emulator

        if connection.emulator not in REGIONS:
            fail(
                f"--emulator {connection.emulator!r}: expected a region, one of "
                f"{', '.join(sorted(REGIONS))}",
                EXIT_USAGE,
            )
        emulator = Emulator(region=connection.emulator)
        return emulator.client(), emulator.close

    from eaccounting import Client
    from eaccounting.settings import client_settings

    explicit = {
        name: value
        for name, value in (
            ("token_file", connection.token_file),
            ("environment", connection.environment),
            ("base_url", connection.base_url),
            ("identity_url", connection.identity_url),
            ("client_id", connection.client_id),
            ("client_secret", connection.client_secret),
        )
        if value
    }
    # ConfigurationError (no credentials) and a bad environment are ValueErrors: callers
    # turn them into one line and an exit code.
    client = Client(**client_settings(explicit))
    return client, client.close
