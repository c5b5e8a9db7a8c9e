"""The graph as networkx: entities as nodes, links between records as edges.

Shared by the visualisations (layout, ego networks) and the co-evolution
analytics, so both see the same nodes with the same attributes.
"""

from __future__ import annotations

from functools import lru_cache

import networkx as nx
from rdflib import Dataset, Graph, Literal, URIRef

from kg.build.fields import INFLUENCE_KINDS
from kg.namespaces import EGOV, ID, PROV, RDF, RDFS, SKOS, local

# The subsystem of a class comes from the ontology (its superclasses), never from a list of names, so a
# subclass an analyst adds (say, of InformationSystem) lands in the right subsystem everywhere.
SUBSYSTEM_ROOTS = {EGOV.TechnicalElement: "technical", EGOV.SocialElement: "social",
                   EGOV.ContextualFactor: "contextual"}
HIDDEN_CLASSES = {"SourceDocument", "CitedWork"}
# Triples the loader derives from an Influence node: the node itself becomes one edge instead.
DERIVED = {RDF.type, PROV.qualifiedInfluence, PROV.wasInfluencedBy, PROV.influencer, EGOV.influenced,
           *(k.shortcut for k in INFLUENCE_KINDS.values())}


def class_subsystems(ontology: Graph) -> dict[str, str]:
    """Local class name -> subsystem, for every egov class under one of the subsystem roots."""
    out: dict[str, str] = {}
    for root, name in SUBSYSTEM_ROOTS.items():
        for cls in ontology.transitive_subjects(RDFS.subClassOf, root):
            out.setdefault(local(cls), name)
    return out


@lru_cache(maxsize=4)
def _project_subsystems(ontology: str) -> dict[str, str]:
    return class_subsystems(Graph().parse(ontology, format="turtle"))


def subsystem_of(cls: str, explicit: str | None = None, classes: dict[str, str] | None = None) -> str:
    """The record's own `subsystem` if it gives one, else its class's (from the project's ontology)."""
    if explicit:
        return explicit
    if classes is None:
        from kg.config import Config

        classes = _project_subsystems(str(Config().ontology))
    return classes.get(cls, "other")


def to_networkx(ds: Dataset, include_hidden: bool = False) -> nx.MultiDiGraph:
    """Entities (records) as nodes with label, type, subsystem, year; links as edges."""
    g = nx.MultiDiGraph()
    onto = Graph()
    for t in ds.triples((None, RDFS.subClassOf, None)):  # only the ontology graph has these
        onto.add(t)
    classes = class_subsystems(onto) if len(onto) else None
    for _, _, ent in ds.triples((None, EGOV.describes, None)):
        cls = local(next(iter(ds.objects(ent, RDF.type)), ""))
        if cls == "Influence" or (cls in HIDDEN_CLASSES and not include_hidden):
            continue
        sub = ds.value(ent, EGOV.subsystem)
        year = ds.value(ent, EGOV.year)
        g.add_node(local(ent), label=str(ds.value(ent, RDFS.label) or local(ent)), type=cls,
                   subsystem=subsystem_of(cls, local(sub) if sub else None, classes),
                   year=int(year) if isinstance(year, Literal) else None,
                   places=sorted(local(p) for p in ds.objects(ent, EGOV.inPlace)),
                   stages=sorted(local(p) for p in ds.objects(ent, EGOV.duringStage)))
    influences = set(ds.subjects(RDF.type, EGOV.Influence))
    for s, p, o in ds.triples((None, None, None)):
        if isinstance(o, URIRef) and p not in DERIVED and local(s) in g and local(o) in g and s != o:
            g.add_edge(local(s), local(o), key=local(p), predicate=local(p).rpartition("#")[2])
    # Influences are edges (influencer -> influenced) carrying their kind, basis and record id,
    # drawn from the qualified node: the derived shortcut triples are skipped above.
    for inf in influences:
        src, dst = ds.value(inf, PROV.influencer), ds.value(inf, EGOV.influenced)
        kind = ds.value(ds.value(inf, EGOV.influenceKind), SKOS.notation)
        basis = ds.value(ds.value(inf, EGOV.basis), SKOS.notation)
        if src is not None and dst is not None and local(src) in g and local(dst) in g:
            g.add_edge(local(src), local(dst), key=local(inf), predicate=str(kind), basis=str(basis), influence=local(inf))
    # No year is ever estimated: an undated node keeps year None and carries its bounds.
    for n, a in g.nodes(data=True):
        ent = ID[n]
        lo, hi, basis = ds.value(ent, EGOV.earliestYear), ds.value(ent, EGOV.latestYear), ds.value(ent, EGOV.yearBasis)
        a["earliest"] = int(lo) if isinstance(lo, Literal) else None
        a["latest"] = int(hi) if isinstance(hi, Literal) else None
        a["yearBasis"] = str(basis) if basis is not None else None
    return g


def most_connected(g: nx.MultiDiGraph, n: int = 10) -> list[tuple[str, str, float]]:
    """The n entities with the highest degree centrality: the hubs of the story."""
    simple = nx.Graph(g.to_undirected())
    cent = nx.degree_centrality(simple) if simple.number_of_nodes() > 1 else {}
    top = sorted(cent.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return [(k, g.nodes[k]["label"], round(v, 4)) for k, v in top]
