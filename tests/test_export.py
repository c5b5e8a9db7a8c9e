"""`egovkg export`: every format read back by its own reader; the DataFrame and networkx calls.

Expected figures are hand counts on the mini fixture (tests/fixtures/mini): 15 records (4 source
documents, 11 in mini.yaml of which 3 are influences), so 15 entity nodes; the links named below are
written in the fixture (e.g. `next_stage: shenzhen-stage-2` on stage 1, `in_document: doc-000` on
ref-000-42, the inferred `enabled` influence from the platform to the resource centre).
RDF exports are compared quad for quad with the build's own TriG, read by rdflib.
"""

from __future__ import annotations

import csv
from collections import Counter

import networkx as nx
import pytest
from rdflib import BNode, Dataset, Graph, Literal
from rdflib.namespace import XSD
from typer.testing import CliRunner

from kg.cli.main import app
from kg.query.export import FORMATS, RDF_FORMATS, export, to_networkx
from kg.query.library import find_query, query_dataframe, run_query, to_dataframe
from kg.store import open_store
from tests.helpers import project_config

NODES = 15
LINKS = [("shenzhen-stage-1", "shenzhen-stage-2", "time:intervalMeets"),
         ("ref-000-42", "doc-000", "egov:inDocument"),
         ("shenzhen-online-approval-platform", "shenzhen-egov-resource-centre", "egov:enabled"),
         ("shenzhen-egov-resource-centre", "challenge-data-silos", "egov:respondedTo"),
         ("shenzhen-approval-process-reform", "shenzhen", "egov:inPlace")]


@pytest.fixture(scope="module")
def mini(mini_build):
    cfg, _, _ = mini_build
    return cfg, open_store("oxigraph", load=cfg.trig)


def term(t):  # type: ignore[no-untyped-def]
    """A term as a comparable value: blank nodes (OWL axioms of the ontology graph) as one marker,
    "x"^^xsd:string as "x" (the same literal in RDF 1.1; some writers spell the datatype out)."""
    if isinstance(t, BNode):
        return "_:b"
    if isinstance(t, Literal) and t.datatype == XSD.string:
        return Literal(str(t))
    return t


def norm(ds: Dataset) -> Counter:
    return Counter(tuple(term(x) for x in (s, p, o, getattr(g, "identifier", g)))
                   for s, p, o, g in ds.quads((None, None, None, None)))


@pytest.fixture(scope="module")
def quads(mini_build) -> Counter:
    cfg, _, _ = mini_build
    ds = Dataset()
    ds.parse(cfg.trig, format="trig")
    return norm(ds)


def test_formats_listed():
    assert set(FORMATS) == {"jsonld", "nquads", "trig", "turtle", "graphml", "gexf", "csv"}


@pytest.mark.parametrize("fmt", ["jsonld", "nquads", "trig"])
def test_rdf_with_graphs_round_trips(mini, quads, tmp_path, fmt):
    _, st = mini
    (path,) = export(st, fmt, tmp_path / f"out{RDF_FORMATS[fmt][1]}")
    back = Dataset()
    back.parse(path, format={"jsonld": "json-ld"}.get(fmt, fmt))
    assert norm(back) == quads


def test_turtle_is_the_union(mini, quads, tmp_path):
    _, st = mini
    (path,) = export(st, "turtle", tmp_path / "out.ttl")
    union = Counter()
    for (s, p, o, _g), n in quads.items():
        union[(s, p, o)] += n if "_:b" in (s, o) else 1  # blank-node triples stay distinct; others merge
    back = Graph().parse(path, format="turtle")
    assert Counter((term(s), p, term(o)) for s, p, o in back) == union


