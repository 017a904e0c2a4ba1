"""``python -m spec overlay`` fails (exit 1, writes nothing) when an action matches nothing.

The real command in a subprocess: the Makefile and CI read its exit status, so that is what is
checked, not a Python return value.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NORMALISED = ROOT / "generated" / "normalised.json"


def _overlay(spec: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spec", "overlay", "--spec", str(spec), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def normalised() -> dict[str, object]:
    return json.loads(NORMALISED.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_the_pinned_spec_passes(tmp_path: Path) -> None:
    result = _overlay(NORMALISED, tmp_path / "openapi.yaml")
    assert result.returncode == 0, result.stderr
    assert "UNMATCHED" not in result.stdout
    assert (tmp_path / "openapi.json").is_file()


def test_an_action_that_matches_nothing_fails_the_command(
    tmp_path: Path, normalised: dict[str, object]
) -> None:
    # Visma drops an operation the decisions still name: the naming action then matches nothing.
    spec = json.loads(json.dumps(normalised))
    del spec["paths"]["/accounts/standardaccounts"]  # type: ignore[index]
    changed = tmp_path / "normalised.json"
    changed.write_text(json.dumps(spec), encoding="utf-8")
    out = tmp_path / "out" / "openapi.yaml"
    result = _overlay(changed, out)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "UNMATCHED 01-operation-ids.yaml" in result.stderr
    assert "$.paths['/accounts/standardaccounts']" in result.stderr
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("overlay: 0 error(s) against OpenAPI"), summary
    assert " 0 unmatched action(s)" not in summary
    assert "0 undecided operation(s)" in summary
    assert not out.exists() and not out.with_suffix(".json").exists()
