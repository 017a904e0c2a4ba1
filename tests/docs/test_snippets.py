"""The ``# → output`` promises of docs snippets are checked, and a broken one names its line."""

from __future__ import annotations

from typing import Any

from .snippets import matches, promise, promises, run_block

BLOCK = """\
x = 6 * 7
print(x)  # → 42
print("id", 1234, "at", "2026-01-02T03:04:05Z")  # → id … at …Z
for i in range(2):
    print(i)  # → 5 (not the last line of its top-level statement: not checked)
    i += 1
print([x / 2])  # → [20.0]
"""


def test_promises_are_read_from_the_line_end() -> None:
    assert promise("print(waits)  # → [60.0]") == "[60.0]"
    assert promise("print(x)  # a remark") is None
    assert promises(BLOCK) == 4


def test_ellipsis_stands_for_any_text_and_nothing_else_is_loose() -> None:
    assert matches("id … at …Z", "id 1234 at 2026-01-02T03:04:05Z")
    assert not matches("id … at …Z", "id 1234 at 2026-01-02T03:04:05+00:00")
    assert not matches("0.0", "0.00")
    assert matches("(a) [b] *", "(a) [b] *")


def test_a_broken_promise_names_the_pages_line_and_both_texts(capsys: Any) -> None:
    namespace: dict[str, Any] = {}
    broken = run_block(BLOCK, "README.md", 100, namespace)
    assert broken == ["README.md:106: promised '[20.0]', printed '[21.0]'"]
    assert namespace["x"] == 42
    assert capsys.readouterr().out == "42\nid 1234 at 2026-01-02T03:04:05Z\n0\n1\n[21.0]\n"
