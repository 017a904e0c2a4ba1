"""Validate the effective spec and generate the ``eaccounting_api`` package from it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from spec import bodies
from spec.documents import load_yaml
from spec.namespace import write_namespace

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "spec" / "generator.yaml"
TEMPLATES = REPO / "spec" / "templates"


def validation_errors(spec: Mapping[str, Any]) -> list[str]:
    """Every openapi-spec-validator error, as one line each."""
    from openapi_spec_validator import OpenAPIV31SpecValidator

    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in OpenAPIV31SpecValidator(spec).iter_errors()
    ]


def generate(spec_path: Path, out: Path) -> list[str]:
    """Generate the package into ``out`` from scratch; return the generator's warnings.

    The effective spec is shipped inside the package as ``openapi.json`` so the installed library
    (the emulator, the harness) can read the operations without this repository; the typed
    ``client.api`` namespace (``namespace/``) is written from the generated operations.
    """
    if out.exists():
        shutil.rmtree(out)
    bin_dir = Path(sys.executable).parent
    # The generator, with number properties typed Decimal (spec/decimal_numbers.py).
    command = [
        sys.executable,
        "-m",
        "spec.decimal_numbers",
        "generate",
        "--path",
        str(spec_path),
        "--config",
        str(CONFIG),
        "--meta",
        "none",
        "--output-path",
        str(out),
    ]
    if TEMPLATES.is_dir():
        command += ["--custom-template-path", str(TEMPLATES)]
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO)
    if result.returncode != 0:
        raise RuntimeError(f"openapi-python-client failed:\n{result.stdout}\n{result.stderr}")
    shutil.copyfile(spec_path, out / "openapi.json")
    _write_bodies(spec_path, out, bin_dir, env)
    # PEP 561: users' type checkers read the package's annotations (the bodies above all).
    (out / "py.typed").write_text("")
    write_namespace(out)
    return _warnings(result.stdout + result.stderr)


def _write_bodies(spec_path: Path, out: Path, bin_dir: Path, env: Mapping[str, str]) -> None:
    """``eaccounting_api/bodies.py``: the request bodies as TypedDicts (spec/bodies.py)."""
    target = out / "bodies.py"
    target.write_text(bodies.render(load_yaml(spec_path)), encoding="utf-8")
    for step in (["check", "--fix-only", "--quiet"], ["format", "--quiet"]):
        subprocess.run(
            [str(bin_dir / "ruff"), *step, "--no-cache", "--isolated", str(target)],
            check=True,
            env=dict(env),
            cwd=REPO,
        )


def _warnings(output: str) -> list[str]:
    # The generator prints a "Warning(s) encountered" section followed by one block per problem.
    if "Warning(s) encountered" not in output:
        return []
    tail = output.split("Warning(s) encountered", 1)[1]
    return [block.strip() for block in tail.split("\n\n") if block.strip()]
