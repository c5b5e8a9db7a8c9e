"""`egovkg new-city`: start a city file that already follows the data format.

The file it writes is deliberately incomplete (TODO section and quote): running
`egovkg validate` next lists exactly what the analyst must fill in, file:line.
It refuses an id that any record already has (a second `shenzhen` would only
surface later as a duplicate), registers the source text when given one, and
writes no Stage: many sources do not divide a city's history into stages, and a
stage the source does not state would be invented data.
"""

from __future__ import annotations

import re
from pathlib import Path

from kg import fileio
from kg.build.checks_text import bad_character
from kg.build.records import read_all, read_capped
from kg.build.validate import valid_id
from kg.errors import UsageError, shorten

HEADER = """# {label}: curated from {doc}.
# Run `egovkg validate` after each edit; it names file, line, field and the fix.
# If the source divides {label}'s e-government into stages, add one record per stage:
#   - id: {id}-stage-1
#     type: Stage
#     label: "Stage 1: name it as the source does"
#     start: "YYYY"
#     stage_number: 1
#     stage_of: {id}
#     source: (doc, section and the sentence that dates the stage)
records:
"""

DOCUMENT = """- id: {doc_id}
  type: SourceDocument
  file: {doc}
  label: "TODO: author, title"
  source:
    doc: {doc}
    section: title
    quote: "TODO: the title as the text gives it"
"""

CITY = """- id: {id}
  type: City
  label: {label}
  within: {within}
  source:
    doc: {doc}
    section: "TODO"
    quote: "TODO: a short verbatim quote that names the city"
"""


def _yaml_text(value: str) -> str:
    """A label as a double-quoted YAML scalar (a label may contain ': ' or '#')."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def register_source(source: Path, seeds: Path) -> str:
    """Copy a source text into the seeds folder (unless it is there) and return its file name."""
    name = source.name
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", name):
        raise UsageError(f"source file name '{shorten(name, 60)}' is not a plain file name",
                         "rename it to letters, digits, '_', '-' and '.' only")
    try:
        data = read_capped(source, 16 * 1024 * 1024)
        data.decode("utf-8")
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read source {shorten(source, 80)}: {shorten(exc, 80)}",
                         "give a UTF-8 text file of the source (under 16 MB)") from exc
    target = seeds / name
    if target.exists():
        if target.read_bytes() != data:
            raise UsageError(f"{target} already exists with other text", "rename the source file")
    else:
        fileio.write_bytes(target, data)
    return name


def new_city(city_id: str, label: str, within: str, data_dir: Path,
             source: Path | None = None, seeds: Path | None = None) -> Path:
    """Write data/<city_id>.yaml from the template; never overwrite, never reuse an id."""
    if not valid_id(city_id):
        raise UsageError(f"'{shorten(city_id, 60)}' is not a valid id",
                         "use lowercase letters, digits and hyphens, e.g. hangzhou")
    data_dir = Path(data_dir)
    path = data_dir / f"{city_id}.yaml"
    if path.exists():
        raise UsageError(f"{path} already exists", "choose another id or edit that file")
    records = read_all(data_dir)[0] if data_dir.is_dir() and any(data_dir.rglob("*.yaml")) else []
    taken = {r.id: r for r in records}
    doc = "TODO-source-file.txt"
    doc_id = ""
    if source is not None:
        if seeds is None:
            raise UsageError("no seeds folder to register the source in", "set EGOVKG_SEEDS or add seeds/ to the project")
        doc = register_source(Path(source), Path(seeds))
        doc_id = "doc-" + re.sub(r"[^a-z0-9]+", "-", Path(doc).stem.lower()).strip("-")
        if any(r.data.get("type") == "SourceDocument" and r.data.get("file") == doc for r in records):
            doc_id = ""  # already registered: cite it, do not register it twice
    for rid in (city_id, doc_id):
        if rid and rid in taken:
            r = taken[rid]
            raise UsageError(f"id '{rid}' is already used at {r.file}:{r.line}",
                             "choose another id (e.g. add the province: hangzhou-zhejiang)")
    if bad_character(label) or len(label) > 500 or not label.strip():
        raise UsageError("the label must be one line of text (at most 500 characters)", "give the name as the source does")
    text = HEADER.format(id=city_id, label=" ".join(label.split()), doc=doc)
    if doc_id:
        text += DOCUMENT.format(doc_id=doc_id, doc=doc)
    text += CITY.format(id=city_id, label=_yaml_text(label), within=within, doc=doc)
    fileio.write_text(path, text)
    return path
