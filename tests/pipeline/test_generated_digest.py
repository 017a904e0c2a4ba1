"""``make generate``'s output matches the committed manifest, spec/generated.sha256.

(``test_generated.py`` also checks a fresh generation against it.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from spec.generated_digest import MANIFEST, REPO, check, manifest, parse, render


def test_the_generated_package_matches_the_committed_manifest() -> None:
    assert check() == []
    assert len(parse(MANIFEST.read_text(encoding="utf-8"))) > 500


def test_an_added_date_stamp_fails_naming_the_file_and_the_fix(tmp_path: Path) -> None:
    root = tmp_path / "eaccounting_api"
    (root / "models").mkdir(parents=True)
    (root / "__init__.py").write_text('"""A client."""\n')
    (root / "models" / "customer.py").write_text("class Customer: ...\n")
    committed = tmp_path / "generated.sha256"
    committed.write_text(render(manifest(root)), encoding="utf-8")
    assert check(root, committed) == []
    (root / "GENERATED_ON.txt").write_text("2026-12-02\n")
    (root / "models" / "customer.py").write_text("# generated 2026-12-02\nclass Customer: ...\n")
    problems = check(root, committed)
    assert problems[:2] == ["added:   GENERATED_ON.txt", "changed: models/customer.py"]
    assert len(problems) == 3
    assert "in 2 file(s)" in problems[2]
    assert "run `make generated-digest` and commit" in problems[2]


def test_the_check_command_exits_1_on_a_difference(tmp_path: Path) -> None:
    def command(committed: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "spec.generated_digest", "--manifest", str(committed)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert (command(MANIFEST).returncode, command(MANIFEST).stderr) == (0, "")
    lines = MANIFEST.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = tmp_path / "generated.sha256"
    broken.write_text("".join(lines[1:]), encoding="utf-8")  # a file the manifest lacks
    result = command(broken)
    assert result.returncode == 1
    first = lines[0].split("  ", 1)[1].strip()
    assert result.stderr.splitlines()[0] == f"added:   {first}"
    assert "run `make generated-digest`" in result.stderr


def test_a_malformed_manifest_line_is_named() -> None:
    try:
        parse("abc  x.py\n")
    except ValueError as exc:
        assert str(exc) == "generated.sha256:1: expected '<sha256>  <path>', got 'abc  x.py'"
    else:  # pragma: no cover - the assertion above is the test
        raise AssertionError("no error")
