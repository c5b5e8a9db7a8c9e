"""Query parameters: checked, bound as terms, never pasted (kg.query.library.to_term/bind), and looked up
in the graph before a query runs (kg.query.params).

Bound queries are run on a small rdflib graph, so the tests check what the binding means rather than
its whitespace. Expected names come from tests/fixtures/mini (its records are listed in mini.yaml) and
from ontology/egov.ttl (Platform < InformationSystem; stage_of is egov:stageOf in the field table).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg.errors import ParameterError
from kg.namespaces import EGOV, ID, XSD
from kg.query import params as P
from kg.query.library import Param, QueryDef, bind, to_term
from tests.helpers import project_config

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


def _p(kind: str, name: str = "x") -> Param:
    return Param(name, kind, False, "doc")


# --- to_term --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, value, term", [
    ("id", "shenzhen-stage-2", URIRef("https://w3id.org/egov-kg/id/shenzhen-stage-2")),
    ("id", "a1", URIRef("https://w3id.org/egov-kg/id/a1")),
    ("class", "Agency", URIRef("https://w3id.org/egov-kg/ontology#Agency")),
    ("class", "A2b", URIRef("https://w3id.org/egov-kg/ontology#A2b")),
    ("year", "1900", Literal(1900, datatype=XSD.integer)),
    ("year", "2100", Literal(2100, datatype=XSD.integer)),
    ("text", "x" * 200, Literal("x" * 200)),
    ("text", 'say "} UNION { ?s ?p ?o', Literal('say "} UNION { ?s ?p ?o')),
    ("text", " ", Literal(" ")),
])
def test_parameter_values_become_checked_terms(kind, value, term):
    got = to_term(_p(kind), value)
    assert got == term and type(got) is type(term)
    if isinstance(term, Literal):
        assert got.datatype == term.datatype


@pytest.mark.parametrize("kind, value, message, fix", [
    ("id", "Shenzhen", "parameter 'place': 'Shenzhen' is not an id",
     "ids are lowercase words joined by hyphens, e.g. shenzhen or shenzhen-stage-2"),
    ("id", "shenzhen\n", "is not an id", None),
    ("id", "x> } UNION { ?s ?p ?o", "is not an id", None),
    ("class", "agency", "parameter 'place': 'agency' is not a class name", "give an ontology class such as Agency or Platform"),
    ("class", "Agency>", "is not a class name", None),
    ("year", "1899", "parameter 'place': '1899' is not a year", "give four digits, e.g. 2009"),
    ("year", "2101", "is not a year", None),
    ("year", "209", "is not a year", None),
    ("year", "20090", "is not a year", None),
    ("text", "x" * 201, "parameter 'place': text too long or has control characters", "give a short plain text"),
    ("text", "a\x1fb", "text too long or has control characters", None),
    ("text", "a\tb", "text too long or has control characters", None),
])
def test_bad_parameter_values_are_refused_with_a_fix(kind, value, message, fix):
    with pytest.raises(ParameterError) as info:
        to_term(_p(kind, "place"), value)
    assert message in info.value.message and info.value.exit_code == 2
    if fix is not None:
        assert info.value.fix == fix


# --- bind -----------------------------------------------------------------------------------------------

Q = QueryDef("q", Path("q.rq"), "t", "q?", "SELECT ?s ?label where {\n  ?s <http://ex.org/label> ?label .\n} ORDER BY ?s",
             params=[Param("s", "id", False, "the thing"), Param("label", "text", False, "its label")])
NEEDS = QueryDef("n", Path("n.rq"), "t", "q?", "SELECT ?s WHERE { ?s ?p ?o }", params=[Param("place", "id", True, "The place")])
NONE = QueryDef("z", Path("z.rq"), "t", "q?", "SELECT ?s WHERE { ?s ?p ?o }")


def _graph() -> Graph:
    g = Graph()
    for name, label in [("a", "A"), ("b", 'say "} UNION { ?s ?p ?o'), ("c", "C")]:
        g.add((ID[name], URIRef("http://ex.org/label"), Literal(label)))
    return g


def _run(text: str) -> list[tuple[str, str]]:
    return [(str(r[0]).rsplit("/", 1)[1], str(r[1])) for r in _graph().query(text)]


def test_unbound_query_text_is_unchanged_and_answers_everything():
    assert bind(Q, {}) == Q.sparql
    assert _run(bind(Q, {})) == [("a", "A"), ("b", 'say "} UNION { ?s ?p ?o'), ("c", "C")]


def test_bound_id_restricts_the_answer_to_that_thing():
    text = bind(Q, {"s": "b"})
    assert text.index("VALUES ?s { <https://w3id.org/egov-kg/id/b> }") < text.index("?s <http://ex.org/label>")
    assert _run(text) == [("b", 'say "} UNION { ?s ?p ?o')]


def test_every_parameter_is_bound_and_also_adds_values():
    assert _run(bind(Q, {"s": "a", "label": "C"})) == []  # both bound: a's label is not C
    assert _run(bind(Q, {"s": "c", "label": "C"})) == [("c", "C")]
    assert _run(bind(Q, {"s": "a"}, also={"s": [ID["c"]]})) == [("a", "A"), ("c", "C")]


def test_hostile_text_is_a_literal_not_query_text():
    assert _run(bind(Q, {"label": 'say "} UNION { ?s ?p ?o'})) == [("b", 'say "} UNION { ?s ?p ?o')]


def test_unknown_and_missing_parameters_are_refused():
    with pytest.raises(ParameterError) as info:
        bind(Q, {"city": "shenzhen"})
    assert (info.value.message, info.value.fix) == ("query 'q' has no parameter 'city'", "its parameters are: s, label")
    with pytest.raises(ParameterError) as info:
        bind(NONE, {"s": "a"})
    assert info.value.fix == "its parameters are: none"
    with pytest.raises(ParameterError) as info:
        bind(NEEDS, {})
    assert (info.value.message, info.value.fix) == ("query 'n' needs parameter 'place'",
                                                    "add --param place=VALUE (id: The place)")
    assert "VALUES ?place { <https://w3id.org/egov-kg/id/shenzhen> }" in bind(NEEDS, {"place": "shenzhen"})


# --- kg.query.params: names looked up in the graph -------------------------------------------------------

@pytest.fixture(scope="module")
def store():
    """The mini fixture with the ontology, in rdflib's memory store (no Oxigraph/RocksDB threads, so the
    tests also run in mutmut's forked workers)."""
    from kg.build.load import load_ontology, load_records
    from kg.build.records import read_all
    from kg.store.embedded import EmbeddedStore

    records, problems = read_all(MINI)
    assert not problems
    ds = load_records(records)
    load_ontology(project_config().ontology, ds)
    st = EmbeddedStore("memory")
    st.add_dataset(ds)
    return st


