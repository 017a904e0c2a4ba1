"""Option types shared by several commands (connection, token file, emulator region)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
        help="Host preset: production, sandbox (same hosts as production: the client type "
        "decides) or legacy-sandbox (default: EACCOUNTING_ENVIRONMENT, then the profile).",
        show_default=False,
    ),
]
BaseUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        help="API base URL including /v2 (e.g. a served emulator: http://127.0.0.1:8080/v2; "
        "default: EACCOUNTING_BASE_URL, then the profile).",
        show_default=False,
    ),
]
IdentityUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--identity-url",
        help="Identity server origin (e.g. http://127.0.0.1:8080 for a served emulator; "
        "default: EACCOUNTING_IDENTITY_URL, then the profile).",
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
        "the API: no credentials needed (not combinable with --base-url and the like).",
        show_default=False,
    ),
]
