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

from kg.dates import parse_date
from kg.fields import CONCEPTS, FIELDS
from kg.namespaces import (
    EGOV,
    ONTOLOGY_GRAPH,
    PREFIXES,
    RDF,
    RDFS,
    TIME,
    XSD,
    citation_iri,
    entity_iri,
    record_graph_iri,
)
from kg.records import Record, as_list

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


def record_triples(rec: Record, doc_ids: dict[str, str],
                   cited: dict[tuple[str, int], str]) -> list[tuple[URIRef, URIRef, object]]:
    """The triples one (valid) record asserts, provenance description included."""
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
                pd = parse_date(v)
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
    doc_ids = {str(r.data["file"]): r.id for r in records if r.data.get("type") == "SourceDocument"}
    cited = {(str(r.data.get("in_document")), r.data.get("ref_number")): r.id
             for r in records if r.data.get("type") == "CitedWork"}
    for rec in records:
        graph = ds.graph(record_graph_iri(rec.id))
        for t in record_triples(rec, doc_ids, cited):
            graph.add(t)  # type: ignore[arg-type]
    return ds


def load_ontology(ontology: Path, ds: Dataset) -> Graph:
    """Put the ontology into its own named graph, so QA queries can read it."""
    g = ds.graph(ONTOLOGY_GRAPH)
    g.parse(ontology, format="turtle")
    return g

