"""`egovkg site`: the browsable, offline website of the graph (build/site/).

Students open build/site/index.html from disk (file://, no server, no
internet): network views of the whole graph, of each place and stage, and around
every entity; co-evolution timelines; a page per entity with its sources and
quotes; the query library with results and downloads; the ontology. All
JavaScript and CSS is copied once into assets/ (vis-network from pyvis, plotly.js
from plotly) and referenced relatively; no page loads anything from the web.

The site is written into a temporary sibling folder and swapped in only when
everything succeeded (kg.fileio.atomic_dir), so a failed run never leaves a
half-written site behind.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import Dataset

from kg import fileio
from kg.analyse.graph import to_networkx
from kg.config import Config
from kg.errors import UsageError
from kg.site.coevo import coevo_page
from kg.site.compare import write_compare
from kg.site.fold import fold
from kg.site.html import esc, family_legend, link, page, write
from kg.site.model import FAMILIES, SiteModel, read_model
from kg.site.network import overview_clusters, render_view, view_spec, vis_asset
from kg.site.pages import write_entity_pages
from kg.site.pages_ontology import write_ontology_page
from kg.site.pages_query import run_library, write_query_pages
from kg.site.playground import write_playground
from kg.site.search import write_search
from kg.site.static import LIST_FILTER_JS, NETVIEW_JS, SEARCH_JS, SITE_CSS, SPARQL_JS, TIMELINE_JS
from kg.site.timeline_plot import write_timelines
from kg.store.embedded import EmbeddedStore, Store


@dataclass
class SiteReport:
    """What `build_site` wrote, for the CLI, tests and benchmarks."""

    out: Path
    pages: int = 0
    nodes: int = 0
    edges: int = 0
    entities: int = 0
    views: list[str] = field(default_factory=list)  # relative paths of the network views
    timelines: list[str] = field(default_factory=list)
    queries_run: int = 0
    queries_skipped: list[str] = field(default_factory=list)
    queries_failed: list[str] = field(default_factory=list)
    image_note: str = ""
    seconds: float = 0.0


def write_assets(out: Path) -> None:
    """The site's only scripts and styles, written once and shared by every page."""
    import plotly.offline

    assets = out / "assets"
    write(assets / "site.css", SITE_CSS)
    write(assets / "vis-network.min.js", vis_asset("vis-network.min.js"))
    write(assets / "vis-network.css", vis_asset("vis-network.css"))
    write(assets / "plotly.min.js", plotly.offline.get_plotlyjs())
    write(assets / "netview.js", NETVIEW_JS)
    write(assets / "listfilter.js", LIST_FILTER_JS)
    write(assets / "timeline.js", TIMELINE_JS)
    write(assets / "sparql.js", SPARQL_JS)
    write(assets / "search.js", SEARCH_JS)


def subview(g: nx.MultiDiGraph, model: SiteModel, core: set[str], key: str) -> nx.MultiDiGraph:
    """A place's or stage's records plus their direct neighbours that belong to no place (or stage).

    So Shenzhen's view shows Huawei and 3G next to the City Brain, but not the
    reforms of Shanghai that share a national document with it."""
    nodes = set(core)
    for n in core:
        for m in nx.all_neighbors(g, n):
            if not getattr(model.entities.get(m), key, None):
                nodes.add(m)
    return g.subgraph(nodes).copy()


def _place_of(model: SiteModel, stage: str) -> str:
    """The label of the place a stage belongs to, so stage views read 'Shenzhen: Stage 2 ...'."""
    return next((model.entities[p].label for p in model.entities[stage].places if p in model.entities), "")


