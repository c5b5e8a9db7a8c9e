"""Scale (issue 13): the streamed Oxigraph build, SPARQL shapes, the persistent store,
the id-stamped output pair, the sampled HermiT check and synthetic data.

No wall-clock assertions: benchmarks/bench_build.py and bench_query.py measure time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from kg import fileio
from kg.build.load import Context, OxTerms, load_records, record_quads
from kg.build.pipeline import build
from kg.build.reason import check_store_consistency
from kg.build.records import read_all
from kg.build.shapes import check_shapes, check_store, compile_shapes
from kg.errors import InconsistentError, Problem, UsageError, ValidationError
from kg.namespaces import ONTOLOGY_GRAPH
from kg.store import fresh_store_path, open_store
from tests.helpers import project_config

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
SCALE = ROOT / "tests" / "fixtures" / "scale"

EX = "http://example.org/ns#"
ID = "https://w3id.org/egov-kg/id/"
# Record graphs as the loader writes them (egov:describes, egov:sourceLine), breaking each shape once.
TRIG = f"""
@prefix ex: <{EX}> . @prefix id: <{ID}> . @prefix g: <https://w3id.org/egov-kg/graph/> .
@prefix egov: <https://w3id.org/egov-kg/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
g:ok {{ g:ok egov:describes id:ok ; egov:sourceLine "f.yaml:1" .
        id:ok a ex:SubThing ; rdfs:label "ok" ; ex:number 1 ; ex:quote "q" ; ex:kind ex:a ; ex:place id:c1 ;
              ex:member id:c1org . }}
g:c1 {{ g:c1 egov:describes id:c1 ; egov:sourceLine "f.yaml:5" . id:c1 a ex:City ; rdfs:label "c1" .
        id:c1org a ex:Org . }}
g:t2 {{ g:t2 egov:describes id:t2 ; egov:sourceLine "f.yaml:10" .
        id:t2 a ex:Thing ; ex:number 1, 2 ; ex:quote "q"@en ; ex:kind ex:z ; ex:place id:p9 ; ex:member id:x . }}
g:t3 {{ g:t3 egov:describes id:t3 ; egov:sourceLine "f.yaml:20" . id:t3 a ex:Thing ; rdfs:label "t3" . }}
g:ch {{ g:ch egov:describes id:ch ; egov:sourceLine "f.yaml:30" . id:ch a ex:Change ; rdfs:label "ch" . }}
g:ch2 {{ g:ch2 egov:describes id:ch2 ; egov:sourceLine "f.yaml:40" .
         id:ch2 a ex:Change ; rdfs:label "ch2" ; ex:after id:ok . }}
"""
FIX = "see ontology/shapes.ttl"
EXPECTED = {  # written from the shapes and the data above, by hand
    Problem("f.yaml", 10, "label", "needs a label", FIX, "t2"),
    Problem("f.yaml", 10, "member", f"member must be org or person (value <{ID}x>)", FIX, "t2"),
    Problem("f.yaml", 10, "number", "one number", FIX, "t2"),
    Problem("f.yaml", 10, "quote", 'quote is a string (value "q"@en)', FIX, "t2"),
    Problem("f.yaml", 10, "kind", f"kind a or b (value <{EX}z>)", FIX, "t2"),
    Problem("f.yaml", 10, "place", f"place must be a Place (value <{ID}p9>)", FIX, "t2"),
    Problem("f.yaml", 20, "number", "one number", FIX, "t3"),
    Problem("f.yaml", 30, None, f"before or after (value <{ID}ch>)", FIX, "ch"),
}


def _bad_store() -> ox.Store:
    store = ox.Store()
    store.load(TRIG.encode(), ox.RdfFormat.TRIG)
    store.load(path=str(SCALE / "ontology.ttl"), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(ONTOLOGY_GRAPH)))
    return store


def test_sparql_shapes_report_every_violation_with_message_and_value():
    assert set(check_store(_bad_store(), SCALE / "shapes.ttl", SCALE / "ontology.ttl")) == EXPECTED


def test_sparql_shapes_agree_with_pyshacl():
    from kg.build.load import ox_dataset

    store = _bad_store()
    assert set(check_shapes(ox_dataset(store), SCALE / "shapes.ttl", SCALE / "ontology.ttl")) == EXPECTED


def test_unsupported_shape_falls_back_to_pyshacl(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(f"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <{EX}> .
ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:quote ; sh:pattern "^x" ; sh:message "quote starts with x" ] .""")
    with pytest.raises(Exception, match="pattern"):
        compile_shapes(shapes)
    got = check_store(_bad_store(), shapes, SCALE / "ontology.ttl")
    assert {(p.line, p.field, p.message.split(" (")[0]) for p in got} == {
        (1, "quote", "quote starts with x"), (10, "quote", "quote starts with x")}


