"""The pipeline's stages as the Makefile runs them: atomic outputs and one-line failures."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from spec.__main__ import main

from ..conftest import REPO

# Nothing listens on the discard port of the loopback address: refused at once, like no network.
UNREACHABLE = "http://127.0.0.1:9/openapi/v2.json"


def test_a_failed_normalise_leaves_no_output_a_later_run_would_trust(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "v2.json"
    spec.write_text(
        json.dumps(
            {
                "openapi": "3.0.4",
                "info": {"title": "t", "version": "1"},
                "paths": {},
                "components": {"schemas": {"A": {"type": ["string", "null"]}}},
            }
        )
    )
    out = tmp_path / "normalised.json"
    out.write_text("{}")  # what an earlier run left behind
    assert main(["normalise", "--spec", str(spec), "--out", str(out)]) == 1
    assert not out.exists()
    assert capsys.readouterr().err.splitlines() == [
        "invalid for OpenAPI 3.0.4: components/schemas/A/type: "
        "['string', 'null'] is not of type 'string'",
        "normalise: 1 error(s) against OpenAPI 3.0.4",
    ]


def test_a_document_of_another_version_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "swagger.yaml"
    spec.write_text('swagger: "2.0"\n')
    assert main(["check", "--spec", str(spec)]) == 2
    assert capsys.readouterr().err == (
        f"spec check: {spec}: not an OpenAPI 3.0.x or 3.1.x document (no 'openapi' field); "
        "the pipeline accepts both forms\n"
    )


@pytest.mark.parametrize(
    ("target", "variable"),
    [("spec-check", "SPEC"), ("spec-update", "EACCOUNTING_SPEC")],
)
def test_make_with_an_unreachable_url_fails_in_one_line_without_a_traceback(
    target: str, variable: str
) -> None:
    pin_before = (REPO / "spec" / "pin.toml").read_bytes()
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", target, f"{variable}={UNREACHABLE}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        # Run as a maintainer would, not as a sub-make of `make test`.
        env={k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")},
    )
    assert result.returncode != 0
    # make adds its own "make: *** [...] Error 2" trailer after the tool's line.
    trailer = re.compile(r"make(\[\d+\])?: \*\*\*")
    lines = [line for line in result.stderr.splitlines() if not trailer.match(line)]
    command = "check" if target == "spec-check" else "update"
    assert len(lines) == 1 and "Traceback" not in result.stderr + result.stdout
    assert lines[0].startswith(f"spec {command}: could not fetch the spec from {UNREACHABLE}: ")
    assert (REPO / "spec" / "pin.toml").read_bytes() == pin_before


def test_the_makefile_deletes_a_target_whose_recipe_failed() -> None:
    makefile = (REPO / "Makefile").read_text()
    assert "\n.DELETE_ON_ERROR:\n" in makefile