def write_views(out: Path, g: nx.MultiDiGraph, model: SiteModel) -> list[str]:
    """graph/all.html, one view per place and per stage, and views.html listing them."""
    written = []
    write(out / "graph" / "all.html", render_view(
        overview_clusters(view_spec(g, model, root="../"), model), "The whole graph", root="../", model=model,
        intro=f'<p class="small">Every entity of the graph ({g.number_of_nodes()}) and every link between them.</p>'))
    written.append("graph/all.html")
    places: dict[str, set[str]] = {}
    stages: dict[str, set[str]] = {}
    for e in model.entities.values():
        if e.id in g:
            for p in e.places:
                places.setdefault(p, set()).add(e.id)
            for s in e.stages:
                stages.setdefault(s, set()).add(e.id)
    items: dict[str, list[str]] = {"place": [], "stage": [], "coevo": []}

    def stage_key(sid: str) -> tuple[str, int, str]:
        s = model.entities[sid]
        return (_place_of(model, sid), s.stage_number or 0, s.start or "")

    for kind, groups, key in (("place", places, "places"), ("stage", stages, "stages")):
        ids = sorted(groups, key=lambda i: (-len(groups[i]), model.entities[i].label.casefold())) if kind == "place" \
            else sorted(groups, key=stage_key)
        for pid in ids:
            if len(groups[pid]) < 2:
                continue
            sub = subview(g, model, groups[pid], key)
            name = f"graph/{kind}-{pid}.html"
            label = model.entities[pid].label if kind == "place" else f"{_place_of(model, pid)}: {model.entities[pid].label}"
            write(out / name, render_view(view_spec(sub, model, root="../"), label, root="../", model=model,
                                          active="views.html",
                                          intro=f'<p class="small">{len(groups[pid])} records of this {kind} and their '
                                                f'neighbours that belong to no {kind}. '
                                                f'{link("../entities/" + esc(pid) + ".html", "Its page")}</p>'))
            written.append(name)
            items[kind].append(f'<li>{link(esc(name), label)} <span class="muted small">({len(groups[pid])} records, '
                               f'{sub.number_of_nodes()} nodes)</span></li>')
            if kind == "place":
                html, n_nodes, n_links = coevo_page(g, model, pid)
                cname = f"graph/coevo-{pid}.html"
                write(out / cname, html)
                written.append(cname)
                items["coevo"].append(f'<li>{link(esc(cname), label)} <span class="muted small">({n_nodes} records, '
                                      f'{n_links} influences)</span></li>')
    body = ("<h1>Network views by place and stage</h1><p>Each view shows the records of one place (its districts "
            "included) or one stage, plus the organisations and technologies they link to. The co-evolution views "
            "put a place's stages in columns, left to right in time, social records above and technical below.</p>"
            f'<h2>Co-evolution by place</h2><ul class="entities">{"".join(items["coevo"])}</ul>'
            f'<h2>Places</h2><ul class="entities">{"".join(items["place"])}</ul>'
            f'<h2>Stages (by place, in order)</h2><ol>{"".join(items["stage"])}</ol>')
    write(out / "views.html", page("Places and stages", body, active="views.html"))
    return written


