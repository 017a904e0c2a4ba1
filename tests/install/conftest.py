"""The clean-venv install test's shared state: one sdist + wheel, one wheelhouse, cached venvs.

Everything is built once per pytest run (session scope) and reused by every test here; the
closing summary reports the wheel's size and how long the install tests took.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SMOKE = Path(__file__).with_name("smoke.py")
DEV_PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"
# The other CPythons the package claims (pyenv on these machines and on CI; the classifiers in
# pyproject.toml list exactly these and the dev one), and one it must refuse.
PYENV = Path(os.environ.get("PYENV_ROOT", "/root/.pyenv")) / "versions"
OTHER_PYTHONS = {"3.12": "3.12.1", "3.13": "3.13.0"}
REFUSED_PYTHONS = {"3.10": "3.10.13"}
EXTRA_SETS = ("", "cli", "emulator", "cli,emulator")

TIMINGS: dict[str, float] = {}
FIGURES: dict[str, str] = {}


def interpreter(version: str) -> Path:
    """The base interpreter for ``version`` (the dev venv's own base for the dev version)."""
    if version == DEV_PYTHON:
        return Path(getattr(sys, "_base_executable", sys.executable))
    path = PYENV / {**OTHER_PYTHONS, **REFUSED_PYTHONS}[version] / "bin" / "python3"
    if not path.exists():
        pytest.fail(f"CPython {version} is not installed at {path} (pyenv install {version})")
    return path


def run(
    args: list[str | Path], *, cwd: Path, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env if env is not None else clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, args))} exited {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result


def clean_env(**extra: str) -> dict[str, str]:
    """The environment a user has: none of the checkout's or the dev venv's variables."""
    drop = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTEST_")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(drop) and not k.startswith("EACCOUNTING_")
    }
    env["NO_COLOR"] = "1"
    env.update(extra)
    return env


@dataclass
class Artifacts:
    wheel: Path
    sdist: Path
    names: list[str] = field(default_factory=list)


@dataclass
class Venvs:
    """Creates each (python, extras) venv once; installs only from the run's wheelhouse."""

    root: Path
    wheel: Path
    wheelhouse: Path
    downloaded: set[str] = field(default_factory=set)
    made: dict[tuple[str, str], Path] = field(default_factory=dict)

    def _download(self, version: str) -> None:
        if version in self.downloaded:
            return
        started = time.perf_counter()
        # pip runs under the target interpreter, so environment markers (exceptiongroup on
        # 3.10, ...) are evaluated for that version, not for the dev one.
        args: list[str | Path] = [sys.executable, "-m", "pip", "--python", interpreter(version)]
        args += ["download", "--quiet", "--dest", self.wheelhouse, "--only-binary=:all:"]
        args += ["-c", REPO / "constraints.txt"]  # the pinned set, on every version
        run([*args, f"{self.wheel}[cli,emulator]"], cwd=self.root, env=os.environ.copy())
        self.downloaded.add(version)
        TIMINGS[f"download {version}"] = time.perf_counter() - started

    def get(self, version: str, extras: str) -> Path:
        key = (version, extras)
        if key in self.made:
            return self.made[key]
        self._download(version)
        started = time.perf_counter()
        target = self.root / f"py{version}-{extras.replace(',', '-') or 'bare'}"
        run([interpreter(version), "-m", "venv", "--without-pip", target], cwd=self.root)
        requirement = f"{self.wheel}[{extras}]" if extras else str(self.wheel)
        # The dev venv's pip installs into the new venv (no pip bootstrap per venv), offline.
        python = target / "bin" / "python"
        # --no-compile: only what the commands import gets byte-compiled (on first import).
        install = ["install", "--quiet", "--no-compile", "--no-index", "--find-links"]
        install.append(str(self.wheelhouse))
        run(
            [sys.executable, "-m", "pip", "--python", python, *install, requirement],
            cwd=self.root,
            env=os.environ.copy(),
        )
        TIMINGS[f"venv {version} [{extras}]"] = time.perf_counter() - started
        self.made[key] = target
        return target


@pytest.fixture(scope="session")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working directory outside the checkout (nothing of the repo on sys.path)."""
    path = tmp_path_factory.mktemp("user")
    assert REPO not in path.parents
    shutil.copy(SMOKE, path / "smoke.py")
    return path


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Artifacts:
    """`python -m build`: the sdist from the checkout, then the wheel from that sdist."""
    if not (REPO / "generated" / "eaccounting_api" / "openapi.json").exists():
        pytest.fail("generated/eaccounting_api is missing: run `make generate` (or `make test`)")
    started = time.perf_counter()
    out = tmp_path_factory.mktemp("dist")
    run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", out, REPO],
        cwd=out,
        env=os.environ.copy(),
    )
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    names = zipfile.ZipFile(wheel).namelist()
    TIMINGS["build sdist + wheel"] = time.perf_counter() - started
    FIGURES["wheel"] = f"{wheel.name}: {len(names)} files, {wheel.stat().st_size:,} bytes"
    return Artifacts(wheel, sdist, names)


@pytest.fixture(scope="session")
def venvs(tmp_path_factory: pytest.TempPathFactory, artifacts: Artifacts) -> Iterator[Venvs]:
    root = tmp_path_factory.mktemp("venvs")
    wheelhouse = root / "wheelhouse"
    wheelhouse.mkdir()
    yield Venvs(root, artifacts.wheel, wheelhouse)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.nodeid.startswith("tests/install/"):
        TIMINGS["_total"] = TIMINGS.get("_total", 0.0) + report.duration


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not TIMINGS:
        return
    terminalreporter.section("clean-venv install test")
    for figure in FIGURES.values():
        terminalreporter.write_line(figure)
    terminalreporter.write_line(f"tests/install in total: {TIMINGS.get('_total', 0.0):.1f} s")
    for name, seconds in TIMINGS.items():
        if not name.startswith("_"):
            terminalreporter.write_line(f"  {name}: {seconds:.1f} s")
