"""Interactive network pages (pyvis data, our own offline template).

pyvis builds the vis.js node/edge data and options, but its template loads
vis-network, tom-select and Bootstrap from CDNs and switches tooltips to
innerHTML when a title contains "href". So we take pyvis's data and write it
into our own page: vis-network comes from pyvis's bundled copy (inlined in the
single-file page, copied once into the site's assets/ otherwise), all data is
JSON in a <script type="application/json"> with '<', '>' and '&' escaped as
\\u003c etc., tooltips are plain-text strings (vis-network 9 shows them with
innerText), and every text that goes into HTML markup passes through html.escape.

Positions are computed here (a force-directed layout with a fixed seed) and
physics is off in the browser, so a view is drawn once and is stable at once,
the same way every time; `window.egovStable` tells tests and benchmarks so.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from pyvis.network import Network
from rdflib import Dataset

from kg import fileio
from kg.analyse.graph import to_networkx
from kg.namespaces import EGOV
from kg.site.fold import fold
from kg.site.html import esc, json_block, page, script_json, shape_icon, shorten
from kg.site.model import COLOURS, FAMILIES, FAMILY, SiteModel, family_of, read_model
from kg.site.static import NETVIEW_JS, SITE_CSS

SHAPES = {c: f.shape for f in FAMILIES for c in f.classes}
LABEL_CHARS = 38  # longer labels are cut on the canvas; the tooltip and side panel show them whole
QUOTE_CHARS = 280

__all__ = ["COLOURS", "SHAPES", "layout_positions", "network_data", "render_page", "render_view", "script_json",
           "view_spec", "vis_asset", "write_graph_page"]


def vis_asset(name: str) -> str:
    """Text of a file bundled with pyvis (vis-network 9.1.2), for inlining or copying to assets/."""
    import pyvis

    return (Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


def _canvas_label(node: str, attrs: dict, model: SiteModel | None) -> str:
    """Short label drawn on the canvas; stages become 'Shenzhen stage 2' instead of a sentence."""
    e = model.entities.get(node) if model else None
    if e is not None and e.type == "Stage" and e.stage_number is not None:
        place = next((model.entities[p].label for p in e.places if p in model.entities), "")  # type: ignore[union-attr]
        return f"{place} stage {e.stage_number}".strip()
    return shorten(attrs["label"], LABEL_CHARS)


def tooltip(node: str, attrs: dict, model: SiteModel | None) -> str:
    """Plain-text tooltip: label, kind, dates and the first source with its quote."""
    e = model.entities.get(node) if model else None
    if e is None:
        return "\n".join(x for x in (attrs["label"], attrs["type"], str(attrs.get("year") or "")) if x)
    lines = [e.label, f"{e.type_label} · {e.subsystem} subsystem"]
    if e.when():
        lines.append(f"Date: {e.when()}")
    for c in e.citations[:1]:
        lines.append(f"Source: {c.document_label or c.document_file}, section {c.section} ({c.confidence})")
        lines.append(f"“{shorten(c.quote, QUOTE_CHARS)}”")
    if len(e.citations) > 1:
        lines.append(f"(+{len(e.citations) - 1} more source{'s' if len(e.citations) > 2 else ''} on its page)")
    if attrs.get("figures"):
        lines.append("Figures: " + "; ".join(shorten(f, 80) for f in attrs["figures"][:4]))
    return "\n".join(lines)


def network_data(g: nx.MultiDiGraph, model: SiteModel | None = None,
                 edge_labels: bool = True) -> tuple[list[dict], list[dict]]:
    """vis.js nodes and edges (via pyvis): colour by subsystem, shape by kind, plain-text tooltips."""
    net = Network(directed=True, cdn_resources="in_line")
    degree = dict(g.degree())
    ranked = sorted(g.nodes, key=lambda n: (-degree.get(n, 0), n))
    rank_of = {n: i for i, n in enumerate(ranked)}
    important = set(ranked[:max(8, min(30, len(ranked) // 10))])
    important |= {n for n, a in g.nodes(data=True) if family_of(a["type"]) in ("place", "stage")}
    for n, a in g.nodes(data=True):
        fam = family_of(a["type"])
        net.add_node(n, label=_canvas_label(n, a, model), title=tooltip(n, a, model),
                     color=COLOURS.get(a["subsystem"], COLOURS["other"]), shape=FAMILY[fam].shape,
                     size=min(9 + 3 * degree.get(n, 0) ** 0.5, 34),
                     font={"size": min(12 + 2 * degree.get(n, 0) ** 0.5, 30)})
        e = model.entities.get(n) if model else None
        net.node_map[n].update({"kind": a["type"], "family": fam, "fullLabel": a["label"], "important": n in important,
                                "rank": 0 if fam in ("place", "stage") else 1 + rank_of[n],
                                "kindLabel": e.type_label if e else a["type"], "when": e.when() if e else "",
                                "places": e.places if e else a.get("places", []),
                                "stages": e.stages if e else a.get("stages", [])})
    for s, o, key, a in g.edges(keys=True, data=True):
        if a.get("influence"):  # a folded egov:Influence: stated solid, inferred dashed (kg.site.fold)
            kind = a["predicate"]
            title = f"{kind} ({a['basis']} in the source; lag {a.get('lag', 'on its page')})"
            net.add_edge(s, o, title=title, dashes=a["basis"] == "inferred",
                         color={"color": "#4a4a4a"}, width=1.6, **({"label": kind} if edge_labels else {}))
            continue
        label = model.label_of(_pred_iri(key, a["predicate"])) if model else a["predicate"]
        net.add_edge(s, o, title=label, **({"label": label} if edge_labels else {}))
    nodes, edges, *_ = net.get_network_data()
    return nodes, edges


def _pred_iri(key: str, predicate: str) -> str:
    """Full IRI of an edge's predicate: analyse.to_networkx keys edges by local name (egov) or full IRI."""
    key = str(key or predicate)
    return key if key.startswith("http") else str(EGOV[key])


