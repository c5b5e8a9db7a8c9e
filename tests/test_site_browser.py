"""The student site in a real browser: Debian's Chromium driven by Playwright, pages opened from file://.

Checks what only a browser can: no console errors, no request leaves file://,
the whole-graph view holds every node, filters hide the right nodes, hostile
labels never run, the Shenzhen timeline shows its events, sources are two clicks
from the index. Screenshots of the main pages go to test-artifacts/ for people
to look at. Never downloads a browser: without /usr/bin/chromium the tests fail
and say how to install it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from kg.analyse.graph import to_networkx
from kg.site.build import build_site
from kg.site.fold import fold
from kg.site.model import read_model
from kg.store import open_store
from tests.helpers import EVIL

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
ARTIFACTS = Path(os.environ.get("EGOV_SCREENSHOTS") or Path(tempfile.gettempdir()) / "egov-kg-screenshots")
MAIN_PAGES = ["index.html", "graph/all.html", "graph/place-shenzhen.html", "graph/stage-shenzhen-stage-2.html",
              "views.html", "timelines.html", "timeline/shenzhen.html", "entities/index.html",
              "entities/shenzhen-city-brain.html", "queries/index.html", "queries/sources-for-entity.html", "ontology.html",
              "sparql.html", "graph/coevo-shenzhen.html"]


@pytest.fixture(scope="module")
def real_site(real_build, tmp_path_factory):
    """The site of the real graph, built once for this module (timeline images are tested in test_site.py)."""
    cfg, _, ds = real_build
    out = tmp_path_factory.mktemp("site-browser") / "site"
    build_site(ds, out, store=open_store("oxigraph", load=cfg.trig), queries=cfg.queries, ontology=cfg.ontology,
               images=False)
    return out, ds


class Visit:
    """A page opened from disk, with every console error and every request that left file://."""

    def __init__(self, browser, path: Path, width: int = 1400, height: int = 900) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.errors: list[str] = []
        self.external: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:")) else self.external.append(r.url))
        self.page.goto(path.as_uri())
        if self.page.evaluate("!!document.getElementById('net') || !!document.getElementById('timeline')"):
            self.page.wait_for_function("window.egovStable === true", timeout=30_000)

    def clean(self) -> None:
        assert not self.errors, self.errors
        assert not self.external, self.external

    def close(self) -> None:
        self.page.close()


def visit(browser, path: Path) -> Visit:
    return Visit(browser, path)


@pytest.mark.parametrize("rel", MAIN_PAGES)
def test_page_loads_offline_without_errors(browser, real_site, rel):
    out, _ = real_site
    v = visit(browser, out / rel)
    try:
        v.clean()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        full = not rel.startswith("graph/")
        v.page.screenshot(path=str(ARTIFACTS / f"site-{rel.replace('/', '-').removesuffix('.html')}.png"), full_page=full)
    finally:
        v.close()


def test_whole_graph_view_has_every_node(browser, real_site):
    out, ds = real_site
    v = visit(browser, out / "graph" / "all.html")
    try:
        g = fold(to_networkx(ds), read_model(ds))
        assert v.page.evaluate("window.egovNodes.length") == g.number_of_nodes()
        assert v.page.evaluate("window.egovVisibleCount") == g.number_of_nodes()
        assert v.page.evaluate("window.egovEdges.length") == g.number_of_edges()
        v.clean()
    finally:
        v.close()


def test_single_file_graph_page(browser, real_build, tmp_path):
    """`egovkg graph`'s one-file page (everything inlined) works offline with the same script."""
    from kg.site.network import write_graph_page

    n = write_graph_page(real_build[2], tmp_path / "graph.html")
    v = visit(browser, tmp_path / "graph.html")
    try:
        ds = real_build[2]
        assert v.page.evaluate("window.egovNodes.length") == n == fold(to_networkx(ds), read_model(ds)).number_of_nodes()
        v.page.uncheck("input.family-filter[value=place]")
        assert v.page.evaluate("window.egovVisibleCount") < n
        v.clean()
    finally:
        v.close()


