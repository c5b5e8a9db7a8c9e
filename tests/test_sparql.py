"""`egovkg sparql` / `prefixes`: predeclared prefixes, SERVICE refused, FROM / FROM NAMED per SPARQL 1.1.

Counts are hand-computed from the mini fixture: the record graph of shenzhen-egov-resource-centre
holds its RecordGraph node (type, describes, sourceLine, citation = 4), one citation (type, document,
section, quote, confidence = 5) and the entity (type, label, in_place, stage, date "2012-11" with its
precision, year, earliest, latest and basis = 10): 19 triples.
"""

from __future__ import annotations

import json

import pytest
from rdflib import URIRef
from typer.testing import CliRunner

from kg.cli.main import app
from kg.errors import QueryError, UsageError
from kg.namespaces import GRAPH, ID, PREFIXES
from kg.query.sparql import inspect, prefix_block, run_sparql, with_prefixes
from kg.store import open_store

RECORD_TRIPLES = 4 + 5 + 10


@pytest.fixture(scope="module")
def mini_store(mini_build):
    cfg, _, _ = mini_build
    return open_store("oxigraph", load=cfg.trig)


def test_prefixes_cover_the_project_and_are_not_redeclared():
    block = prefix_block()
    for p, ns in PREFIXES.items():
        assert f"PREFIX {p}: <{ns}>" in block
    text = with_prefixes("PREFIX id: <urn:x:>\nSELECT ?s WHERE { ?s ?p ?o }")
    assert text.count("PREFIX id:") == 1 and "PREFIX egov:" in text


def test_no_prefix_needed(mini_store):
    ans = run_sparql(mini_store, "SELECT ?l WHERE { id:shenzhen-egov-resource-centre rdfs:label ?l }")
    assert [str(r[0]) for r in ans.table.rows] == ["Shenzhen Electron Government Affairs Resource Centre"]
    assert run_sparql(mini_store, "ASK { id:shenzhen a egov:City }").boolean is True
    g = run_sparql(mini_store, "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a egov:City ; rdfs:label ?l }").graph
    assert len(g) == 1


def test_service_is_refused(mini_store):
    with pytest.raises(UsageError) as exc:
        run_sparql(mini_store, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert exc.value.exit_code == 2 and "SERVICE" in exc.value.one_line()
    assert inspect(with_prefixes("SELECT * WHERE { OPTIONAL { SERVICE SILENT <urn:x> { ?s ?p ?o } } }")).service


def test_from_restricts_the_default_graph(mini_store):
    rec = GRAPH["shenzhen-egov-resource-centre"]
    from_ = run_sparql(mini_store, f"SELECT (COUNT(*) AS ?n) FROM <{rec}> WHERE {{ ?s ?p ?o }}")
    assert int(from_.table.rows[0][0]) == RECORD_TRIPLES
    all_ = run_sparql(mini_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(all_.table.rows[0][0]) > RECORD_TRIPLES  # without FROM: the union of all graphs
    empty = run_sparql(mini_store, "SELECT (COUNT(*) AS ?n) FROM <urn:no-such-graph> WHERE { ?s ?p ?o }")
    assert int(empty.table.rows[0][0]) == 0  # FROM names a graph in the store; nothing is fetched


def test_from_named_limits_graph(mini_store):
    rec = GRAPH["shenzhen-egov-resource-centre"]
    ans = run_sparql(mini_store, "SELECT DISTINCT ?g FROM NAMED graph:shenzhen-egov-resource-centre "
                                 "WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert [r[0] for r in ans.table.rows] == [rec]
    # FROM NAMED alone leaves the default graph empty
    ans = run_sparql(mini_store, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{rec}> WHERE {{ ?s ?p ?o }}")
    assert int(ans.table.rows[0][0]) == 0


def test_from_on_the_memory_store_too(mini_build):
    cfg, _, _ = mini_build
    mem = open_store("memory", load=cfg.trig)
    ans = run_sparql(mem, "SELECT ?e FROM graph:shenzhen WHERE { ?g egov:describes ?e }")
    assert [r[0] for r in ans.table.rows] == [URIRef(ID.shenzhen)]


def test_errors_name_the_users_line(mini_store):
    with pytest.raises(QueryError) as exc:
        run_sparql(mini_store, "SELECT ?x\nWHERE { ?x ?y }")
    assert "line:2" in exc.value.one_line()
    with pytest.raises(QueryError) as exc:
        run_sparql(mini_store, "SELECT ?x WHERE { ?x nope:y ?z }")
    assert "line 1" in exc.value.one_line() and "undeclared prefix" in exc.value.one_line()


def test_cli(mini_build, tmp_path):
    cfg, _, _ = mini_build
    runner = CliRunner()
    q = tmp_path / "q.rq"
    q.write_text("SELECT ?e WHERE { ?e a egov:City }\n", encoding="utf-8")
    res = runner.invoke(app, ["sparql", str(q), "-f", "csv", "--out", str(cfg.out)])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == ["e", str(ID.shenzhen)]
    res = runner.invoke(app, ["sparql", "-", "-f", "json", "--out", str(cfg.out)], input="ASK { id:shenzhen ?p ?o }")
    assert json.loads(res.stdout) == {"head": {}, "boolean": True}
    res = runner.invoke(app, ["sparql", "ASK { id:shenzhen a egov:Agency }", "--out", str(cfg.out)])
    assert res.stdout.strip() == "false"  # the mini fixture's Shenzhen is a City
    res = runner.invoke(app, ["sparql", "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }",
                              "--out", str(cfg.out)])
    assert res.exit_code == 2
    res = runner.invoke(app, ["sparql", str(tmp_path / "missing.rq"), "--out", str(cfg.out)])
    assert res.exit_code == 2 and "no such query file" in res.output
    res = runner.invoke(app, ["prefixes"])
    assert res.exit_code == 0 and "PREFIX egov: <https://w3id.org/egov-kg/ontology#>" in res.stdout