def _fr(n: int, src, dst, seed: int, iterations: int):  # type: ignore[no-untyped-def]
    """Fruchterman-Reingold on n nodes with links src[i]->dst[i], vectorised in row blocks (numpy, float32)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    x = rng.random(n).astype(np.float32)
    y = rng.random(n).astype(np.float32)
    k2 = np.float32(1.0 / n)
    k = np.float32(np.sqrt(k2))
    t = np.float32(0.1)
    dt = t / (iterations + 1)
    block = max(1, 1_000_000 // n)
    for _ in range(iterations):
        fx = np.empty(n, np.float32)
        fy = np.empty(n, np.float32)
        for a in range(0, n, block):  # repulsion between all pairs, one block of rows at a time
            dx = x[a:a + block, None] - x[None, :]
            dy = y[a:a + block, None] - y[None, :]
            d2 = dx * dx
            d2 += dy * dy
            d2 += np.float32(1e-6)
            np.divide(k2, d2, out=d2)
            fx[a:a + block] = (dx * d2).sum(1)
            fy[a:a + block] = (dy * d2).sum(1)
        if len(src):  # attraction along links
            ex, ey = x[src] - x[dst], y[src] - y[dst]
            dist = np.sqrt(ex * ex + ey * ey) / k
            np.subtract.at(fx, src, ex * dist)
            np.add.at(fx, dst, ex * dist)
            np.subtract.at(fy, src, ey * dist)
            np.add.at(fy, dst, ey * dist)
        length = np.sqrt(fx * fx + fy * fy) + np.float32(1e-9)
        step = np.minimum(length, t) / length
        x += fx * step
        y += fy * step
        t -= dt
    x -= x.mean()
    y -= y.mean()
    return x, y


def layout_positions(g: nx.Graph, seed: int = 1, iterations: int | None = None,
                     spacing: float = 90.0, aspect: float = 1.35) -> dict[str, tuple[float, float]] | None:
    """Force-directed positions with a fixed seed, in vis canvas units (about `spacing` between neighbours).

    networkx's spring_layout takes minutes at 5,000 nodes (its sparse solver loops in
    Python), so this is the same algorithm (Fruchterman-Reingold) vectorised with numpy
    in row blocks: about 0.1 s for the real graph, 5 s for 5,000 nodes. x is stretched by
    `aspect` to fill a landscape screen. Each connected
    component is laid out on its own and the small ones are packed in rows under the
    largest, so a stray pair of nodes cannot shrink the rest to a dot. Returns None
    when numpy is missing; the page then lets vis-network's physics place the nodes."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy comes with the scientific stack
        return None
    und = nx.Graph(g.to_undirected()) if g.is_directed() or g.is_multigraph() else g
    comps = sorted((sorted(c) for c in nx.connected_components(und)), key=lambda c: (-len(c), c[0]))
    pos: dict[str, tuple[float, float]] = {}
    row_x = row_y = row_h = half = 0.0
    for ci, comp in enumerate(comps):
        n = len(comp)
        if n == 1:
            xs, ys = np.zeros(1, np.float32), np.zeros(1, np.float32)
        else:
            index = {v: i for i, v in enumerate(comp)}
            pairs = sorted({(index[u], index[v]) for u, v in und.subgraph(comp).edges() if u != v})
            src = np.array([p[0] for p in pairs], dtype=np.int64)
            dst = np.array([p[1] for p in pairs], dtype=np.int64)
            xs, ys = _fr(n, src, dst, seed, iterations or (200 if n <= 1000 else 60))
        r = float(np.percentile(np.sqrt(xs * xs + ys * ys), 85)) or 1.0  # robust: a few far leaves must not squash the rest
        radius = max(spacing * 0.5 * n ** 0.5, 2.5 * spacing) if n > 1 else 0.0
        scale = radius / r
        if ci == 0:  # the largest component in the middle, the others in rows below it
            half = max(radius, 3 * spacing)
            cx = cy = 0.0
            row_x, row_y, row_h = -half, radius + spacing, 0.0
        else:
            if row_x + 2 * radius > half and row_x > -half:
                row_x, row_y, row_h = -half, row_y + row_h + spacing, 0.0
            cx, cy = row_x + radius, row_y + radius
            row_x += 2 * radius + spacing
            row_h = max(row_h, 2 * radius)
        for i, v in enumerate(comp):
            pos[v] = (round((cx + float(xs[i]) * scale) * aspect, 1), round(cy + float(ys[i]) * scale, 1))
    return pos


