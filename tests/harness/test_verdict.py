"""The harness's verdict, cell by cell: what passes, fails, is skipped, and what each view says.

``python -m harness`` exits 1 exactly when ``Matrix.failed`` is not 0 (test_exit_status.py);
these pin how the matrix arrives at it and at the closing line CI reads.
"""

from __future__ import annotations

import pytest

from harness.report import SYMBOL, Cell, Matrix, Status


def _matrix(*cells: tuple[str, str, Cell]) -> Matrix:
    matrix = Matrix(regions=["se", "nl"], operations=["a", "b", "c"])
    for region, operation, cell in cells:
        matrix.cells[(region, operation)] = cell
    return matrix


def test_an_unrun_cell_is_not_exercised_and_named_so() -> None:
    cell = _matrix().cell("se", "a")
    assert (cell.status, cell.reason, cell.requests) == (Status.NOT_EXERCISED, "not run", 0)


def test_every_status_counts_once_and_gates_count_as_passed() -> None:
    matrix = _matrix(
        ("se", "a", Cell(Status.PASSED)),
        ("nl", "a", Cell(Status.UNAVAILABLE)),
        ("se", "b", Cell(Status.FAILED)),
        ("nl", "b", Cell(Status.STUB)),
        ("se", "c", Cell(Status.STUB)),
    )
    matrix.scenarios[("se", "crud")] = Cell(Status.FAILED)
    assert (matrix.passed, matrix.failed) == (2, 2)
    assert matrix.counts()[Status.NOT_EXERCISED] == 1  # nl/c
    assert matrix.closing_line() == "2 passed, 2 failed, 2 stub, 1 skipped"
    assert matrix.uncovered() == []


def test_the_closing_line_leaves_out_empty_stub_and_skip_counts() -> None:
    full = _matrix(*((r, o, Cell(Status.PASSED)) for r in ("se", "nl") for o in "abc"))
    assert full.closing_line() == "6 passed, 0 failed"


def test_an_operation_no_region_exercised_is_uncovered() -> None:
    matrix = _matrix(("se", "a", Cell(Status.PASSED)), ("nl", "b", Cell(Status.FAILED)))
    assert matrix.uncovered() == ["c"]


def test_all_failures_names_the_view_of_each() -> None:
    cell = Cell(Status.FAILED, failures=["s"], model_failures=["m"], facade_failures=["f"])
    assert cell.all_failures() == ["s", "model: m", "facade: f"]


@pytest.mark.parametrize(
    ("cell", "symbols"),
    [
        (Cell(Status.PASSED), SYMBOL[Status.PASSED]),
        (Cell(Status.UNAVAILABLE), "—"),
        (Cell(Status.PASSED, read=1, facade="customers.list"), "✔ ✔ ✔"),
        (Cell(Status.PASSED, read=1), "✔ ✔ —"),
        (Cell(Status.STUB, read=1), "◌ ✔ —"),
        (Cell(Status.FAILED, read=1, failures=["x"], facade="c.l"), "✘ ✔ ✔"),
        (Cell(Status.FAILED, read=1, model_failures=["x"], facade="c.l"), "✔ ✘ ✔"),
        (Cell(Status.FAILED, read=1, facade_failures=["x"], facade="c.l"), "✔ ✔ ✘"),
    ],
)
def test_the_three_views_of_a_cell(cell: Cell, symbols: str) -> None:
    assert cell.views() == symbols


def test_view_counts_judge_only_read_cells_and_facades_only_where_there_is_one() -> None:
    matrix = _matrix(
        ("se", "a", Cell(Status.PASSED, read=2, facade="x.list")),
        ("nl", "a", Cell(Status.FAILED, read=1, facade="x.list", facade_failures=["f", "g"])),
        ("se", "b", Cell(Status.FAILED, read=1, failures=["s"], model_failures=["m"])),
        ("nl", "b", Cell(Status.PASSED)),  # not read: no view judged it
    )
    assert matrix.view_counts() == {"spec": (3, 1), "model": (3, 1), "facade": (2, 1)}
