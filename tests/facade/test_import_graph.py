"""The package's import graph has no cycle (read statically, every import counted: top-level,
inside functions and under TYPE_CHECKING)."""

from __future__ import annotations

import ast
from pathlib import Path

import eaccounting

ROOT = Path(eaccounting.__file__).parent
PACKAGE = "eaccounting"


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = [PACKAGE, *path.relative_to(ROOT).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_package(name: str, modules: dict[str, Path]) -> bool:
    return name in modules and modules[name].name == "__init__.py"


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules ``name`` imports, plus each package on the way (importing ``a.b.c`` runs
    ``a/b/__init__``: a real edge when ``a.b`` is a sibling). The importer's own ancestors are
    left out: they are initialising already when it runs (``from . import x``)."""
    package = name if _is_package(name, modules) else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            targets.add(source)
            targets.update(f"{source}.{alias.name}" for alias in node.names)
    edges: set[str] = set()
    for target in targets:
        parts = target.split(".")
        for end in range(1, len(parts) + 1):
            candidate = ".".join(parts[:end])
            if candidate not in modules or candidate == name:
                continue
            if name.startswith(candidate + "."):
                continue
            edges.add(candidate)
    return edges


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), or a self-loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_the_package_import_graph_has_no_cycle() -> None:
    assert _cycles(graph()) == []


def test_the_client_imports_the_resources_and_not_the_other_way_round() -> None:
    edges = graph()
    assert "eaccounting._async.resources" in edges["eaccounting._async.client"]
    assert "eaccounting._sync.resources" in edges["eaccounting._sync.client"]
    for resources in ("eaccounting._async.resources", "eaccounting._async.mixins"):
        assert not {e for e in edges[resources] if "client" in e}, edges[resources]


def test_the_cycle_finder_sees_a_cycle_through_a_sibling_package() -> None:
    # The shape that was here: the client imported the resources, which imported the client;
    # and a module importing resources/_base ran resources/__init__, which imported it back.
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]
    modules = {
        "eaccounting._x": Path("x.py"),
        "eaccounting.res": Path("res/__init__.py"),
        "eaccounting.res._base": Path("res/_base.py"),
    }
    assert _is_package("eaccounting.res", modules)
