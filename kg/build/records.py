"""Read data/*.yaml into located records: every value keeps its file and line.

PyYAML's safe loader forgets positions; we compose the node tree ourselves so
that every error can name `file:line` and the field, which is what a curator
needs to fix a typo in a 500-record file.

The reader is also the front door for hostile or careless input, so it refuses
what would otherwise crash or exhaust memory before any value is built: files
that are not regular files (a symlink to /dev/zero) or larger than
MAX_FILE_BYTES, YAML aliases (an 800-byte alias bomb expands to gigabytes) and
nesting deeper than MAX_DEPTH (5,000 nested lists overflow Python's stack).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.errors import Problem, UsageError, shorten

MAX_FILE_BYTES = 4 * 1024 * 1024  # the largest real data file is ~125 kB
MAX_DEPTH = 12  # records -> record -> source -> citation -> refs is depth 5


@dataclass
class Record:
    """One data record: its raw values plus the line of the record and of each key.

    `source_lines` holds, per citation of `source`, the line of each of its keys,
    so a bad quote is reported at the quote's own line."""

    data: dict[str, Any]
    file: str
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)
    source_lines: list[dict[str, int]] = field(default_factory=list)
    order: tuple[float, int] = (0.0, 0)  # (file mtime, position): which of two duplicates is newer

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def problem(self, key: str | None, message: str, fix: str | None = None, line: int | None = None) -> Problem:
        """A Problem located at this record's key (or at an explicit line)."""
        return Problem(self.file, line or (self.line_of(key) if key else self.line), key and shorten(key),
                       message, fix, shorten(self.id) if self.id else None)

    def citation_line(self, n: int, key: str) -> int:
        """Line of key `key` in citation n (0-based) of `source`, else the line of `source`."""
        lines = self.source_lines[n] if n < len(self.source_lines) else {}
        return lines.get(key, lines.get("", self.line_of("source")))


def as_list(value: object) -> list:
    """A field that may hold one value or a list of them, as a list: the data format
    lets curators write `refs: 42` as well as `refs: [42, 43]`."""
    return value if isinstance(value, list) else [value]


class _LineLoader(yaml.SafeLoader):
    """Safe loader that keeps dates as text (precision is never lost), and refuses
    aliases and deep nesting while composing, before anything is expanded."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "YAML aliases (*name) are not allowed", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(None, None, f"nesting deeper than {MAX_DEPTH} levels",
                                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)  # type: ignore[arg-type]
        finally:
            self._depth -= 1


# Drop the timestamp resolver: "2009-07-31" stays a string, like "2009-07".
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}


_CLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):
    class _CLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """libyaml's composer with the same resolvers (dates stay text)."""

    _CLoader.yaml_implicit_resolvers = _LineLoader.yaml_implicit_resolvers

# What PyYAML's Reader refuses (yaml.reader.Reader.NON_PRINTABLE); such text takes the Python path.
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")
_PLAIN = {"tag:yaml.org,2002:str": None, "tag:yaml.org,2002:int": "construct_yaml_int",
          "tag:yaml.org,2002:float": "construct_yaml_float", "tag:yaml.org,2002:bool": "construct_yaml_bool",
          "tag:yaml.org,2002:null": "construct_yaml_null"}


def _construct(node: yaml.Node, loader: _LineLoader) -> Any:
    """The value of a node. Plain scalars, lists and mappings are built directly
    (the constructor's bookkeeping cost more than parsing once libyaml parses);
    anything else (explicit tags, merge keys) goes to the safe constructor."""
    if isinstance(node, yaml.ScalarNode) and node.tag in _PLAIN:
        how = _PLAIN[node.tag]
        return node.value if how is None else getattr(loader, how)(node)
    if isinstance(node, yaml.SequenceNode) and node.tag == "tag:yaml.org,2002:seq":
        return [_construct(child, loader) for child in node.value]
    if isinstance(node, yaml.MappingNode) and node.tag == "tag:yaml.org,2002:map" and not any(
            k.tag == "tag:yaml.org,2002:merge" for k, _ in node.value):
        out = {}
        for k, v in node.value:
            key = _construct(k, loader)
            if isinstance(key, (list, dict)):
                raise TypeError("found unhashable key")
            out[key] = _construct(v, loader)
        return out
    return loader.construct_object(node, deep=True)


