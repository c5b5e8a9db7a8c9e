"""The site under a student's hands, in Debian's Chromium from file://: every button clicked and every link
followed on each page type with no request leaving file://, the whole graph's overview opening on click, filters
and search in the URL with Back restoring the screen, keyboard access to the network's nodes, a name for every
control and 4.5:1 text contrast as rendered.

Expected values come from the mini fixture's text (tests/fixtures/mini/mini.yaml): one place, Shenzhen, two
stages and five other records in the network (the reform, the platform, the resource centre, the data-silos
challenge, Shenzhen itself), so the overview is one Shenzhen cluster of 5 records plus the 2 stages.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
REFORM = "shenzhen-approval-process-reform"
PAGE_TYPES = ["index.html", "graph/all.html", "graph/place-shenzhen.html", "graph/coevo-shenzhen.html",
              "graph/stage-shenzhen-stage-2.html", "views.html", "timelines.html", "timeline/shenzhen.html",
              "entities/index.html", f"entities/{REFORM}.html", "queries/index.html",
              "queries/sources-for-entity.html", "sparql.html", "ontology.html", "search.html", "compare.html"]
ON_MACHINE = ("file:", "data:", "blob:", "about:")
MAX_TARGETS = 200  # the mini site has 65 pages; more would mean links multiplied by a bug
MAX_SECONDS = 120


@pytest.fixture(scope="module")
def site(hostile_site):
    """The mini fixture's site with a hostile label on its reform (conftest)."""
    return hostile_site


class Watched:
    """A browser context whose every request, console error and page error is recorded."""

    def __init__(self, browser, width: int = 1280, height: int = 900):
        self.ctx = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        self.external: list[str] = []
        self.errors: list[str] = []
        self.ctx.on("request", lambda r: None if r.url.startswith(ON_MACHINE) else self.external.append(r.url))
        self.ctx.on("page", self._watch)

    def _watch(self, page) -> None:
        page.on("console", lambda m: self.errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))

    def open(self, url: str):
        page = self.ctx.new_page()
        load(page, url)
        return page


def load(page, url: str) -> None:
    page.goto(url)
    if page.evaluate("!!document.getElementById('net') || !!document.getElementById('timeline')"):
        page.wait_for_function("window.egovStable === true", timeout=20_000)
    if page.evaluate("!!document.getElementById('editor')"):
        page.wait_for_function("window.egovReady === true || /Could not/.test(document.getElementById('status').textContent)",
                               timeout=20_000)


def click_everything(page) -> int:
    """Every visible button, summary and plotly toolbar button, once each; every in-page link (#...) must name an
    element of the page or a node of its network, and the first dozen are clicked (the ontology page has hundreds)."""
    n = 0
    for el in page.locator("button, summary, .modebar-btn").all():
        if el.is_visible() and el.is_enabled():
            el.click(timeout=5_000)
            n += 1
    dangling = page.evaluate("""Array.from(document.querySelectorAll("a[href^='#']")).map(function (a) {
        return decodeURIComponent(a.getAttribute('href').slice(1)); }).filter(function (id) {
        return id && !document.getElementById(id) && !(window.egovNodes && window.egovNodes.get(id)); })""")
    assert not dangling, (page.url, dangling[:5])
    for el in page.locator("a[href^='#']:visible").all()[:12]:
        el.click(timeout=5_000)
        n += 1
    page.wait_for_timeout(150)
    return n


def test_every_button_and_every_link_stays_on_the_machine(browser, site):
    """On each page type: click every button and in-page link, then follow every link to its target (each
    target once over the whole site): every target is a file:// that exists, and no request leaves file://."""
    w = Watched(browser)
    start = time.monotonic()
    followed: set[str] = set()
    clicked = 0
    try:
        page = w.ctx.new_page()
        for rel in PAGE_TYPES:
            load(page, (site / rel).as_uri())
            clicked += click_everything(page)
            hrefs = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(function (a) { return a.href; })")
            assert hrefs, rel
            off = [h for h in hrefs if not h.startswith(ON_MACHINE)]
            assert not off, (rel, off)
            for href in hrefs:
                target = urldefrag(href)[0]
                if target in followed:
                    continue
                followed.add(target)
                assert len(followed) <= MAX_TARGETS and time.monotonic() - start < MAX_SECONDS, (len(followed), rel)
                path = Path(unquote(urlparse(target).path))
                assert path.is_file(), f"{rel} links to a missing file: {target}"
                if path.suffix == ".html":  # downloads (.csv, .json, .svg) exist; pages are loaded and run
                    load(page, target)
        assert not w.errors and not w.external, (w.errors[:5], w.external[:5])
        assert clicked >= 3 * len(PAGE_TYPES) and len(followed) >= 50  # the mini site has 65 pages
        assert all(page.evaluate("typeof window.__xss") == "undefined" for _ in [0])
    finally:
        w.ctx.close()