def view_spec(g: nx.MultiDiGraph, model: SiteModel | None = None, *, root: str | None = "",
              positions: dict[str, tuple[float, float]] | None = None, layout: bool = True) -> dict:
    """Everything the page script needs: nodes (with filter attributes and page links), edges, layout flag.

    `root` is the way from the page to the site's root folder; None when there are no entity pages to link to."""
    nodes, edges = network_data(g, model, edge_labels=g.number_of_nodes() <= 40)
    if positions is None and layout:
        positions = layout_positions(g)
    for nd in nodes:
        if positions and nd["id"] in positions:
            nd["x"], nd["y"] = positions[nd["id"]]
        nd["url"] = f"{root}entities/{nd['id']}.html" if root is not None and model and nd["id"] in model.entities else ""
    for ed in edges:
        ed.pop("id", None)
    return {"nodes": nodes, "edges": edges, "positioned": bool(positions)}


def overview_clusters(spec: dict, model: SiteModel | None = None, min_size: int = 3) -> dict:
    """Group the whole graph by place for its overview: every node except stages goes into the cluster of
    the place it belongs to with the most records (a district's records into their city's), records with no
    place into one more cluster; stages stay visible, so the overview is places and stages. The page draws
    each cluster as one node at its place's position and opens it on click (netview.js)."""
    members: dict[str, int] = {}
    for n in spec["nodes"]:
        for p in n["places"]:
            members[p] = members.get(p, 0) + 1
    groups: dict[str, list[dict]] = {}
    for n in spec["nodes"]:
        if n["family"] == "stage":
            continue
        home = max(n["places"], key=lambda p: (members[p], p)) if n["places"] else "no-place"
        groups.setdefault(home, []).append(n)
    ents = model.entities if model else {}
    clusters = []
    for gid, ns in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(ns) < min_size:
            continue
        for n in ns:
            n["cluster"] = gid
        anchor = next((n for n in ns if n["id"] == gid and "x" in n), None)
        xs = [n["x"] for n in ns if "x" in n]
        ys = [n["y"] for n in ns if "y" in n]
        x, y = ((anchor["x"], anchor["y"]) if anchor else
                (round(sum(xs) / len(xs), 1), round(sum(ys) / len(ys), 1)) if xs else (0.0, 0.0))
        label = ents[gid].label if gid in ents else "No place named"
        clusters.append({"id": gid, "label": label, "count": len(ns), "x": x, "y": y})
    spec["clusters"] = clusters
    return spec


def _options(values: list[tuple[str, str]], element_id: str, what: str) -> str:
    if not values:
        return ""
    opts = "".join(f'<option value="{esc(v)}">{esc(label)}</option>' for v, label in values)
    return f'<label>{esc(what)} <select id="{esc(element_id)}"><option value="">all</option>{opts}</select></label>'


