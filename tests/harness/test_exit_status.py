"""``python -m harness`` exits 1 when a case fails and 0 when none does (CI reads the status).

The real command in a subprocess, replaying one region's committed cassettes (one example per
operation, no negative cases, no scenarios: a few seconds) from a copy; the failing run replays
the same copy with one recorded 200 turned into a 500.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from harness.cassettes import CASSETTES_DIR

ROOT = Path(__file__).resolve().parents[2]


def _contract(cassettes: Path, reports: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "harness", "--region", "se", "--no-scenarios"]
    command += ["--examples", "1", "--negative", "0"]
    command += ["--cassette-dir", str(cassettes), "--report-dir", str(reports)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def _closing(result: subprocess.CompletedProcess[str]) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+) passed, (\d+) failed(, \d+ \w+)*", result.stdout.strip())
    assert match, result.stdout
    return int(match[1]), int(match[2])


def test_a_clean_replay_exits_0(tmp_path: Path) -> None:
    shutil.copytree(CASSETTES_DIR / "se", tmp_path / "cassettes" / "se")
    result = _contract(tmp_path / "cassettes", tmp_path / "reports")
    assert result.returncode == 0, result.stderr[-2000:]
    passed, failed = _closing(result)
    assert (passed > 100, failed) == (True, 0)
    assert "## Stateful scenarios" not in (tmp_path / "reports" / "contract.md").read_text("utf-8")


def test_a_failing_case_exits_1_and_names_it(tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    shutil.copytree(CASSETTES_DIR / "se", cassettes / "se")
    countries = cassettes / "se" / "countries.yaml"
    text = countries.read_text(encoding="utf-8")
    assert "      code: 200\n" in text
    countries.write_text(text.replace("      code: 200\n", "      code: 500\n", 1), "utf-8")
    result = _contract(cassettes, tmp_path / "reports")
    assert result.returncode == 1, result.stderr[-2000:]
    passed, failed = _closing(result)
    assert (passed > 100, failed) == (True, 1)
    summary = (tmp_path / "reports" / "contract.md").read_text(encoding="utf-8")
    assert "se `list_countries` — failed: GET /countries -> 500" in summary


def test_a_target_that_cannot_run_exits_2_naming_what_is_missing(tmp_path: Path) -> None:
    # 2, not 1: nothing was checked, so CI must not read it as "the contract failed".
    env = {k: v for k, v in os.environ.items() if not k.startswith("EACCOUNTING_")}
    command = [sys.executable, "-m", "harness", "--target", "sandbox", "--mode", "live"]
    command += ["--region", "se", "--report-dir", str(tmp_path / "reports")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "contract: the sandbox target needs EACCOUNTING_CLIENT_ID" in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "reports").exists()


def test_importing_the_entry_module_runs_nothing() -> None:
    # Only `python -m harness` runs the contract; an import (docs, tests) must not exit.
    result = subprocess.run(
        [sys.executable, "-c", "import harness.__main__ as m; print(m.main.__name__)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (result.returncode, result.stdout) == (0, "main\n")


def test_a_recording_removes_and_names_orphan_cassettes(tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    (cassettes / "se").mkdir(parents=True)
    (cassettes / "se" / "retired_endpoint.yaml").write_text("interactions: []\n")
    command = [sys.executable, "-m", "harness", "--mode", "record", "--region", "se"]
    command += ["--no-scenarios", "--examples", "1", "--negative", "0"]
    command += ["--cassette-dir", str(cassettes), "--report-dir", str(tmp_path / "reports")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "removed orphan cassette (no operation uses it): se/retired_endpoint.yaml" in (
        " ".join(result.stderr.split())
    )
    assert not (cassettes / "se" / "retired_endpoint.yaml").exists()
    assert (cassettes / "se" / "countries.yaml").is_file()


def test_the_defaults_replay_every_region_against_the_emulator() -> None:
    from harness.__main__ import parse_args

    args = parse_args([])
    assert (args.region, args.target, args.mode) == (None, "emulator", "replay")
    assert (args.examples, args.negative, args.no_scenarios) == (3, 2, False)
    assert args.report_dir == Path("reports")
    assert args.cassette_dir == CASSETTES_DIR
