"""Co-evolution analysis: hand-computed on the mini fixture (see its header), honest on the real data."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kg.analyse.coevolution import StageMeasure, analyse, direction, verdict
from kg.analyse.graph import most_connected, to_networkx
from kg.cli.main import app
from kg.store import open_store
from tests.helpers import project_config


@pytest.fixture(scope="module")
def mini_store(mini_build):
    cfg, _, _ = mini_build
    return open_store("oxigraph", load=cfg.trig)


def _stage(result, n):
    return next(m for m in result.stages if m.stageNumber == n)


def test_mini_measure_stated_only(mini_store):
    res = analyse(mini_store, project_config().queries)
    s1, s2 = _stage(res, 1), _stage(res, 2)
    assert (s1.elements, s1.crossLinks, s1.interaction) == (1, 0, 0.0)
    assert (s2.elements, s2.crossLinks, s2.interaction) == (2, 1, 0.5)
    assert (s2.statedLinks, s2.inferredLinks, s2.statedShare) == (2, 1, 0.6667)
    assert s2.byKind == {"built-on": 1, "responded-to": 1}
    assert s2.byDirection == {"other": 1, "technical -> social": 1}
    assert s2.chains == [{"from": "challenge-data-silos", "kind": "responded-to", "to": "shenzhen-egov-resource-centre"}]
    assert [(v.place, v.agrees) for v in res.places] == [("shenzhen", True)]


def test_mini_measure_with_inferred(mini_store):
    res = analyse(mini_store, project_config().queries, include_inferred=True)
    assert (_stage(res, 2).crossLinks, _stage(res, 2).interaction) == (2, 1.0)
    assert _stage(res, 1).interaction == 0.0


def test_lag_is_an_interval_when_an_end_is_undated(mini_store):
    res = analyse(mini_store, project_config().queries)
    link = next(r for r in res.links if r["link"] == "built-on")
    # platform undated in stage 1 (2006-2008), reform May 2009: [2009-2008, 2009-2006]
    assert (link["lagMin"], link["lagMax"], link["lagYears"], link["order"]) == (1, 3, None, "from first")
    assert link["sourceYear"] is None and (link["sourceEarliest"], link["sourceLatest"]) == (2006, 2008)


def test_no_invented_years_in_the_graph(mini_build):
    g = to_networkx(mini_build[2])
    platform = g.nodes["shenzhen-online-approval-platform"]
    assert platform["year"] is None and (platform["earliest"], platform["latest"], platform["yearBasis"]) == (2006, 2008, "stage")


def _m(n, level, value):
    return StageMeasure(f"s{n}", "p", n, f"s{n}", level, 10, 0, value, 0, 0, None)


def test_verdict_names_the_pair_that_disagrees():
    v = verdict("p", [_m(1, "low", 0.1), _m(2, "relatively high", 0.4), _m(3, "high", 0.2)])
    assert v.agrees is False and "stage 2 (relatively high, 0.40) is not below stage 3 (high, 0.20)" in v.explanation
    assert verdict("p", [_m(1, "low", 0.1), _m(2, "high", 0.1)]).agrees is False  # a tie is not an increase
    assert verdict("p", [_m(1, "low", 0.1), _m(2, "relatively high", 0.4), _m(3, "high", 0.5)]).agrees is True
    assert verdict("p", [_m(1, "low", 0.1)]).agrees is None


def test_direction_words():
    assert direction("social", "technical") == "social -> technical"
    assert direction("technical", "technical") == "within technical"
    assert direction("other", "social") == "other"


def test_real_data_carries_the_sources_levels(real_store):
    """Table 1 of seed 000: interaction 'low', 'relatively high', 'high' in stages 1-3."""
    res = analyse(real_store, project_config().queries)
    levels = {m.stageNumber: m.sourceLevel for m in res.stages if m.place == "shenzhen"}
    assert levels == {1: "low", 2: "relatively high", 3: "high"}
    assert all(r["basis"] in ("stated", "inferred") for r in res.links)
    stated = sum(r["basis"] == "stated" for r in res.links)
    assert stated / len(res.links) >= 0.75


def test_hubs(real_build):
    hubs = [h[0] for h in most_connected(to_networkx(real_build[2]), 3)]
    assert "shenzhen" in hubs


def test_analyse_json_command(mini_build):
    cfg, _, _ = mini_build
    res = CliRunner().invoke(app, ["analyse", "--out", str(cfg.out), "-f", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    s2 = next(s for s in doc["stages"] if s["stage"] == "shenzhen-stage-2")
    assert (s2["place"], s2["sourceLevel"], s2["interaction"]) == ("shenzhen", "relatively high", 0.5)


def test_analyse_table_command_says_whether_it_agrees(mini_build):
    cfg, _, _ = mini_build
    res = CliRunner().invoke(app, ["analyse", "--out", str(cfg.out)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "shenzhen: AGREES with the source's levels" in res.stdout


def test_an_analysts_subclass_counts_in_its_subsystem(tmp_path):
    """tests/workbench.py adds egov:CityInformationSystem below InformationSystem and one stage-2
    system of that class to the mini fixture: stage 2 then has 3 social/technical elements (the
    reform, the centre and the new system) and the system is technical, found through the ontology."""
    from tests.workbench import make_workbench

    cfg, store = make_workbench(tmp_path)
    res = analyse(store, cfg.queries)
    assert _stage(res, 2).elements == 3
    g = to_networkx(store.dataset)
    assert g.nodes["shenzhen-electronic-bidding-system"]["subsystem"] == "technical"
