"""The contract report: one matrix, three renderings, one closing line."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from harness.report import Cell, Matrix, Status, to_html, to_junit, to_markdown, write_reports


def sample() -> Matrix:
    matrix = Matrix(
        regions=["se", "nl"],
        operations=["list_customers", "list_standard_accounts", "get_document"],
        removed={"GET /warmup_wnkq2yfuzq": "internal warm-up probe"},
    )
    matrix.cells[("se", "list_customers")] = Cell(Status.PASSED, requests=3)
    matrix.cells[("nl", "list_customers")] = Cell(
        Status.FAILED, requests=3, failures=["GET /customers -> 500: boom <b>"]
    )
    matrix.cells[("se", "list_standard_accounts")] = Cell(
        Status.UNAVAILABLE, requests=1, reason="standard accounts are Dutch-only"
    )
    matrix.cells[("nl", "list_standard_accounts")] = Cell(Status.PASSED, requests=3)
    matrix.scenarios[("se", "crud:customer")] = Cell(Status.PASSED, requests=6)
    return matrix


def test_counts_and_the_closing_line() -> None:
    matrix = sample()
    # 2 passed + 1 verified region gate + 1 scenario = 4 passed; get_document never ran.
    assert (matrix.passed, matrix.failed) == (4, 1)
    assert matrix.closing_line() == "4 passed, 1 failed, 2 skipped"
    assert matrix.uncovered() == ["get_document"]


def test_markdown_has_the_matrix_details_and_removed_operations() -> None:
    text = to_markdown(sample())
    assert "| `list_customers` | ✔ | ✘ |" in text
    assert "| `list_standard_accounts` | — | ✔ |" in text
    assert "| `get_document` | · | · |" in text
    assert "- nl `list_customers` — failed: GET /customers -> 500: boom <b>" in text
    assert "- `GET /warmup_wnkq2yfuzq`: internal warm-up probe" in text
    assert text.rstrip().endswith("4 passed, 1 failed, 2 skipped")


def test_junit_has_a_suite_per_region_with_failures_and_skips() -> None:
    root = ET.fromstring(to_junit(sample()))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"contract.se", "contract.nl"}
    assert (suites["contract.nl"].get("failures"), suites["contract.nl"].get("skipped")) == (
        "1",
        "1",
    )
    names = [c.get("name") for c in suites["contract.se"].iter("testcase")]
    assert names == [
        "list_customers",
        "list_standard_accounts",
        "get_document",
        "scenario:crud:customer",
    ]
    failure = suites["contract.nl"].find("testcase/failure")
    assert failure is not None and failure.get("message") == "GET /customers -> 500: boom <b>"


def test_html_is_self_contained_and_escaped() -> None:
    page = to_html(sample())
    assert page.startswith("<!doctype html>") and "<style>" in page
    assert "<script" not in page and "http" not in page.split("<body>")[0]
    assert "boom &lt;b&gt;" in page and "boom <b>" not in page


def test_write_reports_writes_three_files(tmp_path: Path) -> None:
    paths = write_reports(sample(), tmp_path / "reports")
    assert sorted(p.name for p in paths) == ["contract.html", "contract.junit.xml", "contract.md"]
    assert all(p.read_text() for p in paths)
