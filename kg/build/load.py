"""Records -> RDF: one named graph per record, so every triple has provenance.

The entity `id:{id}` and all triples a record asserts live in the named graph
`graph:{id}`. That graph is described (in the same graph) as an
egov:RecordGraph with one egov:Citation per source entry, so SPARQL can ask
"which source and quote support this triple" with GRAPH ?g { s p o } and
?g egov:citation ?c. IRIs depend on ids only, so they are stable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.graph import Graph

from kg.build.dates import PartialDate, YearBounds, lag_bounds, order_of, parse_date, parse_when
from kg.build.fields import CONCEPTS, FIELDS, INFLUENCE_KINDS
from kg.build.records import Record, as_list
from kg.namespaces import (
    EGOV,
    ONTOLOGY_GRAPH,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    TIME,
    XSD,
    citation_iri,
    entity_iri,
    record_graph_iri,
)

_NOT_TRIPLES = {"id", "type", "source"}


def new_dataset() -> Dataset:
    ds = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    return ds


def _literal(kind: str, value: object) -> Literal:
    if kind == "int":
        return Literal(int(value), datatype=XSD.integer)  # type: ignore[arg-type]
    if kind == "number":
        return Literal(Decimal(str(value)), datatype=XSD.decimal)
    return Literal(str(value))


def _int(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


class Context:
    """What a record's triples need to know about the other records: document and
    reference ids, every record's year bounds and stages, and labels (influence
    labels read "A enabled B"). Built once per load from all records."""

    def __init__(self, records: list[Record]) -> None:
        self.doc_ids = {str(r.data["file"]): r.id for r in records if r.data.get("type") == "SourceDocument"}
        self.cited = {(str(r.data.get("in_document")), r.data.get("ref_number")): r.id
                      for r in records if r.data.get("type") == "CitedWork"}
        self.labels = {r.id: str(r.data.get("label", r.id)) for r in records}
        self.stages = {r.id: [str(v) for v in as_list(r.data.get("stage", []))] for r in records}
        self.places = {r.id: [str(v) for v in as_list(r.data.get("in_place", []))] for r in records}
        self.within = {r.id: [str(v) for v in as_list(r.data.get("within", []))] for r in records}
        self.stage_place = {r.id: str(r.data.get("stage_of")) for r in records if r.data.get("type") == "Stage"}
        stage_years: dict[str, tuple[int | None, int | None]] = {}
        for r in records:
            if r.data.get("type") == "Stage":
                lo = parse_date(r.data["start"]).year if "start" in r.data else None
                hi = parse_date(r.data["end"]).year if "end" in r.data else None
                stage_years[r.id] = (lo, hi)
        self.stage_years = stage_years
        self.bounds = {r.id: b for r in records if (b := self._bounds(r)) is not None}

    def _bounds(self, rec: Record) -> YearBounds | None:
        d = rec.data
        if "date" in d:
            when = parse_when(d["date"])
            return when if isinstance(when, YearBounds) else YearBounds(when.year, when.year, "date")
        if d.get("type") == "Stage":  # a stage is its interval: [start, end], open while it runs
            lo, hi = self.stage_years.get(rec.id, (None, None))
            return YearBounds(lo, hi, "date") if lo is not None else None
        if "start" in d:  # anything else came about when it started
            y = parse_date(d["start"]).year
            return YearBounds(y, y, "date")
        spans = [self.stage_years[s] for s in self.stages.get(rec.id, []) if s in self.stage_years]
        if not spans:
            return None
        los = [lo for lo, _ in spans]
        his = [hi for _, hi in spans]
        return YearBounds(None if None in los else min(los),  # type: ignore[type-var]
                          None if None in his else max(his), "stage")  # type: ignore[type-var]

    def _in_area(self, thing: str, area: str) -> bool:
        """Is the thing (by its in_place) in the area or in a place within it?"""
        todo, seen = list(self.places.get(thing, [])), set()
        while todo:
            p = todo.pop()
            if p == area:
                return True
            if p not in seen:
                seen.add(p)
                todo += self.within.get(p, [])
        return False

    def _fits(self, stage: str, other: str) -> bool:
        """A stage of one end fits the link if the other end has no place or lies in the stage's place."""
        return not self.places.get(other) or self._in_area(other, self.stage_place.get(stage, ""))

    def influence_stages(self, d: dict) -> list[str]:
        """An influence happens in the stage(s) of what it influenced, else of its influencer, keeping
        only stages of a place the other end belongs to: a national strategy that required a technology
        is not an event of a city's stage because the city also used that technology."""
        if "stage" in d:
            return [str(v) for v in as_list(d["stage"])]
        src, dst = str(d["from"]), str(d["to"])
        if self.stages.get(dst):
            return [s for s in self.stages[dst] if self._fits(s, src)]
        return [s for s in self.stages.get(src, []) if self._fits(s, dst)]


