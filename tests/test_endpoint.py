"""The SPARQL endpoint: a real Virtuoso started here, the same queries remote, identical results.

The session fixtures start Virtuoso themselves (127.0.0.1, free ports, a temporary
home, a random dba password in the environment) and always stop them: one server for
the small sample graphs and one for the real graph, so no test sees the other's data
whatever the order (they pass with -p no:randomly --reverse and from any directory). Nothing is
installed here: `scripts/setup.sh --test` installs virtuoso-opensource, and a
missing virtuoso-t FAILS these tests instead of skipping them.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import EndpointAuthError, EndpointResponseError, EndpointTimeout, EndpointUnreachable
from kg.namespaces import GRAPH
from kg.query.library import QueryDef, load_library, run_query
from kg.store import virtuoso
from kg.store.embedded import EmbeddedStore, ResultTable
from kg.store.publish import publish
from kg.store.remote import Credentials, RemoteStore
from tests.helpers import free_port

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = load_library(ROOT / "queries")
EX = "http://example.org/egovkg-test/"
PREFIXES = f"PREFIX ex: <{EX}>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
SAMPLE = PREFIXES + """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
<http://example.org/egovkg-test/graph/shenzhen> {
  ex:shenzhen a ex:City ; rdfs:label "Shenzhen"@en, "深圳"@zh-Hans ; ex:founded "1979"^^xsd:gYear ;
    ex:start "2020-05"^^xsd:gYearMonth ; ex:date "2021-03-04"^^xsd:date ; ex:population 17560000 ;
    ex:area 1997.47 ; ex:pilot true ; ex:ratio "0.50"^^xsd:decimal ;
    ex:note "said \\"first\\" pilot,\\nsecond line" ; ex:quote "Lu\u2019an and Shanghai" .
}
<http://example.org/egovkg-test/graph/shanghai> {
  ex:shanghai a ex:City ; rdfs:label "Shanghai"@en ; ex:founded "1291"^^xsd:gYear ; ex:population 24870000 ;
    ex:area 6340.5 ; ex:pilot false ; ex:within ex:china .
}
<http://example.org/egovkg-test/graph/ontology> {
  ex:City a owl:Class ; rdfs:label "city"@en ;
    rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:within ; owl:someValuesFrom ex:Nation ] ;
    owl:equivalentClass [ owl:unionOf ( ex:Municipality ex:PrefectureCity ) ] .
}
"""
GRAPH_PREFIX = EX + "graph/"


def _require_virtuoso() -> None:
    if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
        pytest.fail("virtuoso-t/isql-vt not found: run 'scripts/setup.sh --test' "
                    "(installs the Debian package virtuoso-opensource)")


@pytest.fixture(scope="session")
def vt_password() -> Iterator[str]:
    """A random dba password in the environment for the session's servers, and no endpoint credentials."""
    with pytest.MonkeyPatch.context() as mp:
        password = secrets.token_urlsafe(16)
        mp.setenv(virtuoso.PASSWORD_ENV, password)
        mp.delenv("EGOVKG_ENDPOINT_PASSWORD", raising=False)
        mp.delenv("EGOVKG_ENDPOINT_USER", raising=False)
        yield password


def _serve(home: Path) -> Iterator[virtuoso.VirtuosoStatus]:
    _require_virtuoso()
    began = time.monotonic()
    status = virtuoso.start(home, http_port=free_port(), sql_port=free_port())
    print(f"\nVirtuoso: first start (new database) took {time.monotonic() - began:.1f}s")
    try:
        yield status
    finally:
        virtuoso.stop(home)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, vt_password: str) -> Iterator[virtuoso.VirtuosoStatus]:
    """A Virtuoso of our own for the sample graphs, stopped even when tests fail."""
    yield from _serve(tmp_path_factory.mktemp("virtuoso"))


@pytest.fixture(scope="session")
def real_server(tmp_path_factory: pytest.TempPathFactory, vt_password: str) -> Iterator[virtuoso.VirtuosoStatus]:
    """A second Virtuoso that holds only the real graph (its queries run on the union default graph)."""
    yield from _serve(tmp_path_factory.mktemp("virtuoso-real"))


def dba() -> Credentials:
    return virtuoso.managed_credentials()


