"""The remote store (kg.store.remote) against a real SPARQL 1.1 engine and crafted replies: terms, errors
and their fixes, timeouts, credentials, the Virtuoso pragma. The endpoint is the Oxigraph one of
tests/test_mutants_publish.py.
"""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef

from kg.errors import EndpointAuthError, EndpointResponseError, EndpointTimeout, UsageError
from kg.namespaces import XSD
from kg.store import remote
from kg.store.remote import Credentials, RemoteStore, credentials, is_loopback, term, update_url_for
from tests.test_mutants_publish import PREFIX, P, serve_oxigraph


@pytest.fixture()
def endpoint():
    yield from serve_oxigraph()


def test_remote_select_ask_update_and_count_on_a_real_engine(endpoint):
    url, store, _ = endpoint
    rs = RemoteStore(url, virtuoso=False, retries=0)
    rs.update(f"INSERT DATA {{ GRAPH <{PREFIX}g> {{ <{PREFIX}a> {P} \"v\"@EN , true , 7 , _:b }} }}")
    table = rs.select(f"SELECT ?o WHERE {{ <{PREFIX}a> {P} ?o }} ORDER BY STR(?o)")
    assert table.variables == ["o"] and len(table.rows) == 4
    got = {type(r[0]).__name__ + ":" + str(r[0]) for r in table.rows if not isinstance(r[0], BNode)}
    assert got == {"Literal:v", "Literal:true", "Literal:7"}
    lit = {str(r[0]): r[0] for r in table.rows}
    assert lit["v"].language == "en" and lit["true"].datatype == XSD.boolean and lit["7"].datatype == XSD.integer
    assert sum(isinstance(r[0], BNode) for r in table.rows) == 1
    assert rs.ask(f"ASK {{ <{PREFIX}a> {P} 7 }}") is True and rs.ask(f"ASK {{ <{PREFIX}a> {P} 8 }}") is False
    assert rs.triple_count() == 4
    with pytest.raises(EndpointResponseError, match="did not return an ASK result"):
        rs.ask("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(EndpointResponseError, match="did not return SELECT results"):
        rs.select("ASK { ?s ?p ?o }")

def test_virtuoso_is_known_by_its_server_header_and_gets_the_pragma(endpoint):
    url, _, handler = endpoint
    assert RemoteStore(url, retries=0).is_virtuoso() is False
    handler.server_header = "Virtuoso/07.20.3240 (Linux)"
    v = RemoteStore(url, retries=0)
    assert v.is_virtuoso() is True
    v.select("SELECT ?s WHERE { ?s ?p ?o }")
    v.select(f"SELECT ?s WHERE {{ GRAPH <{PREFIX}g> {{ ?s ?p ?o }} }}")
    assert handler.queries[-2].startswith(f"DEFINE input:default-graph-exclude <{remote.VIRTRDF}>\n"
                                          f"DEFINE input:named-graph-exclude <{remote.VIRTRDF}>\nSELECT")
    assert handler.queries[-1].startswith("SELECT")  # a constant GRAPH <iri>: no pragma


@pytest.mark.parametrize("code, error, message", [
    (401, EndpointAuthError, "refused the credentials (HTTP 401)"),
    (403, EndpointAuthError, "refused the credentials (HTTP 403)"),
    (500, EndpointTimeout, "timed out running the query: S1T00 Error: time out"),
    (504, EndpointTimeout, "timed out running the query: first line"),
    (400, EndpointResponseError, "answered HTTP 400: first line"),
    (404, EndpointResponseError, "answered HTTP 404: first line"),
    (502, EndpointResponseError, "answered HTTP 502: first line"),
    (503, EndpointResponseError, "answered HTTP 503: "),  # an empty body
])
def test_http_errors_map_to_one_line_errors(endpoint, code, error, message):
    url, _, _ = endpoint
    with pytest.raises(error) as info:
        RemoteStore(url.replace("/sparql", f"/status/{code}"), virtuoso=False, retries=0).select("SELECT * {}")
    assert message in info.value.message and info.value.exit_code == 3 and "\n" not in info.value.one_line()
    fixes = {400: "check the SPARQL syntax of the query", 404: "check the endpoint URL (Virtuoso: http://host:8890/sparql)",
             502: "see the server's log"}
    if code in fixes:
        assert info.value.fix == fixes[code]
    if code == 401:
        assert info.value.fix == f"check --user/{remote.USER_ENV} and {remote.PASSWORD_ENV}"

def test_terms_from_sparql_json():
    assert term(None) is None
    assert term({"type": "uri", "value": "http://x.org/a"}) == URIRef("http://x.org/a")
    assert term({"type": "bnode", "value": "nodeID://b7"}) == BNode("b7")
    assert term({"type": "literal", "value": "a", "xml:lang": "ZH-Hans"}) == Literal("a", lang="zh-hans")
    assert term({"type": "typed-literal", "value": "1", "datatype": str(XSD.boolean)}) == Literal("true", datatype=XSD.boolean)
    assert term({"type": "literal", "value": "0", "datatype": str(XSD.boolean)}) == Literal("false", datatype=XSD.boolean)
    assert term({"type": "literal", "value": "s"}) == Literal("s", datatype=XSD.string)
    for bad, msg in [({"type": "triple", "value": "x"}, "unknown RDF term type 'triple' in the endpoint's results"),
                     ({"type": "literal", "value": 5}, "a result value is malformed: {'type': 'literal', 'value': 5}"),
                     ("x", "a result value is malformed: x")]:
        with pytest.raises(EndpointResponseError) as info:
            term(bad)
        assert info.value.message == msg
        assert info.value.fix == "the endpoint does not return standard SPARQL JSON results"

def test_update_url_credentials_and_loopback(monkeypatch):
    assert update_url_for("http://h:8890/sparql") == "http://h:8890/sparql-auth"
    assert update_url_for("http://h/query") == "http://h/query"
    monkeypatch.delenv(remote.USER_ENV, raising=False)
    monkeypatch.setenv(remote.PASSWORD_ENV, "pw")
    assert credentials(None) is None  # a password alone is never sent
    c = credentials("alice")
    assert (c.user, c.password) == ("alice", "pw") and "pw" not in repr(c)
    monkeypatch.setenv(remote.USER_ENV, "bob")
    assert credentials(None).user == "bob"
    monkeypatch.delenv(remote.PASSWORD_ENV)
    with pytest.raises(UsageError) as info:
        credentials("alice")
    assert info.value.message == "no password for endpoint user 'alice'" and info.value.fix == f"export {remote.PASSWORD_ENV}"
    for host, loop in [("localhost", True), ("LOCALHOST", True), ("127.0.0.1", True), ("127.9.9.9", True), ("[::1]", True),
                       ("::1", True), ("10.0.0.1", False), ("example.org", False), ("", False), (None, False)]:
        assert is_loopback(host) is loop, host

def test_nothing_listening_is_unreachable_after_the_retries():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"  # bound, not listening: refused
        with pytest.raises(remote.EndpointUnreachable) as info:
            RemoteStore(url, virtuoso=False, retries=2, backoff=0.01).select("SELECT * {}")
    assert info.value.message.startswith(f"nothing answers at {url} (")
    assert info.value.fix == "start the server ('egovkg endpoint start') or fix the URL" and info.value.exit_code == 3

def test_a_silent_server_is_a_timeout_in_the_given_seconds():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)  # accepts the connection, never answers
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
        with pytest.raises(EndpointTimeout) as info:
            RemoteStore(url, virtuoso=False, retries=0, timeout=0.5).select("SELECT * {}")
    assert info.value.message == f"{url} did not answer within 0.5s"
    assert info.value.fix == "raise --timeout or check the server's load"

