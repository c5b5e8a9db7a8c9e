"""The query library, tested against what the sources say.

Every queries/<name>.rq has tests/queries/<name>.yaml with expectations taken from the seed
texts (each file quotes the passage). A case is

    params: {place: shenzhen}          # optional, bound through kg.query.library like the CLI does
    min_rows: 3                        # optional
    rows: 3                            # optional, exact
    contains: [{column: value, ...}]   # rows that must be present (all listed columns equal)
    like: [{column: text, ...}]        # rows whose listed columns contain the text
    absent: [{column: value, ...}]     # no row may match all listed columns
    cases: [ {params: ..., ...}, ... ] # further cases with the same keys

Cell convention: an IRI under https://w3id.org/egov-kg/id/ compares as its local id
(`shenzhen-city-brain`), any other IRI in its prefixed form (`egov:builtBy`, `graph:x`), a literal as
its lexical form, an unbound cell as "". A number in the YAML compares numerically, so 2 matches
"2", "2.0" and "2"^^xsd:decimal whatever the engine prints.

The static tests keep the library portable: the header parses, its columns are the SELECT
variables, every declared parameter is used, no FROM/SERVICE or engine pragma, no `*`/`+`
property paths (Virtuoso 7.2 answers joins of them wrongly), and no hard-coded class list:
classes are walked through rdfs:subClassOf (three levels, which test_fixed_depth_paths_reach_far_enough
keeps enough).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from kg.namespaces import EGOV, ID, PREFIXES
from kg.query.coverage import NO_DATE_ROOTS, undated
from kg.query.library import QueryDef, find_query, parse_query_file, run_query
from kg.query.output import short
from kg.store.embedded import ResultTable
from tests.helpers import project_config

ROOT = Path(__file__).resolve().parent.parent
QUERY_DIR = project_config().queries
EXPECT_DIR = ROOT / "tests" / "queries"
QUERIES = sorted(QUERY_DIR.glob("*.rq"))
CASE_KEYS = {"params", "min_rows", "rows", "contains", "like", "absent", "cases"}


# ----------------------------------------------------------------------------- helpers
def cell(term: Node | None) -> str:
    """The string a YAML expectation is compared with (see the module docstring)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        s = str(term)
        return s[len(str(ID)):] if s.startswith(str(ID)) else short(term)
    return str(term)


def equal(actual: str, expected: Any) -> bool:
    if isinstance(expected, bool):
        return actual.lower() == str(expected).lower()
    if isinstance(expected, (int, float)):
        try:
            return float(actual) == float(expected)
        except ValueError:
            return False
    if isinstance(expected, (dt.date, dt.datetime)):
        return actual == expected.isoformat()
    return actual == ("" if expected is None else str(expected))


def row_matches(row: dict[str, str], spec: dict[str, Any], like: bool = False) -> bool:
    if like:
        return all(str(v) in row[k] for k, v in spec.items())
    return all(equal(row[k], v) for k, v in spec.items())


