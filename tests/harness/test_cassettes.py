"""Cassettes name the production host and never hold a credential."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cassettes import (
    CANONICAL_API,
    CASSETTES_DIR,
    _scrub_json,
    canonical_uri,
    find_secrets,
    make_vcr,
)


def test_loopback_uris_are_rewritten_to_the_production_host() -> None:
    recorded = "http://127.0.0.1:8123/v2"
    assert canonical_uri(f"{recorded}/customers?$page=2", recorded) == (
        f"{CANONICAL_API}/customers?$page=2"
    )
    assert canonical_uri("https://other.example/x", recorded) == "https://other.example/x"


def test_token_fields_are_scrubbed_from_json_bodies() -> None:
    body = json.dumps({"access_token": "abc", "refresh_token": "def", "expires_in": 3600})
    assert json.loads(_scrub_json(body)) == {
        "access_token": "<scrubbed>",
        "refresh_token": "<scrubbed>",
        "expires_in": 3600,
    }
    assert _scrub_json('{"Name": "Ada"}') == '{"Name": "Ada"}'
    assert _scrub_json("not json") == "not json"
    nested = json.dumps({"Data": [{"grant": {"refresh_token": "ghi"}}], "n": 1})
    assert json.loads(_scrub_json(nested)) == {
        "Data": [{"grant": {"refresh_token": "<scrubbed>"}}],
        "n": 1,
    }


def test_the_scanner_finds_each_kind_of_secret(tmp_path: Path) -> None:
    (tmp_path / "se").mkdir()
    (tmp_path / "se" / "leaky.yaml").write_text(
        "\n".join(
            [
                "    headers:",
                "      Authorization:",
                "      - Bearer abcdefghijklmnop",
                '      string: \'{"refresh_token": "x"}\'',
                "      string: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig",
                "      string: client_secret=s3cr3t",
                '      string: \'{"DeveloperErrorMessage": "AuthorizationException - denied"}\'',
            ]
        )
    )
    hits = find_secrets(tmp_path)
    assert [h.split(":")[1] for h in hits] == ["2", "3", "4", "5", "6"]


def test_committed_cassettes_hold_no_credentials_and_stay_small() -> None:
    assert find_secrets(CASSETTES_DIR) == []
    total = sum(p.stat().st_size for p in CASSETTES_DIR.rglob("*.yaml"))
    assert total < 30 * 1024 * 1024


def test_only_replay_and_record_use_cassettes() -> None:
    assert make_vcr("replay", "se").record_mode == "none"
    with pytest.raises(
        ValueError, match="cassettes are used in replay and record modes, not 'live'"
    ):
        make_vcr("live", "se")