def test_reply_checks_name_their_fix(endpoint):
    url, _, _ = endpoint
    with pytest.raises(EndpointResponseError) as info:
        RemoteStore(url.replace("/sparql", "/headlist"), virtuoso=False, retries=0).select("SELECT * {}")
    assert info.value.fix == "use 'ask' for ASK queries; check the endpoint URL"
    expected = {
        "/maxrows": (EndpointResponseError, "cut the result at 10 rows",
                     "raise ResultSetMaxRows in the server's [SPARQL] settings or add LIMIT/OFFSET"),
        "/sqlstate": (EndpointTimeout, "returned a partial result (RC...: Returning incomplete results)",
                      "raise MaxQueryExecutionTime on the server or simplify the query"),
        "/notjson": (EndpointResponseError, "sent a reply that is not complete JSON (Expecting value at byte 0)",
                     "check that the URL is a SPARQL endpoint"),
        "/big": (EndpointResponseError, "sent a reply over 1000 bytes; it was refused",
                 "add LIMIT/OFFSET to the query or raise max_bytes"),
    }
    for path, (error, message, fix) in expected.items():
        with pytest.raises(error) as info:
            RemoteStore(url.replace("/sparql", path), virtuoso=False, retries=0, max_bytes=1000).select("SELECT * {}")
        assert info.value.message.endswith(message) and info.value.fix == fix, path


def test_a_digest_challenge_is_answered_with_the_given_credentials(endpoint):
    url, _, handler = endpoint
    handler.digest = "alice"
    store = RemoteStore(url, virtuoso=False, retries=0, auth=Credentials("alice", "pw"))
    assert store.ask("ASK {}") is True  # the empty pattern matches once
    with pytest.raises(EndpointAuthError):
        RemoteStore(url, virtuoso=False, retries=0).ask("ASK {}")  # no credentials: refused


def test_basic_over_plain_http_to_another_host_names_the_fix(endpoint, monkeypatch):
    url, _, handler = endpoint
    handler.basic = "alice:pw"
    monkeypatch.setenv("http_proxy", url.removesuffix("/sparql"))  # "remote" host, answered by our server
    store = RemoteStore("http://sparql.example.org/sparql", auth=Credentials("alice", "pw"), virtuoso=False, retries=0)
    with pytest.raises(EndpointAuthError) as info:
        store.ask("ASK {}")
    assert info.value.message == ("http://sparql.example.org/sparql asks for Basic auth over plain http; "
                                  "the password was not sent")
    assert info.value.fix == "use the server's https:// URL"
