"""The house: modules in ``geo/`` import each other in one direction only, and never Streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

GEO = Path(__file__).resolve().parent.parent / "geo"


def _geo_imports(path: Path) -> set[str]:
    """Every ``geo`` module that ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "geo":
                found.update(f"geo.{alias.name}" for alias in node.names)
            elif node.module.startswith("geo."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("geo."))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {f"geo.{p.stem}": p for p in GEO.glob("*.py") if p.stem not in {"__init__", "__main__"}}
    return {name: _geo_imports(path) & modules.keys() - {name} for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a list of modules, or [] when the graph has none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_geo_has_no_import_cycle():
    graph = _graph()
    assert "geo.rules" in graph and "geo.intervals" in graph
    assert _cycle(graph) == [], " -> ".join(_cycle(graph))


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_rules_sit_below_the_index_and_the_loader():
    graph = _graph()
    assert graph["geo.rules"] <= {"geo.settings", "geo._claims", "geo.outlets", "geo._validate", "geo.errors"}
    assert "geo.timeline" not in graph["geo.intervals"] and "geo.control" not in graph["geo.intervals"]


def test_geo_never_imports_streamlit():
    for path in GEO.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "streamlit" for n in names), path.name
