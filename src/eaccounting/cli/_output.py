"""JSON output, one-line errors and exit codes.

Exit codes: 0 success, 1 the API answered with an error, 2 usage (bad option, unknown
operation, unreadable body), 3 authentication (no token, re-consent required, refused
credentials), 4 no response (connection failure, timeout).
"""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.highlighter import JSONHighlighter
from rich.markup import escape

from .._json_wire import dumps

EXIT_API = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_CONNECTION = 4

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print ``error: message`` on one line to stderr and exit with ``code``.

    The message is printed literally: rich would take ``[cli]`` in
    ``pip install 'visma-eaccounting[cli]'`` for markup and drop it.
    """
    one_line = escape(" ".join(message.split()))
    err_console.print(f"[bold red]error:[/bold red] {one_line}", markup=True, highlight=False)
    raise typer.Exit(code)


def library_errors() -> tuple[type[BaseException], ...]:
    """What the library raises for a failed call or a bad setting (ValueError included)."""
    from eaccounting.errors import EAccountingError

    return (EAccountingError, ValueError)


def handle(exc: BaseException) -> NoReturn:
    """Exit with the one-line message and exit code of a library error."""
    message, code = describe_error(exc)
    fail(message, code)


def describe_error(exc: BaseException) -> tuple[str, int]:
    """A one-line message and exit code for an exception raised by the library."""
    from eaccounting.auth import TokenEndpointError
    from eaccounting.errors import (
        APIConnectionError,
        APIError,
        AuthenticationError,
        ConfigurationError,
        FieldError,
        ReconsentRequiredError,
        TokenStoreError,
        ValidationError,
    )

    if isinstance(exc, ConfigurationError):  # no credentials: it names the login command
        return str(exc), EXIT_AUTH
    if isinstance(exc, TokenStoreError):  # the token file: unreadable, locked, not writable
        return str(exc), EXIT_AUTH
    if isinstance(exc, ReconsentRequiredError):
        return f"{exc} (run `eaccounting auth login`)", EXIT_AUTH
    if isinstance(exc, TokenEndpointError):
        return str(exc), EXIT_AUTH
    if isinstance(exc, AuthenticationError):
        return str(exc), EXIT_AUTH
    if isinstance(exc, APIError):
        message = str(exc)
        fields = [e for e in exc.errors if isinstance(e, FieldError) and e.message]
        details = "; ".join(
            f"{e.field}: {e.message}" if e.field else str(e.message) for e in fields
        )
        if details and details not in message:
            message = f"{message} [{details}]"
        return message, EXIT_API
    if isinstance(exc, APIConnectionError):
        return str(exc), EXIT_CONNECTION
    if isinstance(exc, ValidationError):
        return str(exc), EXIT_USAGE
    if isinstance(exc, ValueError) and "client_secret" in str(exc):
        # The access token expired and refreshing it needs the app's credentials.
        return f"{exc} (set EACCOUNTING_CLIENT_ID and EACCOUNTING_CLIENT_SECRET)", EXIT_AUTH
    return f"{type(exc).__name__}: {exc}", EXIT_USAGE


def emit_json(data: Any, *, pretty: bool | None = None) -> None:
    """Write ``data`` as JSON: indented and coloured on a terminal, compact when piped."""
    if pretty is None:
        pretty = sys.stdout.isatty()
    if pretty:
        # Highlighted as rich's print_json does, without its float round trip (amounts are
        # Decimals and keep every digit).
        text = JSONHighlighter()(dumps(data, indent=2).decode("utf-8"))
        text.no_wrap = True
        Console(soft_wrap=True).print(text)
    else:
        sys.stdout.write(dumps(data).decode("utf-8") + "\n")
        sys.stdout.flush()
