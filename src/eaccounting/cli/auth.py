"""``eaccounting auth``: sign in with OAuth2 (login), show the stored token (status), sign out."""

from __future__ import annotations

import os
import sys
import time
import webbrowser
from typing import TYPE_CHECKING, Annotated, Any

import typer

from eaccounting.auth import DEFAULT_SCOPES as _DEFAULT_SCOPES
from eaccounting.settings import ENV_VARS, Profile, load_profile, remove_profile, save_profile

from ._connection import Connection, build_client
from ._options import (
    BaseUrlOpt,
    ClientIdOpt,
    ClientSecretOpt,
    EnvironmentOpt,
    IdentityUrlOpt,
    TokenFileOpt,
)
from ._output import EXIT_AUTH, EXIT_USAGE, describe_error, emit_json, err_console, fail, handle
from ._output import library_errors as _library_errors

if TYPE_CHECKING:
    from pathlib import Path

    from eaccounting import Client

DEFAULT_SCOPES = " ".join(_DEFAULT_SCOPES)
DEFAULT_PORT = 8765


def _token_file(path: Path | None) -> Path:
    return Connection(token_file=path).resolved_token_file()


def auth_app() -> typer.Typer:
    auth = typer.Typer(
        help="Sign in with OAuth2, show who you are signed in as, sign out.\n\n"
        "Example: eaccounting auth login --environment sandbox",
        no_args_is_help=True,
        rich_markup_mode="markdown",
    )
    auth.command("login")(login)
    auth.command("status")(status)
    auth.command("logout")(logout)
    return auth


def _browser_available() -> bool:
    """A graphical browser can be opened (console browsers would take over the terminal)."""
    if os.environ.get("EACCOUNTING_NO_BROWSER"):
        return False
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _open_browser(url: str) -> bool:
    try:
        return webbrowser.open(url, new=1)
    except webbrowser.Error:
        return False


def login(
    environment: EnvironmentOpt = None,
    scopes: Annotated[
        str,
        typer.Option(
            "--scopes",
            help="Space- or comma-separated scopes to request (offline_access gives "
            "a refresh token).",
        ),
    ] = DEFAULT_SCOPES,
    token_file: TokenFileOpt = None,
    port: Annotated[
        int,
        typer.Option(
            "--port",
            help="Loopback port for the callback; register http://localhost:PORT/callback as "
            "a redirect URI of your Visma app.",
        ),
    ] = DEFAULT_PORT,
    client_id: ClientIdOpt = None,
    client_secret: ClientSecretOpt = None,
    base_url: BaseUrlOpt = None,
    identity_url: IdentityUrlOpt = None,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Only print the URL; do not open a browser.")
    ] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds to wait for the callback.")
    ] = 300.0,
) -> None:
    """Sign in: consent in the browser, pick the company, store the tokens.

    Builds the authorization URL (PKCE S256, state, prompt=select_account), opens a browser
    when one is available (otherwise prints the URL), receives the callback on
    http://localhost:PORT/callback, exchanges the code and saves the token pair to the token
    file (mode 0600).

    Example: EACCOUNTING_CLIENT_ID=myapp EACCOUNTING_CLIENT_SECRET=... eaccounting auth login
    --environment sandbox --scopes "ea:api offline_access ea:sales"
    """
    from eaccounting import Client, FileTokenStore

    from ._loopback import CallbackServer

    if not client_id:
        fail("--client-id (or EACCOUNTING_CLIENT_ID) is required to sign in", EXIT_USAGE)
    if not client_secret:
        fail("--client-secret (or EACCOUNTING_CLIENT_SECRET) is required to sign in", EXIT_USAGE)
    # Options over the environment, as everywhere (eaccounting.settings); login writes the
    # profile, so it never reads one.
    environment = environment or os.environ.get(ENV_VARS["environment"]) or "production"
    base_url = base_url or os.environ.get(ENV_VARS["base_url"]) or None
    identity_url = identity_url or os.environ.get(ENV_VARS["identity_url"]) or None
    scope_list = [s for s in scopes.replace(",", " ").split() if s]
    path = _token_file(token_file)
    redirect_uri = f"http://localhost:{port}/callback"
    try:
        client = Client(
            client_id=client_id,
            client_secret=client_secret,
            environment=environment,
            base_url=base_url,
            identity_url=identity_url,
            token_store=FileTokenStore(path),
            redirect_uri=redirect_uri,
            scopes=scope_list,
        )
    except ValueError as exc:
        fail(str(exc), EXIT_USAGE)
    try:
        server = CallbackServer("127.0.0.1", port)
    except OSError as exc:
        fail(
            f"cannot listen on localhost:{port} for the callback ({exc.strerror}); "
            "pick another --port",
            EXIT_USAGE,
        )
    with client, server:
        request = client.authorization_url(redirect_uri=redirect_uri, scopes=scope_list)
        err_console.print(
            "Sign in and pick the company in your browser. If it does not open, visit this URL:"
        )
        sys.stderr.write(request.url + "\n")
        sys.stderr.flush()
        if not no_browser and _browser_available():
            _open_browser(request.url)
        with err_console.status(f"Waiting for the callback on {redirect_uri} ..."):
            query = server.wait(timeout)
        if query is None:
            fail(f"no callback on {redirect_uri} within {timeout:g} s", EXIT_AUTH)
        if "error" in query:
            detail = query.get("error_description") or ""
            fail(f"authorization refused: {query['error']} {detail}".strip(), EXIT_AUTH)
        if query.get("state") != request.state:
            fail(
                "the callback's state does not match this login (possible CSRF); try again",
                EXIT_AUTH,
            )
        if not query.get("code"):
            fail("the callback carried no authorization code", EXIT_AUTH)
        try:
            token = client.exchange_code(
                code=query["code"], redirect_uri=redirect_uri, code_verifier=request.code_verifier
            )
        except _library_errors() as exc:
            handle(exc)
        save_profile(
            path,
            Profile(
                environment=environment,
                base_url=base_url,
                identity_url=identity_url,
                client_id=client_id,
                redirect_uri=redirect_uri,
            ),
        )
        company = _company_line(client)
    err_console.print(f"[green]Signed in[/green] to {company}")
    err_console.print(f"scopes: {token.scope or '(none reported)'}")
    err_console.print(f"access token {_expiry(token.expires_at)}; tokens saved to {path}")