def view_body(spec: dict, title: str, intro: str = "", model: SiteModel | None = None, embedded: bool = False,
              data: bool = True) -> str:
    """Panel (count, search, filters, legend, selected node) and the network canvas."""
    fams = {n["family"] for n in spec["nodes"]}
    boxes = "".join(f'<label><input type="checkbox" class="family-filter" value="{esc(f.name)}" checked>'
                    f'{shape_icon(f)}{esc(f.label)}</label>' for f in FAMILIES if f.name in fams)
    places = sorted({p for n in spec["nodes"] for p in n["places"]})
    stages = sorted({s for n in spec["nodes"] for s in n["stages"]})

    def named(ids: list[str]) -> list[tuple[str, str]]:
        ents = model.entities if model else {}
        return sorted(((i, ents[i].label if i in ents else i) for i in ids), key=lambda x: x[1].casefold())

    colours = "".join(f'<li><i class="swatch" style="background:{c}"></i>{esc(k)}</li>' for k, c in COLOURS.items())
    heading = f'<h2>{esc(title)}</h2>' if embedded else f'<h1>{esc(title)}</h1>'
    panel = (f'{heading}{intro}<p id="count" class="small"></p>'
             f'<label>Search by label <input type="search" id="search" placeholder="e.g. City Brain"></label>'
             f'<p id="search-status" class="small muted"></p>'
             f'<fieldset><legend>Kind (shape)</legend>{boxes}</fieldset>'
             f'{_options(named(places), "place-filter", "Place")}{_options(named(stages), "stage-filter", "Stage")}'
             f'<p><button type="button" id="reset-filters">Show all</button></p>{overview_buttons(spec)}'
             f'<div id="selected"></div>'
             f'<p class="small"><strong>Colour = subsystem</strong></p><ul class="small">{colours}</ul>'
             f'<p class="small muted">Hover a node for its source and quote; drag to pan, scroll to zoom.</p>')
    cls = "view embedded" if embedded else "view"
    block = json_block("egov-view", spec) if data else ""
    return (f'<div class="{cls}"><aside class="panel">{panel}</aside>'
            f'<div id="net" role="application" tabindex="0" aria-label="{esc(title)}: network (arrow keys pan, + and - '
            f'zoom); the same nodes are listed below, each selects its node"></div></div>'
            f"{block}{node_list(spec)}")


def overview_buttons(spec: dict) -> str:
    """Controls of the overview (only on a page whose spec has clusters)."""
    if not spec.get("clusters"):
        return ""
    return ('<p class="small">The graph opens as an overview: one node per place (click it to open it) and the '
            'stages.</p><p><button type="button" id="overview">Overview: places and stages</button> '
            '<button type="button" id="open-all">Open every place</button></p>')


def node_list(spec: dict) -> str:
    """The canvas as text: every node, by kind, linked to its page (for screen readers, search and printing)."""
    by_fam: dict[str, list[dict]] = {}
    for n in spec["nodes"]:
        by_fam.setdefault(n["family"], []).append(n)
    parts = []
    for f in FAMILIES:
        ns = sorted(by_fam.get(f.name, []), key=lambda n: n["fullLabel"].casefold())
        if ns:
            items = "".join(
                f'<li><a class="pick" href="#{esc(n["id"])}" title="Select it in the network above">'
                f'{esc(n["fullLabel"])}</a>'
                f'{f""" · <a href="{esc(n["url"])}" class="small">its page</a>""" if n.get("url") else ""}</li>'
                for n in ns)
            parts.append(f'<h3>{esc(f.label)} ({len(ns)})</h3><ul class="entities small">{items}</ul>')
    return (f'<details class="node-list pad"><summary>The {len(spec["nodes"])} nodes of this network as a list'
            f'</summary>{"".join(parts)}</details>')


NET_SCRIPTS = ["assets/vis-network.min.js", "assets/netview.js"]


def net_head(root: str) -> str:
    return f'<link rel="stylesheet" href="{root}assets/vis-network.css">'


def render_view(spec: dict, title: str, *, root: str = "", intro: str = "", model: SiteModel | None = None,
                active: str = "graph/all.html") -> str:
    """A network page of the site: assets referenced relatively from assets/."""
    return page(title, view_body(spec, title, intro, model), root=root, active=active, wide=True, head=net_head(root),
                scripts=NET_SCRIPTS)


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>{vis_css}</style><style>{css}</style></head><body><main class="wide">{body}</main>
<script>{vis_js}</script>
<script>
const nodes = new vis.DataSet({nodes});
const edges = new vis.DataSet({edges});
window.egovPreset = {{nodes: nodes, edges: edges, positioned: {positioned}}};
</script>
<script>{js}</script></body></html>
"""


def render_page(g: nx.MultiDiGraph, title: str, model: SiteModel | None = None) -> str:
    """One self-contained HTML file (everything inlined): what `egovkg graph` writes.

    The data is built into vis DataSets by an inline script (JSON with '<', '>', '&' escaped as \\u003c etc.),
    the same page script as the site then draws it; there are no entity pages to link to."""
    spec = view_spec(g, model, root=None)
    return PAGE.format(title=esc(title), vis_css=vis_asset("vis-network.css"), css=SITE_CSS,
                       body=view_body(spec, title, "", model, data=False), vis_js=vis_asset("vis-network.min.js"),
                       nodes=script_json(spec["nodes"]), edges=script_json(spec["edges"]),
                       positioned="true" if spec["positioned"] else "false", js=NETVIEW_JS)


def write_graph_page(ds: Dataset, path: Path, title: str = "egov-kg: the whole graph") -> int:
    """Write the whole-graph page as one offline file; returns the number of nodes."""
    model = read_model(ds)
    g = fold(to_networkx(ds), model)
    fileio.write_text(Path(path), render_page(g, title, model))
    return g.number_of_nodes()
