"""The upstream spec is pinned by sha256 and anything else is refused with a way forward."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spec import pin

PINNED = "8e8462ca2f27b434d575dd7b622fec44199822237a72ff161c923f4a112d98dd"


def test_pin_names_the_2026_02_spec_and_its_provenance() -> None:
    p = pin.Pin.load()
    assert (p.file, p.sha256) == ("eaccounting-v2.2026-02.yaml", PINNED)
    assert "matssun/visma-external-api-schemas" in p.provenance


def test_fetch_copies_the_pinned_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EACCOUNTING_SPEC", raising=False)
    out = tmp_path / "upstream.yaml"
    assert pin.fetch(out) == PINNED
    assert pin.sha256(out.read_bytes()) == PINNED


def test_fetch_refuses_a_different_spec_naming_both_hashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.yaml"
    other.write_bytes(b"openapi: 3.1.1\n")
    monkeypatch.setenv("EACCOUNTING_SPEC", str(other))
    out = tmp_path / "upstream.yaml"
    with pytest.raises(pin.PinError) as excinfo:
        pin.fetch(out)
    message = str(excinfo.value)
    assert f"pinned sha256: {PINNED}" in message
    assert f"actual sha256: {pin.sha256(b'openapi: 3.1.1' + bytes([10]))}" in message
    assert "make spec-update" in message and "make spec-diff" in message
    assert not out.exists()


def test_a_missing_source_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EACCOUNTING_SPEC", "/nonexistent/spec.yaml")
    with pytest.raises(
        pin.PinError,
        match=re.escape("no spec file at /nonexistent/spec.yaml; set EACCOUNTING_SPEC"),
    ):
        pin.fetch(Path("/tmp/never-written.yaml"))


def test_update_repins_to_a_new_version(tmp_path: Path) -> None:
    pin_file = tmp_path / "pin.toml"
    pin_file.write_text(pin.PIN_FILE.read_text())
    new_spec = tmp_path / "eaccounting-v2.2027-01.yaml"
    new_spec.write_bytes(b"openapi: 3.1.1\ninfo: {}\n")
    old, new = pin.update(str(new_spec), pin_file)
    assert (old, new) == (PINNED, pin.sha256(new_spec.read_bytes()))
    repinned = pin.Pin.load(pin_file)
    assert (repinned.file, repinned.sha256) == ("eaccounting-v2.2027-01.yaml", new)
    assert repinned.provenance == pin.Pin.load().provenance
