"""The harness follows the spec: stubs are not passes, unknown gates fail the run, orphan
cassettes go, and one failing scenario step fails that scenario only."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from eaccounting._spec import effective_spec
from eaccounting.testing.regions import GATED, check_gates
from harness import scenarios
from harness.__main__ import main
from harness.profiles import ProfileError, check_profiles, load_profile
from harness.report import Cell, Matrix, Status, to_junit, to_markdown
from harness.runner import Options, remove_orphan_cassettes, run, stub_operations
from harness.targets import open_session


def test_operations_served_by_a_stub_are_reported_as_stub_not_passed() -> None:
    spec = effective_spec()
    stubs = stub_operations(spec)
    assert stubs  # the emulator does not implement every operation with state
    one = sorted(stubs)[0]
    matrix = run(Options(regions=("nl",), mode="replay", scenarios=False))
    assert matrix.failed == 0
    stubbed = {op for (_, op), cell in matrix.cells.items() if cell.status is Status.STUB}
    gated_elsewhere = {op for op, regions in GATED.items() if "nl" not in regions}
    assert stubbed == stubs - gated_elsewhere - {
        op for (_, op), c in matrix.cells.items() if c.status is Status.NOT_EXERCISED
    }
    assert matrix.cell("nl", one).status in (Status.STUB, Status.UNAVAILABLE)
    assert matrix.passed == sum(
        c.status in (Status.PASSED, Status.UNAVAILABLE) for c in matrix.cells.values()
    )
    assert f", {len(stubbed)} stub" in matrix.closing_line()
    markdown = to_markdown(matrix)
    assert "## Served by a schema stub" in markdown
    assert f"| `{sorted(stubbed)[0]}` | ◌ ✔ " in markdown  # stub, read by the model


def test_stub_cells_are_skipped_in_junit_with_the_reason() -> None:
    matrix = Matrix(regions=["se"], operations=["a"])
    matrix.cells[("se", "a")] = Cell(Status.STUB, reason="served by a stub")
    assert '<skipped message="served by a stub"' in to_junit(matrix)
    assert matrix.closing_line() == "0 passed, 0 failed, 1 stub"


def test_a_profile_naming_an_unknown_operation_fails_the_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    se = load_profile("se")
    stale = dataclasses.replace(se, unavailable={**se.unavailable, "list_kivra_things": "gone"})
    with pytest.raises(ProfileError) as error:
        check_profiles([stale], {op for op in se.unavailable})
    assert str(error.value) == (
        "harness/regions/se.toml [unavailable] names operations the effective spec does not "
        "have: list_kivra_things (rename or remove them: see docs/harness.md, Region profiles)"
    )
    import harness.runner as runner

    monkeypatch.setattr(runner, "load_profile", lambda region: stale)
    assert main(["--region", "se", "--report-dir", str(tmp_path)]) == 2
    assert "names operations the effective spec does not have: list_kivra_things" in (
        capsys.readouterr().err.replace("\n", " ").replace("  ", " ")
    )


def test_emulator_gates_naming_unknown_operations_fail_with_their_names() -> None:
    check_gates(effective_spec_operation_ids())  # the committed tables are consistent
    with pytest.raises(ValueError) as error:
        check_gates(
            {"list_customers"},
            {"list_customers": frozenset({"se"}), "gone": frozenset({"nl", "no"})},
        )
    assert str(error.value) == (
        "the emulator's region gates (eaccounting.testing.regions, Region.only) name "
        "operations the effective spec does not have: gone (nl/no only)"
    )


def test_a_run_against_the_emulator_refuses_stale_emulator_gates(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import eaccounting.testing.regions as regions

    monkeypatch.setitem(regions.GATED, "list_kivra_things", frozenset({"se"}))
    assert main(["--region", "se", "--report-dir", str(tmp_path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "operations the effective spec does not have: list_kivra_things (se only)" in err


def effective_spec_operation_ids() -> set[str]:
    return {
        op["operationId"]
        for item in effective_spec()["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }


def test_record_removes_cassettes_no_operation_uses(tmp_path: Path) -> None:
    for name in ("customers.yaml", "customer_labels.yaml", "scenarios.yaml"):
        (tmp_path / name).write_text("interactions: []\n", "utf-8")
    (tmp_path / "run-tag.txt").write_text("1\n", "utf-8")
    removed = remove_orphan_cassettes(tmp_path, {"customers.yaml", "scenarios.yaml"})
    assert removed == ["customer_labels.yaml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "customers.yaml",
        "run-tag.txt",
        "scenarios.yaml",
    ]


def test_a_failing_region_facts_step_fails_that_scenario_only() -> None:
    profile = dataclasses.replace(load_profile("se"), vat_rates=(25.0, 99.0))
    with open_session("emulator", "live", "se") as session:
        cells = scenarios.run_all(session, profile, effective_spec())
    assert cells["region_facts"].status is Status.FAILED
    assert (
        cells["region_facts"]
        .failures[0]
        .startswith("list_vat_codes: no VAT code for the rates [99.0]")
    )
    later = {name: cell.status for name, cell in cells.items() if name != "region_facts"}
    assert later == {name: Status.PASSED for name in scenarios.scenario_names()[1:]}


def test_a_record_run_deletes_the_cassette_of_a_tag_that_is_gone(tmp_path: Path) -> None:
    region_dir = tmp_path / "se"
    region_dir.mkdir()
    (region_dir / "customer_tags.yaml").write_text("interactions: []\n", "utf-8")
    options = Options(
        regions=("se",),
        mode="record",
        cassette_dir=tmp_path,
        examples=1,
        negative=0,
        scenarios=False,
    )
    matrix = run(options)
    assert matrix.orphans_removed == ["se/customer_tags.yaml"]
    assert not (region_dir / "customer_tags.yaml").exists()
    assert (region_dir / "customers.yaml").is_file()
