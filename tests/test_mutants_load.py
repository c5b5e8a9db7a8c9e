"""The loader (kg.build.load) on a small hand-written data file: year bounds, influence stages and lags,
citations with every optional key, literal kinds.

Expected triples are worked out by hand from the records below and the rules in the brief and
docs/data-format.md: a thing's bounds come from its date, else its stage(s); an influence happens in the
stage of what it influenced (kept only if the influencer lies in that stage's place); lag = [earliest(to) -
latest(from), latest(to) - earliest(from)], lagYears only when both ends are exact.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import RDF, RDFS, Literal, URIRef

from kg.build.load import load_records
from kg.build.records import read_all
from kg.namespaces import EGOV, GRAPH, ID, XSD

SRC = '  source: {{doc: a.txt, section: "1", quote: "{q}"}}\n'
DATA = """records:
- id: doc-a
  type: SourceDocument
  file: a.txt
  label: Doc A
""" + SRC.format(q="A") + """- id: ref-a-7
  type: CitedWork
  label: "[7]"
  ref_number: 7
  in_document: doc-a
""" + SRC.format(q="7") + """- id: nation
  type: Nation
  label: Nation
""" + SRC.format(q="n") + """- id: city
  type: City
  label: City
  within: nation
""" + SRC.format(q="c") + """- id: city-stage-1
  type: Stage
  label: S1
  start: "2006"
  end: "2008"
  stage_number: 1
  stage_of: city
""" + SRC.format(q="s1") + """- id: city-stage-2
  type: Stage
  label: S2
  start: "2009-03"
  stage_number: 2
  stage_of: city
""" + SRC.format(q="s2") + """- id: platform
  type: Platform
  label: P
  in_place: city
  stage: city-stage-1
""" + SRC.format(q="p") + """- id: spanning
  type: Platform
  label: Spanning
  stage: [city-stage-1, city-stage-2]
""" + SRC.format(q="sp") + """- id: reform
  type: ProcessReform
  label: R
  date: "2009-05-20"
  in_place: city
  stage: city-stage-2
  subsystem: social
  source:
  - doc: a.txt
    section: "1"
    quote: "q1"
    refs: [7]
    supports: [date, type]
    disputed: true
    confidence: suspected
  - doc: b.txt
    section: "2"
    quote: "q2"
    refs: [ref-a-7]
- id: agency
  type: Agency
  label: Ag
  start: "2012-11"
  in_place: city
""" + SRC.format(q="ag") + """- id: law
  type: Policy
  label: Law
  date: "2012"
  in_place: nation
""" + SRC.format(q="law") + """- id: bounded
  type: Policy
  label: Bounded
  date: "2009/2017"
""" + SRC.format(q="b") + """- id: figure
  type: Quantity
  label: Figure
  value: 3.50
  stage_number: 4
""" + SRC.format(q="f") + """- type: Influence
  from: platform
  kind: built-on
  to: reform
  basis: stated
""" + SRC.format(q="i1") + """- type: Influence
  from: law
  kind: required
  to: agency
  basis: stated
""" + SRC.format(q="i2") + """- type: Influence
  from: reform
  kind: prompted
  to: spanning
  basis: stated
""" + SRC.format(q="i3") + """- id: district
  type: District
  label: District
  within: city
""" + SRC.format(q="d") + """- id: kiosk
  type: Platform
  label: Kiosk
  in_place: district
""" + SRC.format(q="k") + """- type: Influence
  from: kiosk
  kind: enabled
  to: platform
  basis: stated
""" + SRC.format(q="i5") + """- type: Influence
  from: law
  kind: constrained
  to: platform
  basis: stated
""" + SRC.format(q="i6") + """- type: Influence
  label: Custom label
  from: agency
  kind: enabled
  to: reform
  stage: city-stage-2
  basis: stated
""" + SRC.format(q="i4")

INT = XSD.integer


@pytest.fixture()
def loaded(tmp_path):
    """Loaded afresh for each test: mutmut maps a mutant to the tests that ran its code, and a
    module-scoped fixture's work would count for the first test only."""
    folder = tmp_path
    (folder / "d.yaml").write_text(DATA, encoding="utf-8")
    records, problems = read_all(folder)
    assert not problems
    ds = load_records(records)
    influences = {(r.data["from"], r.data["to"]): ID[r.id] for r in records if r.data["type"] == "Influence"}
    return ds, influences


def _objects(ds, s: URIRef, p: URIRef) -> set:
    return set(ds.objects(s, p))