def read_capped(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; OSError/ValueError otherwise.

    Checks the opened file (not the name), so a symlink to /dev/zero or a file
    swapped after the check cannot make us read without end."""
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise ValueError("not a regular file (a device, pipe or folder)")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than {limit // (1024 * 1024)} MB")
    return data


def _citation_lines(node: yaml.Node) -> list[dict[str, int]]:
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    out = []
    for item in items:
        lines = {"": item.start_mark.line + 1}
        if isinstance(item, yaml.MappingNode):
            lines.update({str(k.value): k.start_mark.line + 1 for k, _ in item.value if isinstance(k, yaml.ScalarNode)})
        out.append(lines)
    return out


def _compose(text: str) -> yaml.Node | None:
    """The document's node tree, composed by libyaml when it can vouch for the input.

    libyaml composes about 13x faster than the pure-Python loader (reading YAML was
    the largest cost of a 100-city build), but it cannot refuse aliases or deep
    nesting while composing. So the C tree is only trusted when a walk finds no
    shared node (an alias), no nesting past MAX_DEPTH and no character the Python
    reader refuses; otherwise, and on any libyaml error, the file is composed again
    by _LineLoader, which raises the error with its exact line. Both paths give the
    same tree, so the same records and problems."""
    if _CLoader is not None and not _NON_PRINTABLE.search(text):
        try:
            loader = _CLoader(text)
            try:
                doc = loader.get_single_node()
            finally:
                loader.dispose()
        except yaml.YAMLError:
            pass  # the Python loader below reports it, with the message users know
        else:
            if doc is None or _plain_tree(doc):
                return doc
    loader = _LineLoader(text)  # the reader refuses raw control characters here
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _plain_tree(doc: yaml.Node) -> bool:
    """True when the tree has no shared node (what an alias composes to) and no
    nesting past MAX_DEPTH, counting as _LineLoader does (the document is depth 1)."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH or id(node) in seen:
            return False
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.append((k, depth + 1))
                stack.append((v, depth + 1))
    return True


def read_file(path: Path, root: Path | None = None) -> tuple[list[Record], list[Problem]]:
    """Parse one YAML file into records. Malformed YAML becomes a Problem, not a crash."""
    shown = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    try:
        raw = read_capped(path)
        text = raw.decode("utf-8")
        mtime = path.stat().st_mtime
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return [], [Problem(shown, None, None, f"cannot read file: {shorten(why)}",
                            "data files must be UTF-8 text files under 4 MB")]
    try:
        doc = _compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return [], [Problem(shown, line, None, f"malformed YAML: {shorten(what)}",
                            "fix the indentation or quoting at that line (quote values containing ': ')")]
    except RecursionError:
        return [], [Problem(shown, None, None, "malformed YAML: nested too deeply", "flatten the nested lists")]
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
            problems.append(Problem(shown, knode.start_mark.line + 1, shorten(str(knode.value)), "unknown top-level key",
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
            source_lines: list[dict[str, int]] = []
            for k, v in item.value:
                if not isinstance(k, yaml.ScalarNode):
                    problems.append(Problem(shown, k.start_mark.line + 1, None, "a key must be a plain word",
                                            "write 'key: value'"))
                    continue
                key = str(k.value)
                if key in data:
                    problems.append(Problem(shown, k.start_mark.line + 1, shorten(key), "key given twice in one record",
                                            "merge the two values into one list"))
                key_lines[key] = k.start_mark.line + 1
                if key == "source":
                    source_lines = _citation_lines(v)
                try:
                    data[key] = _construct(v, loader)
                except (yaml.YAMLError, ValueError, TypeError) as exc:
                    problems.append(Problem(shown, k.start_mark.line + 1, shorten(key),
                                            f"bad value: {shorten(str(exc).splitlines()[0])}", "quote the value"))
            if data.get("type") == "Influence" and "id" not in data:
                data = {"id": influence_id(data), **data}
            records.append(Record(data, shown, line, key_lines, source_lines, (mtime, len(records))))
    return records, problems


def influence_id(data: dict[str, Any]) -> str:
    """The id of an Influence record that gives none: `{from}-{kind}-{to}`, so the
    same link stated twice is one record (add a second citation instead)."""
    return f"{data.get('from')}-{data.get('kind')}-{data.get('to')}"


def data_files(path: Path) -> list[Path]:
    """The YAML files under a data folder (or the single file given), sorted for stable output.

    Raises UsageError when there are none: an empty folder must not "build" the
    ontology alone over a good build (a later publish would prune every graph)."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise UsageError(f"{path}: not a data folder or YAML file", "give a folder of .yaml files or one .yaml file")
    found = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and not p.is_dir())
    if not found:
        odd = sorted(p.name for p in path.rglob("*") if p.suffix.lower() in (".yaml", ".yml"))
        hint = (f"rename {shorten(', '.join(odd))} to lowercase .yaml" if odd
                else "add data files (egovkg new-city ID --label NAME starts one)")
        raise UsageError(f"{path}: no .yaml data files", hint)
    return found


def read_all(path: Path, root: Path | None = None) -> tuple[list[Record], list[Problem]]:
    records: list[Record] = []
    problems: list[Problem] = []
    for f in data_files(path):
        r, p = read_file(f, root)
        records += r
        problems += p
    return records, problems
