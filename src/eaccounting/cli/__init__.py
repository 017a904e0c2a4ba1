"""The ``eaccounting`` command line (needs the ``cli`` extra: typer and rich).

Nothing here is imported by ``import eaccounting``; typer and rich are imported only when the
command runs, so the library itself does not depend on them.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (``eaccounting = eaccounting.cli:main``)."""
    try:
        from .app import build_app
    except ImportError as exc:  # typer or rich missing
        missing = getattr(exc, "name", None) or str(exc)
        print(
            f"eaccounting: the command line needs the 'cli' extra ({missing} is not installed): "
            "pip install 'visma-eaccounting[cli]'",
            file=sys.stderr,
        )
        return 1
    app = build_app()
    try:
        app(args=argv, prog_name="eaccounting", standalone_mode=True)
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


if __name__ == "__main__":  # python -m eaccounting.cli
    sys.exit(main())
