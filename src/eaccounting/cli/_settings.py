"""Where the CLI keeps its token and how it builds a client from options, env and the profile.

``auth login`` writes two files in the user config directory (``--token-file`` moves both):

* ``token.json``: the token pair (a :class:`~eaccounting.FileTokenStore`, mode 0600);
* ``token.json.profile.json``: where the token is valid (environment, API and identity URLs,
  client id, redirect URI). Never a secret: the client secret comes from
  ``--client-secret`` or ``EACCOUNTING_CLIENT_SECRET`` each time it is needed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eaccounting import Client

APP_NAME = "eaccounting"
PROFILE_SUFFIX = ".profile.json"


def config_dir() -> Path:
    """The per-user config directory (``~/.config/eaccounting`` on Linux)."""
    import click

    return Path(click.get_app_dir(APP_NAME))


def default_token_file() -> Path:
    """``EACCOUNTING_TOKEN_FILE`` if set, else ``<config dir>/token.json``."""
    env = os.environ.get("EACCOUNTING_TOKEN_FILE")
    return Path(env) if env else config_dir() / "token.json"


@dataclass
class Profile:
    """Where a stored token is valid. Contains no secret."""

    environment: str = "production"
    base_url: str | None = None
    identity_url: str | None = None
    client_id: str | None = None
    redirect_uri: str | None = None


def profile_path(token_file: Path) -> Path:
    return token_file.with_name(token_file.name + PROFILE_SUFFIX)


def load_profile(token_file: Path) -> Profile:
    path = profile_path(token_file)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Profile()
    except ValueError:
        return Profile()
    known = {k: v for k, v in data.items() if k in Profile.__dataclass_fields__}
    return Profile(**known)


def save_profile(token_file: Path, profile: Profile) -> Path:
    path = profile_path(token_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(profile), indent=2) + "\n", encoding="utf-8")
    return path


def remove_profile(token_file: Path) -> bool:
    try:
        profile_path(token_file).unlink()
    except FileNotFoundError:
        return False
    return True


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


def _first(*values: str | None) -> str | None:
    for value in values:
        if value:
            return value
    return None


def build_client(connection: Connection) -> tuple[Client, Callable[[], None]]:
    """A client for ``connection`` and a function that releases it.

    ``--emulator REGION`` gives an in-process emulator company (fresh for every run).
    Otherwise options win over ``EACCOUNTING_*`` variables, which win over the profile that
    ``auth login`` saved next to the token file.
    """
    if connection.emulator:
        from eaccounting.testing import Emulator

        emulator = Emulator(region=connection.emulator)
        client = emulator.client()
        return client, emulator.close

    from eaccounting import Client, FileTokenStore

    env = os.environ
    token_file = connection.resolved_token_file()
    profile = load_profile(token_file)
    kwargs: dict[str, Any] = {
        "client_id": _first(connection.client_id, env.get("EACCOUNTING_CLIENT_ID"))
        or profile.client_id,
        "client_secret": _first(connection.client_secret, env.get("EACCOUNTING_CLIENT_SECRET")),
        "environment": _first(connection.environment, env.get("EACCOUNTING_ENVIRONMENT"))
        or profile.environment,
        "base_url": _first(connection.base_url, env.get("EACCOUNTING_BASE_URL"))
        or profile.base_url,
        "identity_url": _first(connection.identity_url, env.get("EACCOUNTING_IDENTITY_URL"))
        or profile.identity_url,
    }
    access_token = env.get("EACCOUNTING_ACCESS_TOKEN")
    if access_token:
        kwargs["access_token"] = access_token
    else:
        kwargs["token_store"] = FileTokenStore(token_file)
    client = Client(**kwargs)
    return client, client.close
