"""The egovkg command end to end on real and fixture data: in this process through CliRunner
(`invoke`), and as `python -m kg` where the test is about what a shell sees (`run_kg`)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from kg.cli.main import app
from tests.helpers import MINI, ROOT, invoke, run_kg


@pytest.fixture(scope="module")
def mini_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli")
    res = invoke("build", "--data", str(MINI), "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "HermiT: consistent" in res.stdout and "ProcessReform" in res.stdout
    return out


def test_build_writes_trig_and_turtle(mini_out: Path):
    assert (mini_out / "egov.trig").stat().st_size > 1000
    assert (mini_out / "egov.ttl").stat().st_size > 1000
    assert not list(mini_out.glob("*.tmp"))


def test_query_csv_and_json(mini_out: Path):
    res = invoke("query", "reforms-by-stage", "--out", str(mini_out), "--format", "csv")
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [r["reformLabel"] for r in rows] == ["Administrative approval process reform"]
    assert rows[0]["date"] == "2009-05"
    res = invoke("query", "reforms-by-stage", "--out", str(mini_out), "--format", "json")
    data = json.loads(res.stdout)
    assert data["head"]["vars"][0] == "stageNumber"
    assert data["results"]["bindings"][0]["reformLabel"]["value"] == "Administrative approval process reform"


def test_query_parameter_is_bound_not_pasted(mini_out: Path):
    ok = invoke("query", "sources-for-entity", "-p", "entity=shenzhen-approval-process-reform",
             "--out", str(mini_out), "-f", "tsv")
    assert ok.returncode == 0 and "from May 2009" in ok.stdout
    evil = invoke("query", "sources-for-entity", "-p", 'entity=x> } UNION { ?s ?p ?o', "--out", str(mini_out))
    assert evil.returncode == 2
    assert "is not an id" in evil.stderr and "Traceback" not in evil.stderr


@pytest.mark.parametrize("args,fragment", [
    (["query", "no-such-query"], "no query named 'no-such-query'"),
    (["query", "reforms-by-stag"], "did you mean 'reforms-by-stage'"),
    (["query", "sources-for-entity"], "needs parameter 'entity'"),
    (["query", "reforms-by-stage", "-p", "city=shenzhen"], "has no parameter 'city'"),
    (["query", "reforms-by-stage", "-p", "place"], "is not NAME=VALUE"),
    (["query", "reforms-by-stage", "-f", "xml"], "unknown format 'xml'"),
])
def test_usage_errors_exit_2_with_a_fix(args, fragment, mini_out: Path):
    res = invoke(*args, "--out", str(mini_out))
    assert res.returncode == 2, res.stderr
    assert fragment in res.stderr and "Traceback" not in res.stderr


def test_query_without_build_says_what_to_do(tmp_path: Path):
    """As a shell sees it: `python -m kg` exits 2 with the fix on stderr."""
    res = run_kg("query", "reforms-by-stage", "--out", str(tmp_path / "nothing"))
    assert res.returncode == 2 and "run 'egovkg build' first" in res.stderr


def test_queries_lists_library():
    res = invoke("queries")
    assert res.returncode == 0
    for name in ("technologies-by-stage", "reforms-by-stage", "reform-enabled", "agency-changes", "sources-for-entity"):
        assert name in res.stdout


def test_graph_page_offline_and_complete(mini_out: Path, tmp_path: Path):
    page = tmp_path / "graph.html"
    res = invoke("graph", "--build", str(mini_out), "--out", str(page))
    assert res.returncode == 0, res.stderr
    html = page.read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    nodes = json.loads(re.search(r"new vis.DataSet\((\[.*?\])\);\nconst edges", html, re.S)[1])
    ids = {n["id"] for n in nodes}
    # every entity of the mini fixture; influences are edges, not nodes
    assert ids == {"shenzhen", "shenzhen-stage-1", "shenzhen-stage-2", "shenzhen-approval-process-reform",
                   "shenzhen-online-approval-platform", "challenge-data-silos", "shenzhen-egov-resource-centre"}
    # the label with markup is present only escaped: no raw <b> tag can reach the DOM
    assert "Online approval platform \\u003cb\\u003e\\u0026\\u003c/b\\u003e" in html
    assert "<b>&</b>" not in html


def test_every_command_has_help_and_readme_docs():
    readme = (ROOT / "README.md").read_text()
    names = []
    for cmd in app.registered_commands:
        name = cmd.name or cmd.callback.__name__.replace("_", "-")
        names.append(name)
        assert (cmd.help or cmd.callback.__doc__ or "").strip(), f"'{name}' has no help"
        assert f"egovkg {name}" in readme, f"README does not mention 'egovkg {name}'"
    for group in app.registered_groups:
        assert group.typer_instance.info.help, f"group {group.name} has no help"
        assert f"egovkg {group.name}" in readme
    assert len(names) >= 7


def test_new_city_scaffold_then_validate_lists_todos(data_copy: Path):
    res = invoke("new-city", "hangzhou", "--label", "Hangzhou", "--within", "shenzhen", "--data", str(data_copy))
    assert res.returncode == 0, res.stderr
    assert (data_copy / "hangzhou.yaml").exists()
    again = invoke("new-city", "hangzhou", "--label", "Hangzhou", "--data", str(data_copy))
    assert again.returncode == 2 and "already exists" in again.stderr
    val = invoke("validate", str(data_copy))
    assert val.returncode == 1
    # the template's citation (line 17: its `doc:`) names no registered document yet; no stage is forced,
    # since not every source divides a place's history into stages
    assert "hangzhou.yaml:17: [hangzhou] field 'source': unknown document 'TODO-source-file.txt'" in val.stderr
    assert "Stage" not in (data_copy / "hangzhou.yaml").read_text().split("records:")[1]


def test_corrupt_build_is_a_one_line_error(tmp_path: Path):
    (tmp_path / "egov.trig").write_text("garbage <<<")
    for args in (["query", "reforms-by-stage", "--out", str(tmp_path)], ["analyse", "--out", str(tmp_path)]):
        res = invoke(*args)
        assert res.returncode == 2, res.stderr
        assert "cannot be read as trig" in res.stderr and "Traceback" not in res.stderr


def test_unwritable_outputs_and_missing_inputs(mini_out: Path, tmp_path: Path):
    folder = tmp_path / "afolder"
    folder.mkdir()
    res = invoke("graph", "--build", str(mini_out), "--out", str(folder))
    assert res.returncode == 2 and "cannot write" in res.stderr and "Traceback" not in res.stderr
    keep = tmp_path / "notasite"
    keep.mkdir()
    (keep / "precious.txt").write_text("keep me")
    res = invoke("site", "--build", str(mini_out), "--out", str(keep), "--no-images")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert (keep / "precious.txt").read_text() == "keep me"
    res = invoke("validate", str(tmp_path / "nonexistent"))
    assert res.returncode == 2 and "no such file" in res.stderr


def test_terminal_table_prints_markup_like_text_literally():
    from rdflib import Literal
    from rich.console import Console

    from kg.query.output import rich_table
    from kg.store.embedded import ResultTable

    console = Console(record=True, width=100)
    console.print(rich_table(ResultTable(["label"], [(Literal("a [/x] b [bold]c"),)])))
    assert "a [/x] b [bold]c" in console.export_text()
