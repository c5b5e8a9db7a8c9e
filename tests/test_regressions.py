"""One test per realistic bug that once survived the suite (issue 14), each named after what it protects.

Every test here was proved by putting its bug back into a scratch copy of kg/ and watching it fail
(docs/testing.md, "Realistic bugs and the tests that catch them"). Expected values are written by hand:
escaped markup from the HTML rules, problems from the fixture's lines, the analysis from the hand
computation in tests/fixtures/mini/mini.yaml's header plus the one link added here.
"""

from __future__ import annotations

import shutil
import socket
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import RDFS, Literal, URIRef
from typer.testing import CliRunner

from kg.build.dates import parse_date
from kg.build.records import read_all
from kg.build.validate import check_structure
from kg.query.output import render
from kg.site.model import Citation, Entity, SiteModel
from kg.site.network import _options
from kg.site.pages import citation_html, fact_support
from kg.store.embedded import ResultTable
from tests.helpers import project_config

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
EVIL = '"><img src=x onerror=alert(1)> & <b>'
EVIL_ESCAPED = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;"


def _mini_with(tmp_path: Path, extra: str) -> Path:
    """A copy of the mini fixture with `extra` appended to mini.yaml's record list."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    with (data / "mini.yaml").open("a", encoding="utf-8") as fh:
        fh.write(extra)
    return data


def _problems(data: Path) -> list:
    cfg = project_config()
    records, problems = read_all(data)
    assert not problems
    return check_structure(records, cfg.ontology, cfg.seeds)


# --- escaping -------------------------------------------------------------------------------------------

def test_place_and_stage_filter_options_are_escaped():
    html = _options([(EVIL, EVIL)], "place-filter", "Place <i>")
    assert html == ('<label>Place &lt;i&gt; <select id="place-filter"><option value="">all</option>'
                    f'<option value="{EVIL_ESCAPED}">{EVIL_ESCAPED}</option></select></label>')


def test_citation_quote_and_note_are_escaped_on_entity_pages():
    c = Citation(document=None, document_label="Doc", document_file="000.txt", section="4.2", quote=EVIL,
                 confidence="confident", note=EVIL)
    html = citation_html(c, SiteModel({}, {}, {}), "", 1)
    assert f"<blockquote class=\"quote\">“{EVIL_ESCAPED}”</blockquote>" in html
    assert f"Note: {EVIL_ESCAPED}</p>" in html and "<img" not in html and "<b>" not in html
    e = Entity("x", "X", "egov:Agency", "Agency", "social", "agency", citations=[c])
    _, support = fact_support(e, SiteModel({"x": e}, {}, {}), "https://w3id.org/egov-kg/ontology#label", "x", "")
    assert support == f'<div class="support"><a href="#source-1">Source 1</a>: <q>{EVIL_ESCAPED}</q></div>'


# --- validation -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2009-00", "2009-00-10", "2009-13"])
def test_month_00_and_13_are_refused(text):
    with pytest.raises(ValueError, match=f"month {int(text[5:7])} does not exist"):
        parse_date(text)


def test_month_01_and_12_are_accepted():
    assert (parse_date("2009-01").month, parse_date("2009-12-31").day) == (1, 31)


STAGE = """- id: shenzhen-stage-9
  type: Stage
  label: "Stage 9"
  start: "{start}"
  end: "{end}"
  stage_number: 9
  stage_of: shenzhen
  source:
    doc: 000_1b7241a4136cdb3d.txt
    section: "4"
    quote: "the second stage is 2009-2017"
"""


@pytest.mark.parametrize("start, end, bad", [
    ("2009-05", "2009-03", True),  # same year, earlier month: the bug compared years only
    ("2009-05-20", "2009-05-02", True),
    ("2009-03", "2009-05", False),
    ("2009", "2009", False),
])
def test_end_before_start_is_compared_by_month_and_day(tmp_path, start, end, bad):
    data = _mini_with(tmp_path, STAGE.format(start=start, end=end))
    mine = [p for p in _problems(data) if p.record == "shenzhen-stage-9" and p.field == "end"]
    if bad:
        # mini.yaml has 121 lines; the appended record starts at 122, its `end:` is line 126
        assert [(p.line, p.message) for p in mine] == [(126, f"end {end} is before start {start}")]
    else:
        assert mine == []


TWO_CITATIONS = """- id: shenzhen-test-agency
  type: Agency
  label: Test agency
  in_place: shenzhen
  source:
  - doc: 000_1b7241a4136cdb3d.txt
    section: "3"
    quote: "Shenzhen, a coastal city in southern China"
  - doc: 000_1b7241a4136cdb3d.txt
    section: "3"
    quote: "Shenzhen, a landlocked city in northern China"
