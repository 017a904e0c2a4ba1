"""``python -m eaccounting.testing`` (or ``eaccounting-emulator``): serve the emulator over HTTP.

Needs only the ``emulator`` extra (uvicorn), not the command line's typer and rich.

    python -m eaccounting.testing --region se --port 8080

Exit status: 0 after Ctrl-C, 2 for a bad option or a port that cannot be used.
"""

from __future__ import annotations

import argparse
import os
import sys

from .regions import REGIONS

EXIT_USAGE = 2
INSTALL_HINT = "pip install 'visma-eaccounting[emulator]'"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m eaccounting.testing",
        description="Serve a stateful emulated eAccounting sandbox company over HTTP "
        "(API at http://HOST:PORT/v2, identity server at http://HOST:PORT).",
    )
    parser.add_argument("--region", default="se", choices=sorted(REGIONS), help="default: se")
    parser.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="default: 8080 (0: any free)")
    parser.add_argument("--seed", type=int, default=0, help="seed for ids and the app secret")
    parser.add_argument(
        "--client-secret",
        default=os.environ.get("EACCOUNTING_CLIENT_SECRET"),
        help="the test app's client secret (default: EACCOUNTING_CLIENT_SECRET, else derived "
        "from --seed); never printed",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        print(f"error: serving the emulator needs uvicorn: {INSTALL_HINT}", file=sys.stderr)
        return EXIT_USAGE
    from .emulator import listen, serve

    try:
        sock = listen(args.host, args.port)
    except ValueError as exc:
        print(f"error: --port: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(
            f"error: cannot listen on {args.host}:{args.port} ({exc.strerror or exc}); "
            "pick another --port",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        serve(
            region=args.region,
            host=args.host,
            seed=args.seed,
            client_secret=args.client_secret,
            sock=sock,
        )
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