@pytest.fixture(scope="session")
def sample_trig(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.trig"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def sample_published(server: virtuoso.VirtuosoStatus, sample_trig: Path) -> RemoteStore:
    publish(sample_trig, server.url, graph_prefix=GRAPH_PREFIX, auth=dba())
    return RemoteStore(server.url)


@pytest.fixture(scope="session")
def sample_embedded(sample_trig: Path) -> EmbeddedStore:
    store = EmbeddedStore()
    store.parse(sample_trig)
    return store


def _counts(store: RemoteStore | EmbeddedStore, prefix: str) -> dict[Node | None, Node | None]:
    table = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                         f'FILTER(STRSTARTS(STR(?g), "{prefix}")) }} GROUP BY ?g')
    return dict(table.rows)  # type: ignore[arg-type]


# ----------------------------------------------------------------- server management
def test_status_reports_a_running_answering_server(server: virtuoso.VirtuosoStatus) -> None:
    st = virtuoso.status(server.home)
    assert st.running and st.answers and st.pid == server.pid
    assert st.url == f"http://127.0.0.1:{server.http_port}/sparql"
    assert virtuoso.start(server.home).pid == server.pid  # starting a running server only reports it
    ini = (server.home / "virtuoso.ini").read_text()
    assert f"127.0.0.1:{server.http_port}" in ini and f"127.0.0.1:{server.sql_port}" in ini
    assert os.environ[virtuoso.PASSWORD_ENV] not in ini


@pytest.mark.endpoint
def test_stop_really_stops_and_then_nothing_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _require_virtuoso()
    monkeypatch.setenv(virtuoso.PASSWORD_ENV, secrets.token_urlsafe(12))
    began = time.monotonic()
    st = virtuoso.start(tmp_path / "vt", http_port=free_port(), sql_port=free_port())
    started = time.monotonic() - began
    try:
        assert st.running and st.answers
        assert virtuoso.stop(tmp_path / "vt") is True
        after = virtuoso.status(tmp_path / "vt")
        assert not after.running and not after.answers and after.pid is None
        assert not Path(f"/proc/{st.pid}").exists()
        with pytest.raises(EndpointUnreachable, match="nothing answers"):
            RemoteStore(st.url, retries=1, backoff=0.05).select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
        began = time.monotonic()
        again = virtuoso.start(tmp_path / "vt")  # ports come from the existing virtuoso.ini
        print(f"\nVirtuoso: new database {started:.1f}s, restart {time.monotonic() - began:.1f}s")
        assert again.answers and again.http_port == st.http_port
    finally:
        virtuoso.stop(tmp_path / "vt")
    assert virtuoso.stop(tmp_path / "vt") is False


@pytest.mark.endpoint
def test_new_database_needs_a_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(virtuoso.PASSWORD_ENV, raising=False)
    with pytest.raises(Exception, match=virtuoso.PASSWORD_ENV) as info:
        virtuoso.start(tmp_path / "vt", http_port=free_port(), sql_port=free_port())
    assert info.value.exit_code == 2  # type: ignore[attr-defined]


# ----------------------------------------------------------------- publishing
def test_publish_loads_every_named_graph_with_its_counts(server: virtuoso.VirtuosoStatus,
                                                          sample_published: RemoteStore,
                                                          sample_embedded: EmbeddedStore) -> None:
    assert _counts(sample_published, GRAPH_PREFIX) == _counts(sample_embedded, GRAPH_PREFIX)
    assert len(_counts(sample_published, GRAPH_PREFIX)) == 3


def test_publishing_twice_does_not_duplicate(server: virtuoso.VirtuosoStatus, sample_trig: Path,
                                             sample_published: RemoteStore,
                                             sample_embedded: EmbeddedStore) -> None:
    before, total = _counts(sample_published, GRAPH_PREFIX), sample_published.triple_count()
    seen: list[tuple[int, int]] = []
    report = publish(sample_trig, server.url, graph_prefix=GRAPH_PREFIX, auth=dba(),
                     progress=lambda done, total: seen.append((done, total)))
    assert _counts(sample_published, GRAPH_PREFIX) == before
    assert sample_published.triple_count() == total
    assert report.graphs == 3 and report.triples == sum(int(n) for n in before.values())  # type: ignore[arg-type]
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1] == report.triples
    blanks = "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?c ?p ?b FILTER(isBlank(?b)) }"
    assert sample_published.select(blanks).rows == sample_embedded.select(blanks).rows  # not doubled


