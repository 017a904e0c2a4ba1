"""Run ``mypy --strict`` on small user files, as a user's CI would, and read back its errors.

Shared by the typing tests (a misspelled ``client.api`` operation, a misspelled body key …):
each writes its files, calls :func:`check_user_code` once and asserts on the errors per file.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

__all__ = ["check_user_code", "reveal"]

REPO = Path(__file__).resolve().parents[2]
_ERROR = re.compile(r"^(?P<file>[^:]+\.py):(?P<line>\d+): error: (?P<message>.*)$")
# mypy's "; maybe "x", "y"?" suggestions depend on which other names exist: not asserted.
_SUGGESTION = re.compile(r'; maybe "[^?]*"\?')


def check_user_code(
    directory: Path, files: dict[str, str], *, repo_config: bool = True
) -> dict[str, list[str]]:
    """Write ``files`` (name → source) into ``directory``, type-check them in one mypy run.

    Returns every file's errors as ``"<line>: <message>  [<code>]"`` (mypy's wording, its
    name suggestions removed); a file that type-checks has ``[]``. The repository's mypy
    settings apply (``--strict``, ``src`` and ``generated`` on the path), or with
    ``repo_config=False`` a user's own defaults (run from ``directory``: only ``--strict``, the
    packages found as installed, through their ``py.typed``). A fresh cache each time, so the
    result does not depend on an earlier run.
    """
    paths = []
    for name, source in files.items():
        path = directory / name
        path.write_text(source, encoding="utf-8")
        paths.append(str(path))
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--no-error-summary",
        "--hide-error-context",
        "--no-color-output",
        "--show-error-codes",
        "--cache-dir",
        str(directory / ".mypy_cache"),
        *paths,
    ]
    cwd = REPO if repo_config else directory
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False)
    if result.returncode not in (0, 1) or result.stderr.strip():
        raise AssertionError(f"mypy did not run (exit {result.returncode}):\n{result.stderr}")
    errors: dict[str, list[str]] = {name: [] for name in files}
    for line in result.stdout.splitlines():
        match = _ERROR.match(line)
        if match is None:
            continue  # notes
        name = Path(match["file"]).name
        message = _SUGGESTION.sub("", match["message"])
        errors.setdefault(name, []).append(f"{match['line']}: {message}")
    return errors


def reveal(directory: Path, source: str) -> tuple[list[str], list[str], str]:
    """mypy --strict (in process, the repository's settings) on one file: the types its
    ``reveal_type`` calls show, in order; its error lines; and everything it printed."""
    from mypy import api

    user = directory / "user.py"
    user.write_text(source, encoding="utf-8")
    out, _err, _status = api.run(["--strict", "--no-error-summary", str(user)])
    revealed = [
        line.split('Revealed type is "')[1].rstrip('"')
        for line in out.splitlines()
        if "Revealed type is" in line
    ]
    errors = [line for line in out.splitlines() if ": error:" in line]
    return revealed, errors, out