def _bounds(ds, name: str) -> tuple:
    s = ID[name]
    return (_objects(ds, s, EGOV.earliestYear), _objects(ds, s, EGOV.latestYear), _objects(ds, s, EGOV.yearBasis))


def test_year_bounds_come_from_the_date_else_the_stages(loaded):
    ds, _ = loaded
    y = {n: Literal(n, datatype=INT) for n in (2006, 2008, 2009, 2012, 2017)}
    assert _bounds(ds, "reform") == ({y[2009]}, {y[2009]}, {Literal("date")})
    assert _bounds(ds, "agency") == ({y[2012]}, {y[2012]}, {Literal("date")})  # came about when it started
    assert _bounds(ds, "platform") == ({y[2006]}, {y[2008]}, {Literal("stage")})  # undated: its stage
    assert _bounds(ds, "spanning") == ({y[2006]}, set(), {Literal("stage")})  # stage 2 still runs: open
    assert _bounds(ds, "city-stage-1") == ({y[2006]}, {y[2008]}, {Literal("date")})
    assert _bounds(ds, "city-stage-2") == ({y[2009]}, set(), {Literal("date")})
    assert _bounds(ds, "bounded") == ({y[2009]}, {y[2017]}, {Literal("source bounds")})
    assert _bounds(ds, "city") == (set(), set(), set())  # no date, no stage: no bounds at all
    assert _objects(ds, ID["platform"], EGOV.year) == set()  # undated: never a year
    assert _objects(ds, ID["bounded"], EGOV.year) == set()
    assert _objects(ds, ID["bounded"], EGOV.dateInterval) == {Literal("2009/2017")}
    assert _objects(ds, ID["agency"], EGOV.year) == {y[2012]}
    assert _objects(ds, ID["agency"], EGOV.datePrecision) == {Literal("month")}
    assert _objects(ds, ID["reform"], EGOV.datePrecision) == {Literal("day")}
    assert _objects(ds, ID["reform"], EGOV.date) == {Literal("2009-05-20", datatype=XSD.date)}


def test_stage_instants_are_owl_time_years(loaded):
    ds, _ = loaded
    time = "http://www.w3.org/2006/time#"
    s1 = ID["city-stage-1"]
    end = URIRef(f"{s1}/end")
    assert _objects(ds, s1, URIRef(time + "hasEnd")) == {end}
    assert _objects(ds, end, RDF.type) == {URIRef(time + "Instant")}
    assert _objects(ds, end, URIRef(time + "inXSDgYear")) == {Literal("2008", datatype=XSD.gYear)}
    assert _objects(ds, URIRef(f"{ID['city-stage-2']}/beginning"), URIRef(time + "inXSDgYear")) == \
        {Literal("2009", datatype=XSD.gYear)}
    assert _objects(ds, ID["city-stage-2"], URIRef(time + "hasEnd")) == set()


def test_literal_kinds(loaded):
    ds, _ = loaded
    (value,) = _objects(ds, ID["figure"], EGOV.quantityValue)
    assert value.datatype == XSD.decimal and value.toPython() == Decimal("3.5")
    assert _objects(ds, ID["figure"], EGOV.stageNumber) == {Literal(4, datatype=INT)}
    assert _objects(ds, ID["figure"], RDFS.label) == {Literal("Figure", lang="en")}


