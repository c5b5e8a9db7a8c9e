"""Validation, in two passes, all problems reported at once.

1. Structure (here): every record, key and value is checked against the field
   table in kg.build.fields before any RDF exists, so messages can name file, line
   and field and suggest the fix (nearest id, allowed tokens, date form).
2. SHACL (kg.build.shapes): the loaded graph is checked against ontology/shapes.ttl
   for rules that are easier to state on the graph.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF

from kg.build.dates import parse_date, parse_when
from kg.errors import Problem
from kg.build.fields import CONCEPTS, FIELDS, SOURCE_KEYS
from kg.namespaces import EGOV
from kg.build.records import Record, as_list

ID_RX = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Collapse whitespace so quotes survive the PDF extraction's line breaks."""
    return _WS.sub(" ", text).strip()


def ontology_classes(ontology: Path) -> set[str]:
    g = Graph().parse(ontology)
    return {str(c)[len(str(EGOV)):] for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(str(EGOV))}


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


class _Checker:
    def __init__(self, records: list[Record], classes: set[str], seeds: Path | None) -> None:
        self.records = records
        self.classes = classes
        self.seeds = seeds
        self.problems: list[Problem] = []
        self.ids = {r.id: r for r in records if isinstance(r.data.get("id"), str)}
        self.seed_text: dict[str, str | None] = {}
        self.types = {r.id: str(r.data.get("type")) for r in records}
        self.doc_files = {str(r.data.get("file")) for r in records if r.data.get("type") == "SourceDocument"}
        self.doc_ids = {str(r.data.get("file")): r.id for r in records if r.data.get("type") == "SourceDocument"}
        self.cited = {(str(r.data.get("in_document")), r.data.get("ref_number"))
                      for r in records if r.data.get("type") == "CitedWork" and isinstance(r.data.get("ref_number"), int)}

    def add(self, rec: Record, key: str | None, msg: str, fix: str | None = None) -> None:
        line = rec.line_of(key) if key else rec.line
        self.problems.append(Problem(rec.file, line, key, msg, fix, rec.id or None))

    def run(self) -> list[Problem]:
        seen: dict[str, Record] = {}
        for rec in self.records:
            rid = rec.data.get("id")
            if rid is None:
                self.add(rec, None, "record has no 'id'", "add 'id: some-kebab-case-name' as the first key")
            elif not isinstance(rid, str) or not ID_RX.match(rid):
                self.add(rec, "id", f"'{rid}' is not a valid id",
                         "use lowercase letters, digits and single hyphens, e.g. shenzhen-city-brain")
            elif rid in seen:
                first = seen[rid]
                self.add(rec, "id", f"duplicate id '{rid}' (first defined at {first.file}:{first.line})",
                         "rename one of the two records or merge them")
            else:
                seen[rid] = rec
            self.check_record(rec)
        return self.problems

    def check_record(self, rec: Record) -> None:
        d = rec.data
        rtype = d.get("type")
        if rtype is None:
            self.add(rec, None, "record has no 'type'", "add 'type:' with an ontology class, e.g. Agency")
        elif not isinstance(rtype, str):
            self.add(rec, "type", "type must be a class name", "write e.g. 'type: Agency'")
        elif rtype not in self.classes:
            self.add(rec, "type", f"unknown type '{rtype}'",
                     _suggest(str(rtype), self.classes) or "use a class of ontology/egov.ttl (see docs/data-format.md)")
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
                self.add(rec, key, f"unknown field '{key}'", _suggest(key, FIELDS) or "see docs/data-format.md")
            elif key == "source":
                self.check_sources(rec, value)
            elif key not in ("id", "type", "label", "file") or (key == "file" and not isinstance(value, str)):
                self.check_value(rec, key, f.kind, value)
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
                self.add(rec, key, str(exc), "write the date as \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"")
        elif kind in ("ref", "refs"):
            values = as_list(value)
            if kind == "ref" and len(values) != 1:
                self.add(rec, key, "takes exactly one id", "keep one id")
            for v in values:
                if not isinstance(v, str) or v not in self.ids:
                    self.add(rec, key, f"unknown id '{v}'",
                             _suggest(str(v), self.ids) or "define a record with that id, or correct the id")
        elif kind in ("concept", "concepts"):
            allowed = CONCEPTS[key]
            for v in as_list(value):
                if not isinstance(v, str) or v not in allowed:
                    self.add(rec, key, f"'{v}' is not allowed", f"use one of: {', '.join(allowed)}")
        elif kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
            self.add(rec, key, f"expected a whole number, got '{value}'", "write digits only, e.g. 3")
        elif kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
            self.add(rec, key, f"expected a number, got '{value}'",
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
            self.add(rec, "date", f"date {d['date']} lies outside its stage ({shown})",
                     "correct the date or the stage; a thing before the first stage has no stage")

    def check_sources(self, rec: Record, value: object) -> None:
        entries = as_list(value)
        if not entries:
            self.add(rec, "source", "empty source", "give at least one citation with doc, section and quote")
        for s in entries:
            if not isinstance(s, dict):
                self.add(rec, "source", "each source must be a mapping", "write doc:, section:, quote: under source")
                continue
            for k in s:
                if k not in SOURCE_KEYS:
                    self.add(rec, "source", f"unknown citation key '{k}'",
                             _suggest(str(k), SOURCE_KEYS) or f"use {', '.join(SOURCE_KEYS)}")
            for req in ("doc", "section", "quote"):
                if not s.get(req):
                    self.add(rec, "source", f"citation lacks '{req}'", f"add '{req}:' (see docs/data-format.md)")
            doc = str(s.get("doc", ""))
            if doc and self.doc_files and doc not in self.doc_files:
                self.add(rec, "source", f"unknown document '{doc}'",
                         _suggest(doc, self.doc_files) or "add it to data/sources.yaml as a SourceDocument")
            conf = s.get("confidence", "confident")
            if not isinstance(conf, str) or conf not in CONCEPTS["confidence"]:
                self.add(rec, "source", f"confidence '{conf}' is not allowed", "use confident, suspected or inferred")
            for n in as_list(s.get("refs", [])):
                if isinstance(n, str):
                    if self.types.get(n) != "CitedWork":
                        self.add(rec, "source", f"reference '{n}' is not the id of a CitedWork record",
                                 _suggest(n, [i for i, t in self.types.items() if t == "CitedWork"])
                                 or "give the [n] number or the id of a CitedWork record")
                elif isinstance(n, bool) or not isinstance(n, int):
                    self.add(rec, "source", f"reference '{n}' is not a number or id", "write refs as numbers, e.g. [45, 46]")
                elif (self.doc_ids.get(doc), n) not in self.cited:
                    self.add(rec, "source", f"reference [{n}] of {doc} has no CitedWork record",
                             f"add ref-{doc[:3]}-{n} to data/references-{doc[:3]}.yaml")
            for key in as_list(s.get("supports", [])):
                if not isinstance(key, str) or key not in rec.data or FIELDS.get(key) is None \
                        or (FIELDS[key].predicate is None and key != "type"):
                    self.add(rec, "source", f"'supports' names '{key}', which is not a field of this record",
                             "list keys of this record that the quote states, e.g. [date, built_by]")
            quote = s.get("quote")
            if quote is not None and not isinstance(quote, str):
                self.add(rec, "source", "quote must be text", "put the quote in double quotes")
            if isinstance(quote, str) and doc:
                text = self.seed(doc)
                if text is not None and normalise(quote) not in text:
                    self.add(rec, "source", f"quote not found in {doc}: \"{quote[:60]}...\"",
                             "copy the quote verbatim from the seed (spelling, apostrophes and all)")

    def check_coverage(self, rec: Record) -> None:
        """Once a record's citations say what they support, every fact must be supported by one."""
        cits = [c for c in as_list(rec.data.get("source", [])) if isinstance(c, dict)]
        if not any("supports" in c for c in cits):
            return
        covered = {k for c in cits for k in as_list(c.get("supports", [])) if isinstance(k, str)}
        whole = any("supports" not in c for c in cits)
        for key in rec.data:
            if key not in ("id", "source", "note") and key not in covered and not whole:
                self.add(rec, key, f"no citation supports '{key}'",
                         "add it to the 'supports' list of the citation whose quote states it, or add a citation")

    def seed(self, doc: str) -> str | None:
        if doc not in self.seed_text:
            path = self.seeds / doc if self.seeds else None
            self.seed_text[doc] = normalise(path.read_text(encoding="utf-8")) if path and path.exists() else None
        return self.seed_text[doc]


def check_structure(records: list[Record], ontology: Path, seeds: Path | None) -> list[Problem]:
    """Every structural problem in the records (empty list = valid)."""
    return _Checker(records, ontology_classes(ontology), seeds if seeds and seeds.is_dir() else None).run()
