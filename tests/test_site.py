"""The student site without a browser: files written, escaping, no external URLs, atomic writes, the CLI command.

The browser checks (console errors, requests, filters, XSS, clicks) are in
test_site_browser.py; here we read the files the site generator wrote.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kg.analyse.graph import to_networkx
from kg.build.pipeline import build
from kg.site.build import build_site
from kg.site.html import esc, json_block, script_json
from kg.site.model import read_model
from kg.site.network import layout_positions, vis_asset, write_graph_page
from kg.site.timeline import build_timeline, date_x
from kg.store import open_store
from tests.helpers import EVIL, project_config, with_hostile_label

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
TEXT_SUFFIXES = {".html", ".css", ".js", ".svg", ".json", ".csv"}
# src=/href= (also url() in CSS) pointing off the machine: http://, https:// or protocol-relative //
EXTERNAL = re.compile(r"""(?:\b(?:src|href|action)\s*=\s*["']?\s*|url\(\s*["']?\s*)(?:https?:)?//""", re.IGNORECASE)
SHENZHEN_EVENTS = {"shenzhen-government-structure-reform-2009", "shenzhen-i-shenzhen", "shenzhen-city-brain"}


@pytest.fixture(scope="module")
def real_site(real_build, tmp_path_factory):
    """The site of the real graph, built once for this module (with the SVG/PNG export)."""
    cfg, _, ds = real_build
    st = open_store("oxigraph", load=cfg.trig)
    out = tmp_path_factory.mktemp("site") / "site"
    report = build_site(ds, out, store=st, queries=cfg.queries, ontology=cfg.ontology)
    return out, report, ds


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("evil")
    cfg = replace(project_config(), data=with_hostile_label(tmp / "data"), out=tmp / "build", reason=False)
    _, ds = build(cfg)
    out = tmp / "site"
    build_site(ds, out, queries=cfg.queries, ontology=cfg.ontology, images=False)
    return out, ds


def text_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES]


def view_data(page: Path) -> dict:
    m = re.search(r'<script type="application/json" id="egov-view">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
    assert m, f"{page} has no view data"
    return json.loads(m[1])


def test_escaping_helpers():
    assert esc('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"
    js = script_json({"label": "</script><!-- & \u2028"})
    assert "<" not in js and ">" not in js and "&" not in js and "\u2028" not in js
    assert json.loads(js) == {"label": "</script><!-- & \u2028"}
    block = json_block("x", [EVIL])
    assert block.count("</script>") == 1 and 'type="application/json"' in block


def test_dates_become_positions():
    assert date_x("2009") == 2009.5
    assert 2009.3 < date_x("2009-05") < 2009.4  # type: ignore[operator]
    assert 2009.57 < date_x("2009-07-31") < 2009.67  # type: ignore[operator]
    assert date_x(None) is None and date_x("garbled") is None


def test_layout_is_deterministic_and_complete(real_build):
    g = to_networkx(real_build[2])
    a, b = layout_positions(g), layout_positions(g)
    assert a == b and set(a) == set(g.nodes())  # type: ignore[arg-type]
    assert len(set(a.values())) > 0.95 * len(a)  # type: ignore[union-attr]  # nodes are not piled up


def test_site_files_written(real_site):
    out, report, ds = real_site
    model = read_model(ds)
    for rel in ("index.html", "ontology.html", "views.html", "timelines.html", "graph/all.html", "graph/place-shenzhen.html",
                "graph/stage-shenzhen-stage-2.html", "timeline/shenzhen.html", "entities/index.html", "queries/index.html",
                "assets/vis-network.min.js", "assets/plotly.min.js", "assets/site.css", "assets/netview.js"):
        assert (out / rel).is_file(), rel
    assert all((out / "entities" / f"{i}.html").is_file() for i in model.entities)
    assert report.entities == len(model.entities) and report.queries_run >= 5 and not report.queries_failed
    for q in (out / "queries").glob("*.html"):
        if q.stem != "index" and (out / "queries" / f"{q.stem}.csv").exists():
            assert json.loads((out / "queries" / f"{q.stem}.json").read_text(encoding="utf-8"))["head"]["vars"]
    # the two libraries are written once, never inlined into pages
    assert max(p.stat().st_size for p in out.rglob("*.html")) < 1_000_000
    assert not list(out.parent.glob(".site.*")), "the temp folder of the atomic write was left behind"


def test_timeline_images_exported(real_site):
    out, report, _ = real_site
    if report.image_note:
        pytest.fail(f"timeline export did not run: {report.image_note}")
    svg = (out / "timeline" / "shenzhen.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "I-Shenzhen" in svg
    assert (out / "timeline" / "shenzhen.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_no_external_urls_anywhere(real_site):
    out, _, _ = real_site
    bad = [f"{p.relative_to(out)}: {m.group(0)}" for p in text_files(out) if p.parent.name != "assets"
           for m in EXTERNAL.finditer(p.read_text(encoding="utf-8"))]
    assert not bad, bad[:5]
    for own in ("site.css", "netview.js", "listfilter.js", "timeline.js", "sparql.js"):
        assert not EXTERNAL.search((out / "assets" / own).read_text(encoding="utf-8")), own
    # The vendored libraries are the packages' own files, byte for byte: the only URLs in them are
    # upstream's licence and map-attribution strings, which the browser test shows are never requested.
    assert (out / "assets" / "vis-network.min.js").read_text(encoding="utf-8") == vis_asset("vis-network.min.js")
    import plotly.offline

    assert (out / "assets" / "plotly.min.js").read_text(encoding="utf-8") == plotly.offline.get_plotlyjs()


NODE_COUNT = """PREFIX egov: <https://w3id.org/egov-kg/ontology#>
SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?g egov:describes ?e .
  FILTER NOT EXISTS { VALUES ?c { egov:SourceDocument egov:CitedWork egov:Influence egov:Quantity egov:Index } ?e a ?c } }"""
INFERRED = """PREFIX egov: <https://w3id.org/egov-kg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a egov:Influence ; egov:basis egov:basis-inferred ;
  prov:influencer ?a ; egov:influenced ?b . FILTER(?a != ?b)
  FILTER NOT EXISTS { VALUES ?c { egov:Quantity egov:Index } { ?a a ?c } UNION { ?b a ?c } } }"""


def test_whole_graph_view_has_every_node(real_site):
    """Every record is a node except sources, cited works, influences (drawn as links) and figures (folded)."""
    out, _, ds = real_site
    data = view_data(out / "graph" / "all.html")
    expected = int(next(iter(ds.query(NODE_COUNT)))[0])  # type: ignore[index]
    assert len(data["nodes"]) == expected > 200
    assert sum(1 for e in data["edges"] if e.get("dashes")) == int(next(iter(ds.query(INFERRED)))[0]) > 0  # type: ignore[index]
    assert data["positioned"] and all("x" in n and "y" in n for n in data["nodes"])
    brain = next(n for n in data["nodes"] if n["id"] == "shenzhen-city-brain")
    assert brain["url"] == "../entities/shenzhen-city-brain.html" and "shenzhen" in brain["places"]
    assert "Source:" in brain["title"] and "City Brain" in brain["title"] and "2019" in brain["title"]


def test_entity_page_shows_sources(real_site):
    out, _, ds = real_site
    page = (out / "entities" / "shenzhen-city-brain.html").read_text(encoding="utf-8")
    model = read_model(ds)
    for c in model.entities["shenzhen-city-brain"].citations:
        assert esc(c.quote) in page and esc(c.section) in page
    assert 'href="../entities/huawei.html"' in page and 'id="sources"' in page


def test_shenzhen_timeline_events(real_site):
    _, _, ds = real_site
    tl = build_timeline(read_model(ds), "shenzhen")
    ids = {e.id: e for e in tl.events}
    assert SHENZHEN_EVENTS <= set(ids)
    reform = ids["shenzhen-government-structure-reform-2009"]
    assert reform.lane == "social" and reform.shape == "point" and 2009 < reform.x0 < 2010
    assert ids["shenzhen-i-shenzhen"].lane == "technical" and 2019 < ids["shenzhen-i-shenzhen"].x0 < 2020
    assert [s.stage_number for s, _, _ in tl.stages] == [1, 2, 3]
    assert [(a, b) for _, a, b in tl.stages][:2] == [(2006, 2009), (2009, 2018)]  # 2006-2008, 2009-2017 (the paper)
    assert any(i.source == "shenzhen-egov-pilot-2006" and i.target == "shenzhen-approval-process-reform-2009"
               for i in tl.influences)


def _luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of #rgb or #rrggbb."""
    if len(hex_colour) == 4:
        hex_colour = "#" + "".join(ch * 2 for ch in hex_colour[1:])
    c = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_text_colours_have_contrast():
    """Every text colour of the style sheet on its background is at least 4.5:1 (WCAG AA)."""
    from kg.site.static import SITE_CSS

    var = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b", SITE_CSS))
    pairs = [(var["ink"], "#ffffff"), (var["muted"], "#ffffff"), (var["muted"], "#fafafa"), ("#1b5e8a", "#ffffff"),
             ("#ffffff", "#23395b")] + [("#ffffff", var[f"{k}-ink"]) for k in ("social", "technical", "contextual", "other")]
    for fg, bg in pairs:
        hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
        assert (hi + 0.05) / (lo + 0.05) >= 4.5, (fg, bg)


def test_mini_timeline_by_hand(mini_build):
    """The mini fixture's header: the platform has no date, stage 1 is 2006-2008, the reform is May 2009."""
    _, _, ds = mini_build
    tl = build_timeline(read_model(ds), "shenzhen")
    ev = {e.id: e for e in tl.events}
    platform = ev["shenzhen-online-approval-platform"]
    assert (platform.shape, platform.x0, platform.x1) == ("stage", 2006, 2009)  # a span over its stage, no point
    reform = ev["shenzhen-approval-process-reform"]
    assert reform.shape == "point" and reform.x0 == pytest.approx(2009 + 4.5 / 12)
    assert len(tl.influences) + len(tl.elsewhere) == 3
    built_on = next(i for i in tl.influences if i.source == "shenzhen-online-approval-platform")
    assert (built_on.kind, built_on.basis, built_on.lag_text()) == ("built-on", "stated", "between 1 and 3 years")


def test_playground_files(real_site):
    out, _, ds = real_site
    graph = (out / "data" / "graph.js").read_text(encoding="utf-8")
    assert graph.startswith("window.EGOV_GRAPH = ") and "<" not in graph  # '</script>' cannot appear
    nquads = json.loads(graph.removeprefix("window.EGOV_GRAPH = ").rstrip().rstrip(";"))
    assert len([line for line in nquads.split("\n") if line.strip()]) == len(list(ds.quads((None, None, None, None))))
    ox = (out / "assets" / "oxigraph.js").read_text(encoding="utf-8")
    assert "import.meta" not in ox and not re.search(r"^\s*(import|export)\b", ox, re.M) and "window.oxigraph" in ox
    assert "MIT" in (out / "assets" / "oxigraph-LICENSE-MIT.txt").read_text(encoding="utf-8")
    page = (out / "sparql.html").read_text(encoding="utf-8")
    assert 'id="run"' in page and 'id="results"' in page and "reforms-by-stage" in page


def test_labels_are_escaped_everywhere(evil_site):
    out, _ = evil_site
    markup = [p for p in text_files(out) if p.suffix in (".html", ".svg")]  # CSV/JSON downloads keep the data as is
    raw = [p for p in markup if any(s in p.read_text(encoding="utf-8") for s in ("<img src=x", "window.__xss=1</"))]
    assert len(markup) > 10 and not raw, raw
    page = (out / "entities" / "shenzhen-approval-process-reform.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in page
    assert "Online approval platform &lt;b&gt;&amp;&lt;/b&gt;" in (out / "entities" / "index.html").read_text(encoding="utf-8")
    data = view_data(out / "graph" / "all.html")
    assert any(n["fullLabel"].startswith("<img src=x") for n in data["nodes"])  # intact as data, escaped in the file


def test_failed_run_leaves_the_old_site(mini_build, tmp_path):
    cfg, _, ds = mini_build
    out = tmp_path / "site"
    build_site(ds, out, queries=cfg.queries, ontology=cfg.ontology, images=False)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    with pytest.raises(FileNotFoundError):
        build_site(ds, out, queries=cfg.queries, ontology=tmp_path / "missing.ttl", images=False)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_graph_page_is_one_offline_file(mini_build, tmp_path):
    _, _, ds = mini_build
    n = write_graph_page(ds, tmp_path / "graph.html")
    text = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert n == to_networkx(ds).number_of_nodes() and vis_asset("vis-network.min.js") in text
    ours = text.replace(vis_asset("vis-network.min.js"), "").replace(vis_asset("vis-network.css"), "")
    assert "<script src=" not in ours and "<link" not in ours and not EXTERNAL.search(ours)
    nodes = json.loads(re.search(r"const nodes = new vis.DataSet\((\[.*?\])\);\n", text, re.S)[1])  # type: ignore[index]
    assert len(nodes) == n and all(nd["url"] == "" for nd in nodes)  # no entity pages to link to


def test_cli_site_command(mini_build, tmp_path):
    from kg.cli.site import register

    cfg, _, _ = mini_build
    app = typer.Typer()
    register(app)

    @app.command()
    def noop() -> None:  # a second command so typer keeps 'site' as a subcommand
        pass

    res = CliRunner().invoke(app, ["site", "--out", str(tmp_path / "site"), "--build", str(cfg.out), "--no-images"])
    assert res.exit_code == 0, res.output
    assert "wrote" in res.output and (tmp_path / "site" / "index.html").is_file()
    res = CliRunner().invoke(app, ["site", "--out", str(tmp_path / "x"), "--build", str(tmp_path / "nothing")])
    assert res.exit_code == 2 and "egovkg build" in res.output
