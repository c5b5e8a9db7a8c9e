"""Validation, in two passes, all problems reported at once.

1. Structure (here and in kg.build.checks_*): every record, key and value is
   checked against the field table in kg.build.fields and against the
   ontology's classes, ranges and domains before any RDF exists, so messages can
   name file, line and field and suggest the fix (nearest id, allowed tokens,
   allowed classes, closest passage of the source).
2. SHACL (kg.build.shapes): the loaded graph is checked against ontology/shapes.ttl
   for cardinalities that are easier to state on the graph.
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.build.checks_links import cited_work_problems, cycle_problems, link_problems, load_ontology_model
from kg.build.checks_sources import Seeds, citation_problems, document_problems, normalise, suggest
from kg.build.checks_text import text_problems
from kg.build.dates import parse_date, parse_when
from kg.build.fields import CONCEPTS, FIELDS
from kg.build.records import Record, as_list
from kg.errors import Problem, shorten

# fullmatch semantics: `$` would accept "shenzhen\n", which then writes a TriG the project cannot read back.
ID_RX = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")

__all__ = ["ID_RX", "check_structure", "normalise", "ontology_classes", "valid_id"]


def valid_id(value: object) -> bool:
    """An id is lowercase kebab-case, whole (no trailing newline), at most 120 characters."""
    return isinstance(value, str) and len(value) <= 120 and ID_RX.match(value) is not None


def ontology_classes(ontology: Path) -> set[str]:
    """Local names of the egov classes a record's `type:` may name."""
    return set(load_ontology_model(ontology).classes)


