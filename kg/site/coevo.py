"""Co-evolution network of one place: stages as columns in time order, social above, technical below.

A force-directed layout shows clusters but not the story; a student reading how a
city's reforms and technologies drove each other needs time left to right and the
two subsystems apart. So each stage of the place is a column (in the order of its
start year), its social records (reforms, agency changes, documents) stacked
above the middle line, its technical records below, other records (events,
challenges, outcomes, context) at the bottom; a record is in the column of its
stage, or of the stage its date falls in, or in a last "no stage" column. Only
influence links are drawn (from the egov:Influence nodes, folded by
kg.site.fold): stated solid, inferred dashed.
"""

from __future__ import annotations

import networkx as nx

from kg.site.html import esc, link
from kg.site.model import SiteModel
from kg.site.network import render_view, view_spec
from kg.site.timeline import build_timeline

COL_W = 520.0  # canvas units per stage column
ROW_H = 46.0
PER_ROW = 3  # records side by side within a column


def coevo_graph(g: nx.MultiDiGraph, model: SiteModel, place: str) -> tuple[nx.MultiDiGraph, dict[str, tuple[float, float]]]:
    """The records of the place's timeline and its stages, with only influence links, and their positions."""
    tl = build_timeline(model, place)
    stages = [s.id for s, _, _ in tl.stages]
    bounds = {s.id: (a, b) for s, a, b in tl.stages}
    column: dict[str, int] = {}
    for ev in tl.events:
        if ev.stage in bounds:
            column[ev.id] = stages.index(ev.stage)
        else:
            hit = [i for i, sid in enumerate(stages) if bounds[sid][0] <= ev.x0 < bounds[sid][1]]
            column[ev.id] = hit[0] if hit else len(stages)
    for e in tl.undated:
        column[e.id] = len(stages)
    lane = {ev.id: ev.lane for ev in tl.events} | {e.id: _lane(e.family) for e in tl.undated}
    order = {ev.id: (ev.x0, ev.label.casefold()) for ev in tl.events} | {e.id: (9999.0, e.label.casefold()) for e in tl.undated}
    pos: dict[str, tuple[float, float]] = {}
    for col in range(len(stages) + 1):
        for ln, sign, start in (("social", -1, -ROW_H), ("technical", 1, ROW_H), ("other", 1, None)):
            ids = sorted((i for i, c in column.items() if c == col and lane.get(i) == ln and i in g), key=lambda i: order[i])
            if start is None:  # under the technical block of the tallest column
                tech = max((sum(1 for i, c in column.items() if c == k and lane.get(i) == "technical")
                            for k in range(len(stages) + 1)), default=0)
                start = ROW_H * (2 + (tech + PER_ROW - 1) // PER_ROW)
            for k, i in enumerate(ids):
                x = col * COL_W + (k % PER_ROW - (PER_ROW - 1) / 2) * (COL_W / PER_ROW)
                pos[i] = (round(x, 1), round(start + sign * (k // PER_ROW) * ROW_H, 1))
    top = min([y for _, y in pos.values()] + [0.0]) - 2 * ROW_H
    for k, sid in enumerate(stages):
        pos[sid] = (k * COL_W, top)
    keep = [n for n in pos if n in g]
    sub = nx.MultiDiGraph()
    sub.add_nodes_from((n, g.nodes[n]) for n in keep)
    sub.add_edges_from((s, o, k, a) for s, o, k, a in g.subgraph(keep).edges(keys=True, data=True) if a.get("influence"))
    return sub, pos


def _lane(family: str) -> str:
    return "social" if family in ("reform", "change", "document") else "technical" if family == "technology" else "other"


def coevo_page(g: nx.MultiDiGraph, model: SiteModel, place: str) -> tuple[str, int, int]:
    """The page graph/coevo-{place}.html, with the number of nodes and influence links it draws."""
    sub, pos = coevo_graph(g, model, place)
    label = model.entities[place].label if place in model.entities else place
    spec = view_spec(sub, model, root="../", positions=pos)
    ranked = sorted(spec["nodes"], key=lambda n: -len(list(sub.neighbors(n["id"])) + list(sub.predecessors(n["id"]))))
    top = {n["id"] for n in ranked[:20]}
    for nd in spec["nodes"]:
        nd["important"] = nd["important"] or nd["family"] == "stage" or nd["id"] in top
    intro = (f'<p class="small">Stages of {esc(label)} as columns, left to right in time; social records above, '
             "technical below, events and challenges at the bottom; the last column holds records with no stage. "
             "Links are influences: <strong>solid when a source states them, dashed when inferred</strong>. "
             f'{link("../timeline/" + esc(place) + ".html", "Its timeline")} · '
             f'{link("../entities/" + esc(place) + ".html", "its page")}</p>')
    html = render_view(spec, f"{label}: co-evolution", root="../", model=model, active="views.html", intro=intro)
    return html, sub.number_of_nodes(), sub.number_of_edges()


__all__ = ["coevo_graph", "coevo_page"]