def test_streamed_quads_equal_the_rdflib_loader():
    records, problems = read_all(MINI, ROOT)
    assert not problems
    ctx = Context(records)
    conv = OxTerms()
    reference = {ox.Quad(conv.term(s), conv.term(p), conv.term(o), conv.iri(str(getattr(g, "identifier", g))))
                 for s, p, o, g in load_records(records).quads((None, None, None, None))}
    streamed = set(record_quads(records, ctx))
    assert streamed == reference and len(streamed) > 200


@pytest.fixture()
def built(tmp_path):
    cfg = replace(project_config(), data=MINI, out=tmp_path / "build", reason=False)
    report, ds = build(cfg)
    return cfg, report, ds


def test_outputs_share_one_build_id_and_the_store_opens_without_parsing(built):
    cfg, report, _ = built
    assert report.build_id
    assert fileio.read_build_id(cfg.trig) == fileio.read_build_id(cfg.turtle) == report.build_id
    assert (cfg.out / "store" / "build-id").read_text() == report.build_id
    st = open_store("oxigraph", load=cfg.trig)
    assert st.persistent == cfg.out / "store" / "oxigraph"  # type: ignore[attr-defined]
    parsed = open_store("memory", load=cfg.trig)
    assert st.triple_count() == parsed.triple_count() == report.triples
    assert not list(cfg.out.glob(".*.tmp"))


def test_stale_store_is_not_used(built):
    cfg, report, _ = built
    text = cfg.trig.read_text().replace(report.build_id, "another-build", 1)
    cfg.trig.write_text(text)  # as if a kill fell between writing the TriG and swapping the store
    assert fresh_store_path(cfg.trig) is None
    st = open_store("oxigraph", load=cfg.trig)
    assert getattr(st, "persistent", None) is None and st.triple_count() == report.triples


def test_failed_build_leaves_previous_outputs_and_no_temp_files(built, data_copy):
    cfg, _, _ = built
    before = {p: p.read_bytes() for p in cfg.out.rglob("*") if p.is_file()}
    text = (data_copy / "mini.yaml").read_text()
    (data_copy / "mini.yaml").write_text(text.replace("  label: Shenzhen\n", "", 1))  # breaks a SHACL minCount
    with pytest.raises(ValidationError):
        build(replace(cfg, data=data_copy))
    assert {p: p.read_bytes() for p in cfg.out.rglob("*") if p.is_file()} == before
    assert not [p for p in cfg.out.iterdir() if p.name.startswith(".")]