def test_closest_names_spelling_first_then_whole_words():
    assert P.closest("shenzen", ["guizhou", "shenzhen", "shanghai"]) == ["shenzhen"]
    assert P.closest("stage", ["shenzhen-stage-2", "zz", "shenzhen-stage-1"]) == ["shenzhen-stage-1", "shenzhen-stage-2"]
    assert P.closest("stage", ["shenzhen-stage-2", "shenzhen-stage-1"], n=1) == ["shenzhen-stage-1"]
    assert P.closest("Stage_1", ["shenzhen-stage-1", "shenzhen-stage-2"]) == ["shenzhen-stage-1"]
    assert P.closest("qqq", ["shenzhen"]) == []
    # the same words in another order: too far apart to spell alike (ratio 0.44), still found as words
    assert P.closest("zhen-shen", ["shen-zhen", "shen-zhen-x"]) == ["shen-zhen", "shen-zhen-x"]


def test_ids_are_looked_up_with_the_class_the_parameter_needs(store):
    P.check_id(store, "place", "shenzhen")
    P.check_id(store, "stage", "shenzhen-stage-1")
    P.check_id(store, "entity", "shenzhen-stage-1")  # no class expected for 'entity'
    with pytest.raises(ParameterError) as info:
        P.check_id(store, "place", "shenzen")
    assert info.value.message == "parameter 'place': 'shenzen' names no AdministrativeArea in the graph"
    assert info.value.fix == "did you mean shenzhen?"
    with pytest.raises(ParameterError, match="'shenzhen' names no Stage"):
        P.check_id(store, "stage", "shenzhen")  # exists, but is not a stage
    with pytest.raises(ParameterError) as info:
        P.check_id(store, "entity", "qqq")
    assert info.value.message.endswith("names no entity in the graph")
    assert info.value.fix == "run 'egovkg find TEXT' to look the name up"


def test_classes_and_properties_are_looked_up(store):
    P.check_class(store, "class", "Agency")
    P.check_class(store, "class", "InformationSystem")
    with pytest.raises(ParameterError) as info:
        P.check_class(store, "class", "Agncy")
    assert info.value.message == "parameter 'class': 'Agncy' names no class in the graph"
    assert info.value.fix.startswith("did you mean Agency")
    P.check_property(store, "predicate", "stageOf")
    with pytest.raises(ParameterError) as info:
        P.check_property(store, "predicate", "stage_of")
    assert info.value.message == "parameter 'predicate': 'stage_of' names no property in the graph"
    assert info.value.fix.startswith("did you mean stageOf")
    assert info.value.fix.endswith(" ('stage_of' is the data-file key for egov:stageOf)")
    with pytest.raises(ParameterError) as info:
        P.check_property(store, "predicate", "stagOf")
    assert info.value.message == "parameter 'predicate': 'stagOf' names no property in the graph"
    assert info.value.fix.startswith("did you mean stageOf") and "data-file key" not in info.value.fix


def test_check_params_dispatches_on_the_declared_type(store):
    P.check_params(store, {"place": "id", "class": "class", "predicate": "text", "label": "text"},
                   {"place": "shenzhen", "class": "Agency", "predicate": "stageOf", "label": "anything"})
    for types, values in [({"place": "id"}, {"place": "nowhere"}), ({"class": "class"}, {"class": "Nothing"}),
                          ({"predicate": "text"}, {"predicate": "noSuchProperty"})]:
        with pytest.raises(ParameterError):
            P.check_params(store, types, values)


def test_graph_walks_and_listings(store):
    assert EGOV.Platform in P.subclasses(store, EGOV.InformationSystem)
    assert EGOV.Agency not in P.subclasses(store, EGOV.InformationSystem)
    assert P.areas_within(store, ID["shenzhen"]) == {ID["shenzhen"]}
    assert P.instances(store, EGOV.Stage) == ["shenzhen-stage-1", "shenzhen-stage-2"]
    assert {"shenzhen", "doc-000", "ref-000-42"} <= set(P.instances(store, None))
    classes = P.classes(store)
    assert {"Agency", "Stage", "Platform"} <= set(classes) and classes == sorted(classes)
    assert all(not c.startswith("http") for c in classes)
    props = P.properties(store)
    assert props["stageOf"] == EGOV.stageOf and props["label"] == URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert P._qname(EGOV.stageOf) == "egov:stageOf" and P._qname(URIRef("http://x.org/y")) == "<http://x.org/y>"