def select_variables(sparql: str) -> list[str]:
    """Variables projected by the outermost SELECT, in order (plain ?v or (expr AS ?v))."""
    body = "\n".join(line for line in sparql.splitlines() if not line.lstrip().startswith("#"))
    m = re.search(r"\bSELECT\b(?:\s+(?:DISTINCT|REDUCED)\b)?", body, re.IGNORECASE)
    assert m, "no SELECT"
    out, depth, i = [], 0, m.end()
    while i < len(body):
        if depth == 0 and re.match(r"WHERE\b|\{", body[i:], re.IGNORECASE):
            break
        c = body[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "?" and depth == 0:
            out.append(re.match(r"\?(\w+)", body[i:])[1])  # type: ignore[index]
        elif depth == 1 and re.match(r"AS\s+\?", body[i:], re.IGNORECASE):
            v = re.match(r"AS\s+\?(\w+)", body[i:], re.IGNORECASE)[1]  # type: ignore[index]
            out.append(v)
            i += len(v)
        i += 1
    return out


def load_cases(name: str) -> list[dict[str, Any]]:
    path = EXPECT_DIR / f"{name}.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = set(spec) - CASE_KEYS
    assert not unknown, f"{path}: unknown keys {unknown}"
    first = {k: v for k, v in spec.items() if k != "cases"}
    return [first, *spec.get("cases", [])]


def check_case(qdef: QueryDef, table: ResultTable, case: dict[str, Any], where: str) -> None:
    assert table.variables == qdef.columns, f"{where}: result variables {table.variables} != header {qdef.columns}"
    rows = [{v: cell(t) for v, t in zip(table.variables, r, strict=True)} for r in table.rows]
    shown = "\n".join(str(r) for r in rows[:15])
    if "rows" in case:
        assert len(rows) == case["rows"], f"{where}: {len(rows)} rows, expected {case['rows']}\n{shown}"
    if "min_rows" in case:
        assert len(rows) >= case["min_rows"], f"{where}: {len(rows)} rows, expected at least {case['min_rows']}\n{shown}"
    for key, like, want in (("contains", False, True), ("like", True, True), ("absent", False, False)):
        for spec in case.get(key, []):
            missing = set(spec) - set(qdef.columns)
            assert not missing, f"{where}: {key} names unknown columns {missing}"
            found = any(row_matches(r, spec, like) for r in rows)
            assert found == want, f"{where}: {'no' if want else 'unexpected'} row {key} {spec}\n{shown}"


# ----------------------------------------------------------------------------- static checks
def test_library_is_big_enough_and_every_query_has_expectations():
    assert len(QUERIES) >= 25
    names = {p.stem for p in QUERIES}
    expected = {p.stem for p in EXPECT_DIR.glob("*.yaml")}
    assert not names - expected, f"queries without tests/queries/<name>.yaml: {sorted(names - expected)}"
    assert not expected - names, f"expectation files without a query: {sorted(expected - names)}"


def test_every_query_is_documented():
    doc = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    missing = [p.stem for p in QUERIES if f"`{p.stem}`" not in doc]
    assert not missing, f"add these queries to docs/queries.md: {missing}"


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_header_parses_and_columns_match_select(path: Path):
    qdef = parse_query_file(path)
    assert qdef.title and qdef.question.endswith("?"), "the question should be a question"
    assert select_variables(qdef.sparql) == qdef.columns
    body = "\n".join(line for line in qdef.sparql.splitlines() if not line.startswith("#"))
    for p in qdef.params:
        assert re.search(rf"\?{p.name}\b", body), f"parameter {p.name} is declared but never used"


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_standard_portable_sparql(path: Path):
    """Only what runs unchanged on the embedded store and on Virtuoso 7.2."""
    body = "\n".join(line.split("  # ")[0] for line in path.read_text(encoding="utf-8").splitlines()
                     if not line.startswith("#"))
    assert not re.search(r"^\s*(FROM|DEFINE)\b|\bSERVICE\b|\b(bif|sql):", body, re.IGNORECASE | re.MULTILINE)
    assert not re.search(r"[\w>]\)?[*+]\s+[?<\w]", re.sub(r'"[^"]*"', '""', body)), "no * or + property paths"
    assert "_:" not in body and "[]" not in body, "no blank nodes"
    assert not re.search(r"\bSELECT\s+\*", body, re.IGNORECASE)


# The lead is rewriting these for the influence model; they still carry class lists.
LEAD_REWRITING: set[str] = set()  # queries exempt while being rewritten (none now)


@pytest.mark.parametrize("path", [p for p in QUERIES if p.stem not in LEAD_REWRITING], ids=lambda p: p.stem)
def test_no_hard_coded_class_lists(path: Path):
    """Classes are walked through rdfs:subClassOf in the graph, never listed: a list silently drops a
    subclass an analyst adds (test_subclass_added_in_a_fixture_is_found checks the walk)."""
    body = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    for m in re.finditer(r"\bIN\s*\(([^()]*)\)", body):
        classes = re.findall(r"\b(?:egov|org):[A-Z]\w*", m[1])
        assert len(classes) == 0, f"{path.name}: hard-coded class list {classes}; walk rdfs:subClassOf instead"


def test_undated_query_lists_the_same_roots_as_stats():
    text = (QUERY_DIR / "undated-entities.rq").read_text(encoding="utf-8")
    m = re.search(r"# needs no date: (.*)", text)
    assert m, "undated-entities.rq lacks its '# needs no date:' line"
    onto = Graph()
    for p, ns in PREFIXES.items():
        onto.bind(p, ns, replace=True)
    onto.bind("dcterms", DCTERMS, replace=True)
    assert {onto.namespace_manager.expand_curie(q) for q in m[1].split()} == set(NO_DATE_ROOTS)
    values = re.search(r"VALUES \?root \{([^}]*)\}", text)
    assert values and values[1].split() == m[1].split()


def test_fixed_depth_paths_reach_far_enough(real_store):
    """Queries test subclass and within-area membership to three levels; the ontology and places must fit."""
    rdfs, egov = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n", f"PREFIX egov: <{EGOV}>\n"
    four = "/".join(["rdfs:subClassOf"] * 4)
    deep_class = real_store.ask(f'{rdfs}ASK {{ ?c {four} ?top . FILTER(STRSTARTS(STR(?c), "{EGOV}")) }}')
    deep_place = real_store.ask(egov + "ASK { ?a " + "/".join(["egov:withinArea"] * 4) + " ?top }")
    assert not deep_class and not deep_place


# ----------------------------------------------------------------------------- the real graph
@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_query_answers_what_the_sources_say(path: Path, real_store):
    qdef = parse_query_file(path)
    assert (EXPECT_DIR / f"{path.stem}.yaml").exists(), f"add tests/queries/{path.stem}.yaml"
    cases = load_cases(path.stem)
    assert any(set(c) & {"contains", "like", "rows"} for c in cases), "state at least one expectation"
    for i, case in enumerate(cases):
        params = {k: str(v) for k, v in (case.get("params") or {}).items()}
        table = run_query(real_store, qdef, params)
        check_case(qdef, table, case, f"{path.stem} case {i} {params}")


@pytest.mark.parametrize("path", [p for p in QUERIES if not any(x.required for x in parse_query_file(p).params)],
                         ids=lambda p: p.stem)
def test_optional_parameters_may_stay_unbound(path: Path, real_store):
    qdef = parse_query_file(path)
    table = run_query(real_store, qdef)
    assert table.variables == qdef.columns


# ----------------------------------------------------------------------------- subclasses, places, undated
@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory):
    """Mini fixture + Guangdong + a system of a subclass of InformationSystem the test ontology adds."""
    from tests.workbench import make_workbench

    return make_workbench(tmp_path_factory.mktemp("bench"))


