"""Run a page's ```python blocks and check the output they promise.

A top-level statement whose last line ends in ``# → text`` must print exactly ``text`` (``…``
stands for any run of characters, for values that differ between runs such as ids and times),
e.g. ``print(waits)  # → [60.0]``. A remark goes on a comment line of its own.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import sys
from typing import Any

_PROMISE = re.compile(r"#\s*→\s*(.*?)\s*$")


def promise(line: str) -> str | None:
    """The output ``line`` promises, if it ends in ``# → ...``."""
    match = _PROMISE.search(line)
    return match.group(1) if match else None


def matches(expected: str, printed: str) -> bool:
    pattern = ".+?".join(re.escape(part) for part in expected.split("…"))
    return re.fullmatch(pattern, printed) is not None


def run_block(code: str, filename: str, first_line: int, namespace: dict[str, Any]) -> list[str]:
    """Run ``code`` statement by statement in ``namespace``; each broken promise, as text.

    ``first_line`` is the block's first line in its page, so a message names the page's line.
    """
    lines = code.splitlines()
    broken = []
    for node in ast.parse(code).body:
        last = node.end_lineno or node.lineno  # in the block; the page's line is offset below
        expected = promise(lines[last - 1])
        module = ast.Module(body=[node], type_ignores=[])
        compiled = compile(ast.increment_lineno(module, first_line - 1), filename, "exec")
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(compiled, namespace)
        sys.stdout.write(output.getvalue())  # whoever captures around the block sees it too
        printed = output.getvalue().rstrip("\n")
        if expected is not None and not matches(expected, printed):
            line = first_line + last - 1
            broken.append(f"{filename}:{line}: promised {expected!r}, printed {printed!r}")
    return broken


def promises(code: str) -> int:
    return sum(promise(line) is not None for line in code.splitlines())
