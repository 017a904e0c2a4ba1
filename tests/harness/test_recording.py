"""A fresh recording holds no credential: the scrubbing is checked on what it writes now.

``test_cassettes.py`` scans the committed cassettes, which a broken scrubber would not touch
until someone re-records. Here one region is recorded against the emulator into a temporary
folder (one example per operation, scenarios included: they sign in and refresh) and scanned.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cassettes import find_secrets
from harness.runner import Options, run


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("cassettes")
    options = Options(
        regions=("se",), mode="record", cassette_dir=directory, examples=1, negative=0
    )
    matrix = run(options)
    assert matrix.failed == 0
    return directory / "se"


def test_a_fresh_recording_holds_no_credential(recorded: Path) -> None:
    files = sorted(recorded.glob("*.yaml"))
    assert len(files) >= 50
    assert find_secrets(recorded.parent) == []
    text = "\n".join(p.read_text(encoding="utf-8") for p in files)
    for needle in ("Bearer", "authorization:", "Authorization:", "/connect/token", "Cookie"):
        assert needle not in text, needle


def test_the_recording_keeps_what_replay_matches_on(recorded: Path) -> None:
    # The scrubber drops headers, not requests: every cassette names the production host.
    text = (recorded / "countries.yaml").read_text(encoding="utf-8")
    assert "uri: https://eaccountingapi.vismaonline.com/v2/countries" in text
    assert "127.0.0.1" not in text
