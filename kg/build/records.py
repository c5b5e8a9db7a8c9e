"""Read data/*.yaml into located records: every value keeps its file and line.

PyYAML's safe loader forgets positions; we compose the node tree ourselves so
that every error can name `file:line` and the field, which is what a curator
needs to fix a typo in a 500-record file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.errors import Problem


@dataclass
class Record:
    """One data record: its raw values plus the line of the record and of each key."""

    data: dict[str, Any]
    file: str
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


def as_list(value: object) -> list:
    """A field that may hold one value or a list of them, as a list: the data format
    lets curators write `refs: 42` as well as `refs: [42, 43]`."""
    return value if isinstance(value, list) else [value]


class _LineLoader(yaml.SafeLoader):
    """Safe loader that does not turn dates into datetime objects: the data format
    keeps dates as text so precision (year / month / day) is never lost."""


# Drop the timestamp resolver: "2009-07-31" stays a string, like "2009-07".
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}


def _construct(node: yaml.Node, loader: _LineLoader) -> Any:
    return loader.construct_object(node, deep=True)


def read_file(path: Path, root: Path | None = None) -> tuple[list[Record], list[Problem]]:
    """Parse one YAML file into records. Malformed YAML becomes a Problem, not a crash."""
    shown = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(shown, None, None, f"cannot read file: {exc}", "save it as UTF-8 text")]
    loader = _LineLoader(text)
    try:
        doc = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return [], [Problem(shown, line, None, f"malformed YAML: {what}",
                            "fix the indentation or quoting at that line (quote values containing ': ')")]
    finally:
        loader.dispose()
    if doc is None:
        return [], []
    if not isinstance(doc, yaml.MappingNode) or not any(
            isinstance(k, yaml.ScalarNode) and k.value == "records" for k, _ in doc.value):
        return [], [Problem(shown, doc.start_mark.line + 1, None, "top level must be a mapping with key 'records'",
                            "start the file with 'records:' followed by a list of records")]
    records: list[Record] = []
    problems: list[Problem] = []
    loader = _LineLoader("")
    for knode, vnode in doc.value:
        if knode.value != "records":
            problems.append(Problem(shown, knode.start_mark.line + 1, knode.value, "unknown top-level key",
                                    "only 'records' is allowed at the top level"))
            continue
        if not isinstance(vnode, yaml.SequenceNode):
            problems.append(Problem(shown, vnode.start_mark.line + 1, "records", "must be a list",
                                    "write each record as '- id: ...'"))
            continue
        for item in vnode.value:
            line = item.start_mark.line + 1
            if not isinstance(item, yaml.MappingNode):
                problems.append(Problem(shown, line, None, "record must be a mapping of fields",
                                        "write the record as 'key: value' lines"))
                continue
            data: dict[str, Any] = {}
            key_lines: dict[str, int] = {}
            for k, v in item.value:
                key = str(k.value)
                if key in data:
                    problems.append(Problem(shown, k.start_mark.line + 1, key, "key given twice in one record",
                                            "merge the two values into one list"))
                key_lines[key] = k.start_mark.line + 1
                try:
                    data[key] = _construct(v, loader)
                except yaml.YAMLError as exc:
                    problems.append(Problem(shown, k.start_mark.line + 1, key, f"bad value: {exc}", "quote the value"))
            if data.get("type") == "Influence" and "id" not in data:
                data = {"id": influence_id(data), **data}
            records.append(Record(data, shown, line, key_lines))
    return records, problems


def influence_id(data: dict[str, Any]) -> str:
    """The id of an Influence record that gives none: `{from}-{kind}-{to}`, so the
    same link stated twice is one record (add a second citation instead)."""
    return f"{data.get('from')}-{data.get('kind')}-{data.get('to')}"


def data_files(path: Path) -> list[Path]:
    """The YAML files under a data folder (or the single file given), sorted for stable output."""
    path = Path(path)
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def read_all(path: Path, root: Path | None = None) -> tuple[list[Record], list[Problem]]:
    records: list[Record] = []
    problems: list[Problem] = []
    for f in data_files(path):
        r, p = read_file(f, root)
        records += r
        problems += p
    return records, problems