def test_atomic_files_write_both_or_neither(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("old a")
    b.write_text("old b")
    with pytest.raises(RuntimeError):
        with fileio.atomic_files([a, b]) as (ta, tb):
            ta.write_text("new a")
            raise RuntimeError("failed before b was written")
    assert (a.read_text(), b.read_text()) == ("old a", "old b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]
    with fileio.atomic_files([a, b]) as (ta, tb):
        ta.write_text("new a")
        tb.write_text("new b")
    assert (a.read_text(), b.read_text()) == ("new a", "new b")


def test_sweep_removes_only_dead_writers_temp_files(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    left = tmp_path / f".egov.trig.{dead_pid}.abc.tmp"
    left.write_text("half")
    live = tmp_path / f".egov.trig.{os.getppid()}.abc.tmp"
    live.write_text("in progress")
    assert fileio.sweep_stale(tmp_path) == [left]
    assert not left.exists() and live.exists()


def test_sampled_hermit_still_catches_a_wrong_link_in_the_sample(built):
    cfg, _, _ = built
    store = ox.Store()
    store.bulk_load(path=str(cfg.trig), format=ox.RdfFormat.TRIG)
    report = check_store_consistency(store, limit=50)  # forces a sample of the mini graph
    assert report.sampled and 0 < report.graphs_checked < report.graphs_total
    # a city used as a stage: egov:duringStage's range (Stage) is disjoint with AdministrativeArea
    graphs = [g for g in store.named_graphs() if g.value != str(ONTOLOGY_GRAPH)]
    sampled_graph = graphs[0]  # the sample takes every k-th graph, starting with the first
    egov = "https://w3id.org/egov-kg/ontology#"
    store.add(ox.Quad(ox.NamedNode(ID + "shenzhen-stage-1"), ox.NamedNode(egov + "duringStage"),
                      ox.NamedNode(ID + "shenzhen"), sampled_graph))
    with pytest.raises(InconsistentError):
        check_store_consistency(store, limit=50)


def test_build_returns_an_rdflib_view_of_the_store(built):
    cfg, report, ds = built
    assert isinstance(ds, Dataset)
    assert sum(1 for _ in ds.quads((None, None, None, None))) == report.triples


def test_synthetic_copies_rename_ids_and_keep_links_inside_the_copy(tmp_path):
    from kg.build.synthetic import write_synthetic_data

    out = write_synthetic_data(MINI, tmp_path / "syn", 2)
    records, problems = read_all(out, tmp_path)
    base, _ = read_all(MINI, ROOT)
    own = [r for r in base if r.id == "shenzhen" or r.id.startswith("shenzhen-")]
    assert not problems and len(records) == len(base) + 2 * len(own)
    ids = {r.id for r in records}
    assert "shenzhen-s2-stage-1" in ids and "shenzhen-s1" in ids
    stage2 = next(r for r in records if r.id == "shenzhen-s2-stage-2")
    assert stage2.data["stage_of"] == "shenzhen-s2"
    assert sorted(p.name for p in out.glob("synthetic-*")) == ["synthetic-shenzhen-0001.yaml",
                                                                "synthetic-shenzhen-0002.yaml"]


def test_synthetic_command_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "x").write_text("keep me")
    res = subprocess.run([sys.executable, "-m", "kg", "synthetic", "--copies", "1", "--out", str(tmp_path),
                          "--data", str(MINI)], capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 2 and "not empty" in res.stderr
    assert (tmp_path / "x").read_text() == "keep me"


def test_synthetic_rejects_negative_copies(tmp_path):
    from kg.build.synthetic import write_synthetic_data

    with pytest.raises(UsageError):
        write_synthetic_data(MINI, tmp_path / "syn", -1)


def test_a_short_or_corrupt_output_is_refused_before_it_replaces_anything(tmp_path):
    """The build's read-back checks (kg.build.pipeline): the persistent store is bulk-loaded from the
    new TriG and must hold the expected number of quads; a Turtle that parses short is refused."""
    import pyoxigraph as ox

    from kg.build.pipeline import _header, _reread, load_persistent
    from kg.errors import UsageError

    trig = tmp_path / "a.trig"
    trig.write_bytes(_header("b1") + b"<urn:g> { <urn:s> <urn:p> <urn:o> . <urn:s> <urn:p> <urn:o2> . }\n")
    (tmp_path / "ok").mkdir()
    load_persistent(trig, tmp_path / "ok", 2, "b1")
    assert (tmp_path / "ok" / "build-id").read_text() == "b1"
    assert len(ox.Store.read_only(str(tmp_path / "ok" / "oxigraph"))) == 2
    for expected, build_id, why in [(3, "b1", "reads back 2 statements, expected 3"),
                                    (2, "other", "reads back 2 statements, expected 2")]:
        folder = tmp_path / f"bad-{expected}-{build_id}"
        folder.mkdir()
        with pytest.raises(UsageError, match=why):
            load_persistent(trig, folder, expected, build_id)
        assert not (folder / "build-id").exists()
    cut = tmp_path / "cut.trig"
    cut.write_bytes(trig.read_bytes()[:-10])
    (tmp_path / "cut").mkdir()
    with pytest.raises(UsageError, match="does not read back"):
        load_persistent(cut, tmp_path / "cut", 2, "b1")
    ttl = tmp_path / "a.ttl"
    ttl.write_bytes(_header("b1") + b"<urn:s> <urn:p> <urn:o> .\n")
    _reread(ttl, ox.RdfFormat.TURTLE, 1, "b1")
    with pytest.raises(UsageError, match="reads back 1 statements, expected 2"):
        _reread(ttl, ox.RdfFormat.TURTLE, 2, "b1")