"""


def test_quote_check_reads_every_citation_of_a_record(tmp_path):
    data = _mini_with(tmp_path, TWO_CITATIONS)
    mine = [p for p in _problems(data) if p.record == "shenzhen-test-agency"]
    # the appended record starts at line 122; the second citation's quote is line 132
    assert [(p.line, p.field, p.message.split(";")[0]) for p in mine] == [
        (132, "source", 'quote not found in 000_1b7241a4136cdb3d.txt: "Shenzhen, a landlocked city in northern China"')]


# --- loading ---------------------------------------------------------------------------------------------

def test_citation_notes_are_loaded_as_comments():
    from kg.build.load import load_records

    records, _ = read_all(MINI)
    ds = load_records(records)
    # mini.yaml, the platform's citation: note "Label deliberately carries markup so tests can check escaping."
    note = Literal("Label deliberately carries markup so tests can check escaping.")
    subjects = {s for s, _, _, _ in ds.quads((None, RDFS.comment, note, None))}
    assert len(subjects) == 1
    (cit,) = subjects
    assert "/citation/" in str(cit) and "shenzhen-online-approval-platform" in str(cit)


# --- output and exit codes -------------------------------------------------------------------------------

def test_tsv_is_tab_separated_and_csv_quotes_commas():
    table = ResultTable(["a", "b"], [(Literal("x, y"), URIRef("http://ex.org/z")), (None, Literal("q\"r"))])
    assert render(table, "tsv") == 'a\tb\nx, y\thttp://ex.org/z\n\t"q""r"\n'
    assert render(table, "csv") == 'a,b\n"x, y",http://ex.org/z\n,"q""r"\n'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_exit_codes_are_1_validation_2_usage_3_endpoint(tmp_path):
    from kg.cli.main import app

    runner = CliRunner()
    bad = _mini_with(tmp_path, "- id: Bad_Id\n  type: Agency\n")
    assert runner.invoke(app, ["validate", str(bad)]).exit_code == 1
    assert runner.invoke(app, ["query", "no-such-query"]).exit_code == 2
    assert runner.invoke(app, ["query", "reforms-by-stage", "-p", "place=Not An Id"]).exit_code == 2
    url = f"http://127.0.0.1:{_free_port()}/sparql"
    assert runner.invoke(app, ["query", "reforms-by-stage", "--endpoint", url]).exit_code == 3


# --- analysis --------------------------------------------------------------------------------------------

CENTRE_QUOTE = ("with the main task of managing the city's e-government infrastructure, government information "
                "resources and application platforms")
SOCIAL_TO_TECHNICAL = """- id: shenzhen-resource-platform
  type: Platform
  label: Resource platform
  in_place: shenzhen
  stage: shenzhen-stage-2
  source:
    doc: 000_1b7241a4136cdb3d.txt
    section: "4.2"
    quote: "{q}"
- type: Influence
  from: shenzhen-egov-resource-centre
  kind: created
  to: shenzhen-resource-platform
  basis: stated
  source:
    doc: 000_1b7241a4136cdb3d.txt
    section: "4.2"
    quote: "{q}"
"""


def test_coevolution_counts_links_in_both_directions(tmp_path):
    from kg.analyse.coevolution import analyse
    from kg.build.pipeline import build
    from kg.store import open_store

    data = _mini_with(tmp_path, SOCIAL_TO_TECHNICAL.format(q=CENTRE_QUOTE))
    cfg = replace(project_config(), data=data, out=tmp_path / "build", reason=False)
    build(cfg)
    res = analyse(open_store("oxigraph", load=cfg.trig), cfg.queries)
    s2 = next(m for m in res.stages if m.place == "shenzhen" and m.stageNumber == 2)
    # by hand: elements {reform, centre, resource platform} = 3; stated cross links: platform built-on reform
    # (technical -> social) and centre created resource platform (social -> technical) = 2 -> 2/3
    assert s2.byDirection == {"other": 1, "social -> technical": 1, "technical -> social": 1}
    assert (s2.elements, s2.crossLinks, s2.interaction) == (3, 2, 0.6667)
