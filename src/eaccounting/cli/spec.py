"""``eaccounting spec diff``: what changed between two OpenAPI specs of the API."""

from __future__ import annotations

from typing import Annotated

import typer


def spec_app() -> typer.Typer:
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
    from .spec_diff import main

    raise typer.Exit(int(main([old, new, *ctx.args]) or 0))
