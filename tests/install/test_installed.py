"""Installed, it works: the built wheel in clean venvs, used from outside the checkout.

One sdist and one wheel per run (the wheel built from the sdist, as an index would); every
extra set on the dev CPython, and ``[cli,emulator]`` on the other CPythons the classifiers
claim. Installs come from a wheelhouse downloaded once per run (``--no-index`` after that).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import tomllib

from .conftest import (
    DEV_PYTHON,
    OTHER_PYTHONS,
    REFUSED_PYTHONS,
    REPO,
    Artifacts,
    Venvs,
    clean_env,
    interpreter,
    run,
)

pytestmark = pytest.mark.slow
OPERATIONS = 227  # every operation of Visma's spec but the internal warm-up endpoint


def generated_operations() -> int:
    api = REPO / "generated" / "eaccounting_api" / "api"
    return sum(1 for p in api.glob("*/*.py") if p.name != "__init__.py")


# -- the artifacts -------------------------------------------------------------------------------


def test_the_wheel_carries_both_packages_and_the_effective_spec(artifacts: Artifacts) -> None:
    names = artifacts.names
    operations = [
        n
        for n in names
        if re.fullmatch(r"eaccounting_api/api/[^/]+/[^/]+\.py", n) and not n.endswith("__init__.py")
    ]
    assert len(operations) == generated_operations() == OPERATIONS
    assert "eaccounting_api/openapi.json" in names
    assert "eaccounting_api/models/customer_api.py" in names
    assert "eaccounting/__init__.py" in names and "eaccounting/py.typed" in names
    # The typed write bodies, and the marker that lets a user's type checker read them.
    assert "eaccounting_api/bodies.py" in names and "eaccounting_api/py.typed" in names
    assert "eaccounting/types.py" in names
    assert "eaccounting/testing/pytest_plugin.py" in names
    assert {n.split("/")[0] for n in names} == {
        "eaccounting",
        "eaccounting_api",
        "visma_eaccounting-0.2.0.dist-info",
    }
    entry_points = [n for n in names if n.endswith("entry_points.txt")]
    assert len(entry_points) == 1


def test_the_sdist_carries_the_generated_package_not_vismas_spec(artifacts: Artifacts) -> None:
    with tarfile.open(artifacts.sdist) as sdist:
        names = [n.split("/", 1)[1] for n in sdist.getnames() if "/" in n]
    assert "generated/eaccounting_api/openapi.json" in names
    assert "hatch_build.py" in names
    assert not [n for n in names if n.startswith("generated/") and "eaccounting_api" not in n]
    assert not [n for n in names if n.endswith((".yaml", ".yml"))]


def test_the_wheel_from_the_sdist_equals_the_wheel_from_the_checkout(
    artifacts: Artifacts, tmp_path: Path
) -> None:
    run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", tmp_path, REPO],
        cwd=tmp_path,
        env=os.environ.copy(),
    )
    (direct,) = tmp_path.glob("*.whl")
    assert sorted(zipfile.ZipFile(direct).namelist()) == sorted(artifacts.names)


def copy_without_generated(tmp_path: Path) -> Path:
    """A checkout as cloned, before `make generate` (no generated/, no ../shared)."""
    tree = tmp_path / "checkout"
    shutil.copytree(REPO / "src", tree / "src", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "hatch_build.py", "README.md", "CHANGELOG.md"):
        shutil.copy(REPO / name, tree / name)
    return tree


@pytest.mark.parametrize("target", ["wheel", "editable"])
def test_building_before_make_generate_fails_with_the_command_to_run(
    tmp_path: Path, target: str
) -> None:
    tree = copy_without_generated(tmp_path)
    hook = "build_wheel" if target == "wheel" else "build_editable"
    code = f"import hatchling.build as b; b.{hook}({str(tmp_path / 'out')!r})"
    env = os.environ.copy()
    env.pop("EACCOUNTING_ALLOW_UNGENERATED", None)
    result = run([sys.executable, "-c", code], cwd=tree, env=env, check=False)
    assert result.returncode != 0
    assert (
        "visma-eaccounting: the generated client generated/eaccounting_api/ is missing "
        "(__init__.py, openapi.json, api, models, namespace). In a source checkout run "
        "`make generate` "
        "first" in result.stderr
    )
    assert not list(tmp_path.rglob("*.whl"))
    if target == "editable":  # only the Makefile's tooling install may skip the check
        env["EACCOUNTING_ALLOW_UNGENERATED"] = "1"
        run([sys.executable, "-c", code], cwd=tree, env=env)


def test_version_classifiers_and_spec_date_agree() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pin = tomllib.loads((REPO / "spec" / "pin.toml").read_text())
    from eaccounting import __spec_version__, __version__

    assert __version__ == "0.2.0"
    assert pin["file"] == f"eaccounting-v2.{__spec_version__}.yaml"
    assert f"spec of {__spec_version__}" in project["description"]
    assert f"spec-{__spec_version__}" in project["keywords"]
    claimed = sorted(
        c.rsplit(" ", 1)[1]
        for c in project["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    )
    assert claimed == sorted([DEV_PYTHON, *OTHER_PYTHONS])
    assert project["requires-python"] == f">={min(claimed, key=lambda v: int(v.split('.')[1]))}"
    assert not set(claimed) & set(REFUSED_PYTHONS)
    changelog = (REPO / "CHANGELOG.md").read_text()
    assert f"## {__version__}" in changelog and f"spec {__spec_version__}" in changelog


# -- installed, from outside the checkout --------------------------------------------------------


def smoke(venv: Path, outside: Path) -> dict[str, object]:
    result = run([venv / "bin" / "python", "smoke.py"], cwd=outside)
    return dict(json.loads(result.stdout))


def expected_smoke(version: str, scripts: list[str]) -> dict[str, object]:
    return {
        "python": version,
        "version": "0.2.0",
        "spec_version": "2026-02",
        "metadata_version": "0.2.0",
        "imported_from_site_packages": True,
        "pytest11": ["eaccounting.testing.pytest_plugin"],
        "scripts": scripts,
        "spec_operations": OPERATIONS,
        "company": ["CompanySettingsApi", "Emulator Sverige AB", "SEK"],
        "api_vat_codes": ["PaginatedResponseOfVatCodeApi", 4],
        "customers": ["Page", 0],
    }


def cli_works(venv: Path, outside: Path) -> None:
    """The [cli] commands of the README, as a user types them."""
    eaccounting = venv / "bin" / "eaccounting"
    help_text = run([eaccounting, "--help"], cwd=outside).stdout
    assert "Command line for the Visma eAccounting" in help_text
    listing = run([eaccounting, "operations"], cwd=outside).stdout.splitlines()
    assert len(listing) == OPERATIONS
    assert "list_vat_codes\tGET\t/vatcodes\t" in "\n".join(listing)
    called = run([eaccounting, "call", "list_vat_codes", "--emulator", "se"], cwd=outside)
    body = json.loads(called.stdout)
    assert body["Meta"]["TotalNumberOfResults"] == len(body["Data"]) == 4
    coverage = run([eaccounting, "emulator", "coverage", "--region", "se"], cwd=outside).stdout
    assert coverage.startswith("se: 227/227 operations answer")


def serves_over_http(command: list[str | Path], outside: Path) -> None:
    """Start the emulator on a free port, see it answer, stop it."""
    import httpx

    process = subprocess.Popen(
        [str(c) for c in command],
        cwd=outside,
        env=clean_env(EACCOUNTING_CLIENT_SECRET="install-secret"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # printed once the socket is bound
        match = re.search(r"on (http://127\.0\.0\.1:\d+)/v2", line)
        assert match, line + (process.stderr.read() if process.poll() is not None else "")
        response = httpx.get(f"{match.group(1)}/v2/companysettings", trust_env=False, timeout=30)
        assert response.status_code == 401
    finally:
        process.terminate()
        process.communicate(timeout=30)


@pytest.mark.parametrize("extras", ["", "cli", "emulator", "cli,emulator"])
def test_each_extra_set_in_a_clean_venv(venvs: Venvs, outside: Path, extras: str) -> None:
    venv = venvs.get(DEV_PYTHON, extras)
    python = venv / "bin" / "python"
    scripts = ["eaccounting", "eaccounting-emulator"]
    assert smoke(venv, outside) == expected_smoke(DEV_PYTHON, scripts)
    run([python, "-c", "import eaccounting.testing"], cwd=outside)

    has_cli, has_emulator = "cli" in extras, "emulator" in extras
    if has_cli:
        cli_works(venv, outside)
    else:
        result = run([venv / "bin" / "eaccounting", "--help"], cwd=outside, check=False)
        assert result.returncode == 1
        assert "pip install 'visma-eaccounting[cli]'" in result.stderr
    if has_emulator:
        serves_over_http([python, "-m", "eaccounting.testing", "--port", "0"], outside)
        usage = run([venv / "bin" / "eaccounting-emulator", "--help"], cwd=outside).stdout
        assert "--region {fi,nl,no,se}" in usage
    else:
        result = run([python, "-m", "eaccounting.testing", "--port", "0"], cwd=outside, check=False)
        assert result.returncode == 2
        assert result.stderr == (
            "error: serving the emulator needs uvicorn: pip install 'visma-eaccounting[emulator]'\n"
        )
    if has_cli and has_emulator:
        serves_over_http([venv / "bin" / "eaccounting", "emulator", "--port", "0"], outside)
    elif has_cli:  # the brackets survive rich's markup
        result = run([venv / "bin" / "eaccounting", "emulator"], cwd=outside, check=False)
        assert result.returncode == 2
        assert result.stderr == (
            "error: serving the emulator needs uvicorn: pip install 'visma-eaccounting[emulator]'\n"
        )


@pytest.mark.parametrize("version", sorted(OTHER_PYTHONS))
def test_cli_and_emulator_on_every_claimed_python(
    venvs: Venvs, outside: Path, version: str
) -> None:
    venv = venvs.get(version, "cli,emulator")
    assert smoke(venv, outside) == expected_smoke(version, ["eaccounting", "eaccounting-emulator"])
    run([venv / "bin" / "python", "-c", "import eaccounting.testing"], cwd=outside)
    cli_works(venv, outside)


@pytest.mark.parametrize("version", sorted(REFUSED_PYTHONS))
def test_an_older_python_is_refused_at_install_not_at_import(
    artifacts: Artifacts, tmp_path: Path, version: str
) -> None:
    # The generated client needs typing.Self (3.11): pip must say so instead of installing a
    # package that fails on import.
    result = run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            interpreter(version),
            "install",
            "--dry-run",
            "--no-deps",
            "--no-index",
            artifacts.wheel,
        ],
        cwd=tmp_path,
        env=os.environ.copy(),
        check=False,
    )
    assert result.returncode == 1
    assert "requires a different Python" in result.stderr
    assert "not in '>=3.11'" in result.stderr
