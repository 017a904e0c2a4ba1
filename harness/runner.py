"""Run the contract checks: every operation of the effective spec, per region, against a target."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from schemathesis import Case
from schemathesis.core.failures import FailureGroup

from eaccounting._spec import effective_spec
from eaccounting.testing.regions import check_gates

from . import scenarios
from .calls import NEGATIVE_CHECKS, POSITIVE_CHECKS, describe, send, visma_error_problem
from .cases import OperationCases, generate_cases, load_schema
from .cassettes import CASSETTES_DIR, MissingInteraction, cassette_name, make_vcr
from .profiles import ProfileError, RegionProfile, check_profiles, load_profile
from .report import Cell, Matrix, Status
from .targets import Session, open_session
from .views import facade_call, read_with_facade, read_with_model


@dataclass(frozen=True)
class Options:
    regions: tuple[str, ...] = ("se", "no", "fi", "nl")
    target: str = "emulator"
    mode: str = "replay"
    examples: int = 3
    negative: int = 2
    scenarios: bool = True
    cassette_dir: Path = CASSETTES_DIR


#: The region whose scenarios also run through AsyncClient (one is enough to prove the async
#: facades: they are derived from the same source as the sync ones).
ASYNC_REGION = "se"
ASYNC_SCENARIOS = "scenarios-async.yaml"

STUB_REASON = "served by the emulator's schema-shaped stub: shapes checked, no behaviour"


def stub_operations(spec: Mapping[str, Any]) -> frozenset[str]:
    """Operations the emulator answers only with a schema-shaped stub (no state, no rules)."""
    from eaccounting.testing.handlers import resolve
    from eaccounting.testing.spec import SpecIndex

    index = SpecIndex(dict(spec))
    return frozenset(i for i, op in index.operations.items() if resolve(op)[1] == "stub")


def check_operation(
    session: Session, cases: OperationCases, profile: RegionProfile, stub: bool = False
) -> Cell:
    """Send the operation's cases and judge the responses against the spec and the profile.

    ``stub``: the target answers this operation with a schema-shaped stub, so a clean result
    is reported as ``stub``, not as passed.
    """
    cell = Cell(Status.PASSED)
    if not cases.positive:
        return Cell(Status.NOT_EXERCISED, reason="Schemathesis generated no case")
    if not profile.offers(cases.operation_id):
        response = send(session.client, cases.positive[0])
        cell.requests = 1
        code = response.json().get("ErrorCode") if response.content[:1] == b"{" else None
        expected = (profile.gate_status, profile.gate_error_code)
        if (response.status_code, code) == expected:
            reason = profile.unavailable[cases.operation_id]
            return Cell(Status.UNAVAILABLE, requests=1, reason=reason)
        cell.status = Status.FAILED
        cell.failures.append(
            f"{profile.region} does not offer {cases.operation_id} "
            f"({profile.unavailable[cases.operation_id]}): expected {expected[0]} with ErrorCode "
            f"{expected[1]}, got {response.status_code} with ErrorCode {code}"
        )
        return cell
    plan: list[tuple[Case, list[Any], bool]] = [(c, POSITIVE_CHECKS, True) for c in cases.positive]
    plan += [(c, NEGATIVE_CHECKS, False) for c in cases.negative]
    operation = cases.operation
    facade = facade_call(cases.operation_id, operation.method, operation.path)
    cell.facade = facade.name if facade else ""
    for case, checks, positive in plan:
        response: httpx.Response | None = None
        try:
            response = send(session.client, case)
            cell.requests += 1
            if response.status_code == 501:
                return Cell(
                    Status.NOT_EXERCISED,
                    requests=cell.requests,
                    reason="the emulator does not implement this operation (501)",
                )
            _read(cell, cases.operation_id, case, response, positive, facade)
            case.validate_response(response, checks=checks)
            problem = visma_error_problem(response)
            if problem:
                raise AssertionError(problem)
        except MissingInteraction as error:
            cell.failures.append(f"missing interaction: {' '.join(str(error).split())[:600]}")
        except (Exception, FailureGroup) as error:  # each is a finding to report
            cell.failures.append(describe(case, response, error))
    if cell.failures or cell.model_failures or cell.facade_failures:
        cell.status = Status.FAILED
    elif stub:
        cell.status, cell.reason = Status.STUB, STUB_REASON
    return cell


def _read(
    cell: Cell,
    operation_id: str,
    case: Case,
    response: httpx.Response,
    positive: bool,
    facade: Any,
) -> None:
    """The model and facade views of one response (see :mod:`harness.views`)."""
    cell.read += 1
    problem = read_with_model(operation_id, response)
    if problem:
        cell.model_failures.append(
            f"{case.method} {case.formatted_path} -> {response.status_code}: {problem}"
        )
    if facade is not None:
        problem = read_with_facade(facade, case, response, positive=positive)
        if problem:
            cell.facade_failures.append(
                f"{case.method} {case.formatted_path} -> {response.status_code}: {problem}"
            )


def group_by_tag(all_cases: Iterable[OperationCases]) -> dict[str, list[OperationCases]]:
    groups: dict[str, list[OperationCases]] = defaultdict(list)
    for cases in all_cases:
        groups[cases.operation.tags[0] if cases.operation.tags else "untagged"].append(cases)
    return dict(groups)


TAG_FILE = "run-tag.txt"


def _scenario_tag(options: Options, region: str, session_tag: str) -> str:
    """The tag recorded with the cassettes (replay), or the session's, kept for replay (record)."""
    path = options.cassette_dir / region / TAG_FILE
    if options.mode == "replay":
        return path.read_text("utf-8").strip() if path.is_file() else "1"
    if options.mode == "record":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(session_tag + "\n", "utf-8")
    return session_tag


