"""``eaccounting call`` (any operation by id) and ``eaccounting operations`` (the ids)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .._json_wire import loads
from ._connection import Connection, build_client
from ._options import (
    BaseUrlOpt,
    ClientSecretOpt,
    EmulatorOpt,
    EnvironmentOpt,
    IdentityUrlOpt,
    TokenFileOpt,
)
from ._output import EXIT_USAGE, emit_json, err_console, fail, handle, library_errors

MISSING_GENERATED = (
    "the generated package eaccounting_api is missing: reinstall visma-eaccounting from a "
    "wheel (in a source checkout: `make generate`)"
)


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
        fail(MISSING_GENERATED, EXIT_USAGE)
    operation = index.get(operation_id)
    if operation is None:
        close = ops.suggest(operation_id)
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        fail(f"unknown operation {operation_id!r}{hint} (list them: eaccounting operations)")
    # Everything about the command line is checked before a client (or an emulator) is built.
    module = ops.operation_module(operation)
    try:
        kwargs = ops.build_kwargs(module, list(param or []))
        if body is not None:
            if not ops.accepts_body(module):
                raise ops.ParamError(f"{operation_id} takes no request body")
            kwargs["body"] = ops.wrap_body(module, _read_body(body))
        elif ops.accepts_body(module):
            raise ops.ParamError(
                f"{operation_id} sends a request body ({operation.title}): pass --body "
                "@file.json, --body - (stdin) or inline JSON; --body '{}' sends an empty object"
            )
        if all_pages:
            if not ops.is_paged(module):
                raise ops.ParamError(f"{operation_id} is not a paged list operation")
            if page_size is not None:
                ops.check_page_size(page_size, "--page-size")
    except ops.ParamError as exc:
        fail(str(exc), EXIT_USAGE)
    try:
        client, release = build_client(
            Connection(
                token_file=token_file,
                environment=environment,
                base_url=base_url,
                identity_url=identity_url,
                client_secret=client_secret,
                emulator=emulator,
            )
        )
    except library_errors() as exc:
        handle(exc)
    try:
        bound = getattr(getattr(client.api, operation.tag), operation.operation_id)
        try:
            if all_pages:
                emit_json(_all_pages(bound, kwargs, page_size), pretty=pretty)
            else:
                response = bound.sync_detailed(**kwargs)
                _emit_response(response.content, pretty)
        except library_errors() as exc:
            handle(exc)
    finally:
        release()


def _emit_response(content: bytes, pretty: bool | None) -> None:
    if not content:
        return
    try:
        data = loads(content)
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
        return parse_page(loads(response.content), lambda item: item, page=page, page_size=size)

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
        fail(MISSING_GENERATED, EXIT_USAGE)
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