def test_influence_pattern_shortcuts_stage_and_lag(loaded):
    ds, inf = loaded
    built = inf[("platform", "reform")]
    assert (ID["reform"], URIRef("http://www.w3.org/ns/prov#qualifiedInfluence"), built) in ds
    assert (ID["reform"], URIRef("http://www.w3.org/ns/prov#wasInfluencedBy"), ID["platform"]) in ds
    assert (ID["reform"], EGOV.builtOn, ID["platform"]) in ds  # built-on: `to builtOn from`
    assert _objects(ds, built, RDFS.label) == {Literal("P — built-on → R", lang="en")}
    assert _objects(ds, built, EGOV.duringStage) == {ID["city-stage-2"]}  # the stage of what was influenced
    # platform 2006..2008 (stage), reform 2009: [2009 - 2008, 2009 - 2006]
    assert (_objects(ds, built, EGOV.lagMin), _objects(ds, built, EGOV.lagMax)) == \
        ({Literal(1, datatype=INT)}, {Literal(3, datatype=INT)})
    assert _objects(ds, built, EGOV.lagYears) == set() and _objects(ds, built, EGOV.order) == {Literal("from first")}

    required = inf[("law", "agency")]
    assert (ID["law"], EGOV.required, ID["agency"]) in ds  # required: `from required to`
    assert _objects(ds, required, EGOV.duringStage) == set()  # neither end has a stage
    assert _objects(ds, required, EGOV.lagYears) == {Literal(0, datatype=INT)}  # both exact: 2012 and 2012
    assert _objects(ds, required, EGOV.order) == {Literal("same year")}

    prompted = inf[("reform", "spanning")]
    # spanning is in stages 1 and 2 of city; reform lies in city, so both fit
    assert _objects(ds, prompted, EGOV.duringStage) == {ID["city-stage-1"], ID["city-stage-2"]}
    # reform 2009, spanning 2006..open: [2006 - 2009, open]
    assert _objects(ds, prompted, EGOV.lagMin) == {Literal(-3, datatype=INT)}
    assert _objects(ds, prompted, EGOV.lagMax) == set() and _objects(ds, prompted, EGOV.order) == {Literal("undetermined")}

    custom = inf[("agency", "reform")]
    assert _objects(ds, custom, RDFS.label) == {Literal("Custom label", lang="en")}
    assert _objects(ds, custom, EGOV.duringStage) == {ID["city-stage-2"]}
    # agency 2012, reform 2009: -3 both ways, both exact
    assert _objects(ds, custom, EGOV.lagYears) == {Literal(-3, datatype=INT)}
    assert _objects(ds, custom, EGOV.order) == {Literal("to first")}


def test_citations_keep_every_optional_key(loaded):
    ds, _ = loaded
    g = GRAPH["reform"]
    c1, c2 = URIRef(f"{g}/citation/1"), URIRef(f"{g}/citation/2")
    assert _objects(ds, g, EGOV.citation) == {c1, c2}
    assert (g, RDF.type, EGOV.RecordGraph) in ds and _objects(ds, g, EGOV.describes) == {ID["reform"]}
    (line,) = _objects(ds, g, EGOV.sourceLine)
    assert str(line).endswith("d.yaml:48")  # `- id: reform` is line 48 of DATA (6 lines a short record)
    assert _objects(ds, ID["reform"], EGOV.subsystem) == {EGOV.social}  # a concept, not a text
    assert _objects(ds, c1, EGOV.document) == {ID["doc-a"]} and _objects(ds, c2, EGOV.document) == set()
    assert _objects(ds, c1, EGOV.section) == {Literal("1")} and _objects(ds, c1, EGOV.quote) == {Literal("q1")}
    assert _objects(ds, c1, EGOV.confidence) == {EGOV.suspected} and _objects(ds, c2, EGOV.confidence) == {EGOV.confident}
    assert _objects(ds, c1, EGOV.disputed) == {Literal(True)} and _objects(ds, c2, EGOV.disputed) == set()
    assert _objects(ds, c1, EGOV.supports) == {EGOV.date, RDF.type}
    assert _objects(ds, c1, EGOV.citesReference) == {ID["ref-a-7"]} == _objects(ds, c2, EGOV.citesReference)
    assert _objects(ds, c1, RDF.type) == {EGOV.Citation}


def test_an_influence_keeps_a_stage_only_where_the_influencer_lies(loaded):
    ds, inf = loaded
    # kiosk lies in district, within city: platform's city stage fits; law lies in nation only: it does not
    assert _objects(ds, inf[("kiosk", "platform")], EGOV.duringStage) == {ID["city-stage-1"]}
    assert _objects(ds, inf[("law", "platform")], EGOV.duringStage) == set()


def test_oxigraph_quads_are_the_same_triples_as_the_dataset(tmp_path):
    import pyoxigraph as ox

    from kg.build.load import extend_store, ox_dataset, record_quads

    (tmp_path / "d.yaml").write_text(DATA, encoding="utf-8")
    records, _ = read_all(tmp_path)
    ds = load_records(records)
    want = {(s.n3(), p.n3(), o.n3(), g.n3()) for s, p, o, g in ds.quads((None, None, None, None))}
    quads = list(record_quads(records))
    assert {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in quads} == want
    store = ox.Store()
    extend_store(store, quads)
    view = ox_dataset(store)
    assert {(s.n3(), p.n3(), o.n3(), g.n3()) for s, p, o, g in view.quads((None, None, None, None))} == want
    assert view.value(ID["reform"], EGOV.subsystem) == EGOV.social  # the default graph is the union
