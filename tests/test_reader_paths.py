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


def _no_python_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the pure-Python loader composed input libyaml can vouch for")
    monkeypatch.setattr(records._LineLoader, "get_single_node", refuse)


@pytest.mark.parametrize("label", ["plain text", "{a: {b: {c: {d: {e: {f: {g: {h: x}}}}}}}}",
                                   "[[[[[[[[x]]]]]]]]", "[[[[[[[[[]]]]]]]]]"])
def test_good_data_takes_the_libyaml_path(label: str, tmp_path, monkeypatch: pytest.MonkeyPatch):
    """Speed is the point of the C path: valid input, including nesting exactly at the limit (the
    document, `records`, the record, then 9 levels = depth 12; a scalar is a level too) in mappings and lists, never falls
    back to the pure-Python loader."""
    f = tmp_path / "d.yaml"
    f.write_text(f"records:\n- id: x\n  type: City\n  label: {label}\n", encoding="utf-8")
    _no_python_loader(monkeypatch)
    recs, problems = records.read_file(f, tmp_path)
    assert [r.id for r in recs] == ["x"] and not problems


def test_plain_values_are_built_without_the_constructor():
    """Plain scalars, lists and mappings are built directly, never by the constructor's construct_object."""
    class NoConstructor(records._LineLoader):
        def construct_object(self, *_a: object, **_k: object) -> None:  # type: ignore[override]
            raise AssertionError("construct_object used for a plain value")

    doc = yaml.compose("a: [1, 2.5, true, null, text, '7']\nb: {c: d, 2: e}\n", Loader=records._LineLoader)
    assert records._construct(doc, NoConstructor("")) == {"a": [1, 2.5, True, None, "text", "7"],
                                                          "b": {"c": "d", 2: "e"}}


def test_tagged_and_merged_values_are_what_pyyaml_builds(tmp_path):
    """Anything beyond plain values goes to PyYAML's safe constructor, whole (deep): a set, binary, an
    inline merge key. The expected values are PyYAML's own (yaml.safe_load), not ours."""
    text = ("records:\n- id: x\n  type: City\n  alt_labels: !!set {a: null, b: null}\n"
            "  note: !!binary aGVsbG8=\n  extra: {<<: {p: 1, q: [2, [3]]}, r: 4}\n  nested: !!python/none\n")
    f = tmp_path / "d.yaml"
    f.write_text(text.replace("  nested: !!python/none\n", ""), encoding="utf-8")
    [rec], problems = records.read_file(f, tmp_path)
    want = yaml.safe_load(f.read_text(encoding="utf-8"))["records"][0]
    assert not problems and rec.data == want
    assert rec.data["alt_labels"] == {"a", "b"} and rec.data["extra"] == {"p": 1, "q": [2, [3]], "r": 4}


def test_an_unhashable_key_or_a_mistagged_value_is_a_located_problem(tmp_path):
    f = tmp_path / "d.yaml"
    f.write_text("records:\n- id: x\n  type: City\n  label: {[a]: 1}\n  alt_labels: !!seq abc\n", encoding="utf-8")
    recs, problems = records.read_file(f, tmp_path)
    assert [(p.line, p.field, p.message[:30]) for p in problems] == [
        (4, "label", "bad value: found unhashable ke"), (5, "alt_labels", "bad value: expected a sequence")]


@pytest.mark.parametrize("text, why", [
    ("ok\ttab\nnewline", None),
    ("a\x00b", "a control character (\\x00)"),
    ("a\rb", "a control character (\\r)"),
    ("a\x7fb", "a control character (\\x7f)"),
    ("a\x9fb\x01", "a control character (\\x9f)"),
    ("a\x85b", "a control character (\\x85)"),
    ("a\ud800b", "a lone surrogate (\\ud800), not a real character"),
    ("a\udfffb\x00", "a lone surrogate (\\udfff), not a real character"),
    ("\xa0 \u2028 \U0001f600", None),
])
def test_bad_character_names_the_first_refused_character(text: str, why: str | None):
    """Unicode category Cc (U+0000-001F, U+007F-009F) except tab and newline, and lone surrogates."""
    from kg.build.checks_text import bad_character

    assert bad_character(text) == why
