"""The contract harness: deterministic recording, clean replay, honest reports."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest

from eaccounting._spec import effective_spec
from eaccounting.testing import Emulator
from eaccounting.testing.regions import GATED
from harness import scenarios
from harness.cases import OperationCases, load_schema
from harness.cassettes import CASSETTES_DIR, make_vcr
from harness.profiles import REGIONS, load_profile
from harness.report import Status
from harness.runner import Options, check_operation, run
from harness.targets import TargetError, open_session, sandbox_token_store

from .loopback_sandbox import loopback_sandbox


def _files(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*.yaml"))


def test_recording_twice_against_the_emulator_gives_identical_cassettes(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for directory in (first, second):
        matrix = run(Options(regions=("se",), mode="record", cassette_dir=directory))
        assert matrix.failed == 0
    names = _files(first)
    assert names == _files(second)
    assert len(names) >= 50
    _, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_committed_cassettes_replay_without_a_failure() -> None:
    # One region here; `make contract` replays all four.
    matrix = run(Options(regions=("nl",), mode="replay"))
    assert matrix.failed == 0, [c.failures for c in matrix.all_cells() if c.failures][:3]
    assert matrix.uncovered() == []
    assert {name for _, name in matrix.scenarios} == set(scenarios.scenario_names())
    assert all(cell.status is Status.PASSED for cell in matrix.scenarios.values())


def test_committed_cassettes_cover_all_four_regions() -> None:
    for region in REGIONS:
        assert (CASSETTES_DIR / region / "scenarios.yaml").is_file(), region
        assert len(_files(CASSETTES_DIR / region)) >= 50, region


def test_a_request_missing_from_the_cassettes_fails_naming_it() -> None:
    spec = effective_spec()
    schema = load_schema(spec)
    operation = schema.find_operation_by_id("get_customer")
    unknown = "0badc0de-0000-4000-8000-000000000000"
    case = operation.Case(path_parameters={"customerId": unknown})
    get_customer = OperationCases("get_customer", operation, (case,), ())
    with open_session("emulator", "replay", "se") as session:
        with make_vcr("replay", "se").use_cassette("customers.yaml"):
            cell = check_operation(session, get_customer, load_profile("se"))
    assert cell.status is Status.FAILED
    assert len(cell.failures) == 1
    assert cell.failures[0].startswith("missing interaction: ")
    assert f"/v2/customers/{unknown}" in cell.failures[0]


def test_no_credential_of_the_recording_run_reaches_a_cassette() -> None:
    # The recording emulator is seeded: its secret and first tokens are these, exactly.
    text = "\n".join(p.read_text("utf-8") for p in CASSETTES_DIR.rglob("*.yaml"))
    for region in REGIONS:
        emulator = Emulator(region=region, seed=0)
        token = emulator.issue_token()
        secrets = [emulator.client_secret, token.access_token, token.refresh_token]
        for secret in secrets:
            assert secret and secret not in text, f"{region}: a credential is in a cassette"
    assert "authorization" not in text.lower().replace("authorizationexception", "")


@pytest.mark.parametrize("region", REGIONS)
def test_region_profiles_agree_with_the_emulator_gates(region: str) -> None:
    profile = load_profile(region)
    gated_here = {op for op, regions in GATED.items() if region not in regions}
    assert set(profile.unavailable) == gated_here
    assert (profile.gate_status, profile.gate_error_code) == (403, 4009)


def test_an_unknown_region_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown region 'dk': expected one of se, no, fi, nl"):
        load_profile("dk")


def test_the_sandbox_target_refreshes_and_persists_the_rotated_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sandbox code path (env credentials, file token store, refresh) against a loopback
    # emulator standing in for Visma's hosts.
    with loopback_sandbox(monkeypatch, tmp_path) as (_, seed_token):
        matrix = run(
            Options(regions=("no",), target="sandbox", mode="live", examples=1, negative=0)
        )
    spec = effective_spec()  # every operation of the pinned spec
    operations = sum(
        1 for item in spec["paths"].values() for op in item.values() if "operationId" in op
    )
    assert matrix.operations and len(matrix.operations) == operations
    assert (matrix.failed, matrix.passed) == (0, operations + len(scenarios.scenario_names()))
    assert all(cell.status is Status.PASSED for cell in matrix.scenarios.values())
    stored = tmp_path / "no.json"
    assert stored.stat().st_mode & 0o777 == 0o600
    rotated = json.loads(stored.read_text("utf-8"))["refresh_token"]
    assert rotated and rotated != seed_token.refresh_token


def test_the_sandbox_target_names_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EACCOUNTING_CLIENT_ID", raising=False)
    monkeypatch.delenv("EACCOUNTING_CLIENT_SECRET", raising=False)
    with pytest.raises(
        TargetError, match=r"needs EACCOUNTING_CLIENT_ID, EACCOUNTING_CLIENT_SECRET"
    ):
        with open_session("sandbox", "live", "se"):
            pass


def test_a_sandbox_without_a_refresh_token_says_how_to_provide_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EACCOUNTING_TOKEN_DIR", str(tmp_path))
    monkeypatch.delenv("EACCOUNTING_FI_REFRESH_TOKEN", raising=False)
    with pytest.raises(TargetError, match=r"set EACCOUNTING_FI_REFRESH_TOKEN"):
        sandbox_token_store("fi")