def test_networkx_graph(mini):
    _, st = mini
    g = to_networkx(st)
    assert g.number_of_nodes() == NODES
    for s, o, key in LINKS:
        assert g.has_edge(s, o, key=key), (s, o, key)
    centre = g.nodes["shenzhen-egov-resource-centre"]  # date: "2012-11"
    assert (centre["earliest"], centre["latest"], centre["year_basis"], centre["type"]) == \
        (2012, 2012, "date", "government agency")
    platform = g.nodes["shenzhen-online-approval-platform"]  # undated, stage 1 = 2006-2008
    assert (platform["earliest"], platform["latest"], platform["year_basis"]) == (2006, 2008, "stage")
    assert platform["places"] == "shenzhen" and platform["stages"] == "shenzhen-stage-1"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_files_round_trip(mini, tmp_path, fmt):
    _, st = mini
    (path,) = export(st, fmt, tmp_path / f"g.{fmt}")
    g = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert g.number_of_nodes() == NODES
    for s, o, key in LINKS:
        assert g.has_edge(s, o), (s, o)
        data = g.get_edge_data(s, o)
        preds = [d["predicate"] for d in data.values()] if fmt == "graphml" else [data["predicate"]]
        assert any(key in p for p in preds), (s, o, preds)
    assert g.nodes["shenzhen-egov-resource-centre"]["label"] == "Shenzhen Electron Government Affairs Resource Centre"
    assert g.nodes["shenzhen-online-approval-platform"]["label"] == "Online approval platform <b>&</b>"


def test_csv_tables_round_trip(mini, tmp_path):
    _, st = mini
    ent, links = export(st, "csv", tmp_path / "csv")
    rows = list(csv.DictReader(ent.open(encoding="utf-8")))
    assert len(rows) == NODES
    centre = next(r for r in rows if r["id"] == "shenzhen-egov-resource-centre")
    assert (centre["earliest"], centre["latest"], centre["places"]) == ("2012", "2012", "shenzhen")
    triples = {(r["source"], r["target"], r["predicate"]) for r in csv.DictReader(links.open(encoding="utf-8"))}
    assert set(LINKS) <= triples


def test_dataframe(mini):
    _, st = mini
    df = to_dataframe(run_query(st, find_query("stage-timeline", project_config().queries), {"place": "shenzhen"}))
    assert list(df.columns) == find_query("stage-timeline", project_config().queries).columns
    reform = df[df["element"] == "shenzhen-approval-process-reform"]  # date: "2009-05", stage 2
    assert len(reform) == 1 and reform["year"].item() == 2009 and reform["stageNumber"].item() == 2
    df2 = query_dataframe(st, "stage-timeline", {"place": "shenzhen"})
    assert df2.equals(df)


def test_cli_export(mini, tmp_path):
    cfg, _ = mini
    runner = CliRunner()
    res = runner.invoke(app, ["export", "-f", "nquads", "-o", str(tmp_path / "x.nq"), "--build", str(cfg.out)])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "x.nq").stat().st_size > 0
    res = runner.invoke(app, ["export", "-f", "xlsx", "-o", str(tmp_path / "x"), "--build", str(cfg.out)])
    assert res.exit_code == 2 and "unknown export format" in res.output


def test_vocabulary_reference_is_current():
    from kg.query.vocabulary import render

    cfg = project_config()
    path = cfg.queries.parent / "docs" / "vocabulary.md"
    assert path.read_text(encoding="utf-8") == render(cfg.ontology, cfg.data), \
        "docs/vocabulary.md is stale: run 'python -m kg.query.vocabulary > docs/vocabulary.md'"


def test_vocabulary_reference_says_what_keys_become():
    from kg.build.fields import FIELDS
    from kg.query.vocabulary import render

    text = render()
    # ontology/egov.ttl: egov:duringStage has rdfs:range egov:Stage; egov:stageOf domain Stage, range AdministrativeArea
    assert "| `stage` | egov:duringStage | refs |  | egov:Stage |" in text
    assert "| `stage_of` | egov:stageOf | ref | egov:Stage | egov:AdministrativeArea |" in text
    assert all(f"| `{key}` |" in text for key in FIELDS)
