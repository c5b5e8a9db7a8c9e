"""Records -> RDF: one named graph per record, so every triple has provenance.

The entity `id:{id}` and all triples a record asserts live in the named graph
`graph:{id}`. That graph is described (in the same graph) as an
egov:RecordGraph with one egov:Citation per source entry, so SPARQL can ask
"which source and quote support this triple" with GRAPH ?g { s p o } and
?g egov:citation ?c. IRIs depend on ids only, so they are stable.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.graph import Graph

from kg.build.dates import PartialDate, YearBounds, lag_bounds, order_of, parse_date, parse_when
from kg.build.fields import CONCEPTS, FIELDS, INFLUENCE_KINDS
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
from kg.build.records import Record, as_list

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
        if "start" in d:
            y = parse_date(d["start"]).year
            return YearBounds(y, y, "date")
        spans = [self.stage_years[s] for s in self.stages.get(rec.id, []) if s in self.stage_years]
        if not spans:
            return None
        los = [lo for lo, _ in spans]
        his = [hi for _, hi in spans]
        return YearBounds(None if None in los else min(los),  # type: ignore[type-var]
                          None if None in his else max(his), "stage")  # type: ignore[type-var]

    def influence_stages(self, d: dict) -> list[str]:
        """An influence happens in the stage(s) of what it influenced, else of its influencer."""
        if "stage" in d:
            return [str(v) for v in as_list(d["stage"])]
        return self.stages.get(str(d["to"])) or self.stages.get(str(d["from"])) or []


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


def load_ontology(ontology: Path, ds: Dataset) -> Graph:
    """Put the ontology into its own named graph, so QA queries can read it."""
    g = ds.graph(ONTOLOGY_GRAPH)
    g.parse(ontology, format="turtle")
    return g

