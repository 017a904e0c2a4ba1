"""``python -m harness.nightly``: the scheduled sandbox contract job, one region per CI job.

    EACCOUNTING_TOKEN_WRITEBACK="gh secret set EACCOUNTING_SE_REFRESH_TOKEN" \\
        python -m harness.nightly --region se

1. Refuses to start without ``$EACCOUNTING_TOKEN_WRITEBACK``: on a runner that goes away, a
   rotated refresh token that is not written back is lost, and the next run needs a consent.
2. Records the region from its sandbox (``make record TARGET=sandbox``). The first thing the
   run does is rotate the refresh token; the successor is written back before any check runs.
3. Writes the reports and appends the Markdown one to the job summary (``$GITHUB_STEP_SUMMARY``).
4. Says whether the cassettes changed (``changed=true|false`` in ``$GITHUB_OUTPUT``), so the
   workflow can open a pull request with them.

Exit status: 0 nothing failed; 1 drift (the sandbox and the spec disagree: see the report);
2 not configured, or the token could not be rotated or written back.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

from eaccounting import EAccountingError

from . import __main__ as contract
from .cassettes import CASSETTES_DIR
from .profiles import REGIONS
from .writeback import WRITEBACK_VARIABLE, TokenWriteBackError


def cassette_digest(directory: Path) -> str:
    """One digest over every cassette file's name and bytes below ``directory``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(directory)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _append(variable: str, text: str) -> None:
    target = os.environ.get(variable)
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(text)


def _root_message(error: BaseException) -> str:
    """A write-back failure says what to do; the client wraps it in a generic persistence error."""
    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, TokenWriteBackError):
        cause = cause.__cause__
    return str(cause or error)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.nightly", description=__doc__)
    parser.add_argument("--region", required=True, choices=REGIONS)
    parser.add_argument("--report-dir", type=Path, default=Path("reports"))
    parser.add_argument("--cassette-dir", type=Path, default=CASSETTES_DIR)
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--negative", type=int, default=2)
    args = parser.parse_args(argv)

    if not os.environ.get(WRITEBACK_VARIABLE, "").strip():
        print(
            f"nightly: set {WRITEBACK_VARIABLE} to a command that stores the rotated refresh "
            f"token where the next run reads it (e.g. gh secret set "
            f"EACCOUNTING_{args.region.upper()}_REFRESH_TOKEN); without it this run would spend "
            "the token and lose its successor",
            file=sys.stderr,
        )
        return 2
    region_dir = args.cassette_dir / args.region
    before = cassette_digest(region_dir) if region_dir.is_dir() else ""
    try:
        status = contract.main(
            [
                "--mode", "record", "--target", "sandbox", "--region", args.region,
                "--examples", str(args.examples), "--negative", str(args.negative),
                "--report-dir", str(args.report_dir), "--cassette-dir", str(args.cassette_dir),
            ]
        )  # fmt: skip
    except (EAccountingError, TokenWriteBackError) as error:
        print(f"nightly: {args.region}: {_root_message(error)}", file=sys.stderr)
        return 2
    changed = (cassette_digest(region_dir) if region_dir.is_dir() else "") != before
    _append("GITHUB_OUTPUT", f"changed={'true' if changed else 'false'}\n")
    report = args.report_dir / "contract.md"
    if report.is_file():
        _append("GITHUB_STEP_SUMMARY", f"## Sandbox contract: {args.region}\n\n")
        _append("GITHUB_STEP_SUMMARY", report.read_text("utf-8") + "\n")
    print(f"nightly: {args.region}: cassettes {'changed' if changed else 'unchanged'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
