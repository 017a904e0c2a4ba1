"""The region x operation matrix, rendered as Markdown, JUnit XML and a self-contained HTML page."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class Status(str, Enum):
    PASSED = "passed"
    FAILED = "failed"
    UNAVAILABLE = "not available in region"
    NOT_EXERCISED = "not exercised"
    # Answered only by the emulator's schema-shaped stub: the shapes conform, but no behaviour
    # of the operation was checked, so it is not counted as passed.
    STUB = "stub"


STUB_NOTE = (
    "The emulator answers these operations with a schema-shaped stub (no state, no business "
    "rules): their responses conform to the spec, but nothing else was checked"
)

SYMBOL = {
    Status.PASSED: "✔",
    Status.FAILED: "✘",
    Status.UNAVAILABLE: "—",
    Status.NOT_EXERCISED: "·",
    Status.STUB: "◌",
}


@dataclass
class Cell:
    """What happened to one operation in one region.

    Three views judge each response: the spec's (``failures``: does it conform), the
    generated model's (``model_failures``: can ``eaccounting_api`` read it) and the facade's
    (``facade_failures``: can ``client.<resource>`` read it; ``facade`` names the method, empty
    where the operation has none). A failure in any view fails the cell.
    """

    status: Status
    requests: int = 0
    reason: str = ""
    failures: list[str] = field(default_factory=list)
    model_failures: list[str] = field(default_factory=list)
    facade_failures: list[str] = field(default_factory=list)
    facade: str = ""
    #: Responses the model and facade views read (0: those views did not run).
    read: int = 0

    def all_failures(self) -> list[str]:
        return (
            self.failures
            + [f"model: {f}" for f in self.model_failures]
            + [f"facade: {f}" for f in self.facade_failures]
        )

    def views(self) -> str:
        """``spec model facade`` symbols, e.g. ``✔ ✔ ✔``, ``✔ ✘ —`` (no facade method) or
        ``◌ ✔ —`` (served by a stub: shapes conform, no behaviour checked)."""
        if not self.read:
            return SYMBOL[self.status]
        spec = (
            "✘"
            if self.failures
            else SYMBOL[Status.STUB if self.status is Status.STUB else Status.PASSED]
        )
        model = "✘" if self.model_failures else "✔"
        facade = ("✘" if self.facade_failures else "✔") if self.facade else "—"
        return f"{spec} {model} {facade}"


@dataclass
class Matrix:
    regions: list[str]
    operations: list[str]
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    scenarios: dict[tuple[str, str], Cell] = field(default_factory=dict)
    # Operations of the upstream spec that are not in the effective spec, with the reason.
    removed: dict[str, str] = field(default_factory=dict)
    # Cassettes a record run deleted because no operation uses them (region/file).
    orphans_removed: list[str] = field(default_factory=list)

    def cell(self, region: str, operation: str) -> Cell:
        return self.cells.get((region, operation), Cell(Status.NOT_EXERCISED, reason="not run"))

    def all_cells(self) -> list[Cell]:
        return [self.cell(r, o) for r in self.regions for o in self.operations] + list(
            self.scenarios.values()
        )

    def counts(self) -> Counter[Status]:
        return Counter(c.status for c in self.all_cells())

    @property
    def passed(self) -> int:
        # A region gate that answered as the profile says is a checked, passing expectation.
        counts = self.counts()
        return counts[Status.PASSED] + counts[Status.UNAVAILABLE]

    @property
    def failed(self) -> int:
        return self.counts()[Status.FAILED]

    def uncovered(self) -> list[str]:
        """Operations exercised in no region (each must carry a reason in the report)."""
        return [
            o
            for o in self.operations
            if all(self.cell(r, o).status is Status.NOT_EXERCISED for r in self.regions)
        ]

    def view_counts(self) -> dict[str, tuple[int, int]]:
        """Per view (spec, model, facade): cells it judged, and how many it failed."""
        judged = [c for c in self.cells.values() if c.read]
        facades = [c for c in judged if c.facade]
        return {
            "spec": (len(judged), sum(1 for c in judged if c.failures)),
            "model": (len(judged), sum(1 for c in judged if c.model_failures)),
            "facade": (len(facades), sum(1 for c in facades if c.facade_failures)),
        }

    def closing_line(self) -> str:
        counts = self.counts()
        line = f"{self.passed} passed, {self.failed} failed"
        if counts[Status.STUB]:
            line += f", {counts[Status.STUB]} stub"
        skipped = counts[Status.NOT_EXERCISED]
        return f"{line}, {skipped} skipped" if skipped else line


def to_markdown(matrix: Matrix) -> str:
    counts = matrix.counts()
    lines = [
        "# Contract report",
        "",
        f"Regions: {', '.join(matrix.regions)}. Operations: {len(matrix.operations)}.",
        "",
        "| status | cells |",
        "|---|---|",
        *(f"| {SYMBOL[s]} {s.value} | {counts[s]} |" for s in Status),
        "",
        "Each response is judged three ways: does it conform to the spec, can the generated",
        "model read it, can the facade (`client.<resource>`) read it. A cell shows",
        "`spec model facade`; `—` where no facade method performs the operation.",
        "",
        "| view | cells judged | failed |",
        "|---|---|---|",
        *(f"| {view} | {n} | {bad} |" for view, (n, bad) in matrix.view_counts().items()),
        "",
        "## Operations",
        "",
        "| operation | " + " | ".join(matrix.regions) + " |",
        "|---|" + "---|" * len(matrix.regions),
    ]
    for op in matrix.operations:
        cells = [matrix.cell(r, op) for r in matrix.regions]
        lines.append(f"| `{op}` | " + " | ".join(c.views() for c in cells) + " |")
    if matrix.scenarios:
        lines += [
            "",
            "## Stateful scenarios",
            "",
            "| region | scenario | result |",
            "|---|---|---|",
        ]
        for (region, name), cell in sorted(matrix.scenarios.items()):
            lines.append(f"| {region} | {name} | {SYMBOL[cell.status]} {cell.status.value} |")
    if matrix.removed:
        lines += ["", "## Upstream operations not in the client", ""]
        lines += [f"- `{op}`: {why}" for op, why in sorted(matrix.removed.items())]
    notes = [
        (r, o, c)
        for r in matrix.regions
        for o in matrix.operations
        if (c := matrix.cell(r, o)).status not in (Status.PASSED, Status.STUB)
    ]
    stubs = [
        o
        for o in matrix.operations
        if any(matrix.cell(r, o).status is Status.STUB for r in matrix.regions)
    ]
    if stubs:
        lines += ["", "## Served by a schema stub", "", f"{STUB_NOTE}:", ""]
        lines += [f"- `{op}`" for op in stubs]
    if notes:
        lines += ["", "## Details", ""]
        for region, op, cell in notes:
            detail = "; ".join(cell.all_failures()) or cell.reason
            lines.append(f"- {region} `{op}` — {cell.status.value}: {detail}")
    lines += ["", matrix.closing_line(), ""]
    return "\n".join(lines)


def to_junit(matrix: Matrix) -> str:
    root = ET.Element("testsuites", name="contract", tests=str(len(matrix.all_cells())))
    groups: dict[str, list[tuple[str, Cell]]] = {
        r: [(o, matrix.cell(r, o)) for o in matrix.operations] for r in matrix.regions
    }
    for (region, name), cell in sorted(matrix.scenarios.items()):
        groups.setdefault(region, []).append((f"scenario:{name}", cell))
    for region, cases in groups.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"contract.{region}",
            tests=str(len(cases)),
            failures=str(sum(c.status is Status.FAILED for _, c in cases)),
            skipped=str(sum(c.status in (Status.NOT_EXERCISED, Status.STUB) for _, c in cases)),
        )
        for name, cell in cases:
            case = ET.SubElement(suite, "testcase", classname=f"contract.{region}", name=name)
            if cell.status is Status.FAILED:
                failures = cell.all_failures()
                failure = ET.SubElement(case, "failure", message=failures[0][:500])
                failure.text = "\n\n".join(failures)
            elif cell.status in (Status.NOT_EXERCISED, Status.STUB):
                ET.SubElement(case, "skipped", message=cell.reason)
            elif cell.status is Status.UNAVAILABLE:
                ET.SubElement(case, "system-out").text = f"region gate verified: {cell.reason}"
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


_CSS = """
body{font:14px system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}
td.passed{background:#d9f2d9}td.failed{background:#f7d4d4}
td.unavailable{background:#e6e6e6}td.not-exercised{background:#fff8dc}
td.stub{background:#eef3fb}
code{font-size:13px}
"""
_CLASS = {
    Status.PASSED: "passed",
    Status.FAILED: "failed",
    Status.UNAVAILABLE: "unavailable",
    Status.NOT_EXERCISED: "not-exercised",
    Status.STUB: "stub",
}


def to_html(matrix: Matrix) -> str:
    e = html.escape
    head = "".join(f"<th>{e(r)}</th>" for r in matrix.regions)
    rows = []
    for op in matrix.operations:
        cells = []
        for region in matrix.regions:
            cell = matrix.cell(region, op)
            title = "; ".join(cell.all_failures()) or cell.reason or cell.status.value
            cells.append(
                f'<td class="{_CLASS[cell.status]}" title="{e(title)}">{e(cell.views())}</td>'
            )
        rows.append(f"<tr><td><code>{e(op)}</code></td>{''.join(cells)}</tr>")
    failures = [
        f"<li><b>{e(r)}</b> <code>{e(o)}</code><pre>{e(chr(10).join(c.all_failures()))}</pre></li>"
        for r in matrix.regions
        for o in matrix.operations
        if (c := matrix.cell(r, o)).status is Status.FAILED
    ]
    scenarios = "".join(
        f'<tr><td>{e(r)}</td><td>{e(n)}</td><td class="{_CLASS[c.status]}">{e(c.status.value)}'
        f"</td></tr>"
        for (r, n), c in sorted(matrix.scenarios.items())
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Contract report</title>"
        f"<style>{_CSS}</style></head><body><h1>Contract report</h1>"
        f"<p><b>{e(matrix.closing_line())}</b></p>"
        f"<table><tr><th>operation</th>{head}</tr>{''.join(rows)}</table>"
        + (f"<h2>Scenarios</h2><table>{scenarios}</table>" if scenarios else "")
        + (f"<h2>Failures</h2><ul>{''.join(failures)}</ul>" if failures else "")
        + "</body></html>\n"
    )


def write_reports(matrix: Matrix, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    outputs = {
        "contract.md": to_markdown(matrix),
        "contract.junit.xml": to_junit(matrix),
        "contract.html": to_html(matrix),
    }
    paths = []
    for name, text in outputs.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
