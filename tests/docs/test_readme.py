"""Every ```python block of README.md runs, in order, against a served emulator.

The blocks share one namespace (they continue from each other, as a reader would type them).
The only difference from a real setup is the environment: EACCOUNTING_* variables point at
an emulator on a loopback port, with a token file holding a token it issued.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .links import broken_links, local_links
from .snippets import promises, run_block

pytest.importorskip("eaccounting_api.models.customer_api")
pytest.importorskip("uvicorn")

README = Path(__file__).resolve().parents[2] / "README.md"
SECRET = "readme-secret"
REDIRECT_URI = "https://app.example.com/visma/callback"


def python_blocks(text: str) -> list[tuple[int, str]]:
    """(line number, code) of every ```python block."""
    blocks = []
    for match in re.finditer(r"^```python\n(.*?)^```", text, flags=re.S | re.M):
        line = text.count("\n", 0, match.start()) + 2
        blocks.append((line, match.group(1)))
    return blocks


@pytest.fixture
def eaccounting_emulator_options() -> dict[str, Any]:
    """The plugin's emulator, served over loopback HTTP with a known app secret."""
    return {"served": True, "client_secret": SECRET}


@pytest.fixture
def served(
    eaccounting_emulator: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Any]:
    from eaccounting import FileTokenStore

    emu = eaccounting_emulator.emulator
    origin = eaccounting_emulator.origin
    emu.core.identity.redirect_uri = REDIRECT_URI
    token_file = tmp_path / "token.json"
    FileTokenStore(token_file).save(emu.issue_token())
    for name, value in {
        "EACCOUNTING_CLIENT_ID": emu.client_id,
        "EACCOUNTING_CLIENT_SECRET": SECRET,
        "EACCOUNTING_TOKEN_FILE": str(token_file),
        "EACCOUNTING_BASE_URL": f"{origin}/v2",
        "EACCOUNTING_IDENTITY_URL": origin,
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("EACCOUNTING_ACCESS_TOKEN", "EACCOUNTING_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    yield emu


def test_readme_has_the_sections_users_need() -> None:
    text = README.read_text(encoding="utf-8")
    for heading in (
        "## Install",
        "## Authenticate",
        "## First call",
        "## Iterate all customers",
        "## Filter and order",
        "## Create an invoice from a draft",
        "## Handle errors",
        "## Rate limits and retries",
        "## Async",
        "## Test your code with the emulator",
        "## Command line",
        "## Contract harness",
        "## Regenerate after a spec change",
    ):
        assert heading in text
    assert "make contract" in text and "make test" in text


def test_readme_links_to_existing_files() -> None:
    """Files, folders and #anchors alike (tests/docs/test_links.py checks the docs pages)."""
    assert len(local_links(README)) >= 20
    assert broken_links(README) == []


def test_every_python_snippet_runs_against_the_emulator(served: Any) -> None:
    blocks = python_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 10
    namespace: dict[str, Any] = {"__name__": "readme"}
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        broken = [
            problem
            for line, code in blocks
            for problem in run_block(code, "README.md", line, namespace)
        ]
    assert broken == []
    assert sum(promises(code) for _, code in blocks) >= 4
    printed = output.getvalue()
    assert "Emulator Sverige AB SEK" in printed
    assert "Kafferosteriet AB" in printed
    assert "[60.0]" in printed  # the 429 wait
    assert "ErrorCode" not in printed  # errors were caught and shown by their fields

    # The web-app login functions: play the user's browser against /connect/authorize.
    client = namespace["client"]
    url = namespace["start_login"](client)
    query = dict(httpx.URL(url).params)
    assert query["prompt"] == "select_account" and query["code_challenge_method"] == "S256"
    consent = httpx.get(url, trust_env=False)
    assert consent.status_code == 302
    callback = dict(httpx.URL(consent.headers["location"]).params)
    token = namespace["finish_login"](client, callback)
    assert token.refresh_token and "ea:api" in token.scope
    with pytest.raises(KeyError):  # a forged or replayed state is refused
        namespace["finish_login"](client, callback)
    assert client.company_settings.get().name == "Emulator Sverige AB"


@pytest.mark.parametrize(
    "page", ["auth.md", "paging.md", "errors.md", "dates-and-times.md", "types.md", "money.md"]
)
def test_python_snippets_of_the_concept_pages_run(served: Any, page: str) -> None:
    """docs/<page>: its blocks run in order in one namespace, like the README's."""
    path = README.parent / "docs" / page
    blocks = python_blocks(path.read_text(encoding="utf-8"))
    assert blocks, page
    namespace: dict[str, Any] = {"__name__": f"docs_{page}"}
    with contextlib.redirect_stdout(io.StringIO()):
        broken = [
            problem
            for line, code in blocks
            for problem in run_block(code, f"docs/{page}", line, namespace)
        ]
    assert broken == []


def test_the_readme_pytest_fixture_examples_pass_under_pytest(tmp_path: Path) -> None:
    """The emulator section's test functions, as a user's test file: the installed plugin
    provides ``eaccounting_emulator`` without any conftest.py."""
    blocks = [code for _, code in python_blocks(README.read_text(encoding="utf-8"))]
    (under_test,) = [b for b in blocks if "def overdue_customers" in b]
    (fixture_tests,) = [b for b in blocks if "eaccounting_emulator" in b]
    test_file = tmp_path / "test_user_code.py"
    test_file.write_text("import eaccounting\n" + under_test + "\n" + fixture_tests)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 passed" in result.stdout  # 1 + 1 + 1 + 2 regions


def test_concept_pages_print_values_not_methods(served: Any) -> None:
    path = README.parent / "docs" / "paging.md"
    namespace: dict[str, Any] = {"__name__": "docs_paging"}
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        for line, code in python_blocks(path.read_text(encoding="utf-8")):
            exec(compile(code, f"docs/paging.md:{line}", "exec"), namespace)
    assert "<bound method" not in output.getvalue()
    assert " False " in output.getvalue().splitlines()[0] + " "  # has_next_page(): one page
