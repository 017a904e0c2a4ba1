"""The typer application: auth, call, operations, emulator, contract and spec."""

from __future__ import annotations

import json
import os
import sys
import time
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..auth import DEFAULT_SCOPES as _DEFAULT_SCOPES
from ._output import (
    EXIT_API,
    EXIT_AUTH,
    EXIT_USAGE,
    describe_error,
    emit_json,
    err_console,
    fail,
)
from ._settings import Connection, Profile, build_client, remove_profile, save_profile

if TYPE_CHECKING:
    from eaccounting import Client

DEFAULT_SCOPES = " ".join(_DEFAULT_SCOPES)
DEFAULT_PORT = 8765

# -- shared option types ---------------------------------------------------------------------

TokenFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--token-file",
        help="Token file (default: EACCOUNTING_TOKEN_FILE or token.json in the user config "
        "directory). Its profile (where the token is valid) sits next to it.",
        show_default=False,
    ),
]
EnvironmentOpt = Annotated[
    str | None,
    typer.Option(
        "--environment",
        envvar="EACCOUNTING_ENVIRONMENT",
        help="Host preset: production, sandbox (same hosts as production: the client type "
        "decides) or legacy-sandbox.",
        show_default=False,
    ),
]
BaseUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        envvar="EACCOUNTING_BASE_URL",
        help="API base URL including /v2 (e.g. a served emulator: http://127.0.0.1:8080/v2).",
        show_default=False,
    ),
]
IdentityUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--identity-url",
        envvar="EACCOUNTING_IDENTITY_URL",
        help="Identity server origin (e.g. http://127.0.0.1:8080 for a served emulator).",
        show_default=False,
    ),
]
ClientIdOpt = Annotated[
    str | None,
    typer.Option("--client-id", envvar="EACCOUNTING_CLIENT_ID", help="OAuth2 client id."),
]
ClientSecretOpt = Annotated[
    str | None,
    typer.Option(
        "--client-secret",
        envvar="EACCOUNTING_CLIENT_SECRET",
        help="OAuth2 client secret (prefer the environment variable; never stored).",
        show_default=False,
    ),
]
EmulatorOpt = Annotated[
    str | None,
    typer.Option(
        "--emulator",
        metavar="REGION",
        help="Run against a fresh in-process emulator company (se, no, fi or nl) instead of "
        "the API: no credentials needed.",
        show_default=False,
    ),
]


def _token_file(path: Path | None) -> Path:
    return Connection(token_file=path).resolved_token_file()


def _handle(exc: BaseException) -> None:
    message, code = describe_error(exc)
    fail(message, code)


def _library_errors() -> tuple[type[BaseException], ...]:
    from eaccounting.errors import EAccountingError

    return (EAccountingError, ValueError)


def _client(connection: Connection) -> tuple[Client, Any]:
    try:
        return build_client(connection)
    except ValueError as exc:
        fail(str(exc), EXIT_USAGE)


# -- root --------------------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        from eaccounting import __version__

        typer.echo(f"eaccounting {__version__}")
        raise typer.Exit()


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="eaccounting",
        help=(
            "Command line for the Visma eAccounting / Spiris API v2: sign in, call any "
            "operation, run the emulator, the contract harness and spec diffs.\n\n"
            "Example: eaccounting auth login && eaccounting call list_customers --all-pages"
        ),
        no_args_is_help=True,
        rich_markup_mode="markdown",
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def root(
        version: Annotated[
            bool,
            typer.Option(
                "--version", callback=_version, is_eager=True, help="Show the version and exit."
            ),
        ] = False,
    ) -> None:
        """Command line for the Visma eAccounting / Spiris API v2."""

    app.add_typer(_auth_app(), name="auth")
    app.command("call")(call)
    app.command("operations")(operations_cmd)
    app.add_typer(_emulator_app(), name="emulator")
    app.command(
        "contract", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
    )(contract)
    app.add_typer(_spec_app(), name="spec")
    return app


# -- auth --------------------------------------------------------------------------------------