def test_publish_prunes_graphs_the_trig_no_longer_has(server: virtuoso.VirtuosoStatus,
                                                       tmp_path: Path) -> None:
    prefix = "http://example.org/egovkg-prune/"
    two = tmp_path / "two.trig"
    two.write_text(f"<{prefix}a> {{ <{prefix}a> <{prefix}p> 1 . }}\n"
                   f"<{prefix}b> {{ <{prefix}b> <{prefix}p> 2 . }}\n")
    publish(two, server.url, graph_prefix=prefix, auth=dba())
    one = tmp_path / "one.trig"
    one.write_text(f"<{prefix}a> {{ <{prefix}a> <{prefix}p> 1 . }}\n")
    report = publish(one, server.url, graph_prefix=prefix, auth=dba())
    assert report.pruned == 1
    assert list(_counts(RemoteStore(server.url), prefix)) == [URIRef(prefix + "a")]


def test_wrong_password_is_an_auth_error(server: virtuoso.VirtuosoStatus, sample_trig: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EGOVKG_ENDPOINT_USER", "dba")
    monkeypatch.setenv("EGOVKG_ENDPOINT_PASSWORD", "not-the-password")
    with pytest.raises(EndpointAuthError) as info:
        publish(sample_trig, server.url, graph_prefix=GRAPH_PREFIX)
    assert info.value.exit_code == 3


# ----------------------------------------------------------------- same answers
SAMPLE_QUERIES = [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o) && STRSTARTS(STR(?s), STR(ex:))) }",
    "SELECT ?s (STR(?l) AS ?text) (LANG(?l) AS ?lang) WHERE { ?s rdfs:label ?l }",
    "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), 'zh')) }",
    "SELECT ?s ?y WHERE { ?s ex:founded ?y } ORDER BY ?y",
    "SELECT ?s ?f WHERE { ?s a ex:City OPTIONAL { ?s ex:pilot ?f } }",
    "SELECT ?s WHERE { ?s ex:pilot true }",
    "SELECT (SUM(?p) AS ?total) (MAX(?a) AS ?a1) (COUNT(*) AS ?n) WHERE { ?s ex:population ?p ; ex:area ?a }",
    "SELECT ?s ?m WHERE { ?s ex:start ?m FILTER(?m = '2020-05'^^xsd:gYearMonth) }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ex:City } } GROUP BY ?g",
    "SELECT ?s WHERE { ?s ex:note ?n FILTER(CONTAINS(?n, '\"first\"')) }",
    "SELECT ?s ?q WHERE { ?s ex:quote ?q FILTER(?q = 'Lu\u2019an and Shanghai') }",
    "SELECT ?class WHERE { ?class rdfs:subClassOf ?r . ?r owl:onProperty ex:within }",
]


@pytest.mark.parametrize("sparql", SAMPLE_QUERIES)
def test_select_equals_embedded(sample_published: RemoteStore, sample_embedded: EmbeddedStore,
                                sparql: str) -> None:
    text = PREFIXES + "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" \
        "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n" + sparql
    remote, embedded = sample_published.select(text), sample_embedded.select(text)
    assert remote.rows, "the sample query should find something"
    assert comparable(remote, "ORDER BY" in sparql) == comparable(embedded, "ORDER BY" in sparql)


def test_ask_and_an_unknown_graph_give_empty_answers(sample_published: RemoteStore) -> None:
    """A graph nobody loaded is not an error, SPARQL just finds nothing in it."""
    unknown = "SELECT ?s WHERE { GRAPH <http://example.org/egovkg-test/graph/nope> { ?s ?p ?o } }"
    assert sample_published.select(unknown).rows == []
    assert sample_published.ask(PREFIXES + "ASK { ex:shenzhen a ex:City }") is True
    assert sample_published.ask(PREFIXES + "ASK { ex:nowhere a ex:City }") is False


def test_bad_sparql_is_a_response_error(sample_published: RemoteStore) -> None:
    with pytest.raises(EndpointResponseError, match="HTTP 400"):
        sample_published.select("SELEKT nonsense")


def test_silent_server_is_a_timeout() -> None:
    with socket.socket() as sock:  # accepts connections (backlog) but never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
        with pytest.raises(EndpointTimeout):
            RemoteStore(url, timeout=0.5, retries=0).select("SELECT * WHERE { ?s ?p ?o }")


def test_system_graphs_stay_out_of_the_union(server: virtuoso.VirtuosoStatus,
                                             sample_published: RemoteStore) -> None:
    classes = sample_published.select("SELECT DISTINCT ?c WHERE { ?s a ?c }").column("c")
    assert not [c for c in classes if "openlinksw" in str(c) or "ldp#" in str(c)]
    graphs = sample_published.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").column("g")
    assert not [g for g in graphs if "openlinksw" in str(g) or "ldp#" in str(g) or "localuriqa" in str(g)]


