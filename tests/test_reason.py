"""HermiT (owlready2, Java) finds ontology plus real data consistent, and catches a wrong link."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset

from kg.build.reason import check_consistency
from kg.errors import InconsistentError
from kg.namespaces import EGOV, GRAPH, ID
from tests.helpers import project_config


def test_real_data_is_consistent(real_build):
    cfg, report, _ = real_build
    assert report.reason is not None and report.reason.consistent
    assert report.reason.triples_checked > 1000


def test_wrong_link_makes_it_inconsistent(real_build):
    cfg, _, ds = real_build
    bad = Dataset(default_union=True)
    for q in ds.quads((None, None, None, None)):
        bad.add(q)
    # a city cannot be a stage: egov:duringStage's range (Stage) is disjoint with AdministrativeArea
    bad.graph(GRAPH["bad"]).add((ID["shenzhen"], EGOV.duringStage, ID["shanghai"]))
    with pytest.raises(InconsistentError):
        check_consistency(bad, cfg.ontology)


@pytest.mark.slow
@pytest.mark.reasoner
def test_build_names_the_records_behind_an_inconsistency():
    """The pipeline turns HermiT's bare "inconsistent" into the records behind it, with file and line
    (regression: a wrong link used to fail in the reasoner with no file, line or record). The clash is
    the one of test_validate's culprit test: a challenge whose responsible 'agency' is a platform."""
    import pyoxigraph as ox

    from kg.build.pipeline import check_reasoner, load_store
    from kg.build.records import read_all
    from kg.errors import ValidationError
    from kg.namespaces import record_graph_iri

    mini = Path(__file__).resolve().parent / "fixtures" / "mini"
    cfg = project_config()
    records, _ = read_all(mini, mini)
    store = load_store(records, cfg.ontology)
    store.add(ox.Quad(ox.NamedNode(str(ID["challenge-data-silos"])), ox.NamedNode(str(EGOV.responsibleAgency)),
                      ox.NamedNode(str(ID["shenzhen-online-approval-platform"])),
                      ox.NamedNode(str(record_graph_iri("challenge-data-silos")))))
    with pytest.raises(ValidationError) as err:
        check_reasoner(store, cfg)
    assert sorted(p.record for p in err.value.problems) == ["challenge-data-silos", "shenzhen-online-approval-platform"]
    assert all(p.file.endswith("mini.yaml") and p.line for p in err.value.problems)


def test_jvm_options_reach_the_child_and_the_users_own_are_kept(monkeypatch):
    """HermiT's JVM flags go through JAVA_TOOL_OPTIONS (owlready2 has no argument for them),
    after the user's own, and the environment is as it was afterwards."""
    import os

    from kg.build.reason import _jvm_options

    monkeypatch.setenv("JAVA_TOOL_OPTIONS", "-Dmine=1")
    with _jvm_options("-Xfast"):
        assert os.environ["JAVA_TOOL_OPTIONS"] == "-Dmine=1 -Xfast"
    assert os.environ["JAVA_TOOL_OPTIONS"] == "-Dmine=1"
    monkeypatch.delenv("JAVA_TOOL_OPTIONS")
    with _jvm_options("-Xfast"):
        assert os.environ["JAVA_TOOL_OPTIONS"] == "-Xfast"
    assert "JAVA_TOOL_OPTIONS" not in os.environ


@pytest.mark.slow
@pytest.mark.reasoner
def test_an_inconsistent_build_leaves_the_previous_build_untouched(tmp_path):
    """HermiT runs beside SHACL and the writes (kg.build.pipeline.build); its answer comes before
    anything is swapped into build/. An ontology that makes every City unsatisfiable (disjoint with
    its own superclass) turns the mini data inconsistent: the build fails, the old files stay."""
    from dataclasses import replace

    from kg.build.pipeline import build
    from kg.errors import EgovKgError

    mini = Path(__file__).resolve().parent / "fixtures" / "mini"
    cfg = replace(project_config(), data=mini, out=tmp_path / "build")
    report, _ = build(cfg)
    assert report.reason is not None and report.reason.consistent
    before = {p: p.read_bytes() for p in sorted(cfg.out.rglob("*")) if p.is_file()}
    bad = tmp_path / "egov.ttl"
    bad.write_text(cfg.ontology.read_text(encoding="utf-8")
                   + "\negov:City owl:disjointWith egov:AdministrativeArea .\n", encoding="utf-8")
    with pytest.raises(EgovKgError) as err:
        build(replace(cfg, ontology=bad))
    assert "inconsistent" in str(err.value).lower() or getattr(err.value, "stage", "") == "reasoner"
    assert {p: p.read_bytes() for p in sorted(cfg.out.rglob("*")) if p.is_file()} == before
    assert not [p for p in cfg.out.parent.iterdir() if p.name not in ("build", "egov.ttl")]  # no temp left
