"""The two YAML paths of kg.build.records give the same records and problems.

libyaml composes the tree when it can vouch for it (13x faster); the pure-Python
loader is the fallback that refuses aliases, deep nesting and control characters
at their line. A difference between them would make a build's errors depend on
whether libyaml is installed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import kg.build.records as records

ROOT = Path(__file__).resolve().parent.parent
BAD = sorted((ROOT / "tests" / "fixtures" / "bad").rglob("*.yaml"))

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml has one path only")


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[tuple, tuple]:
    def seen(result: tuple) -> tuple:
        recs, problems = result
        return [(r.data, r.line, r.key_lines, r.source_lines) for r in recs], [str(p) for p in problems]

    fast = seen(records.read_all(path, ROOT) if path.is_dir() else records.read_file(path, ROOT))
    with monkeypatch.context() as m:
        m.setattr(records, "_CLoader", None)
        slow = seen(records.read_all(path, ROOT) if path.is_dir() else records.read_file(path, ROOT))
    return fast, slow


@pytest.mark.parametrize("folder", ["data", "tests/fixtures/mini"])
def test_good_data_reads_the_same_on_both_paths(folder: str, monkeypatch: pytest.MonkeyPatch):
    fast, slow = _both(ROOT / folder, monkeypatch)
    assert fast == slow and fast[0] and not fast[1]


@pytest.mark.parametrize("case", BAD, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bad_data_reads_the_same_on_both_paths(case: Path, monkeypatch: pytest.MonkeyPatch):
    fast, slow = _both(case, monkeypatch)
    assert fast == slow


def test_a_tree_with_a_shared_node_is_not_trusted():
    """An alias composes to the same node object twice: the C tree is refused, so the
    Python loader reports the alias at its own line."""
    node = yaml.ScalarNode("tag:yaml.org,2002:str", "x")
    shared = yaml.SequenceNode("tag:yaml.org,2002:seq", [node, node])
    assert records._plain_tree(yaml.SequenceNode("tag:yaml.org,2002:seq", [node])) is True
    assert records._plain_tree(shared) is False


def test_depth_counts_as_the_python_loader_does():
    """records.MAX_DEPTH is 12: the document is depth 1, so 12 nested sequences pass, 13 do not."""
    def nest(n: int) -> yaml.Node:
        node: yaml.Node = yaml.ScalarNode("tag:yaml.org,2002:str", "x")
        for _ in range(n):
            node = yaml.SequenceNode("tag:yaml.org,2002:seq", [node])
        return node
    assert records._plain_tree(nest(11)) is True  # 11 sequences + the scalar = depth 12
    assert records._plain_tree(nest(12)) is False