def test_overview_opens_on_click_and_back_closes_it(browser, site):
    w = Watched(browser)
    try:
        page = w.open((site / "graph" / "all.html").as_uri())
        page.wait_for_function("window.egovRestored >= 1")
        assert page.evaluate("window.egovClustersClosed") == 1
        drawn = page.evaluate("Object.keys(window.egovNetwork.body.nodes).filter(function (id) {"
                              " return window.egovNetwork.body.nodes[id].options.hidden !== true &&"
                              " window.egovNetwork.clustering.findNode(id).length === 1; })")
        assert sorted(drawn) == ["cluster:shenzhen", "shenzhen-stage-1", "shenzhen-stage-2"]  # places and stages
        xy = page.evaluate("window.egovNetwork.canvasToDOM(window.egovNetwork.getPositions(['cluster:shenzhen'])"
                           "['cluster:shenzhen'])")
        box = page.locator("#net").bounding_box()
        page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])
        page.wait_for_function("window.egovClustersClosed === 0")
        assert "open=all" in page.url or "open=shenzhen" in page.url
        page.go_back()
        page.wait_for_function("window.egovClustersClosed === 1")
        assert "open=" not in page.url
        assert not w.errors and not w.external, (w.errors, w.external)
    finally:
        w.ctx.close()


def test_filters_and_search_live_in_the_url_and_back_restores_them(browser, site):
    w = Watched(browser)
    try:
        page = w.open((site / "graph" / "place-shenzhen.html").as_uri())
        page.wait_for_function("window.egovRestored >= 1")
        assert page.evaluate("window.egovVisibleCount") == 7  # the mini network: 7 nodes
        page.uncheck("input.family-filter[value=stage]")
        assert "hide=stage" in page.url and page.evaluate("window.egovVisibleCount") == 5
        page.fill("#search", "silos")
        page.press("#search", "Enter")
        assert "q=silos" in page.url and page.evaluate("window.egovSelected") == "challenge-data-silos"
        page.go_back()
        page.wait_for_function("window.egovRestored >= 2")
        assert page.input_value("#search") == "" and "hide=stage" in page.url
        assert page.evaluate("window.egovVisibleCount") == 5
        page.go_back()
        page.wait_for_function("window.egovRestored >= 3")
        assert page.is_checked("input.family-filter[value=stage]") and page.evaluate("window.egovVisibleCount") == 7
        page.goto((site / "graph" / "place-shenzhen.html").as_uri() + "?hide=stage&q=silos")  # a shared link
        page.wait_for_function("window.egovRestored >= 1")
        assert not page.is_checked("input.family-filter[value=stage]") and page.input_value("#search") == "silos"
        assert not w.errors and not w.external, (w.errors, w.external)
    finally:
        w.ctx.close()


def test_keyboard_reaches_a_node_through_the_list(browser, site):
    """Tab to the node list's entry for the data-silos challenge, press Enter: the node is selected."""
    w = Watched(browser)
    try:
        page = w.open((site / "graph" / "place-shenzhen.html").as_uri())
        page.wait_for_function("window.egovRestored >= 1")
        page.locator("details.node-list summary").focus()
        page.keyboard.press("Enter")  # open the list
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.getAttribute('href')") == "#challenge-data-silos":
                break
        else:
            pytest.fail("Tab never reached the node list entry of the data-silos challenge")
        page.keyboard.press("Enter")
        page.wait_for_function("window.egovSelected === 'challenge-data-silos'")
        assert page.evaluate("window.egovNetwork.getSelectedNodes()") == ["challenge-data-silos"]
        assert page.evaluate("document.getElementById('net').tabIndex") == 0  # the canvas takes focus (arrows, +/-)
    finally:
        w.ctx.close()


# every control's accessible name (label, aria-label, text or title) and every text's contrast as rendered
A11Y = """() => {
  function name(e) {
    if (e.getAttribute('aria-label') || e.getAttribute('title') || e.getAttribute('data-title')) { return 'x'; }
    if (e.labels && e.labels.length) { return e.labels[0].textContent.trim(); }
    return (e.textContent || e.value || '').trim();
  }
  var unnamed = Array.from(document.querySelectorAll('input, select, textarea, button, a[href], summary'))
    .filter(function (e) { return e.type !== 'hidden' && !name(e); }).map(function (e) { return e.outerHTML.slice(0, 80); });
  function rgb(s) { var m = s.match(/[\\d.]+/g).map(Number); return {c: m.slice(0, 3), a: m.length > 3 ? m[3] : 1}; }
  function lum(c) { return c.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
                     .reduce(function (s, v, i) { return s + v * [0.2126, 0.7152, 0.0722][i]; }, 0); }
  function bg(e) {
    for (; e; e = e.parentElement) { var b = rgb(getComputedStyle(e).backgroundColor); if (b.a > 0.5) { return b.c; } }
    return [255, 255, 255];
  }
  var low = [];
  document.querySelectorAll('body *').forEach(function (e) {
    var own = Array.from(e.childNodes).some(function (n) { return n.nodeType === 3 && n.textContent.trim(); });
    if (!own || !e.getClientRects().length || e.closest('svg, .vis-tooltip')) { return; }
    var f = lum(rgb(getComputedStyle(e).color).c), b = lum(bg(e));
    var r = (Math.max(f, b) + 0.05) / (Math.min(f, b) + 0.05);
    if (r < 4.5) { low.push(e.tagName + ' ' + r.toFixed(2) + ' ' + e.textContent.trim().slice(0, 40)); }
  });
  return {unnamed: unnamed, low: low};
}"""


@pytest.mark.parametrize("rel", ["index.html", "graph/all.html", f"entities/{REFORM}.html", "timeline/shenzhen.html",
                                 "sparql.html", "search.html", "entities/index.html", "compare.html"])
def test_controls_are_named_and_text_has_contrast(browser, site, rel):
    w = Watched(browser)
    try:
        page = w.open((site / rel).as_uri())
        found = page.evaluate(A11Y)
        assert not found["unnamed"], found["unnamed"][:5]
        assert not found["low"], found["low"][:5]
    finally:
        w.ctx.close()