def _auth_app() -> typer.Typer:
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
    scope_list = [s for s in scopes.replace(",", " ").split() if s]
    path = _token_file(token_file)
    redirect_uri = f"http://localhost:{port}/callback"
    try:
        client = Client(
            client_id=client_id,
            client_secret=client_secret,
            environment=environment or "production",
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
            _handle(exc)
        save_profile(
            path,
            Profile(
                environment=environment or "production",
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

    from ._settings import load_profile

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
        client, close = _client(Connection(token_file=path, client_secret=client_secret))
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


# -- call --------------------------------------------------------------------------------------


def _read_body(body: str) -> Any:
    if body == "-":
        text = sys.stdin.read()
        source = "stdin"
    elif body.startswith("@"):
        file = Path(body[1:])
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            fail(f"--body {body}: cannot read {file} ({exc.strerror})", EXIT_USAGE)
        source = str(file)
    else:
        text, source = body, "--body"
    try:
        return json.loads(text)
    except ValueError as exc:
        fail(f"{source} is not valid JSON: {exc}", EXIT_USAGE)


def call(
    operation_id: Annotated[
        str,
        typer.Argument(
            help="The operation id, e.g. list_customers (see `eaccounting operations`)."
        ),
    ],
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            metavar="KEY=VALUE",
            help="A path or query parameter; repeatable. Keys as in the API (customerId, "
            "$filter) or in Python (customer_id, filter_).",
        ),
    ] = None,
    body: Annotated[
        str | None,
        typer.Option(
            "--body",
            "-b",
            help="JSON request body: @file.json, - for stdin, or inline JSON. Sent as written.",
        ),
    ] = None,
    all_pages: Annotated[
        bool,
        typer.Option("--all-pages", help="Follow Meta paging and print every item as one array."),
    ] = False,
    page_size: Annotated[
        int | None,
        typer.Option(
            "--page-size",
            help="Items per page with --all-pages (default: the largest, 1000).",
            show_default=False,
        ),
    ] = None,
    pretty: Annotated[
        bool | None,
        typer.Option(
            "--pretty/--raw",
            help="Indented, coloured JSON or compact JSON (default: pretty on a terminal, raw "
            "when piped).",
            show_default=False,
        ),
    ] = None,
    token_file: TokenFileOpt = None,
    emulator: EmulatorOpt = None,
    environment: EnvironmentOpt = None,
    base_url: BaseUrlOpt = None,
    identity_url: IdentityUrlOpt = None,
    client_secret: ClientSecretOpt = None,
) -> None:
    """Call any API operation by its id and print the JSON response.

    Runs through the library's pipeline (auth and token refresh, rate limit, retries, typed
    errors). Errors print as one line on stderr with a non-zero exit status: 1 API error,
    2 usage, 3 authentication, 4 connection.

    Example: eaccounting call get_customer -p customerId=3fa85f64-5717-4562-b3fc-2c963f66afa6

    Example: eaccounting call list_customers --all-pages -p '$filter=IsActive eq true' | jq length

    Example: eaccounting call create_customer --body @customer.json --emulator se
    """
    from . import _operations as ops

    try:
        index = ops.operations()
    except ModuleNotFoundError:
        fail("the generated package eaccounting_api is missing (run `make generate`)", EXIT_USAGE)
    operation = index.get(operation_id)
    if operation is None:
        close = ops.suggest(operation_id)
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        fail(f"unknown operation {operation_id!r}{hint} (list them: eaccounting operations)")
    client, release = _client(
        Connection(
            token_file=token_file,
            environment=environment,
            base_url=base_url,
            identity_url=identity_url,
            client_secret=client_secret,
            emulator=emulator,
        )
    )
    try:
        bound = getattr(getattr(client.api, operation.tag), operation.operation_id)
        module = bound.module
        try:
            kwargs = ops.build_kwargs(module, list(param or []))
            if body is not None:
                if not ops.accepts_body(module):
                    raise ops.ParamError(f"{operation_id} takes no request body")
                kwargs["body"] = ops.wrap_body(module, _read_body(body))
            if all_pages and not ops.is_paged(module):
                raise ops.ParamError(f"{operation_id} is not a paged list operation")
        except ops.ParamError as exc:
            fail(str(exc), EXIT_USAGE)
        try:
            if all_pages:
                emit_json(_all_pages(bound, kwargs, page_size), pretty=pretty)
            else:
                response = bound.sync_detailed(**kwargs)
                _emit_response(response.content, pretty)
        except _library_errors() as exc:
            _handle(exc)
    finally:
        release()


def _emit_response(content: bytes, pretty: bool | None) -> None:
    if not content:
        return
    try:
        data = json.loads(content)
    except ValueError:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    if pretty is None and not sys.stdout.isatty():
        # Piped: the body exactly as the API sent it.
        sys.stdout.write(content.decode("utf-8") + "\n")
        sys.stdout.flush()
        return
    emit_json(data, pretty=pretty)


def _all_pages(bound: Any, kwargs: dict[str, Any], page_size: int | None) -> list[Any]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from eaccounting.paging import Page, SyncPager, parse_page

    def fetch(page: int, size: int) -> Page[Any]:
        response = bound.sync_detailed(page=page, pagesize=size, **kwargs)
        return parse_page(
            json.loads(response.content), lambda item: item, page=page, page_size=size
        )

    items: list[Any] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("pages", total=None)
        for page in SyncPager(fetch, page_size=page_size).pages():
            items.extend(page.items)
            progress.update(task, total=max(page.total_pages, 1), completed=page.page)
    return items


def operations_cmd(
    search: Annotated[
        str | None,
        typer.Argument(help="Only operations whose id, path or summary contains this text."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List the operation ids that `eaccounting call` accepts, with method and path.

    Example: eaccounting operations invoice
    """
    from . import _operations as ops

    try:
        index = ops.operations()
    except ModuleNotFoundError:
        fail("the generated package eaccounting_api is missing (run `make generate`)", EXIT_USAGE)
    needle = (search or "").lower()
    rows = [
        op
        for op in sorted(index.values(), key=lambda o: (o.path, o.method))
        if not needle
        or needle in op.operation_id
        or needle in op.path.lower()
        or needle in op.summary.lower()
    ]
    if as_json:
        emit_json(
            [
                {
                    "operation_id": op.operation_id,
                    "method": op.method.upper(),
                    "path": op.path,
                    "summary": op.summary,
                    "parameters": list(op.parameters),
                }
                for op in rows
            ]
        )
        return
    if not sys.stdout.isatty():  # piped: one greppable line per operation
        for op in rows:
            typer.echo(f"{op.operation_id}\t{op.method.upper()}\t{op.path}\t{op.summary}")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None)
    table.add_column("operation id", no_wrap=True)
    table.add_column("method", no_wrap=True)
    table.add_column("path", no_wrap=True)
    table.add_column("summary", overflow="fold")
    for op in rows:
        table.add_row(op.operation_id, op.method.upper(), op.path, op.summary)
    Console().print(table)
    err_console.print(f"{len(rows)} of {len(index)} operations")


# -- emulator ----------------------------------------------------------------------------------


def _emulator_app() -> typer.Typer:
    emu = typer.Typer(
        help="Run the embedded eAccounting emulator, or show which operations it serves.\n\n"
        "Without a command it serves, taking serve's options (--coverage: show what it "
        "implements instead).\n\n"
        "Example: eaccounting emulator --region se --port 8080",
        invoke_without_command=True,
        rich_markup_mode="markdown",
    )

    @emu.callback()
    def default(
        ctx: typer.Context,
        region: RegionOpt = "se",
        host: HostOpt = "127.0.0.1",
        port: PortOpt = 8080,
        seed: SeedOpt = 0,
        client_secret: SecretOpt = None,
        show_coverage: Annotated[
            bool, typer.Option("--coverage", help="Show the region's coverage instead of serving.")
        ] = False,
    ) -> None:
        if ctx.invoked_subcommand is not None:
            return
        if show_coverage:
            coverage(region=[region], as_json=False, list_ids=True)
            return
        serve(region=region, host=host, port=port, seed=seed, client_secret=client_secret)

    emu.command("serve")(serve)
    emu.command("coverage")(coverage)
    return emu


RegionOpt = Annotated[str, typer.Option("--region", help="se, no, fi or nl.")]


HostOpt = Annotated[str, typer.Option("--host", help="Interface to listen on.")]
PortOpt = Annotated[int, typer.Option("--port", help="Port to listen on.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed for ids and the test app secret.")]
SecretOpt = Annotated[
    str | None,
    typer.Option(
        "--client-secret",
        envvar="EACCOUNTING_CLIENT_SECRET",
        help="The test app's client secret (default: derived from --seed). Never printed.",
        show_default=False,
    ),
]


def serve(
    region: RegionOpt = "se",
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8080,
    seed: SeedOpt = 0,
    client_secret: SecretOpt = None,
) -> None:
    """Serve a stateful emulated sandbox company over HTTP until interrupted.

    The API is at http://HOST:PORT/v2 and the identity server at http://HOST:PORT; the test
    app's client id is emulator-test-app and its registered redirect URI is
    http://localhost:8765/callback, so `eaccounting auth login` works against it.

    Example: EACCOUNTING_CLIENT_SECRET=dev eaccounting emulator serve --region no --port 8080
    """
    from eaccounting.testing import REGIONS

    if region not in REGIONS:
        fail(f"unknown region {region!r} (one of {', '.join(sorted(REGIONS))})", EXIT_USAGE)
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        fail("serving needs the emulator extra: pip install 'visma-eaccounting[emulator]'")
    from eaccounting.testing import serve as run_server

    origin = f"http://{host}:{port}"
    err_console.print(
        f"sign in with: EACCOUNTING_CLIENT_ID=emulator-test-app eaccounting auth login "
        f"--base-url {origin}/v2 --identity-url {origin}"
        + ("" if client_secret else " (pass the same --client-secret to both)")
    )
    run_server(region=region, host=host, port=port, seed=seed, client_secret=client_secret)


def coverage(
    region: Annotated[
        list[str] | None,
        typer.Option("--region", help="Region(s) to report (repeatable; default: all four)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Full lists as JSON.")] = False,
    list_ids: Annotated[
        bool, typer.Option("--list", help="List the operation ids of each category.")
    ] = False,
) -> None:
    """Show how the emulator serves each operation: with state, as a stub, region-gated.

    Example: eaccounting emulator coverage --region se --list
    """
    from eaccounting.testing import REGIONS
    from eaccounting.testing import coverage as run_coverage

    regions = region or sorted(REGIONS)
    unknown = [r for r in regions if r not in REGIONS]
    if unknown:
        fail(f"unknown region(s) {', '.join(unknown)} (one of {', '.join(sorted(REGIONS))})")
    reports = []
    with err_console.status("classifying operations ..."):
        for code in regions:
            reports.append(run_coverage(code))
    if as_json:
        emit_json([r.as_dict() for r in reports])
        return
    for report in reports:
        typer.echo(report.summary())
        if list_ids:
            for title, ids in (
                ("business rules", report.stateful),
                ("generic CRUD", report.crud),
                ("stubs", report.stub),
                ("region-gated", report.region_gated),
                ("not implemented", report.not_implemented),
            ):
                typer.echo(f"  {title} ({len(ids)}): {' '.join(ids) or '-'}")


# -- contract and spec -------------------------------------------------------------------------


def _import_harness() -> Any:
    """``harness.__main__`` from a source checkout (it is not part of the wheel)."""
    import importlib

    def attempt() -> Any:
        try:
            module = importlib.import_module("harness.__main__")
        except ImportError:
            return None
        return module if callable(getattr(module, "main", None)) else None

    module = attempt()
    if module is not None:
        return module
    here = Path.cwd().resolve()
    for directory in (here, *here.parents):
        if (directory / "harness" / "__main__.py").is_file() and (
            directory / "pyproject.toml"
        ).is_file():
            sys.path.insert(0, str(directory))
            sys.modules.pop("harness", None)
            return attempt()
    return None


def contract(
    ctx: typer.Context,
    region: Annotated[
        list[str] | None,
        typer.Option("--region", help="Region to run (repeatable; default: all four)."),
    ] = None,
    target: Annotated[
        str,
        typer.Option(
            "--target",
            help="emulator (embedded) or sandbox (Visma, needs credentials in the environment).",
        ),
    ] = "emulator",
    mode: Annotated[
        str, typer.Option("--mode", help="replay (cassettes), record (refresh them) or live.")
    ] = "replay",
    report_dir: Annotated[
        Path | None,
        typer.Option("--report-dir", help="Where the reports go (default: reports/)."),
    ] = None,
) -> None:
    """Run the contract harness (same options as `make contract` / `make record`).

    The harness lives in the source checkout (harness/), not in the installed package: run
    this from a clone of the repository. Other options are passed through to the harness.

    Example: eaccounting contract --mode record --target sandbox --region se
    """
    module = _import_harness()
    if module is None:
        fail(
            "the contract harness runs from a source checkout: clone the repository and run "
            "`make contract` (or `eaccounting contract` inside the clone)",
            EXIT_USAGE,
        )
    argv: list[str] = []
    for code in region or []:
        argv += ["--region", code]
    argv += ["--target", target, "--mode", mode]
    if report_dir is not None:
        argv += ["--report-dir", str(report_dir)]
    argv += list(ctx.args)
    raise typer.Exit(int(module.main(argv) or 0))


def _spec_app() -> typer.Typer:
    spec = typer.Typer(
        help="Work with OpenAPI specs of the eAccounting API.\n\n"
        "Example: eaccounting spec diff old.yaml new.yaml",
        no_args_is_help=True,
        rich_markup_mode="markdown",
    )
    spec.command(
        "diff", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
    )(spec_diff)
    return spec


def spec_diff(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The previous spec (path or URL).")],
    new: Annotated[str, typer.Argument(help="The new spec (path or URL).")],
) -> None:
    """Report what changed between two specs, breaking changes first.

    Other options are passed to the differ (see docs/spec-diff.md). Exit status as the
    differ's.

    Example: eaccounting spec diff generated/upstream.yaml ~/Downloads/eaccounting-v2.yaml
    """
    try:
        from eaccounting import spec_diff as differ  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        fail("this version of visma-eaccounting has no spec differ (eaccounting.spec_diff)")
    main = getattr(differ, "main", None)
    if not callable(main):
        fail("eaccounting.spec_diff has no main()")
    raise typer.Exit(int(main([old, new, *ctx.args]) or 0))


__all__ = ["EXIT_API", "build_app"]
