"""IRIs in one place: the ontology namespace and the patterns for data IRIs.

Data IRIs are derived from record ids only (never from labels or file order), so
they stay stable when a record moves between files or its label is corrected.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

BASE = "https://w3id.org/egov-kg/"
EGOV = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
ORG = Namespace("http://www.w3.org/ns/org#")
CV = Namespace("http://data.europa.eu/m8g/")

ONTOLOGY_GRAPH = GRAPH["ontology"]

PREFIXES: dict[str, Namespace] = {
    "egov": EGOV, "id": ID, "graph": GRAPH, "org": ORG, "cv": CV, "prov": PROV,
    "time": TIME, "skos": SKOS, "dcterms": DCTERMS, "rdfs": RDFS, "rdf": RDF,
    "owl": OWL, "xsd": XSD,
}


def entity_iri(record_id: str) -> URIRef:
    """IRI of the entity a record describes."""
    return ID[record_id]


def record_graph_iri(record_id: str) -> URIRef:
    """IRI of the named graph holding the record's triples (its provenance unit)."""
    return GRAPH[record_id]


def citation_iri(record_id: str, n: int) -> URIRef:
    """IRI of the n-th citation of a record (IRIs, not blank nodes, so results
    compare equal across engines)."""
    return GRAPH[f"{record_id}/citation/{n}"]


def local(iri: object) -> str:
    """A record id or ontology term without its namespace (other IRIs unchanged): the short form
    every table, network and page shows."""
    s = str(iri)
    for prefix in (str(ID), str(EGOV)):
        if s.startswith(prefix):
            return s[len(prefix):]
    return s


def graph_id(g: object) -> object:
    """The graph name of a quad's 4th element. Dataset.quads() yields a Graph for
    some stores and the bare identifier for others (oxrdflib), so every copy of
    quads between datasets goes through here rather than its own getattr."""
    return getattr(g, "identifier", g)


__all__ = [
    "BASE", "EGOV", "ID", "GRAPH", "ORG", "CV", "PROV", "TIME", "SKOS", "DCTERMS",
    "RDF", "RDFS", "OWL", "XSD", "URIRef", "ONTOLOGY_GRAPH", "PREFIXES",
    "entity_iri", "record_graph_iri", "citation_iri", "graph_id", "local",
]
