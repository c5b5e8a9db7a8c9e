"""The graph as networkx: entities as nodes, links between records as edges.

Shared by the visualisations (layout, ego networks) and the co-evolution
analytics, so both see the same nodes with the same attributes.
"""

from __future__ import annotations

import networkx as nx
from rdflib import Dataset, Literal, URIRef

from kg.namespaces import EGOV, ID, RDF, RDFS

SUBSYSTEM_OF_CLASS = {
    "technical": {"KeyTechnology", "Infrastructure", "InformationSystem", "Platform", "MobileApp", "Portal",
                  "SocialMediaAccount", "Channel", "Technology"},
    "social": {"Agency", "Government", "StructuralReform", "ProcessReform", "Initiative", "Reform", "Plan",
               "Measures", "Regulation", "Notice", "Framework", "PolicyDocument", "AgencyChange",
               "Establishment", "Merger", "Restructuring"},
    "contextual": {"ContextualFactor"},
}
HIDDEN_CLASSES = {"SourceDocument", "CitedWork"}


def local(iri: object) -> str:
    s = str(iri)
    for ns in (str(ID), str(EGOV)):
        if s.startswith(ns):
            return s[len(ns):]
    return s


def subsystem_of(cls: str, explicit: str | None = None) -> str:
    if explicit:
        return explicit
    for name, classes in SUBSYSTEM_OF_CLASS.items():
        if cls in classes:
            return name
    return "other"


def to_networkx(ds: Dataset, include_hidden: bool = False) -> nx.MultiDiGraph:
    """Entities (records) as nodes with label, type, subsystem, year; links as edges."""
    g = nx.MultiDiGraph()
    for _, _, ent in ds.triples((None, EGOV.describes, None)):
        cls = local(next(iter(ds.objects(ent, RDF.type)), ""))
        if cls in HIDDEN_CLASSES and not include_hidden:
            continue
        sub = ds.value(ent, EGOV.subsystem)
        year = ds.value(ent, EGOV.year)
        g.add_node(local(ent), label=str(ds.value(ent, RDFS.label) or local(ent)), type=cls,
                   subsystem=subsystem_of(cls, local(sub) if sub else None),
                   year=int(year) if isinstance(year, Literal) else None,
                   places=sorted(local(p) for p in ds.objects(ent, EGOV.inPlace)),
                   stages=sorted(local(p) for p in ds.objects(ent, EGOV.duringStage)))
    for s, p, o in ds.triples((None, None, None)):
        if isinstance(o, URIRef) and p != RDF.type and local(s) in g and local(o) in g and s != o:
            g.add_edge(local(s), local(o), key=local(p), predicate=local(p).rpartition("#")[2])
    return g
