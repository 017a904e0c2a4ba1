"""Drills: the pinned spec changed the ways Visma changes it, fed through the real pipeline.

Each drill follows the README workflow (check → decide names → regenerate) and asserts exactly
what ``python -m spec check`` (``make spec-check``) and the build stages (``make generate``)
report. Expected figures come from the pinned spec and the decisions file, never from 2026-02
literals. The mutations live in ``mutations.py`` so spec-diff drills can reuse them.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from eaccounting.cli.spec_diff import diff
from spec.__main__ import main
from spec.decisions import DECISIONS_FILE, Decisions, operation_key
from spec.documents import dump_json, load_yaml
from spec.render_overlays import mechanical_id

from . import mutations

REPO = Path(__file__).resolve().parents[2]
GENERATED = REPO / "generated"
TARGET = "3.1.1"


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    path = GENERATED / "upstream.yaml"
    if not path.exists():
        pytest.fail("generated/upstream.yaml is missing: run `make generate` (or `make test`)")
    return load_yaml(path)


@pytest.fixture(scope="module")
def decisions() -> Decisions:
    return Decisions.load()


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, list[str], str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def write(tmp_path: Path, doc: dict[str, Any], name: str = "new.json") -> Path:
    """A mutated spec as a file (JSON: the form Visma serves, and the quickest to read)."""
    path = tmp_path / name
    path.write_text(dump_json(doc), encoding="utf-8")
    return path


def summary(
    unmatched: int = 0, undecided: int = 0, invalid: int = 0, declared: str = TARGET
) -> str:
    return (
        f"check: 0 error(s) against OpenAPI {declared}, {unmatched} unmatched action(s), "
        f"{undecided} undecided operation(s), {invalid} validation error(s)"
    )


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


# -- 1. the official 3.0.4 JSON form -------------------------------------------------------------
def test_the_304_json_form_builds_the_same_effective_spec_and_a_byte_identical_client(
    raw: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = mutations.official_304_json(raw)
    assert text.startswith("{") and '"openapi": "3.0.4"' in text and '"nullable": true' in text
    assert '"null"' not in text and "\\r\\n" in text
    official = tmp_path / "v2.json"
    official.write_text(text, encoding="utf-8")

    # The stages `make generate` runs, on the 3.0.4 JSON instead of the pinned 3.1 YAML.
    code, out, _ = run(capsys, "normalise", "--spec", official, "--out", tmp_path / "n.json")
    assert (code, out) == (0, [f"normalise: {tmp_path / 'n.json'} (OpenAPI 3.0.4, → {TARGET})"])
    assert (
        run(capsys, "overlay", "--spec", tmp_path / "n.json", "--out", tmp_path / "o.yaml")[0] == 0
    )
    # The emulator and the harness read this file: the same bytes, so the same nullability.
    assert (tmp_path / "o.json").read_bytes() == (GENERATED / "openapi.json").read_bytes()
    code, out, _ = run(
        capsys, "generate", "--spec", tmp_path / "o.json", "--out", tmp_path / "eaccounting_api"
    )
    assert code == 0 and out[-1].endswith("(0 warning(s))")
    assert tree_digest(tmp_path / "eaccounting_api") == tree_digest(GENERATED / "eaccounting_api")


def test_spec_check_reports_the_304_json_form_as_clean(
    raw: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    official = tmp_path / "v2.json"
    official.write_text(mutations.official_304_json(raw), encoding="utf-8")
    code, out, _ = run(capsys, "check", "--spec", official)
    assert code == 0
    assert out[0] == f"check: {official} (OpenAPI 3.0.4, normalised to {TARGET})"
    assert not [line for line in out if line.startswith(("UNMATCHED", "UNDECIDED", "INVALID"))]
    assert out[-2:] == [
        f"check: {len(mutations.empty_paths(raw))} empty path item(s) removed",
        summary(declared="3.0.4"),
    ]
    # A format-only change: today's spec-diff reads `nullable` as the same nullability.
    assert list(diff(raw, mutations.to_official_304(raw)).changes()) == []


def test_a_304_document_in_the_31_form_is_refused_against_its_own_version(
    raw: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Declares 3.0.4 but keeps 3.1 type arrays: judged as 3.0, so every type array is named.
    mislabelled = {**raw, "openapi": "3.0.4"}
    code, out, _ = run(capsys, "check", "--spec", write(tmp_path, mislabelled))
    arrays = sum(
        1
        for line in json.dumps(raw).split('"type": [')[1:]
        if line.split("]", 1)[0].endswith('"null"')
    )
    invalid = [line for line in out if line.startswith("invalid for OpenAPI 3.0.4: ")]
    assert code == 1 and invalid and len(invalid) <= arrays
    assert all(line.endswith("is not of type 'string'") for line in invalid)
    assert out[-1] == (
        f"check: {len(invalid)} error(s) against OpenAPI 3.0.4, 0 validation error(s)"
    )


# -- 2. an operation added on a formerly empty path ----------------------------------------------
def test_an_operation_on_a_formerly_empty_path_stops_the_build_with_the_line_to_add(
    raw: dict[str, Any], decisions: Decisions, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = mutations.empty_paths(raw)
    # Visma's own next step: /allocationperiods/deleted gained a GET after February 2026.
    path = "/allocationperiods/deleted" if "/allocationperiods/deleted" in empty else empty[0]
    spec = write(tmp_path, mutations.add_operation_on_empty_path(raw, path))
    key, suggested = operation_key(path, "get"), mechanical_id(path, "get")
    undecided = (
        f"UNDECIDED {key}: no name decision. Add under [operations] in overlays/decisions.toml:"
        f'  "{key}" = "{suggested}"  (or choose a better name; or list it under [removed] '
        "with a reason)"
    )

    code, out, _ = run(capsys, "check", "--spec", spec)
    assert code == 1
    assert [line for line in out if line.startswith(("UNDECIDED", "UNMATCHED"))] == [undecided]
    assert out[-2:] == [f"check: {len(empty) - 1} empty path item(s) removed", summary(undecided=1)]

    # The build stops there and leaves nothing a later run would trust (even an old output).
    assert run(capsys, "normalise", "--spec", spec, "--out", tmp_path / "n.json")[0] == 0
    stale = tmp_path / "o.json"
    stale.write_text("{}")
    code, _, err = run(
        capsys, "overlay", "--spec", tmp_path / "n.json", "--out", tmp_path / "o.yaml"
    )
    assert code == 1 and undecided in err.splitlines()
    assert err.splitlines()[-1] == (
        f"overlay: 0 error(s) against OpenAPI {TARGET}, 0 unmatched action(s), "
        "1 undecided operation(s), 0 validation error(s)"
    )
    assert not stale.exists() and not (tmp_path / "o.yaml").exists()

    # Making exactly that edit is all it takes: the new operation gets its name, its scope from
    # the prose, the error responses, like every other.
    edited = tmp_path / "decisions.toml"
    line = f'"{key}" = "list_deleted_allocation_periods"\n'
    edited.write_text(DECISIONS_FILE.read_text().replace("[operations]\n", "[operations]\n" + line))
    code, _, _ = run(
        capsys,
        "overlay",
        "--spec",
        tmp_path / "n.json",
        "--out",
        tmp_path / "o.yaml",
        "--decisions",
        edited,
    )
    assert code == 0
    op = json.loads((tmp_path / "o.json").read_text())["paths"][path]["get"]
    assert op["operationId"] == "list_deleted_allocation_periods"
    assert op["security"] == [{"visma_oauth2": ["ea:accounting"]}]
    assert {"401", "403", "429", "500", "503"} <= set(op["responses"])


# -- 3. an operation removed ---------------------------------------------------------------------
def test_a_removed_operation_fails_naming_the_decision_line_to_delete(
    raw: dict[str, Any], decisions: Decisions, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    linked = {n for links in decisions.flow_links.values() for n in links} | set(
        decisions.flow_links
    )
    path, method, name = next(
        (p, m, decisions.operations[(p, m)])
        for p, m, _ in mutations.operations(raw)
        if m == "delete"
        and (p, m) in decisions.operations
        and decisions.operations[(p, m)] not in linked
        and p not in decisions.equivalent_paths
        and len(raw["paths"][p]) > 1
    )
    mutated = mutations.remove_operation(raw, path, method)
    code, out, _ = run(capsys, "check", "--spec", write(tmp_path, mutated))
    named = len(list(mutations.operations(mutated))) - len(decisions.removed)
    assert code == 1
    assert [line for line in out if line.startswith(("UNMATCHED", "UNDECIDED"))] == [
        f"UNMATCHED 01-operation-ids.yaml action {named + 1} (update): $.paths['{path}'].{method}"
    ]
    i = out.index(
        f"UNMATCHED 01-operation-ids.yaml action {named + 1} (update): $.paths['{path}'].{method}"
    )
    assert out[i + 1 : i + 3] == [
        f"    why: $.paths['{path}'] has no {method}",
        f'    reason for the action: name decision "{operation_key(path, method)}" = "{name}"',
    ]
    assert out[-1] == summary(unmatched=1)
    assert f"01-operation-ids.yaml: {named}/{named + 1} actions matched" in out
    # spec-diff (today's) reports the same removal as breaking.
    report = diff(raw, mutated)
    assert [(o.method, o.path) for o in report.operations_removed] == [(method.upper(), path)]


# -- 8. new empty paths --------------------------------------------------------------------------
def test_new_empty_path_items_are_removed_and_counted(
    raw: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = ["/drills/first", "/drills/{drillId}/second"]
    spec = write(tmp_path, mutations.add_empty_paths(raw, new))
    code, out, _ = run(capsys, "check", "--spec", spec)
    assert code == 0
    assert out[-2:] == [
        f"check: {len(mutations.empty_paths(raw)) + 2} empty path item(s) removed",
        summary(),
    ]
    assert run(capsys, "normalise", "--spec", spec, "--out", tmp_path / "n.json")[0] == 0
    code, _, _ = run(capsys, "overlay", "--spec", tmp_path / "n.json", "--out", tmp_path / "o.yaml")
    assert code == 0
    effective = json.loads((tmp_path / "o.json").read_text())
    assert not set(new) & set(effective["paths"])
    assert (tmp_path / "o.json").read_bytes() == (GENERATED / "openapi.json").read_bytes()


# -- 4-7. schema and tag changes: the pipeline passes them, the client changes -------------------
def test_schema_and_tag_changes_pass_the_pipeline_and_change_the_generated_client(
    raw: dict[str, Any], decisions: Decisions, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    by_name = {name: key for key, name in decisions.operations.items()}
    path, method = by_name["create_customer"]
    op = raw["paths"][path][method]
    schema = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    tag = op["tags"][0]
    props = raw["components"]["schemas"][schema]["properties"]
    dated = next(p for p in props if p.endswith("Date"))
    stamp = next(
        p for p, d in props.items() if d.get("format") == "date-time" and not p.endswith("Date")
    )

    mutated = mutations.add_required_property(raw, schema, "DrillCode")  # 4. new required
    mutated = mutations.rename_property_case(mutated, schema, dated)  # 5. case-only rename
    mutated = mutations.change_format(mutated, schema, stamp, "date")  # 6. format change
    mutated = mutations.rename_tag(mutated, tag, tag + "V2")  # 7. tag rename
    renamed = dated[0].lower() + dated[1:]

    out_dir = tmp_path / "client"
    code, out, _ = run(
        capsys, "check", "--spec", write(tmp_path, mutated), "--generate-into", out_dir
    )
    assert code == 0
    assert out[-3:] == [
        f"check: {len(mutations.empty_paths(raw))} empty path item(s) removed",
        summary(),
        "check: generated with 0 warning(s)",
    ]
    effective = json.loads((out_dir / "openapi.json").read_text())
    definition = effective["components"]["schemas"][schema]
    assert "DrillCode" in definition["required"]
    # The date rule is re-derived from the spec, so it follows the renamed property.
    assert definition["properties"][renamed]["format"] == "date"
    assert definition["properties"][stamp]["format"] == "date"

    api = out_dir / "eaccounting_api"
    module = re.sub(r"(?<!^)(?=[A-Z])", "_", tag + "V2").lower()
    old_module = re.sub(r"(?<!^)(?=[A-Z])", "_", tag).lower()
    assert (api / "api" / module / "create_customer.py").is_file()
    assert not (api / "api" / old_module).exists()
    model = next(
        p.read_text() for p in (api / "models").glob("*.py") if f"class {schema}:" in p.read_text()
    )
    assert re.search(r"^    drill_code: str$", model, re.M), "a required field, no default"
    assert f'"{renamed}"' in model and f'"{dated}"' not in model
    snake_stamp = re.sub(r"(?<!^)(?=[A-Z])", "_", stamp).lower()
    assert re.search(rf"^    {snake_stamp}: .*datetime\.date\b(?!time)", model, re.M)

    # spec-diff sees the breaking ones, the tag rename (client.api.<tag> moves) first.
    assert [(c.breaking, c.text) for c in diff(raw, mutated).changes()] == [
        (True, f"tag renamed (inferred): {tag} → {tag}V2"),
        (True, f"property added: {schema}.DrillCode (required)"),
        (True, f"property renamed: {schema}.{dated} → {renamed}"),
        (True, f"property {schema}.{stamp} format: date-time → date"),
    ]