def test_filters_hide_the_expected_nodes(browser, real_site):
    out, ds = real_site
    model = read_model(ds)
    g = fold(to_networkx(ds), model)
    fam = {n: model.entities[n].family for n in g}
    v = visit(browser, out / "graph" / "all.html")
    hidden = "window.egovNodes.get({filter: function (n) { return n.hidden === true; }}).map(function (n) { return n.id; })"
    try:
        v.page.uncheck("input.family-filter[value=technology]")
        assert set(v.page.evaluate(hidden)) == {n for n in g if fam[n] == "technology"}
        v.page.select_option("#place-filter", "shenzhen")
        expect = {n for n in g if fam[n] != "technology" and "shenzhen" in model.entities[n].places}
        assert set(g) - set(v.page.evaluate(hidden)) == expect and len(expect) > 10
        v.page.select_option("#stage-filter", "shenzhen-stage-2")
        expect = {n for n in expect if "shenzhen-stage-2" in model.entities[n].stages}
        assert v.page.evaluate("window.egovVisibleCount") == len(expect) > 3
        assert str(len(expect)) in v.page.inner_text("#count")
        v.page.click("#reset-filters")
        assert v.page.evaluate(hidden) == []
        assert v.page.evaluate("window.egovSearch('City Brain')") == ["shenzhen-city-brain"]
        v.clean()
    finally:
        v.close()


def test_shenzhen_timeline_shows_its_events(browser, real_site):
    out, _ = real_site
    v = visit(browser, out / "timeline" / "shenzhen.html")
    try:
        ids = set(v.page.evaluate("""[].concat.apply([], document.getElementById('timeline').data
                                     .filter(function (t) { return t.customdata; })
                                     .map(function (t) {
                                         return t.customdata.filter(Boolean).map(function (c) { return c[0]; }); }))"""))
        assert {"shenzhen-government-structure-reform-2009", "shenzhen-i-shenzhen", "shenzhen-city-brain"} <= ids
        points = v.page.evaluate("""document.getElementById('timeline').data.filter(function (t) { return t.meta === 'point'; })
                                    .reduce(function (n, t) { return n + t.x.length; }, 0)""")
        assert v.page.locator("#timeline .scatterlayer .point").count() >= points > 10
        assert v.page.evaluate("document.getElementById('timeline').layout.shapes.length") >= 3  # stages shaded
        assert "I-Shenzhen" in v.page.inner_text("#events") and "Stage 2" in v.page.inner_text("#timeline")
        v.clean()
    finally:
        v.close()


def test_sources_within_three_clicks_of_the_index(browser, real_site):
    out, _ = real_site
    v = visit(browser, out / "index.html")
    try:
        v.page.click("text=Entities and their sources")                      # click 1: the entity list
        v.page.click("section#type-Platform >> text=City Brain")              # click 2: the entity page
        assert v.page.url.endswith("entities/shenzhen-city-brain.html")
        sources = " ".join(v.page.locator("div.source").all_inner_texts())    # sources are on that page
        assert "Huawei built a so-called City Brain" in sources and "section 4.3" in sources
        v.page.goto((out / "index.html").as_uri())                            # or through the search box
        v.page.fill("input[name=q]", "City Brain")
        v.page.click("main form button")                                      # click 1
        v.page.click("section#type-Platform >> text=City Brain")              # click 2
        assert v.page.url.endswith("entities/shenzhen-city-brain.html") and v.page.locator(".quote").count() >= 1
        v.clean()
    finally:
        v.close()


@pytest.fixture(scope="module")
def evil_site(hostile_site):
    """The mini fixture's site with a hostile label on its reform (conftest)."""
    return hostile_site


@pytest.mark.parametrize("rel", ["index.html", "graph/all.html", "graph/place-shenzhen.html", "entities/index.html",
                                 "entities/shenzhen-approval-process-reform.html",
                                 "entities/shenzhen-online-approval-platform.html", "timeline/shenzhen.html",
                                 "queries/reforms-by-stage.html", "queries/sources-for-entity.html"])
def test_hostile_labels_never_run(browser, evil_site, rel):
    v = visit(browser, evil_site / rel)
    try:
        if rel.startswith("graph/"):  # hover the node: the tooltip shows the label as text
            v.page.evaluate("window.egovSearch('onerror')")
            pos = v.page.evaluate("""(function () {
                var n = window.egovNetwork, p = n.canvasToDOM(n.getPosition('shenzhen-approval-process-reform'));
                var r = document.getElementById('net').getBoundingClientRect();
                return {x: p.x + r.left, y: p.y + r.top}; })()""")
            v.page.mouse.move(pos["x"], pos["y"])
            v.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
            assert "<img src=x" in v.page.inner_text("div.vis-tooltip")
            assert v.page.locator("div.vis-tooltip img, div.vis-tooltip script").count() == 0
        if rel.startswith("entities/shenzhen-approval"):
            assert EVIL in v.page.inner_text("h1")
        v.page.wait_for_timeout(200)
        assert v.page.evaluate("typeof window.__xss") == "undefined"
        assert v.page.locator("img[src=x]").count() == 0
        v.clean()
    finally:
        v.close()
