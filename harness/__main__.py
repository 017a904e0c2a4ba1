"""``python -m harness``: the contract run (``make contract`` / ``make record``).

    python -m harness                                  # replay all regions from cassettes
    python -m harness --mode record --region se        # re-record Sweden against the emulator
    python -m harness --mode record --target sandbox --region no   # record from Visma's sandbox
    python -m harness --mode live --target sandbox     # check the sandboxes, no cassettes

Exit status 0 only if nothing failed; reports go to --report-dir (Markdown, JUnit XML, HTML).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .cassettes import CASSETTES_DIR, MODES
from .profiles import REGIONS, ProfileError
from .report import write_reports
from .runner import Options, run
from .targets import TARGETS, TargetError


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m harness",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--region",
        action="append",
        choices=REGIONS,
        help="a region to run (repeatable; default: all four)",
    )
    parser.add_argument("--target", choices=TARGETS, default="emulator")
    parser.add_argument("--mode", choices=MODES, default="replay")
    parser.add_argument("--examples", type=int, default=3, help="positive cases per operation")
    parser.add_argument("--negative", type=int, default=2, help="negative cases per operation")
    parser.add_argument("--no-scenarios", action="store_true", help="skip stateful scenarios")
    parser.add_argument("--report-dir", type=Path, default=Path("reports"))
    parser.add_argument(
        "--cassette-dir",
        type=Path,
        default=CASSETTES_DIR,
        help="where cassettes are read and written (default: harness/cassettes)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    options = Options(
        regions=tuple(args.region or REGIONS),
        target=args.target,
        mode=args.mode,
        examples=args.examples,
        negative=args.negative,
        scenarios=not args.no_scenarios,
        cassette_dir=args.cassette_dir,
    )
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    started = time.perf_counter()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        tasks: dict[str, int] = {}

        def advance(region: str, operation: str) -> None:
            if region not in tasks:
                tasks[region] = progress.add_task(f"{region} {options.mode}", total=None)
            progress.update(tasks[region], advance=1, description=f"{region} {operation}")

        try:
            matrix = run(options, progress=advance)
        except (TargetError, ProfileError) as error:
            console.print(f"[red]contract: {escape(str(error))}[/red]")
            return 2
    for orphan in matrix.orphans_removed:
        console.print(f"removed orphan cassette (no operation uses it): {orphan}")
    for path in write_reports(matrix, args.report_dir):
        console.print(f"report: {path}")
    for operation in matrix.uncovered():
        reasons = {matrix.cell(r, operation).reason for r in matrix.regions}
        console.print(f"not exercised in any region: {operation} ({'; '.join(sorted(reasons))})")
    elapsed = time.perf_counter() - started
    console.print(f"{len(options.regions)} region(s), {options.mode}, {elapsed:.1f} s")
    print(matrix.closing_line())
    return 1 if matrix.failed else 0


if __name__ == "__main__":
    sys.exit(main())