class _Checker:
    def __init__(self, records: list[Record], ontology: Path, seeds: Path | None) -> None:
        self.records = records
        self.onto = load_ontology_model(ontology)
        self.classes = self.onto.classes
        self.seeds = Seeds(seeds)
        self.problems: list[Problem] = []
        self.ids = {r.id: r for r in records if valid_id(r.data.get("id"))}
        self.types = {r.id: str(r.data.get("type")) for r in records}
        docs = [r for r in records if r.data.get("type") == "SourceDocument" and isinstance(r.data.get("file"), str)]
        self.doc_files = {str(r.data["file"]) for r in docs}
        self.doc_ids = {str(r.data["file"]): r.id for r in docs}
        self.cited = {(str(r.data.get("in_document")), r.data.get("ref_number"))
                      for r in records if r.data.get("type") == "CitedWork" and isinstance(r.data.get("ref_number"), int)}

    def add(self, rec: Record, key: str | None, msg: str, fix: str | None = None) -> None:
        self.problems.append(rec.problem(key, msg, fix))

    def run(self) -> list[Problem]:
        self.check_ids()
        for rec in self.records:
            found = text_problems(rec)
            unsafe_keys = {p.field for p in found}
            self.problems += found
            self.check_record(rec, unsafe_keys)
        self.problems += cycle_problems(self.records, self.ids)
        self.problems += cited_work_problems(self.records)
        return self.problems

    def check_ids(self) -> None:
        """Ids are valid and unique; of two records with one id, the newer (file changed
        last, then later in the file) is blamed, since that is the one the analyst just added."""
        groups: dict[str, list[tuple[tuple[float, int], Record]]] = {}
        for n, rec in enumerate(self.records):
            rid = rec.data.get("id")
            if rid is None:
                self.add(rec, None, "record has no 'id'", "add 'id: some-kebab-case-name' as the first key")
            elif not valid_id(rid):
                self.add(rec, "id", f"'{shorten(rid, 60)}' is not a valid id",
                         "use lowercase letters, digits and single hyphens (at most 120), e.g. shenzhen-city-brain")
            else:
                groups.setdefault(rid, []).append(((rec.order[0], n), rec))
        for rid, group in groups.items():
            if len(group) < 2:
                continue
            group.sort(key=lambda t: t[0])
            first = group[0][1]
            self.ids[rid] = first
            for _, rec in group[1:]:
                self.add(rec, "id", f"duplicate id '{rid}' (already defined at {first.file}:{first.line})",
                         "rename this record or merge it into the existing one")

    def check_record(self, rec: Record, unsafe_keys: set[str | None]) -> None:
        d = rec.data
        rtype = d.get("type")
        if rtype is None:
            self.add(rec, None, "record has no 'type'", "add 'type:' with an ontology class, e.g. Agency")
        elif not isinstance(rtype, str):
            self.add(rec, "type", "type must be a class name", "write e.g. 'type: Agency'")
        elif rtype not in self.classes and "type" not in unsafe_keys:
            self.add(rec, "type", f"unknown type '{shorten(rtype, 60)}'",
                     suggest(str(rtype), self.classes) or "use a class of ontology/egov.ttl (see docs/data-format.md)")
        if rtype == "Influence":
            self.check_influence(rec)
        elif not isinstance(d.get("label"), str) or not d.get("label", "").strip():
            self.add(rec, "label" if "label" in d else None, "record needs a non-empty text 'label'",
                     "add 'label: Name as the source gives it'")
        if "source" not in d:
            self.add(rec, None, "record has no 'source'",
                     "add 'source:' with doc, section and a verbatim quote from the seed")
        for key, value in d.items():
            f = FIELDS.get(key)
            if f is None:
                self.add(rec, key, f"unknown field '{shorten(key, 40)}'", suggest(key, FIELDS) or "see docs/data-format.md")
            elif key == "source":
                self.problems.extend(citation_problems(rec, value, self))
            elif key in unsafe_keys:
                continue
            elif key not in ("id", "type", "label", "file") or (key == "file" and not isinstance(value, str)):
                self.check_value(rec, key, f.kind, value)
        if rtype == "SourceDocument":
            self.problems.extend(document_problems(rec, self.seeds))
        self.problems.extend(link_problems(rec, self.types, self.onto))
        self.check_coverage(rec)
        self.check_stage_dates(rec)
        if "start" in d and "end" in d:
            try:
                if parse_date(d["end"]).sort_key() < parse_date(d["start"]).sort_key():
                    self.add(rec, "end", f"end {d['end']} is before start {d['start']}", "swap or correct the dates")
            except ValueError:
                pass  # already reported by check_value

    def check_value(self, rec: Record, key: str, kind: str, value: object) -> None:
        if kind in ("text",) and not isinstance(value, str):
            self.add(rec, key, "expected text", "quote the value")
        elif kind == "texts" and not all(isinstance(v, str) for v in as_list(value)):
            self.add(rec, key, "expected text or a list of texts", "quote each value")
        elif kind == "date" or key == "as_of":
            try:
                parse_when(value) if key == "date" else parse_date(value)
            except ValueError as exc:
                self.add(rec, key, shorten(exc, 120), "write the date as \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"")
        elif kind in ("ref", "refs"):
            values = as_list(value)
            if kind == "ref" and len(values) != 1:
                self.add(rec, key, "takes exactly one id", "keep one id")
            for v in values:
                if not isinstance(v, str) or v not in self.ids:
                    self.add(rec, key, f"unknown id '{shorten(v, 60)}'",
                             suggest(str(v), self.ids) or "define a record with that id, or correct the id")
        elif kind in ("concept", "concepts"):
            allowed = CONCEPTS[key]
            for v in as_list(value):
                if not isinstance(v, str) or v not in allowed:
                    self.add(rec, key, f"'{shorten(v, 40)}' is not allowed", f"use one of: {', '.join(allowed)}")
        elif kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
            self.add(rec, key, f"expected a whole number, got '{shorten(value, 60)}'", "write digits only, e.g. 3")
        elif kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
            self.add(rec, key, f"expected a number, got '{shorten(value, 60)}'",
                     "write digits only (e.g. 17.68); put words like 'around' in qualifier")

    def check_influence(self, rec: Record) -> None:
        """An influence needs both ends, a kind and a basis; an inferred one says why."""
        d = rec.data
        for key, fix in (("from", "the influencer's id"), ("to", "the influenced thing's id"),
                         ("kind", "one of " + ", ".join(CONCEPTS["kind"])), ("basis", "stated or inferred")):
            if key not in d:
                self.add(rec, None, f"an Influence needs '{key}'", f"add '{key}:' with {fix}")
        if "from" in d and d.get("from") == d.get("to"):
            self.add(rec, "to", "an influence from a thing to itself", "point 'to' at the influenced thing")
        if d.get("basis") == "inferred" and not str(d.get("note", "")).strip():
            self.add(rec, "basis", "an inferred influence needs a 'note' saying what it is inferred from",
                     "add 'note:' naming the sentences it is read from, or find the sentence that states it")
        if d.get("basis") == "stated":
            for c in as_list(d.get("source", [])):
                if isinstance(c, dict) and c.get("confidence") == "inferred":
                    self.add(rec, "basis", "a stated influence cites a quote marked confidence: inferred",
                             "use basis: inferred with a note, or a quote that states the link")

    def check_stage_dates(self, rec: Record) -> None:
        """A record dated to a year must lie in (one of) its stages' years."""
        d = rec.data
        if "date" not in d or "stage" not in d:
            return
        try:
            when = parse_when(d["date"])
        except ValueError:
            return
        lo = getattr(when, "earliest", getattr(when, "year", None))
        hi = getattr(when, "latest", getattr(when, "year", None))
        spans = []
        for sid in as_list(d["stage"]):
            st = self.ids.get(sid) if isinstance(sid, str) else None
            if st is None or st.data.get("type") != "Stage":
                continue
            try:
                s0 = parse_date(st.data["start"]).year if "start" in st.data else None
                s1 = parse_date(st.data["end"]).year if "end" in st.data else None
            except ValueError:
                continue
            spans.append((s0, s1))
        if not spans:
            return
        fits = any((hi is None or s0 is None or hi >= s0) and (lo is None or s1 is None or lo <= s1) for s0, s1 in spans)
        if not fits:
            shown = ", ".join(f"{a or '..'}-{b or 'now'}" for a, b in spans)
            self.add(rec, "date", f"date {shorten(d['date'], 20)} lies outside its stage ({shown})",
                     "correct the date or the stage; a thing before the first stage has no stage")

    def check_coverage(self, rec: Record) -> None:
        """Once a record's citations say what they support, every fact must be supported by one."""
        cits = [c for c in as_list(rec.data.get("source", [])) if isinstance(c, dict)]
        if not any("supports" in c for c in cits):
            return
        covered = {k for c in cits for k in as_list(c.get("supports", [])) if isinstance(k, str)}
        whole = any("supports" not in c for c in cits)
        for key in rec.data:
            if key not in ("id", "source", "note") and key not in covered and not whole:
                self.add(rec, key, f"no citation supports '{shorten(key, 40)}'",
                         "add it to the 'supports' list of the citation whose quote states it, or add a citation")


def check_structure(records: list[Record], ontology: Path, seeds: Path | None) -> list[Problem]:
    """Every structural problem in the records (empty list = valid)."""
    return _Checker(records, ontology, seeds if seeds and seeds.is_dir() else None).run()