def influence_triples(rec: Record, ctx: Context) -> list[tuple[URIRef, URIRef, object]]:
    """What an Influence record adds beyond its fields: the PROV qualified pattern,
    the derived shortcut triples, a readable label, its stage and the lag."""
    d = rec.data
    node, src, dst = entity_iri(rec.id), entity_iri(str(d["from"])), entity_iri(str(d["to"]))
    kind = INFLUENCE_KINDS[str(d["kind"])]
    subj, obj = (src, dst) if kind.subject == "from" else (dst, src)
    out: list[tuple[URIRef, URIRef, object]] = [
        (dst, PROV.qualifiedInfluence, node), (dst, PROV.wasInfluencedBy, src), (subj, kind.shortcut, obj)]
    if "label" not in d:
        out.append((node, RDFS.label, Literal(
            f"{ctx.labels.get(str(d['from']), d['from'])} — {kind.token} → {ctx.labels.get(str(d['to']), d['to'])}",
            lang="en")))
    if "stage" not in d:
        out += [(node, EGOV.duringStage, entity_iri(st)) for st in ctx.influence_stages(d)]
    a, b = ctx.bounds.get(str(d["from"])), ctx.bounds.get(str(d["to"]))
    lag = lag_bounds(a, b) if a and b else (None, None)
    if lag[0] is not None:
        out.append((node, EGOV.lagMin, _int(lag[0])))
    if lag[1] is not None:
        out.append((node, EGOV.lagMax, _int(lag[1])))
    if lag[0] is not None and lag[0] == lag[1] and a and b and a.exact is not None and b.exact is not None:
        out.append((node, EGOV.lagYears, _int(lag[0])))
    out.append((node, EGOV.order, Literal(order_of(lag))))
    return out


def record_triples(rec: Record, ctx: Context) -> list[tuple[URIRef, URIRef, object]]:
    """The triples one (valid) record asserts, provenance description included."""
    doc_ids, cited = ctx.doc_ids, ctx.cited
    d = rec.data
    s = entity_iri(rec.id)
    g = record_graph_iri(rec.id)
    out: list[tuple[URIRef, URIRef, object]] = [(s, RDF.type, EGOV[d["type"]])]
    for key, value in d.items():
        if key in _NOT_TRIPLES:
            continue
        f = FIELDS[key]
        p = f.predicate
        assert p is not None
        for v in as_list(value):
            if f.kind in ("ref", "refs"):
                out.append((s, p, entity_iri(v)))
            elif f.kind in ("concept", "concepts"):
                out.append((s, p, CONCEPTS[key][v]))
            elif f.kind == "date":
                pd = parse_when(v) if key == "date" else parse_date(v)
                if not isinstance(pd, PartialDate):  # bounds only: no egov:date, no egov:year
                    out.append((s, EGOV.dateInterval, Literal(str(v))))
                    continue
                out.append((s, p, pd.literal()))
                if key in ("date", "start"):
                    if key == "date" or "date" not in d:
                        out.append((s, EGOV.year, Literal(pd.year, datatype=XSD.integer)))
                        out.append((s, EGOV.datePrecision, Literal(pd.precision)))
                if d["type"] == "Stage" and key in ("start", "end"):
                    inst = URIRef(f"{s}/{'beginning' if key == 'start' else 'end'}")
                    out += [(s, TIME.hasBeginning if key == "start" else TIME.hasEnd, inst),
                            (inst, RDF.type, TIME.Instant),
                            (inst, TIME.inXSDgYear, Literal(f"{pd.year:04d}", datatype=XSD.gYear))]
            elif key == "label":
                out.append((s, RDFS.label, Literal(v, lang="en")))
            else:
                out.append((s, p, _literal(f.kind, v)))
    bounds = ctx.bounds.get(rec.id)
    if bounds is not None:
        if bounds.earliest is not None:
            out.append((s, EGOV.earliestYear, _int(bounds.earliest)))
        if bounds.latest is not None:
            out.append((s, EGOV.latestYear, _int(bounds.latest)))
        out.append((s, EGOV.yearBasis, Literal(bounds.basis)))
    if d["type"] == "Influence":
        out += influence_triples(rec, ctx)
    # provenance: the record graph and its citations
    out += [(g, RDF.type, EGOV.RecordGraph), (g, EGOV.describes, s),
            (g, EGOV.sourceLine, Literal(f"{rec.file}:{rec.line}"))]
    for n, cit in enumerate(as_list(d.get("source", [])), start=1):
        c = citation_iri(rec.id, n)
        doc = str(cit["doc"])
        out += [(g, EGOV.citation, c), (c, RDF.type, EGOV.Citation),
                (c, EGOV.section, Literal(str(cit["section"]))),
                (c, EGOV.quote, Literal(str(cit["quote"]))),
                (c, EGOV.confidence, CONCEPTS["confidence"][cit.get("confidence", "confident")])]
        if doc in doc_ids:
            out.append((c, EGOV.document, entity_iri(doc_ids[doc])))
        if cit.get("disputed"):
            out.append((c, EGOV.disputed, Literal(True)))
        if cit.get("note"):
            out.append((c, RDFS.comment, Literal(str(cit["note"]))))
        for key in as_list(cit.get("supports", [])):
            out.append((c, EGOV.supports, RDF.type if key == "type" else FIELDS[key].predicate))
        for ref in as_list(cit.get("refs", [])):
            ref_id = ref if isinstance(ref, str) else cited[(doc_ids[doc], ref)]
            out.append((c, EGOV.citesReference, entity_iri(ref_id)))
    return out


