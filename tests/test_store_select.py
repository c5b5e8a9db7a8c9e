"""EmbeddedStore.select reads Oxigraph's solutions directly (kg.store.embedded): it must give the
very rdflib terms, columns and errors that rdflib's own Dataset.query over oxrdflib gives, for a
persistent store and for one parsed from the TriG."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef

from kg.errors import StoreError
from kg.store import open_store
from kg.store.embedded import EmbeddedStore, ResultTable

RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")

# Every kind of cell: an IRI, a language-tagged label, a typed integer, a plain string, an unbound
# variable, a blank node; and a prefix (skos:) the query does not declare (the dataset binds it).
QUERY = """SELECT ?s ?label ?n ?text ?none ?b WHERE {
  ?s rdfs:label ?label . FILTER(?s = <https://w3id.org/egov-kg/id/shenzhen>)
  BIND(3 AS ?n) BIND("plain" AS ?text) BIND(BNODE() AS ?b)
  OPTIONAL { ?s skos:nothingHere ?none }
}"""


def _via_rdflib(store: EmbeddedStore, sparql: str) -> ResultTable:
    res = store.dataset.query(sparql)
    return ResultTable([str(v) for v in res.vars], [tuple(row) for row in res])


@pytest.mark.parametrize("persistent", [True, False])
def test_cells_are_the_terms_rdflib_gives(mini_build, persistent: bool) -> None:
    cfg, _, _ = mini_build
    store = open_store("oxigraph", load=cfg.trig) if persistent else EmbeddedStore("oxigraph")
    if not persistent:
        store.parse(cfg.trig)
    assert (store.persistent is not None) is persistent
    got, want = store.select(QUERY), _via_rdflib(store, QUERY)
    assert got.variables == want.variables == ["s", "label", "n", "text", "none", "b"]
    [row] = got.rows
    assert row[0] == URIRef("https://w3id.org/egov-kg/id/shenzhen")
    assert row[1] == Literal("Shenzhen", lang="en")
    assert row[2] == Literal("3", datatype=XSD_INTEGER) and row[2].datatype == XSD_INTEGER
    assert row[3] == Literal("plain", datatype=XSD_STRING)
    assert row[4] is None and isinstance(row[5], BNode)
    assert [type(c) for c in row] == [type(c) for c in want.rows[0]]
    assert row[:5] == want.rows[0][:5]  # blank nodes are fresh per evaluation


def test_a_thousand_rows_share_their_terms(mini_build) -> None:
    """Each distinct term is converted once: the same label in many rows is one object."""
    cfg, _, _ = mini_build
    store = open_store("oxigraph", load=cfg.trig)
    table = store.select("SELECT ?p WHERE { ?s ?p ?o } LIMIT 1000")
    labels = [r[0] for r in table.rows if r[0] == RDFS_LABEL]
    assert len(labels) > 1 and len({id(x) for x in labels}) == 1


def test_errors_are_store_errors(mini_build) -> None:
    cfg, _, _ = mini_build
    store = open_store("oxigraph", load=cfg.trig)
    with pytest.raises(StoreError, match="query failed on the oxigraph store"):
        store.select("SELECT ?s WHERE { ?s ?p }")
    with pytest.raises(StoreError, match="expected a SELECT query, got ASK"):
        store.select("ASK { ?s ?p ?o }")
    with pytest.raises(StoreError, match="expected a SELECT query, got CONSTRUCT"):
        store.select("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
