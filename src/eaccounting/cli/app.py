"""The typer application: one group or command per module (auth, call, emulator, contract,
spec); this module only assembles them."""

from __future__ import annotations

from typing import Annotated

import typer

from ._output import EXIT_API
from .auth import auth_app
from .call import call, operations_cmd
from .contract import contract
from .emulator import emulator_app
from .spec import spec_app

__all__ = ["EXIT_API", "build_app"]


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

    app.add_typer(auth_app(), name="auth")
    app.command("call")(call)
    app.command("operations")(operations_cmd)
    app.add_typer(emulator_app(), name="emulator")
    app.command(
        "contract", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
    )(contract)
    app.add_typer(spec_app(), name="spec")
    return app