def run(
    options: Options,
    progress: Callable[[str, str], None] | None = None,
    spec: Mapping[str, Any] | None = None,
) -> Matrix:
    """Run every region of ``options`` and return the matrix (reports are written by the CLI)."""
    spec = dict(spec or effective_spec())
    all_cases = generate_cases(load_schema(spec), options.examples, options.negative)
    groups = group_by_tag(all_cases)
    matrix = Matrix(
        regions=list(options.regions),
        operations=[c.operation_id for c in all_cases],
        removed=dict(spec.get("x-removed-operations", {})),
    )
    stubs = stub_operations(spec) if options.target == "emulator" else frozenset()
    profiles = {region: load_profile(region) for region in options.regions}
    check_profiles(profiles.values(), matrix.operations)
    if options.target == "emulator":  # replay too: its cassettes came from the emulator
        try:
            check_gates(matrix.operations)
        except ValueError as error:
            raise ProfileError(str(error)) from None
    for region, profile in profiles.items():
        with open_session(options.target, options.mode, region) as session:
            recorder = (
                make_vcr(options.mode, region, session.recorded_base, options.cassette_dir)
                if options.mode != "live"
                else None
            )
            for tag, tag_cases in groups.items():
                cassette = recorder.use_cassette(cassette_name(tag)) if recorder else nullcontext()
                with cassette:
                    for cases in tag_cases:
                        stub = cases.operation_id in stubs
                        cell = check_operation(session, cases, profile, stub)
                        matrix.cells[(region, cases.operation_id)] = cell
                        if progress:
                            progress(region, cases.operation_id)
            if options.scenarios:
                cassette = recorder.use_cassette("scenarios.yaml") if recorder else nullcontext()
                with cassette:
                    tag = _scenario_tag(options, region, session.run_tag)
                    for name, cell in scenarios.run_all(session, profile, spec, tag).items():
                        matrix.scenarios[(region, name)] = cell
                if region == ASYNC_REGION:
                    cassette = recorder.use_cassette(ASYNC_SCENARIOS) if recorder else nullcontext()
                    # The same scenarios through AsyncClient (a blocking view of it), with their
                    # own numbers: the company still holds what the sync run kept.
                    with cassette, session.async_view() as client:
                        cells = scenarios.run_all(session, profile, spec, f"{tag}a", client=client)
                        for name, cell in cells.items():
                            matrix.scenarios[(region, f"{name} (async)")] = cell
            if options.mode == "record":
                expected = {cassette_name(tag) for tag in groups} | {"scenarios.yaml"}
                expected |= {ASYNC_SCENARIOS} if region == ASYNC_REGION else set()
                removed = remove_orphan_cassettes(options.cassette_dir / region, expected)
                matrix.orphans_removed += [f"{region}/{name}" for name in removed]
    return matrix


def remove_orphan_cassettes(directory: Path, expected: set[str]) -> list[str]:
    """Delete the cassettes of ``directory`` that no operation group uses any more (after a
    tag rename or removal upstream, the old tag's cassette would linger unread)."""
    removed = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name not in expected:
            path.unlink()
            removed.append(path.name)
    return removed
