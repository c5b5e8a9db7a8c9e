"""Loader: records -> RDF with stable IRIs and provenance on every triple."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.graph import Graph

from kg.namespaces import EGOV, GRAPH, ID, ONTOLOGY_GRAPH, RDF, RDFS, XSD

R = ID["shenzhen-approval-process-reform"]
G = GRAPH["shenzhen-approval-process-reform"]
C = URIRef(f"{G}/citation/1")


def test_record_graph_equals_expected_triples(mini_build):
    _, _, ds = mini_build
    got = Graph()
    for t in ds.graph(G):
        got.add(t)
    expected = Graph()
    for t in [
        (R, RDF.type, EGOV.ProcessReform),
        (R, RDFS.label, Literal("Administrative approval process reform", lang="en")),
        (R, EGOV.date, Literal("2009-05", datatype=XSD.gYearMonth)),
        (R, EGOV.year, Literal(2009, datatype=XSD.integer)),
        (R, EGOV.datePrecision, Literal("month")),
        (R, EGOV.earliestYear, Literal(2009, datatype=XSD.integer)),  # date: "2009-05" -> bounds 2009..2009
        (R, EGOV.latestYear, Literal(2009, datatype=XSD.integer)),
        (R, EGOV.yearBasis, Literal("date")),
        (R, EGOV.inPlace, ID.shenzhen),
        (R, EGOV.duringStage, ID["shenzhen-stage-2"]),
        (R, EGOV.subsystem, EGOV.social),
        (G, RDF.type, EGOV.RecordGraph),
        (G, EGOV.describes, R),
        (G, EGOV.sourceLine, Literal("tests/fixtures/mini/mini.yaml:41")),
        (G, EGOV.citation, C),
        (C, RDF.type, EGOV.Citation),
        (C, EGOV.document, ID["doc-000"]),
        (C, EGOV.section, Literal("4.2")),
        (C, EGOV.quote, Literal("from May 2009, the Shenzhen government carried out an organisational reform "
                                "to optimise the administrative approval process")),
        (C, EGOV.confidence, EGOV.confident),
        (C, EGOV.citesReference, ID["ref-000-42"]),
    ]:
        expected.add(t)
    assert isomorphic(got, expected), sorted(set(got) ^ set(expected))


def test_stage_gets_owl_time_instants(mini_build):
    _, _, ds = mini_build
    stage = ID["shenzhen-stage-2"]
    beginning = ds.value(stage, URIRef("http://www.w3.org/2006/time#hasBeginning"))
    assert beginning is not None
    assert ds.value(beginning, URIRef("http://www.w3.org/2006/time#inXSDgYear")) == Literal("2009", datatype=XSD.gYear)


def test_every_data_triple_is_in_a_cited_record_graph(real_build):
    _, _, ds = real_build
    graphs = {getattr(g, "identifier", g) for *_, g in ds.quads((None, None, None, None))}
    graphs.discard(ONTOLOGY_GRAPH)
    assert len(graphs) > 100
    for g in graphs:
        assert (g, RDF.type, EGOV.RecordGraph) in ds, g
        cits = list(ds.objects(g, EGOV.citation))
        assert cits, f"{g} has no citation"
        for c in cits:
            assert ds.value(c, EGOV.quote) is not None and ds.value(c, EGOV.document) is not None
    # and nothing sits in the default graph
    assert not list(ds.default_graph.triples((None, None, None)))


def test_iris_depend_on_ids_only(mini_build, tmp_path):
    """Reordering records in a file changes no IRI."""
    from dataclasses import replace

    from kg.build.pipeline import build

    cfg, _, ds = mini_build
    text = (cfg.data / "mini.yaml").read_text()
    head, *records = text.split("\n- id: ")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "mini.yaml").write_text(head + "\n- id: " + "\n- id: ".join(reversed(records)))
    (tmp_path / "data" / "sources.yaml").write_text((cfg.data / "sources.yaml").read_text())
    _, ds2 = build(replace(cfg, data=tmp_path / "data", out=tmp_path / "out", reason=False))
    subjects = {s for s, *_ in ds.quads((None, None, None, None)) if str(s).startswith(str(ID))}
    subjects2 = {s for s, *_ in ds2.quads((None, None, None, None)) if str(s).startswith(str(ID))}
    assert subjects == subjects2
