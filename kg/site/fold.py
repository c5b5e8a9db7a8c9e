"""The network students see: influences as links, figures folded into what they measure.

In the RDF an influence is a node of its own (egov:Influence, the PROV qualified
pattern) with derived shortcuts beside it, and a figure (Quantity, Index) is a node
pointing at what it measures. Drawn as they are, each influence becomes a star
with three links and each figure a free-floating node, and the story disappears
under them. So the site's network folds them: one link per influence from the
influencer to the influenced, labelled with its kind, solid when stated and
dashed when inferred; figures leave the canvas and are listed in their entity's
tooltip and page. Sources and cited works are already off the canvas.
"""

from __future__ import annotations

import networkx as nx

from kg.site.model import SiteModel

# Edges the folded influence link replaces (PROV shortcuts, per-kind shortcuts, links to the influence node).
SHORTCUTS = {"wasInfluencedBy", "qualifiedInfluence", "influencer", "influenced", "enabled", "prompted",
             "respondedTo", "builtOn", "required", "constrained", "created"}
FIGURE_TYPES = {"Quantity", "Index"}


def fold(g: nx.MultiDiGraph, model: SiteModel) -> nx.MultiDiGraph:
    """A copy of `g` without influence and figure nodes: influences as links, figures as node attributes."""
    out = nx.MultiDiGraph()
    drop = {n for n, a in g.nodes(data=True) if a.get("type") == "Influence" or a.get("type") in FIGURE_TYPES}
    for n, a in g.nodes(data=True):
        if n not in drop:
            out.add_node(n, **{**a, "figures": []})
    for s, o, k, a in g.edges(keys=True, data=True):
        pred = str(a.get("predicate", k)).rpartition("#")[2].rpartition("/")[2]
        if s in drop or o in drop or pred in SHORTCUTS or a.get("influence"):  # re-added below with the lag
            continue
        out.add_edge(s, o, key=k, **a)
    for f in drop:
        e = model.entities.get(f)
        if e is None or e.type == "Influence":
            continue
        for m in set(g.successors(f)) - drop:
            out.nodes[m]["figures"].append(e.label)
    for inf in model.influences:
        if inf.source in out and inf.target in out:
            out.add_edge(inf.source, inf.target, key=f"influence:{inf.id}", predicate=inf.kind, influence=inf.id,
                         basis=inf.basis, lag=inf.lag_text())
    return out


__all__ = ["fold"]
