"""``eaccounting emulator``: serve the embedded emulator over HTTP, or show its coverage."""

from __future__ import annotations

from typing import Annotated

import typer

from ._output import EXIT_USAGE, emit_json, err_console, fail

EMULATOR_EXTRA = "pip install 'visma-eaccounting[emulator]'"


def emulator_app() -> typer.Typer:
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
        fail(f"serving the emulator needs uvicorn: {EMULATOR_EXTRA}", EXIT_USAGE)
    from eaccounting.testing import listen
    from eaccounting.testing import serve as run_server

    # Bind first: a bad or busy port is one line and exit 2, before anything says "on http://".
    try:
        sock = listen(host, port)
    except ValueError as exc:
        fail(f"--port: {exc}", EXIT_USAGE)
    except OSError as exc:
        fail(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); pick another --port",
            EXIT_USAGE,
        )
    origin = f"http://{host}:{sock.getsockname()[1]}"
    err_console.print(
        f"sign in with: EACCOUNTING_CLIENT_ID=emulator-test-app eaccounting auth login "
        f"--base-url {origin}/v2 --identity-url {origin}"
        + ("" if client_secret else " (pass the same --client-secret to both)"),
        markup=False,
    )
    try:
        run_server(region=region, host=host, seed=seed, client_secret=client_secret, sock=sock)
    except KeyboardInterrupt:
        pass


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
        fail(
            f"unknown region(s) {', '.join(unknown)} (one of {', '.join(sorted(REGIONS))})",
            EXIT_USAGE,
        )
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
