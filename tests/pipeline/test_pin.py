"""The upstream spec is pinned by sha256 and anything else is refused with a way forward."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import httpx
import pytest
import respx

from spec import pin

PINNED = pin.Pin.load().sha256


def test_the_pin_names_a_file_its_sha256_source_and_provenance() -> None:
    p = pin.Pin.load()
    assert re.fullmatch(r"[0-9a-f]{64}", p.sha256)
    assert p.default_source.endswith(p.file)
    assert "OpenAPI 3." in p.provenance


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


def test_update_rewrites_the_whole_pin(tmp_path: Path) -> None:
    pin_file = tmp_path / "pin.toml"
    pin_file.write_text(pin.PIN_FILE.read_text())
    new_spec = tmp_path / "v2.json"
    new_spec.write_bytes(
        b'{"openapi": "3.0.4", "info": {"title": "eAccounting API", "version": "v2"}}'
    )
    old, new = pin.update(str(new_spec), pin_file, today=datetime.date(2027, 1, 31))
    assert (old, new) == (pin.Pin.load().sha256, pin.sha256(new_spec.read_bytes()))
    repinned = pin.Pin.load(pin_file)
    assert (repinned.file, repinned.sha256) == ("v2.json", new)
    # The source is where the next `make generate` finds it, and the line says what it is.
    assert (pin.REPO / repinned.default_source).resolve() == new_spec.resolve()
    assert repinned.provenance == (
        f"eAccounting API v2, OpenAPI 3.0.4 JSON; pinned 2027-01-31 from {new_spec}"
    )
    # The comments above the keys survive.
    assert pin_file.read_text().startswith(pin.PIN_FILE.read_text().split("file =")[0])


def test_after_update_fetch_takes_the_new_spec_without_any_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pin_file = tmp_path / "pin.toml"
    pin_file.write_text(pin.PIN_FILE.read_text())
    new_spec = tmp_path / "eaccounting-v2.2027-01.yaml"
    new_spec.write_bytes(b"openapi: 3.1.1\ninfo: {title: t, version: v2}\npaths: {}\n")
    pin.update(str(new_spec), pin_file)
    monkeypatch.delenv("EACCOUNTING_SPEC", raising=False)
    out = tmp_path / "upstream.yaml"
    assert pin.fetch(out, pin.Pin.load(pin_file)) == pin.sha256(new_spec.read_bytes())
    assert out.read_bytes() == new_spec.read_bytes()


def test_update_keeps_a_url_as_the_source(tmp_path: Path) -> None:
    pin_file = tmp_path / "pin.toml"
    pin_file.write_text(pin.PIN_FILE.read_text())
    body = b'{"openapi": "3.0.4", "info": {"title": "T", "version": "v2"}, "paths": {}}'
    url = "https://eaccountingapi.vismaonline.com/openapi/v2.json"
    with respx.mock:
        respx.get(url).mock(return_value=httpx.Response(200, content=body))
        pin.update(url, pin_file, today=datetime.date(2027, 1, 31))
    repinned = pin.Pin.load(pin_file)
    assert (repinned.file, repinned.default_source) == ("v2.json", url)
    assert repinned.source() == url


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html>nope</html>", "not an OpenAPI 3.0.x or 3.1.x document (no 'openapi' field)"),
        (b'swagger: "2.0"\n', "not an OpenAPI 3.0.x or 3.1.x document (no 'openapi' field)"),
        (b"openapi: 3.2.0\n", "not an OpenAPI 3.0.x or 3.1.x document (openapi: '3.2.0')"),
        (b"openapi: [unclosed\n", "is not a YAML or JSON document"),
    ],
)
def test_update_refuses_what_is_not_an_openapi_3_0_or_3_1_document_and_keeps_the_pin(
    tmp_path: Path, content: bytes, message: str
) -> None:
    pin_file = tmp_path / "pin.toml"
    pin_file.write_text(pin.PIN_FILE.read_text())
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(content)
    with pytest.raises(pin.PinError, match=re.escape(message)):
        pin.update(str(bad), pin_file)
    assert pin_file.read_text() == pin.PIN_FILE.read_text()


def test_an_unreachable_url_is_one_clear_line() -> None:
    url = "https://eaccountingapi.vismaonline.com/openapi/v2.json"
    with respx.mock:
        respx.get(url).mock(side_effect=httpx.ConnectError("[Errno -2] Name or service not known"))
        with pytest.raises(pin.PinError) as excinfo:
            pin.read_source(url)
    assert str(excinfo.value) == (
        f"could not fetch the spec from {url}: [Errno -2] Name or service not known"
    )