def _company_line(client: Client) -> str:
    try:
        settings = client.company_settings.get()
    except _library_errors() as exc:
        return f"(company unavailable: {describe_error(exc)[0]})"
    name = getattr(settings, "name", None) or "(unnamed company)"
    number = getattr(settings, "corporate_identity_number", None)
    return f"{name} ({number})" if isinstance(number, str) and number else str(name)


def _expiry(expires_at: float) -> str:
    left = expires_at - time.time()
    stamp = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(expires_at))
    if left <= 0:
        return f"expired at {stamp}"
    minutes = int(left // 60)
    return f"expires at {stamp} (in {minutes} min)"


def status(
    token_file: TokenFileOpt = None,
    client_secret: ClientSecretOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    offline: Annotated[
        bool, typer.Option("--offline", help="Do not call the API to look up the company.")
    ] = False,
) -> None:
    """Show the company, scopes and expiry of the stored token (never the token itself).

    Looks the company up with GET /companysettings (refreshing the access token first if it
    expired and EACCOUNTING_CLIENT_SECRET is set); --offline skips that.

    Example: eaccounting auth status --json
    """
    from eaccounting import FileTokenStore

    path = _token_file(token_file)
    try:
        token = FileTokenStore(path).load()
    except ValueError as exc:
        fail(str(exc), EXIT_AUTH)
    if token is None:
        fail(f"not signed in (no token in {path}); run `eaccounting auth login`", EXIT_AUTH)
    profile = load_profile(path)
    info: dict[str, Any] = {
        "token_file": str(path),
        "environment": "custom" if profile.base_url else profile.environment,
        "api": profile.base_url,
        "client_id": profile.client_id,
        "scopes": token.scope.split(),
        "expires_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(token.expires_at)),
        "expired": token.expires_at <= time.time(),
        "refreshable": bool(token.refresh_token),
    }
    if not offline:
        try:
            client, close = build_client(Connection(token_file=path, client_secret=client_secret))
        except _library_errors() as exc:
            handle(exc)
        try:
            info["company"] = _company_line(client)
            info["api"] = client.base_url
            stored = client.token_store.load() if client.token_store is not None else None
            if stored is not None and stored.expires_at != token.expires_at:
                token = stored
                info["expires_at"] = time.strftime(
                    "%Y-%m-%dT%H:%M:%SZ", time.gmtime(token.expires_at)
                )
                info["expired"] = token.expires_at <= time.time()
        finally:
            close()
    if as_json:
        emit_json(info)
        return
    from rich.table import Table

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    if "company" in info:
        table.add_row("company", info["company"])
    table.add_row("environment", f"{info['environment']}  {info['api'] or ''}".rstrip())
    table.add_row("scopes", " ".join(info["scopes"]) or "(none)")
    expiry = _expiry(token.expires_at)
    if info["expired"]:
        expiry += "; refreshed on the next call" if token.refresh_token else "; sign in again"
    table.add_row("access token", expiry)
    table.add_row("refresh token", "present" if token.refresh_token else "absent")
    table.add_row("token file", str(path))
    from rich.console import Console

    Console().print(table)


def logout(token_file: TokenFileOpt = None) -> None:
    """Sign out: delete the stored tokens and profile.

    The grant itself stays valid at Visma until the refresh token expires or the user revokes
    the app; deleting the only copy of the refresh token ends this machine's access.

    Example: eaccounting auth logout
    """
    from eaccounting import FileTokenStore

    path = _token_file(token_file)
    had_token = path.exists()
    FileTokenStore(path).clear()
    had_profile = remove_profile(path)
    if had_token or had_profile:
        err_console.print(f"Signed out: removed {path}")
    else:
        err_console.print(f"Not signed in (no token in {path})")