# ----------------------------------------------------------------- the real graph and query library
_CONCAT = re.compile(r"GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?separator\s*=\s*(\"[^\"]*\"|'[^']*')\s*\)"
                     r"\s+AS\s+\?(\w+)", re.IGNORECASE | re.DOTALL)


def comparable(table: ResultTable, ordered: bool, sparql: str = "") -> list[tuple[object, ...]]:
    """Rows made comparable across stores: blank-node labels are store-local, the order
    of GROUP_CONCAT parts is undefined in SPARQL, and so is row order without ORDER BY."""
    seps = {var: sep[1:-1] for sep, var in _CONCAT.findall(sparql)}

    def cell(var: str, value: Node | None) -> object:
        if isinstance(value, BNode):
            return "_:blank"
        if var in seps and isinstance(value, Literal) and seps[var]:
            return Literal(seps[var].join(sorted(str(value).split(seps[var]))), datatype=value.datatype)
        return value

    rows = [tuple(cell(v, x) for v, x in zip(table.variables, row, strict=True)) for row in table.rows]
    return rows if ordered else sorted(rows, key=repr)


def example_params(qdef: QueryDef) -> list[dict[str, str]]:
    """Required parameters with the example from the header ('e.g. shenzhen'), then
    each optional parameter alone: the library's queries as the README shows them."""
    example = {p.name: m[1] for p in qdef.params if (m := re.search(r"e\.g\.\s*([\w-]+)", p.doc))}
    base = {p.name: example[p.name] for p in qdef.params if p.required and p.name in example}
    if any(p.required and p.name not in example for p in qdef.params):
        return []
    return [base] + [{**base, p.name: example[p.name]} for p in qdef.params
                     if not p.required and p.name in example]


# Queries Virtuoso 7.2.5 (Debian 12) answers differently, with the cause, if any. Empty since
# kg.query.library binds each parameter with its own single-variable VALUES block: one multi-variable
# VALUES row in a group with BIND and FILTER EXISTS made Virtuoso lose the binding.
VIRTUOSO_BUGS: dict[str, str] = {
}


@pytest.fixture(scope="session")
def real_published(real_server: virtuoso.VirtuosoStatus, real_build) -> tuple[RemoteStore, EmbeddedStore]:
    cfg, _, _ = real_build
    began = time.monotonic()
    report = publish(cfg.trig, real_server.url, auth=dba())
    seconds = time.monotonic() - began
    again = time.monotonic()
    publish(cfg.trig, real_server.url, auth=dba())
    print(f"\npublish real graph: {report.summary()} (wall {seconds:.1f}s; "
          f"publishing again {time.monotonic() - again:.1f}s)")
    embedded = EmbeddedStore()
    embedded.parse(cfg.trig)
    remote = RemoteStore(real_server.url, timeout=120)
    assert _counts(remote, str(GRAPH)) == _counts(embedded, str(GRAPH))
    assert embedded.triple_count() == report.triples
    return remote, embedded


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_library_query_answers_the_same_on_virtuoso(name: str, real_published) -> None:
    if name in VIRTUOSO_BUGS:
        pytest.xfail(VIRTUOSO_BUGS[name])
    remote, embedded = real_published
    qdef = LIBRARY[name]
    runs = example_params(qdef)
    if not runs:
        pytest.skip(f"{name}: a required parameter has no 'e.g. VALUE' example in its header")
    for params in runs:
        # as multisets: rows that tie under ORDER BY may come in either order
        got = comparable(run_query(remote, qdef, params), False, qdef.sparql)
        want = comparable(run_query(embedded, qdef, params), False, qdef.sparql)
        assert got == want, f"{name} {params}: Virtuoso {len(got)} rows, embedded {len(want)} rows"


def test_many_users_at_once_get_the_same_answers(real_published) -> None:
    """Serving many users is why one would move the build to Virtuoso (README "Serving many users"):
    eight clients, each with its own connection, run library queries at the same time and every one
    gets the rows the embedded store gives."""
    from concurrent.futures import ThreadPoolExecutor

    remote, embedded = real_published
    names = ["reforms-by-stage", "coevolution-links", "agency-changes", "technologies-by-stage"]
    want = {n: comparable(run_query(embedded, LIBRARY[n]), False, LIBRARY[n].sparql) for n in names}

    def client(k: int) -> list[bool]:
        own = RemoteStore(remote.url, timeout=120)
        return [comparable(run_query(own, LIBRARY[n]), False, LIBRARY[n].sparql) == want[n]
                for n in names[k % 4:] + names[:k % 4]]

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(client, range(8)))
    assert answers == [[True] * len(names)] * 8
