"""Interactive network pages (pyvis data, our own offline template).

pyvis builds the vis.js node/edge data and options, but its template loads
vis-network, tom-select and Bootstrap from CDNs and switches tooltips to
innerHTML when a title contains "href". So we take pyvis's data and write it
into our own page: vis-network is inlined from pyvis's bundled copy, all data is
JSON placed in a <script> with '<', '>' and '&' escaped as \\u003c etc., and
every text that goes into HTML markup passes through html.escape.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import networkx as nx
from pyvis.network import Network
from rdflib import Dataset

from kg import fileio
from kg.analyse import to_networkx

COLOURS = {"social": "#e4572e", "technical": "#2e86ab", "contextual": "#76b041", "other": "#9e9e9e"}
SHAPES = {"Agency": "box", "Government": "box", "Company": "ellipse", "University": "ellipse", "NGO": "ellipse",
          "Stage": "diamond", "Challenge": "triangle", "Outcome": "star", "Quantity": "text"}


def vis_asset(name: str) -> str:
    """Text of a file bundled with pyvis (vis-network 9.1.2), for inlining."""
    import pyvis

    return (Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


def script_json(value: object) -> str:
    """JSON safe to place inside <script>: no '</script>' or '<!--' can appear."""
    return (json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def network_data(g: nx.MultiDiGraph) -> tuple[list[dict], list[dict]]:
    """vis.js nodes and edges (via pyvis) with colour by subsystem and shape by kind."""
    net = Network(directed=True, cdn_resources="in_line")
    for n, a in g.nodes(data=True):
        tip = f"{a['label']}\n{a['type']}" + (f"\n{a['year']}" if a.get("year") else "")
        net.add_node(n, label=a["label"], title=tip, color=COLOURS.get(a["subsystem"], COLOURS["other"]),
                     shape=SHAPES.get(a["type"], "dot"), group=a["subsystem"])
        net.node_map[n].update({"kind": a["type"], "places": a.get("places", []), "stages": a.get("stages", [])})
    for s, o, a in g.edges(data=True):
        net.add_edge(s, o, title=a["predicate"], label=a["predicate"])
    nodes, edges, *_ = net.get_network_data()
    return nodes, edges


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>{css}
body{{font-family:system-ui,sans-serif;margin:0}} header{{padding:.5em 1em;background:#f4f4f4}}
#net{{width:100%;height:80vh;border-top:1px solid #ddd}} .legend span{{display:inline-block;margin-right:1em}}
.swatch{{display:inline-block;width:.9em;height:.9em;border-radius:50%;vertical-align:middle;margin-right:.3em}}
</style></head><body>
<header><h1>{title}</h1><p class="legend">{legend}</p><p id="count"></p></header>
<div id="net"></div>
<script>{js}</script>
<script>
const nodes = new vis.DataSet({nodes});
const edges = new vis.DataSet({edges});
const network = new vis.Network(document.getElementById("net"), {{nodes, edges}},
  {{physics: {{stabilization: {{iterations: 200}}, barnesHut: {{gravitationalConstant: -8000, springLength: 120}}}},
    edges: {{arrows: "to", font: {{size: 8}}}}, interaction: {{hover: true}}}});
network.once("stabilizationIterationsDone", () => {{ network.setOptions({{physics: false}}); window.egovStable = true; }});
document.getElementById("count").textContent = nodes.length + " nodes, " + edges.length + " links";
window.egovNetwork = network; window.egovNodes = nodes;
</script></body></html>
"""


def legend_html() -> str:
    return "".join(f'<span><i class="swatch" style="background:{c}"></i>{html.escape(k)}</span>' for k, c in COLOURS.items())


def render_page(g: nx.MultiDiGraph, title: str) -> str:
    nodes, edges = network_data(g)
    return PAGE.format(title=html.escape(title), css=vis_asset("vis-network.css"), legend=legend_html(),
                       js=vis_asset("vis-network.min.js"), nodes=script_json(nodes), edges=script_json(edges))


def write_graph_page(ds: Dataset, path: Path, title: str = "egov-kg: the whole graph") -> int:
    """Write the whole-graph page; returns the number of nodes."""
    g = to_networkx(ds)
    fileio.write_text(Path(path), render_page(g, title))
    return g.number_of_nodes()
