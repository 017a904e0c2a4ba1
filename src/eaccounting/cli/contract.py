"""``eaccounting contract``: the contract harness of a source checkout (not in the wheel)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ._output import EXIT_USAGE, fail


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
