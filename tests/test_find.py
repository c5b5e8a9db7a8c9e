"""`egovkg find` and parameter checks, on the workbench fixture (tests/workbench.py).

Expected ids come from the fixture records (mini fixture + Guangdong + one CityInformationSystem),
whose labels and quotes are verbatim from seed 000.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kg.cli.main import app
from kg.errors import ParameterError
from kg.namespaces import EGOV, ID
from kg.query.find import find, match_score, normalise
from kg.query.library import find_query, run_query
from kg.query.params import areas_within, subclasses
from tests.helpers import project_config
from tests.workbench import make_workbench

SYSTEM = "shenzhen-electronic-bidding-system"


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory):
    return make_workbench(tmp_path_factory.mktemp("workbench"))


def ids(hits) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.id for h in hits]


def test_normalise_drops_case_hyphens_and_punctuation():
    assert normalise("E-Government, Resource-Centre!") == "e government resource centre"


def test_match_score_forgives_small_typos_only():
    assert match_score("shenzen", "shenzhen") >= 0.8
    assert match_score("egovernment", "e government network") == 1.0  # spaces removed on both sides
    assert match_score("shanghai", "shenzhen") == 0.0
    assert match_score("2012", "in november 2013") == 0.0  # numbers must match exactly


def test_find_by_label_ignores_case_and_hyphens(bench):
    _, st = bench
    hits = find(st, "ELECTRON government-affairs resource centre")
    assert hits[0].id == "shenzhen-egov-resource-centre" and hits[0].matched == "label"
    assert hits[0].places == ["shenzhen"] and hits[0].stages == ["shenzhen-stage-2"]
    assert "November 2012" in hits[0].quote


def test_find_by_alt_label_and_typo(bench):
    _, st = bench
    assert ids(find(st, "E-BIDDING")) == [SYSTEM]
    assert find(st, "E-BIDDING")[0].matched == "alt"
    assert ids(find(st, "shenzen"))[0] == "shenzhen"  # the shortest label among the typo's matches


def test_find_in_quotes(bench):
    _, st = bench
    hits = find(st, "biggest obstacle")
    assert hits and all(h.matched == "quote" for h in hits)
    assert "biggest obstacle facing e-government" in hits[0].quote
    assert find(st, "zzzz qqqq") == []


def test_type_filter_walks_subclasses(bench):
    _, st = bench
    assert EGOV.CityInformationSystem in subclasses(st, EGOV.InformationSystem)
    assert ids(find(st, "bidding", types=subclasses(st, EGOV.InformationSystem))) == [SYSTEM]
    assert find(st, "bidding", types=subclasses(st, EGOV.Agency)) == []


def test_place_filter_includes_areas_within(bench):
    _, st = bench
    assert areas_within(st, ID.china) == {ID.china, ID.guangdong, ID.shenzhen}
    assert ids(find(st, "bidding", places=areas_within(st, ID.guangdong))) == [SYSTEM]
    assert find(st, "bidding", places={ID.guangdong}) == []  # the system is in Shenzhen, within Guangdong


@pytest.mark.parametrize(("query", "params", "near"), [
    ("undated-entities", {"place": "shenzen"}, "shenzhen"),
    ("technologies-by-stage", {"stage": "2"}, "shenzhen-stage-2"),
    ("sources-for-triple", {"subject": "shenzhen-egov-resource-centre", "predicate": "built_by"}, "builtBy"),
    ("undated-entities", {"class": "InformationSytem"}, "InformationSystem"),
    ("undated-entities", {"place": "shenzhen-stage-1"}, "shenzhen"),  # exists, but is no place
])
def test_unknown_names_are_errors_with_the_closest_match(bench, query, params, near):
    _, st = bench
    with pytest.raises(ParameterError) as exc:
        run_query(st, find_query(query, project_config().queries), params)
    assert exc.value.exit_code == 2
    assert near in exc.value.one_line()


def test_known_names_pass(bench):
    _, st = bench
    table = run_query(st, find_query("undated-entities", project_config().queries), {"place": "guangdong"})
    assert SYSTEM in {str(e).rsplit("/", 1)[-1] for e in table.column("entity")}


def test_cli_find(bench):
    cfg, _ = bench
    runner = CliRunner()
    res = runner.invoke(app, ["find", "e bidding", "--type", "InformationSystem", "--place", "guangdong",
                              "--out", str(cfg.out), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert f'"id": "{SYSTEM}"' in res.stdout
    res = runner.invoke(app, ["find", "x", "--place", "shenzen", "--out", str(cfg.out)])
    assert res.exit_code == 2 and "did you mean shenzhen" in res.output
    res = runner.invoke(app, ["find", "x", "--type", "Platfrom", "--out", str(cfg.out)])
    assert res.exit_code == 2 and "Platform" in res.output

