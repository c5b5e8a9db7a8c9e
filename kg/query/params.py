"""Parameters checked against the graph before a query runs.

A misspelt id (`-p place=shenzen`) is a well-formed IRI that names nothing: the query would
answer with zero rows and exit 0, and the user would conclude Shenzhen has no reforms. So every
id, class and property a user passes is looked up in the graph first; one that names nothing
(or names the wrong kind of thing: `-p stage=shenzhen`) is a ParameterError (exit 2) listing the
closest names that do exist. The look-ups are plain SPARQL, so they work on any store.

Also here: the expansions the Python side needs, a class with its subclasses and a place with the
areas within it, both walked in the graph (the ontology is in the built graph's ontology graph).
"""

from __future__ import annotations

import difflib
import re

from rdflib import URIRef

from kg.build.fields import FIELDS
from kg.errors import ParameterError
from kg.namespaces import EGOV, ID, PREFIXES
from kg.store.embedded import Store

_P = ("PREFIX egov: <https://w3id.org/egov-kg/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
      "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n")

# Parameter names whose value must be an instance of a class (with its subclasses).
EXPECTED_CLASS = {"place": EGOV.AdministrativeArea, "stage": EGOV.Stage, "agency": EGOV.Agency,
                  "challenge": EGOV.Challenge, "case": EGOV.CollaborationCase, "technology": EGOV.Technology}


def closest(value: str, candidates: list[str], n: int = 3) -> list[str]:
    """Names a user probably meant: spelling neighbours first, then names containing the value as a word."""
    out = difflib.get_close_matches(value, candidates, n=n, cutoff=0.6)
    if len(out) < n:
        parts = set(re.split(r"[-_\s]+", value.lower()))
        out += [c for c in sorted(candidates) if c not in out and parts <= set(re.split(r"[-_\s]+", c.lower()))]
    return out[:n]


def _iris(store: Store, sparql: str) -> list[URIRef]:
    return [r[0] for r in store.select(sparql).rows if isinstance(r[0], URIRef)]


def subclasses(store: Store, cls: URIRef) -> set[URIRef]:
    """The class and every class below it, walked through rdfs:subClassOf in the graph."""
    return {cls, *_iris(store, _P + f"SELECT DISTINCT ?c WHERE {{ ?c rdfs:subClassOf* <{cls}> }}")}


def areas_within(store: Store, place: URIRef) -> set[URIRef]:
    """The place and every area lying within it, at any depth."""
    return {place, *_iris(store, _P + f"SELECT DISTINCT ?a WHERE {{ ?a egov:withinArea* <{place}> }}")}


def instances(store: Store, cls: URIRef | None) -> list[str]:
    """Ids of the described things (of a class and its subclasses when given)."""
    if cls is None:
        q = _P + "SELECT DISTINCT ?e WHERE { ?g egov:describes ?e }"
    else:
        q = _P + f"SELECT DISTINCT ?e WHERE {{ ?e a/rdfs:subClassOf* <{cls}> }}"
    return sorted(str(e)[len(str(ID)):] for e in _iris(store, q) if str(e).startswith(str(ID)))


def classes(store: Store) -> list[str]:
    """Local names of the ontology's own classes."""
    q = _P + "SELECT DISTINCT ?c WHERE { { ?c a owl:Class } UNION { ?c rdfs:subClassOf ?x } }"
    return sorted(str(c)[len(str(EGOV)):] for c in _iris(store, q) if str(c).startswith(str(EGOV)))


def properties(store: Store) -> dict[str, URIRef]:
    """Properties used in the data, by local name (egov: names win over other vocabularies)."""
    q = "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"
    out: dict[str, URIRef] = {}
    for p in _iris(store, q):
        local = re.split(r"[#/]", str(p))[-1]
        if local not in out or str(p).startswith(str(EGOV)):
            out[local] = p
    return out


def _fail(name: str, value: str, what: str, near: list[str], hint: str = "") -> ParameterError:
    fix = f"did you mean {', '.join(near)}?" if near else "run 'egovkg find TEXT' to look the name up"
    return ParameterError(f"parameter '{name}': '{value}' names no {what} in the graph", fix + hint)


def check_id(store: Store, name: str, value: str) -> None:
    """Refuse an id that names nothing, or names a thing of the wrong kind for this parameter."""
    cls = EXPECTED_CLASS.get(name)
    if cls is not None:
        ok = store.ask(_P + f"ASK {{ <{ID[value]}> a/rdfs:subClassOf* <{cls}> }}")
        what = str(cls).rsplit("#", 1)[-1]
    else:
        ok = store.ask(_P + f"ASK {{ <{ID[value]}> ?p ?o }}")
        what = "entity"
    if not ok:
        raise _fail(name, value, what, closest(value, instances(store, cls)))


def check_class(store: Store, name: str, value: str) -> None:
    if not store.ask(_P + f"ASK {{ {{ <{EGOV[value]}> a owl:Class }} UNION {{ <{EGOV[value]}> rdfs:subClassOf ?x }} }}"):
        raise _fail(name, value, "class", closest(value, classes(store)))


def check_property(store: Store, name: str, value: str) -> None:
    """A property by local name; a data-file key (built_by) is answered with its property (builtBy)."""
    props = properties(store)
    if value in props:
        return
    near = closest(value, list(props))
    f = FIELDS.get(value)
    if f is not None and f.predicate is not None:
        local = re.split(r"[#/]", str(f.predicate))[-1]
        near = [local, *[x for x in near if x != local]][:3]
        raise _fail(name, value, "property", near, f" ('{value}' is the data-file key for {_qname(f.predicate)})")
    raise _fail(name, value, "property", near)


def _qname(iri: URIRef) -> str:
    for p, ns in PREFIXES.items():
        if str(iri).startswith(str(ns)):
            return f"{p}:{str(iri)[len(str(ns)):]}"
    return f"<{iri}>"


def check_params(store: Store, param_types: dict[str, str], params: dict[str, str]) -> None:
    """Check each value of a query's parameters (name -> declared type) against the graph."""
    for name, value in params.items():
        kind = param_types.get(name)
        if kind == "id":
            check_id(store, name, value)
        elif kind == "class":
            check_class(store, name, value)
        elif kind == "text" and name == "predicate":
            check_property(store, name, value)