def index_page(model: SiteModel, g: nx.MultiDiGraph, triples: int, report: SiteReport) -> str:
    by_sub: dict[str, int] = {}
    by_fam: dict[str, int] = {}
    for e in model.entities.values():
        by_sub[e.subsystem] = by_sub.get(e.subsystem, 0) + 1
        by_fam[e.family] = by_fam.get(e.family, 0) + 1
    fam_rows = "".join(f"<tr><td>{esc(f.label)}</td><td>{by_fam.get(f.name, 0)}</td></tr>" for f in FAMILIES)
    sources = sum(len(e.citations) for e in model.entities.values())
    cards = [("graph/all.html", "Whole graph", f"{g.number_of_nodes()} entities and {g.number_of_edges()} links as an "
              "interactive network: colour by subsystem, shape by kind, filters and search."),
             ("views.html", "Places and stages", "The network of one city or province, or of one stage of its development."),
             ("timelines.html", "Co-evolution timelines", f"{len(report.timelines)} timelines: reforms above, technologies "
              "below, stages shaded, lines for what enabled or prompted what."),
             ("entities/index.html", "Entities and their sources", f"A page for each of the {len(model.entities)} records "
              "with its facts and the quotes that support them."),
             ("queries/index.html", "Query library", "Research questions as SPARQL, with results and CSV/JSON downloads."),
             ("ontology.html", "Ontology", "The classes and properties of the graph, with definitions.")]
    card_html = "".join(f'<div class="card"><h3>{link(h, t)}</h3><p class="small">{esc(d)}</p></div>' for h, t, d in cards)
    body = (
        "<h1>E-government reforms and technologies in Chinese cities</h1>"
        "<p>This knowledge graph records how structural reforms (mergers of agencies, approval-process reform, new data "
        "bureaus, policy documents) and technologies (networks, platforms, apps, cloud, blockchain) <em>co-evolved</em> in "
        "Shenzhen, Shanghai, Lu'an, Zhejiang, Guizhou and China as a whole, stage by stage. Every fact cites its source "
        "document, section and a verbatim quote: open any entity to see them.</p>"
        '<form action="entities/index.html" method="get"><label>Find an entity <input type="search" name="q" '
        'placeholder="e.g. City Brain, i Shenzhen, super-ministry"></label> <button>Search</button></form>'
        '<p><a href="search.html">Search everything</a> (descriptions and quotes too) · '
        '<a href="sparql.html">SPARQL playground</a> · <a href="compare.html">Compare places</a></p>'
        f'<h2>Explore</h2><div class="cards">{card_html}</div>'
        f"<h2>The graph in numbers</h2><table><tbody>"
        f"<tr><th>records (entities with a page)</th><td>{len(model.entities)}</td></tr>"
        f"<tr><th>entities in the network (without sources and cited works)</th><td>{g.number_of_nodes()}</td></tr>"
        f"<tr><th>links between them</th><td>{g.number_of_edges()}</td></tr>"
        f"<tr><th>citations (source, section, quote)</th><td>{sources}</td></tr>"
        f"<tr><th>RDF triples (with provenance and ontology)</th><td>{triples}</td></tr>"
        + "".join(f"<tr><th>{esc(k)} subsystem</th><td>{v}</td></tr>" for k, v in sorted(by_sub.items()))
        + f"</tbody></table><h3>By kind</h3><table><tbody>{fam_rows}</tbody></table>"
        f'<h2>Reading the network</h2><p>Colour is the subsystem: <span class="kind social">social</span> '
        f'<span class="kind technical">technical</span> <span class="kind contextual">contextual</span> '
        f'<span class="kind">other</span>. Shape is the kind:</p><ul class="entities small">{family_legend()}</ul>'
        "<p class=\"small muted\">Built by <code>egovkg site</code> from <code>build/egov.trig</code>. Works offline.</p>")
    return page("Home", body, active="index.html")


def build_site(ds: Dataset, out: Path, *, store: Store | None = None, queries: Path | None = None,
               ontology: Path | None = None, images: bool = True) -> SiteReport:
    """Write the whole site to `out` atomically and report what was written.

    The swap replaces `out` wholesale, so `out` must be new, empty or an earlier site:
    `--out build` (or the checkout) would otherwise be deleted along with egov.trig."""
    t0 = time.perf_counter()
    out = Path(out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "index.html").is_file())):
        raise UsageError(f"{out} exists and is not a site egov-kg wrote; it would be replaced",
                         "give a new folder or an earlier site's folder, e.g. build/site")
    cfg = Config()
    queries = queries or cfg.queries
    ontology = ontology or cfg.ontology
    model = read_model(ds, ontology)
    g = fold(to_networkx(ds), model)  # influences as links, figures into their entity
    if store is None:  # the query pages need a store: copy the dataset into Oxigraph
        emb = EmbeddedStore("oxigraph")
        emb.add_dataset(ds)
        store = emb
    report = SiteReport(out=Path(out), nodes=g.number_of_nodes(), edges=g.number_of_edges(), entities=len(model.entities))
    runs = run_library(store, queries, model)
    report.queries_run = sum(r.table is not None for r in runs)
    report.queries_skipped = [r.qdef.name for r in runs if r.skipped]
    report.queries_failed = [f"{r.qdef.name}: {r.error}" for r in runs if r.error]
    with fileio.atomic_dir(Path(out)) as tmp:
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; a site is for reading
        write_assets(tmp)
        report.views = write_views(tmp, g, model)
        tls, report.image_note = write_timelines(tmp, model, images=images)
        report.timelines = [f"timeline/{tl.place}.html" for tl in tls]
        report.pages += len(report.views) + len(tls) + 3  # views.html, timelines.html, index.html
        report.pages += write_entity_pages(tmp, model, g)
        report.pages += write_query_pages(tmp, runs, model)
        report.pages += write_ontology_page(tmp, ontology, model)
        write_playground(tmp, ds, runs)
        write_search(tmp, model)
        write_compare(tmp, model)
        report.pages += 3
        write(tmp / "index.html", index_page(model, g, len(ds), report))
    report.seconds = time.perf_counter() - t0
    return report
