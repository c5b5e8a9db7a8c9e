"""The house shows its pipeline: imports flow one way, no cycles, small modules.

Layers, upstream first: base (config, errors, namespaces, fileio) -> build ->
store -> query -> analyse -> site -> cli. A module may import its own layer and
any layer upstream of it, never one downstream.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

KG = Path(__file__).resolve().parent.parent / "kg"
LAYERS = ["base", "build", "store", "query", "analyse", "site", "cli"]
MAX_LINES = 400


def _module(path: Path, root: Path = KG) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _layer(module: str) -> str:
    if module == "kg.__main__":  # `python -m kg` is the command line
        return "cli"
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else "base"


def import_graph(root: Path = KG) -> nx.DiGraph:
    g = nx.DiGraph()
    for path in root.rglob("*.py"):
        mod = _module(path, root)
        g.add_node(mod)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kg"):
                targets = [node.module]
                # `from kg.x import y` where y is a module
                for alias in node.names:
                    if (root.parent / (node.module.replace(".", "/") + f"/{alias.name}.py")).exists():
                        targets.append(f"{node.module}.{alias.name}")
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name.startswith("kg")]
            for t in targets:
                if t != mod and t not in ("kg",) and not mod.startswith(t + "."):
                    g.add_edge(mod, t)
    return g


def upstream_violations(g: nx.DiGraph) -> list[str]:
    return [f"{a} ({_layer(a)}) imports {b} ({_layer(b)})" for a, b in g.edges
            if _layer(a) in LAYERS and _layer(b) in LAYERS and LAYERS.index(_layer(b)) > LAYERS.index(_layer(a))]


def test_no_import_cycles():
    g = import_graph()
    cycles = list(nx.simple_cycles(g))
    assert cycles == []


def test_imports_only_flow_downstream():
    assert upstream_violations(import_graph()) == []


def test_modules_are_small():
    big = [f"{p.relative_to(KG)}: {n}" for p in KG.rglob("*.py") if (n := len(p.read_text().splitlines())) > MAX_LINES]
    assert big == []


def test_each_stage_is_a_package():
    assert all((KG / name / "__init__.py").exists() for name in LAYERS[1:])


@pytest.mark.parametrize("bad", ["cycle", "upstream"])
def test_the_check_catches_a_bad_import(tmp_path: Path, bad: str):
    """The checks above can fail: a fixture package with a cycle / an upstream import is caught."""
    root = tmp_path / "kg"
    for pkg in ("build", "site"):
        (root / pkg).mkdir(parents=True)
        (root / pkg / "__init__.py").write_text("")
    if bad == "cycle":
        (root / "build" / "a.py").write_text("from kg.build.b import x\n")
        (root / "build" / "b.py").write_text("from kg.build.a import y\n")
        assert list(nx.simple_cycles(import_graph(root)))
    else:
        (root / "build" / "a.py").write_text("from kg.site.page import render\n")
        (root / "site" / "page.py").write_text("")
        assert upstream_violations(import_graph(root)) == ["kg.build.a (build) imports kg.site.page (site)"]