def _ids(table: ResultTable, column: str) -> set[str]:
    return {cell(t) for t in table.column(column)}


@pytest.mark.parametrize(("query", "params", "column"), [
    ("technologies-by-stage", {"place": "guangdong"}, "technology"),
    ("stage-timeline", {"place": "guangdong"}, "element"),
    ("undated-entities", {"class": "InformationSystem", "place": "china"}, "entity"),
    ("undated-entities", {"class": "TechnicalElement"}, "entity"),
])
def test_subclass_added_in_a_fixture_is_found(bench, query, params, column):
    """The bench's egov:CityInformationSystem is three subclass steps below egov:TechnicalElement, and
    its system lies in Shenzhen, within Guangdong, within China."""
    _, st = bench
    table = run_query(st, find_query(query, QUERY_DIR), params)
    assert "shenzhen-electronic-bidding-system" in _ids(table, column)


def test_stage_timeline_calls_the_subclass_technical(bench):
    _, st = bench
    rows = run_query(st, find_query("stage-timeline", QUERY_DIR), {"place": "shenzhen"}).as_dicts()
    row = next(r for r in rows if cell(r["element"]) == "shenzhen-electronic-bidding-system")
    assert cell(row["subsystem"]) == "technical"


@pytest.mark.parametrize("path", [p for p in QUERIES if p.stem not in LEAD_REWRITING
                                  and "place" in {x.name for x in parse_query_file(p).params}
                                  and not any(x.required for x in parse_query_file(p).params)],
                         ids=lambda p: p.stem)
def test_place_includes_the_areas_within_it(bench, path: Path):
    """Whatever Shenzhen answers, Guangdong (which contains it) answers too."""
    _, st = bench
    qdef = parse_query_file(path)
    inner = run_query(st, qdef, {"place": "shenzhen"})
    outer = run_query(st, qdef, {"place": "guangdong"})
    assert set(inner.rows) <= set(outer.rows) or qdef.columns and "place" in qdef.columns and \
        {r[1:] for r in inner.rows} <= {r[1:] for r in outer.rows}


def test_undated_is_the_same_for_stats_and_the_query(mini_build):
    """Mini fixture, by hand: the platform has a stage but no date; the reform (2009-05), the centre
    (2012-11) and the stages (start years) are dated; the city, challenge, cited work, documents and
    influences need no date. The agency (centre) would need none either."""
    from kg.store import open_store

    cfg, _, ds = mini_build
    st = open_store("oxigraph", load=cfg.trig)
    table = run_query(st, find_query("undated-entities", QUERY_DIR))
    assert _ids(table, "entity") == {"shenzhen-online-approval-platform"}
    assert undated(ds, cfg.ontology) == ["shenzhen-online-approval-platform"]
    row = table.as_dicts()[0]  # stage 1 is 2006-2008 in the fixture
    assert (cell(row["earliest"]), cell(row["latest"]), cell(row["yearBasis"])) == ("2006", "2008", "stage")
