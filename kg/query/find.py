"""Find things by name: from a word a researcher remembers to the record id the queries take.

Searches labels, alternative labels, descriptions and the quotes of each record's citations.
Matching forgives what people get wrong when they type a name from memory: case, hyphens and
punctuation ("e-government" = "E Government" = "egovernment") and small typos ("shenzen",
"blockchian"), by comparing normalised words with difflib's ratio. It reads the graph through
the `Store` protocol (plain SELECTs), so it works on the embedded store and on an endpoint alike.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.namespaces import local
from kg.store.embedded import Store

# How much a hit in each field counts: a name beats a description beats a quote.
WEIGHTS = {"label": 1.0, "alt": 0.9, "description": 0.6, "quote": 0.5}
TYPO = 0.8  # difflib ratio at or above which two words are "the same word, mistyped"

_ENTITIES = """PREFIX egov: <https://w3id.org/egov-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?entity ?label ?type ?typeLabel WHERE {
  ?g egov:describes ?entity . ?entity a ?type ; rdfs:label ?label .
  FILTER(STRSTARTS(STR(?type), STR(egov:)))
  OPTIONAL { ?type rdfs:label ?typeLabel }
}"""
_TEXTS = """PREFIX egov: <https://w3id.org/egov-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?entity ?field ?text ?c WHERE {
  ?g egov:describes ?entity .
  { ?entity skos:altLabel ?text BIND("alt" AS ?field) }
  UNION { ?entity dcterms:description ?text BIND("description" AS ?field) }
  UNION { ?g egov:citation ?c . ?c egov:quote ?text BIND("quote" AS ?field) }
}"""
_CONTEXT = """PREFIX egov: <https://w3id.org/egov-kg/ontology#>
SELECT ?entity ?place ?stage WHERE {
  ?g egov:describes ?entity .
  { ?entity egov:inPlace ?place } UNION { ?entity egov:duringStage ?stage }
}"""


@dataclass
class Hit:
    """One thing found: what the CLI prints and what a notebook gets back."""

    id: str
    label: str
    type: str
    score: float
    matched: str  # which field matched best: label, alt, description or quote
    places: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    quote: str = ""


def normalise(text: str) -> str:
    """Lower case, every run of non-letters/digits one space: hyphens and punctuation stop mattering."""
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


def match_score(query: str, text: str) -> float:
    """How well `query` (normalised) occurs in `text` (normalised), 0..1.

    1.0 for the phrase itself (also with spaces removed, so "egovernment" finds "e-government");
    otherwise every query word must resemble some word of the text (ratio >= TYPO) and the score
    is their mean ratio, a little below an exact phrase."""
    if not query or not text:
        return 0.0
    if query in text or query.replace(" ", "") in text.replace(" ", ""):
        return 1.0
    words = text.split()
    ratios = []
    for q in query.split():
        best = max((difflib.SequenceMatcher(None, q, w).ratio() for w in words), default=0.0)
        if q.isdigit() or len(q) <= 2:  # years and tiny words must match exactly
            best = 1.0 if q in words else 0.0
        if best < TYPO:
            return 0.0
        ratios.append(best)
    return 0.9 * sum(ratios) / len(ratios)


def _citation_order(c: object) -> tuple[str, int]:
    if c is None:
        return ("", 0)
    head, _, n = str(c).rpartition("/")
    return (head, int(n) if n.isdigit() else 0)


def find(store: Store, text: str, *, types: set[URIRef] | None = None, places: set[URIRef] | None = None,
         limit: int = 20) -> list[Hit]:
    """Entities whose names, descriptions or quotes match `text`, best first.

    `types` and `places` are already-expanded sets (a class with its subclasses, a place with the areas
    within it; see kg.query.params.subclasses / areas_within), so the filter itself stays a set test."""
    q = normalise(text)
    entities: dict[str, dict] = {}
    for row in store.select(_ENTITIES).as_dicts():
        e = entities.setdefault(str(row["entity"]), {"label": str(row["label"]), "types": set(), "texts": []})
        e["types"].add(row["type"])
        e["typeLabel"] = str(row["typeLabel"] or local(row["type"]))
        e["texts"].append(("label", str(row["label"])))
    # Quotes in citation order (citation/1 first), so ties go to the record's main citation.
    for row in sorted(store.select(_TEXTS).as_dicts(), key=lambda r: _citation_order(r["c"])):
        if str(row["entity"]) in entities:
            entities[str(row["entity"])]["texts"].append((str(row["field"]), str(row["text"])))
    context: dict[str, tuple[set[URIRef], set[URIRef]]] = {}
    for row in store.select(_CONTEXT).as_dicts():
        pl, st = context.setdefault(str(row["entity"]), (set(), set()))
        if row["place"] is not None:
            pl.add(row["place"])  # type: ignore[arg-type]
        if row["stage"] is not None:
            st.add(row["stage"])  # type: ignore[arg-type]
    hits = []
    for iri, e in entities.items():
        if types is not None and not e["types"] & types:
            continue
        pl, st = context.get(iri, (set(), set()))
        if places is not None and not (pl & places or URIRef(iri) in places):
            continue
        best, matched, quote = 0.0, "", ""
        for fld, value in e["texts"]:
            s = WEIGHTS[fld] * match_score(q, normalise(value))
            if fld == "quote" and s > 0 and (not quote or s > WEIGHTS["quote"] * match_score(q, normalise(quote))):
                quote = value
            if s > best:
                best, matched = s, fld
        if best <= 0:
            continue
        if not quote:
            quote = next((v for f, v in e["texts"] if f == "quote"), "")
        hits.append(Hit(local(iri), e["label"], e["typeLabel"], round(best, 3), matched,
                        sorted(local(p) for p in pl), sorted(local(s) for s in st), quote))
    hits.sort(key=lambda h: (-h.score, len(h.label), h.id))
    return hits[:limit]