def load_records(records: list[Record], ds: Dataset | None = None) -> Dataset:
    """Turn validated records into a Dataset with one named graph per record."""
    ds = ds if ds is not None else new_dataset()
    ctx = Context(records)
    for rec in records:
        graph = ds.graph(record_graph_iri(rec.id))
        for t in record_triples(rec, ctx):
            graph.add(t)  # type: ignore[arg-type]
    return ds


class OxTerms:
    """rdflib terms -> Oxigraph terms, memoising IRIs (a few thousand predicates, classes
    and entities recur across 100k records, so the cache saves most conversions)."""

    def __init__(self) -> None:
        self._iris: dict[str, ox.NamedNode] = {}

    def iri(self, value: str) -> ox.NamedNode:
        node = self._iris.get(value)
        if node is None:
            node = self._iris[value] = ox.NamedNode(value)
        return node

    def term(self, t: object) -> ox.NamedNode | ox.Literal:
        if isinstance(t, URIRef):
            return self.iri(str(t))
        if isinstance(t, Literal):
            if t.language:
                return ox.Literal(str(t), language=t.language)
            return ox.Literal(str(t), datatype=self.iri(str(t.datatype)) if t.datatype else None)
        raise TypeError(f"unexpected RDF term {t!r}")


def record_quads(records: list[Record], ctx: Context | None = None) -> Iterator[ox.Quad]:
    """Stream every record's triples as Oxigraph quads in its record graph. The same
    triples as load_records (record_triples is the one definition), with no rdflib
    Dataset in between: this is what lets a build cost the same per record at any size."""
    ctx = ctx or Context(records)
    conv = OxTerms()
    for rec in records:
        g = conv.iri(str(record_graph_iri(rec.id)))
        for s, p, o in record_triples(rec, ctx):
            yield ox.Quad(conv.term(s), conv.term(p), conv.term(o), g)  # type: ignore[arg-type]


def ox_dataset(store: ox.Store) -> Dataset:
    """An rdflib Dataset view (union default graph) over an Oxigraph store, for callers
    that use rdflib's API; nothing is copied."""
    from oxrdflib import OxigraphStore

    plain = URIRef("http://www.w3.org/2001/XMLSchema#string")

    class _View(OxigraphStore):
        def triples(self, pattern, context=None):  # type: ignore[no-untyped-def]
            """Simple literals read back as rdflib builds them (no datatype), as the
            triples record_triples made: Oxigraph stores them as xsd:string."""
            for (s, p, o), ctxs in super().triples(pattern, context):
                if isinstance(o, Literal) and o.datatype == plain:
                    o = Literal(str(o))
                yield (s, p, o), ctxs

        def add_graph(self, graph: Graph) -> None:
            """rdflib's Dataset.graph(g) registers g; a named graph exists in Oxigraph once it
            has a quad, and a read-only store refuses the write, so registering is skipped."""

    ds = Dataset(store=_View(store=store), default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    return ds


def extend_store(store: ox.Store, quads: Iterable[ox.Quad], bulk: bool = True) -> None:
    """Add quads to an Oxigraph store; bulk_extend skips transactions (the fast path for a fresh store)."""
    (store.bulk_extend if bulk else store.extend)(quads)


def load_ontology(ontology: Path, ds: Dataset) -> Graph:
    """Put the ontology into its own named graph, so QA queries can read it."""
    g = ds.graph(ONTOLOGY_GRAPH)
    g.parse(ontology, format="turtle")
    return g

