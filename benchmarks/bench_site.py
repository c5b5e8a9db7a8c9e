"""How fast the student site is made and how fast its network views become usable in Chromium.

Measures, on the real graph and on a 5,000-node synthetic graph (the real graph
copied until it has 5,000 nodes, the copies sharing the nation, companies and
key technologies, so it stays one connected network with real hubs):

- site generation time (`build_site`, with and without the SVG/PNG export), and
  the layout time alone for each graph;
- time from navigation to `window.egovStable` in Chromium (file://), for the
  site's view (positions computed in Python, physics off) and for the baseline a
  pyvis page uses (same data, no positions, vis-network physics stabilisation);
- filter latency: from clicking a kind checkbox to the next finished redraw;
- the SPARQL playground: from navigation to the engine ready (wasm from base64,
  the whole graph loaded), and one library query's time in the browser.

Prints figures and ratios (baseline / site); no assertion on time. Goals: real
graph stable <= 2 s, 5,000 nodes usable <= 3 s.

    python benchmarks/bench_site.py [--trig build/egov.trig] [--nodes 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import networkx as nx

from kg import fileio
from kg.analyse.graph import to_networkx
from kg.build.pipeline import build
from kg.config import Config
from kg.site.build import build_site
from kg.site.model import read_model
from kg.site.network import layout_positions, render_view, view_spec
from kg.store import open_store

SHARED_TYPES = {"Nation", "Company", "StateOwnedEnterprise", "University", "NGO", "KeyTechnology"}
CHROMIUM = "/usr/bin/chromium"


def synthetic(g: nx.MultiDiGraph, n: int) -> nx.MultiDiGraph:
    """Copies of g until it has n nodes; nodes of SHARED_TYPES appear once and link the copies."""
    shared = {v for v, a in g.nodes(data=True) if a["type"] in SHARED_TYPES}
    out = nx.MultiDiGraph()
    out.add_nodes_from((v, a) for v, a in g.nodes(data=True) if v in shared)
    k = 0
    while out.number_of_nodes() < n:
        k += 1

        def name(v: str, k: int = k) -> str:
            return v if v in shared else f"{v}-copy{k}"

        for v, a in g.nodes(data=True):
            if v not in shared and out.number_of_nodes() < n:
                out.add_node(name(v), **{**a, "label": f"{a['label']} (copy {k})",
                                         "places": [name(p) for p in a.get("places", [])],
                                         "stages": [name(s) for s in a.get("stages", [])]})
        for s, o, key, a in g.edges(keys=True, data=True):
            if name(s) in out and name(o) in out and not (s in shared and o in shared):
                out.add_edge(name(s), name(o), key=key, **a)
    return out


def time_stable(browser, url: str, repeat: int, timeout_s: float) -> tuple[float, float, float | None]:
    """Median seconds from navigation to egovStable (wall clock and performance.now), and filter latency."""
    walls, perfs, filters = [], [], []
    for _ in range(repeat):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        t0 = time.perf_counter()
        page.goto(url)
        try:
            page.wait_for_function("window.egovStable === true", timeout=timeout_s * 1000, polling=20)
        except Exception:  # playwright's TimeoutError: report it as such
            page.close()
            return float("inf"), float("inf"), None
        walls.append(time.perf_counter() - t0)
        perfs.append(page.evaluate("window.egovStableMs") / 1000)
        filters.append(page.evaluate("""new Promise(function (resolve) {
            var t0 = performance.now();
            window.egovNetwork.once('afterDrawing', function () { resolve(performance.now() - t0); });
            document.querySelector('input.family-filter[value=technology]').click(); })""") / 1000)
        page.close()
    return statistics.median(walls), statistics.median(perfs), statistics.median(filters)


def time_playground(browser, url: str, repeat: int) -> tuple[float, float]:
    """Median seconds from navigation to window.egovReady, and of one query (the page's default) run by #run."""
    ready, query = [], []
    for _ in range(repeat):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_function("window.egovReady === true", timeout=60_000, polling=20)
        ready.append(time.perf_counter() - t0)
        query.append(page.evaluate("""(function () { var t0 = performance.now(); document.getElementById('run').click();
                                       return performance.now() - t0; })()""") / 1000)
        page.close()
    return statistics.median(ready), statistics.median(query)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trig", type=Path, default=Config().trig, help="built graph (default build/egov.trig; built if missing)")
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline-timeout", type=float, default=120.0, help="seconds to wait for physics stabilisation")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        trig = args.trig
        if not trig.exists():
            print(f"{trig} missing: building the graph into a temp folder (no reasoner)")
            build(replace(Config(), out=tmp / "build", reason=False))
            trig = tmp / "build" / "egov.trig"
        st = open_store("oxigraph", load=trig)
        ds = st.dataset  # type: ignore[attr-defined]
        site = tmp / "site"
        t0 = time.perf_counter()
        report = build_site(ds, site, store=st, images=False)
        gen = time.perf_counter() - t0
        t0 = time.perf_counter()
        report_img = build_site(ds, tmp / "site-img", store=st, images=True)
        gen_img = time.perf_counter() - t0
        g = to_networkx(ds)
        model = read_model(ds)
        big = synthetic(g, args.nodes)
        layout = {}
        for name, graph in (("real", g), ("synthetic", big)):
            t0 = time.perf_counter()
            pos = layout_positions(graph)
            layout[name] = time.perf_counter() - t0
            spec = view_spec(graph, model if name == "real" else None, root="../", positions=pos)
            fileio.write_text(site / "graph" / f"bench-{name}.html", render_view(spec, name, root="../"))
            spec = view_spec(graph, model if name == "real" else None, root="../", layout=False)
            fileio.write_text(site / "graph" / f"bench-{name}-physics.html", render_view(spec, name, root="../"))

        print(f"real graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} links; synthetic: "
              f"{big.number_of_nodes()} nodes, {big.number_of_edges()} links")
        print(f"site generation: {gen:.2f} s without images ({report.pages} pages), {gen_img:.2f} s with SVG/PNG "
              f"({'ok' if not report_img.image_note else report_img.image_note})")
        print(f"layout (Python, numpy FR): real {layout['real']:.3f} s, synthetic {layout['synthetic']:.2f} s")

        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM,
                                        args=["--headless", "--no-sandbox", "--disable-background-networking"])
            rows = []
            for name, goal in (("real", 2.0), ("synthetic", 3.0)):
                ours = time_stable(browser, (site / "graph" / f"bench-{name}.html").as_uri(), args.repeat, 60)
                base = time_stable(browser, (site / "graph" / f"bench-{name}-physics.html").as_uri(),
                                   1 if name == "synthetic" else args.repeat, args.baseline_timeout)
                rows.append((name, goal, ours, base))
            play = time_playground(browser, (site / "sparql.html").as_uri(), args.repeat)
            browser.close()
        print(f"\n{'view':<10} {'goal s':>6} {'stable s':>9} {'(perf)':>8} {'filter s':>9} | {'physics s':>10} "
              f"{'filter s':>9} | {'ratio':>6}")
        for name, goal, ours, base in rows:
            ratio = base[1] / ours[1] if ours[1] and base[1] != float("inf") else float("inf")
            bf = f"{base[2]:.3f}" if base[2] is not None else "—"
            print(f"{name:<10} {goal:>6.1f} {ours[0]:>9.2f} {ours[1]:>8.2f} {ours[2]:>9.3f} | {base[1]:>10.2f} {bf:>9} | "
                  f"{ratio:>5.1f}x")
        print(f"\nSPARQL playground: engine and graph ready {play[0]:.2f} s after navigation, default query {play[1]:.3f} s")
        print("\nstable = wall clock from page.goto to window.egovStable (perf = performance.now at that moment);"
              "\nphysics = same data without positions, vis-network stabilisation (what a pyvis page does); "
              "ratio = physics / site.")


if __name__ == "__main__":
    main()
