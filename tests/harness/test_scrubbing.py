"""The recording hooks, on one request and one response each: what is dropped, what is kept.

A recording against the emulator never carries a token body (identity calls are not recorded),
so the body scrubbing is checked here directly, as it would meet a sandbox's token response.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from vcr.request import Request

from harness.cassettes import find_secrets, make_vcr

RECORDED_BASE = "http://127.0.0.1:8123/v2"


def _response(body: bytes, **headers: str) -> dict[str, Any]:
    return {
        "status": {"code": 200, "message": "OK"},
        "headers": {name: [value] for name, value in headers.items()},
        "body": {"string": body},
    }


def _hooks() -> tuple[Any, Any]:
    recorder = make_vcr("record", "se", recorded_base=RECORDED_BASE)
    assert recorder.record_mode == "all"
    return recorder.before_record_request, recorder.before_record_response


def test_token_fields_are_scrubbed_and_the_length_follows() -> None:
    _, before_response = _hooks()
    for secret in ("eyJ-secret-value", "0123456789", "~~~~"):  # sorting before/after "<scrubbed>"
        body = json.dumps({"access_token": secret, "expires_in": 3600}).encode()
        headers = {"Content-Length": str(len(body)), "Date": "Wed", "Cache-Control": "no-store"}
        scrubbed = before_response(_response(body, **headers))
        new_body = scrubbed["body"]["string"]
        assert json.loads(new_body) == {"access_token": "<scrubbed>", "expires_in": 3600}
        assert scrubbed["headers"] == {
            "Content-Length": [str(len(new_body))],
            "Cache-Control": ["no-store"],
        }


def test_a_body_without_secrets_is_kept_byte_for_byte() -> None:
    _, before_response = _hooks()
    body = b'{"Name":"Ada",  "Data":[{"Id":1}]}'
    response = _response(body, **{"Content-Length": "999"})
    kept = before_response(response)
    assert kept["body"]["string"] == body
    assert kept["headers"] == {"Content-Length": ["999"]}


def test_requests_lose_credentials_and_name_the_production_host() -> None:
    before_request, _ = _hooks()
    request = Request(
        "GET",
        f"{RECORDED_BASE}/customers?$page=1",
        None,
        {"Authorization": "Bearer abc", "Cookie": "x=1", "Accept": "application/json"},
    )
    kept = before_request(request)
    assert kept.uri == "https://eaccountingapi.vismaonline.com/v2/customers?$page=1"
    assert dict(kept.headers) == {"Accept": "application/json"}
    identity = Request("POST", "http://127.0.0.1:8123/connect/token", b"grant_type=x", {})
    assert before_request(identity) is None


def test_a_secret_line_is_reported_cut_at_120_characters(tmp_path: Path) -> None:
    (tmp_path / "se").mkdir()
    line = "      Authorization: Bearer " + "a" * 200
    (tmp_path / "se" / "long.yaml").write_text(line + "\n")
    (hit,) = find_secrets(tmp_path)
    assert hit == f"se/long.yaml:1: {line.strip()[:120]}"
    assert len(hit) == len("se/long.yaml:1: ") + 120


@pytest.mark.parametrize("mode", ["replay", "record"])
def test_the_two_modes_and_their_record_modes(mode: str) -> None:
    assert make_vcr(mode, "se").record_mode == {"replay": "none", "record": "all"}[mode]


def test_compressed_bodies_are_recorded_decoded() -> None:
    # Stored as text, so find_secrets can read every body it scans.
    assert make_vcr("record", "se").decode_compressed_response is True


def test_only_json_bodies_are_parsed() -> None:
    _, before_response = _hooks()
    binary = b"%PDF-1.7\xff\xfe\x00"  # not UTF-8: a decode and re-encode would change it
    assert before_response(_response(binary))["body"]["string"] == binary
    text = b"access_token=abc&refresh_token=def"  # a form body: scanned, not rewritten
    assert before_response(_response(text))["body"]["string"] == text
    listed = json.dumps([{"refresh_token": "r"}]).encode()
    assert json.loads(before_response(_response(listed))["body"]["string"]) == [
        {"refresh_token": "<scrubbed>"}
    ]
