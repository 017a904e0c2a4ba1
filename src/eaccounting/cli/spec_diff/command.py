"""``python -m eaccounting.cli.spec_diff OLD NEW`` and ``eaccounting spec diff OLD NEW``."""

from __future__ import annotations

import argparse
import json
import sys

from .compare import diff
from .loading import SpecDiffError, load
from .text import render

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code (see the module docstring)."""
    parser = argparse.ArgumentParser(
        prog="python -m eaccounting.cli.spec_diff",
        description="Report what changed between two OpenAPI specs and flag breaking changes.",
    )
    parser.add_argument("old", help="old spec: path or http(s) URL (YAML or JSON)")
    parser.add_argument("new", help="new spec: path or http(s) URL (YAML or JSON)")
    parser.add_argument("--json", action="store_true", help="print the diff as JSON")
    parser.add_argument(
        "--full", action="store_true", help="list every plain case-only property rename"
    )
    parser.add_argument(
        "--fail-on-breaking",
        action="store_true",
        help="exit 1 when the diff contains breaking changes",
    )
    args = parser.parse_args(argv)
    try:
        old_doc, new_doc = load(args.old), load(args.new)
    except SpecDiffError as exc:
        print(f"spec-diff: {exc}", file=sys.stderr)
        return 2
    result = diff(old_doc, new_doc, old_label=args.old, new_label=args.new)
    if args.json:
        print(json.dumps(result.as_dict(), indent=1, ensure_ascii=False))
    else:
        sys.stdout.write(render(result, full=args.full))
    if args.fail_on_breaking and result.has_breaking:
        return 1
    return 0
