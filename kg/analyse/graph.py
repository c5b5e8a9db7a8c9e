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
    # Undated elements get the start year of their (earliest) stage, flagged as such: the sources
    # date reforms far more often than the systems they enabled.
    for _, a in g.nodes(data=True):
        a["yearBasis"] = "date" if a["year"] is not None else None
        if a["year"] is None and a["stages"]:
            starts = [g.nodes[st]["year"] for st in a["stages"] if st in g and g.nodes[st].get("year") is not None]
            if starts:
                a["year"], a["yearBasis"] = min(starts), "stage start"
    return g


CO_EVOLUTION = ("enabled", "prompted")


def coevolution_links(g: nx.MultiDiGraph) -> list[dict[str, object]]:
    """Every reform->technology (enabled) and technology->reform (prompted) link with both years and the lag."""
    rows = []
    for s, o, a in g.edges(data=True):
        if a["predicate"] in CO_EVOLUTION:
            ys, yo = g.nodes[s].get("year"), g.nodes[o].get("year")
            basis = "date" if g.nodes[s]["yearBasis"] == g.nodes[o]["yearBasis"] == "date" else "stage start"
            rows.append({"source": s, "sourceLabel": g.nodes[s]["label"], "link": a["predicate"], "target": o,
                         "targetLabel": g.nodes[o]["label"], "sourceYear": ys, "targetYear": yo,
                         "lag": yo - ys if ys is not None and yo is not None else None, "yearBasis": basis})
    return sorted(rows, key=lambda r: (r["sourceYear"] or 0, r["source"], r["target"]))


def cross_subsystem_share(g: nx.MultiDiGraph) -> dict[str, float]:
    """Per stage: the share of links that join the social and technical subsystems.

    A rough measure of the case study's 'level of interaction' that can be compared
    with the level the source assigns (low / relatively high / high)."""
    out: dict[str, float] = {}
    stages = {st for _, a in g.nodes(data=True) for st in a.get("stages", [])}
    for st in sorted(stages):
        members = {n for n, a in g.nodes(data=True) if st in a.get("stages", [])}
        edges = [(s, o) for s, o in g.edges() if s in members and o in members]
        cross = [e for e in edges if {g.nodes[e[0]]["subsystem"], g.nodes[e[1]]["subsystem"]} == {"social", "technical"}]
        out[st] = len(cross) / len(edges) if edges else 0.0
    return out


def most_connected(g: nx.MultiDiGraph, n: int = 10) -> list[tuple[str, str, float]]:
    """The n entities with the highest degree centrality: the hubs of the story."""
    simple = nx.Graph(g.to_undirected())
    cent = nx.degree_centrality(simple) if simple.number_of_nodes() > 1 else {}
    top = sorted(cent.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return [(k, g.nodes[k]["label"], round(v, 4)) for k, v in top]
