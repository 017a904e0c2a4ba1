"""Where a client's settings come from, for the library and the command line alike.

Each setting is taken from, in order: an explicit argument, the ``EACCOUNTING_*`` environment
variable, and the profile ``eaccounting auth login`` saved next to its token file. The token
file itself is ``token_file=`` or ``EACCOUNTING_TOKEN_FILE`` or ``token.json`` in the user
config directory (``~/.config/eaccounting`` on Linux), the one ``auth login`` writes.

``auth login`` writes two files there:

* ``token.json``: the token pair (a :class:`~eaccounting.FileTokenStore`, mode 0600);
* ``token.json.profile.json``: where the token is valid (environment, API and identity URLs,
  client id, redirect URI). Never a secret: the client secret comes from an argument or
  ``EACCOUNTING_CLIENT_SECRET`` each time it is needed.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from .errors import ConfigurationError
from .tokens import FileTokenStore

__all__ = [
    "ENV_VARS",
    "Profile",
    "client_settings",
    "config_dir",
    "default_token_file",
    "load_profile",
    "profile_path",
    "remove_profile",
    "save_profile",
]

APP_NAME = "eaccounting"
PROFILE_SUFFIX = ".profile.json"
LOGIN_COMMAND = "eaccounting auth login"

#: The environment variable of each setting.
ENV_VARS: dict[str, str] = {
    "client_id": "EACCOUNTING_CLIENT_ID",
    "client_secret": "EACCOUNTING_CLIENT_SECRET",
    "access_token": "EACCOUNTING_ACCESS_TOKEN",
    "token_file": "EACCOUNTING_TOKEN_FILE",
    "environment": "EACCOUNTING_ENVIRONMENT",
    "base_url": "EACCOUNTING_BASE_URL",
    "identity_url": "EACCOUNTING_IDENTITY_URL",
    "redirect_uri": "EACCOUNTING_REDIRECT_URI",
    "allow_insecure_http": "EACCOUNTING_ALLOW_INSECURE_HTTP",
}

_TRUE = frozenset({"1", "true", "yes", "on"})


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    """The per-user config directory, where click's ``get_app_dir("eaccounting")`` puts it."""
    env = os.environ if env is None else env
    if sys.platform == "win32":
        return Path(env.get("APPDATA") or Path.home()) / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    return Path(env.get("XDG_CONFIG_HOME") or Path.home() / ".config") / APP_NAME


def default_token_file(env: Mapping[str, str] | None = None) -> Path:
    """``EACCOUNTING_TOKEN_FILE`` if set, else ``token.json`` in the config directory."""
    env = os.environ if env is None else env
    named = env.get(ENV_VARS["token_file"])
    return Path(named) if named else config_dir(env) / "token.json"


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
    """The profile next to ``token_file``; an empty one if it is missing or unreadable."""
    try:
        data = json.loads(profile_path(token_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Profile()
    if not isinstance(data, dict):
        return Profile()
    known = {f.name for f in fields(Profile)}
    return Profile(**{k: v for k, v in data.items() if k in known})


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


def client_settings(
    explicit: Mapping[str, Any], env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Keyword arguments for ``Client``/``AsyncClient``: explicit > environment > profile.

    ``explicit`` holds ``Client`` arguments (a key that is present wins, even as None) plus
    ``token_file``. Tokens come from ``access_token``, else ``token_store``, else the token
    file when it exists or was named. Raises :class:`~eaccounting.ConfigurationError` when
    there is none of these, naming the variables and the login command.
    """
    env = os.environ if env is None else env
    given = dict(explicit)
    named_file = given.pop("token_file", None) or env.get(ENV_VARS["token_file"])
    token_file = Path(named_file) if named_file else default_token_file(env)
    profile = load_profile(token_file)

    def pick(name: str, stored: str | None = None) -> Any:
        if name in given:
            return given.pop(name)
        return env.get(ENV_VARS[name]) or stored

    settings: dict[str, Any] = {
        "client_id": pick("client_id", profile.client_id),
        "client_secret": pick("client_secret"),
        "environment": pick("environment", profile.environment) or "production",
        "base_url": pick("base_url", profile.base_url),
        "identity_url": pick("identity_url", profile.identity_url),
        "redirect_uri": pick("redirect_uri", profile.redirect_uri),
    }
    insecure = pick("allow_insecure_http")
    if insecure is not None:
        # Only an explicit yes opts in to plain http:// (a served emulator on loopback needs none).
        settings["allow_insecure_http"] = (
            insecure.strip().lower() in _TRUE if isinstance(insecure, str) else bool(insecure)
        )
    access_token = pick("access_token")
    if access_token:
        settings["access_token"] = access_token
        given.pop("token_store", None)
    elif given.get("token_store") is not None:
        settings["token_store"] = given.pop("token_store")
    elif named_file or token_file.exists():
        settings["token_store"] = FileTokenStore(token_file)
    else:
        raise ConfigurationError(
            "no credentials: set EACCOUNTING_ACCESS_TOKEN, or EACCOUNTING_TOKEN_FILE "
            "(with EACCOUNTING_CLIENT_ID and EACCOUNTING_CLIENT_SECRET to refresh it), or "
            f"sign in with `{LOGIN_COMMAND}` (it stores the token in {token_file}); in code, "
            "pass access_token= or token_store="
        )
    given.pop("token_store", None)
    given.pop("access_token", None)
    settings.update(given)  # timeout, max_retries, transport, ...
    return settings
