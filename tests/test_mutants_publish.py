"""Publishing (kg.store.publish) and the remote store (kg.store.remote) against a real SPARQL 1.1 engine.

The endpoint is Oxigraph behind a small http.server on 127.0.0.1 speaking the SPARQL 1.1 protocol
(form-encoded `query=` / `update=`, JSON results), so publish, check, prune and the manifest run end to
end without Virtuoso. Expected counts are those of the hand-written TriG below.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from kg.errors import EndpointAuthError, EndpointResponseError, EndpointTimeout
from kg.namespaces import XSD
from kg.store.publish import _bnode_chunks, _n3, build_id, check, manifest_iri, publish
from kg.store.remote import Credentials

PREFIX = "http://example.org/pub/"
P = f"<{PREFIX}p>"
# 3 graphs, 7 triples: g0 has 2, g1 has 1 plus a blank-node chain of 3, g2 has 1
TRIG = f"""
<{PREFIX}g0> {{ <{PREFIX}a> {P} "x"^^<http://www.w3.org/2001/XMLSchema#string> , "y"@en . }}
<{PREFIX}g1> {{ <{PREFIX}b> {P} 5 ; {P} _:n1 . _:n1 {P} _:n2 . _:n2 {P} "deep" . }}
<{PREFIX}g2> {{ <{PREFIX}c> {P} <{PREFIX}a> . }}
"""
SMALLER = f'<{PREFIX}g0> {{ <{PREFIX}a> {P} "x" . }}\n'


class _Oxigraph(BaseHTTPRequestHandler):
    store: ox.Store
    server_header = ""
    queries: list[str] = []
    paths: list[str] = []
    basic = ""  # "user:password" the server demands (Basic auth, loopback only), or "" for none
    digest = ""  # a user the server demands by a Digest challenge (any Digest answer naming the user passes)
    drop = ""  # a graph whose triples the server silently loses after each update

    def do_POST(self) -> None:  # noqa: N802
        if self.basic and self.headers.get("Authorization") != "Basic " + base64.b64encode(self.basic.encode()).decode():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="sparql"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.digest and not (self.headers.get("Authorization") or "").startswith(f'Digest username="{self.digest}"'):
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Digest realm="sparql", nonce="abc123", qop="auth", algorithm="MD5"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        crafted = {"/headlist": (b'{"head": [], "results": {"bindings": []}}', {}),
                   "/maxrows": (b'{"head": {"vars": []}, "results": {"bindings": []}}', {"X-SPARQL-MaxRows": "10"}),
                   "/sqlstate": (b'{"head": {"vars": []}, "results": {"bindings": []}}',
                                 {"X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results"}),
                   "/notjson": (b"<html>", {}), "/big": (b" " * 2000 + b"{}", {})}
        if self.path in crafted:
            body, headers = crafted[self.path]
            self.send_response(200)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path.startswith("/status/"):
            code = int(self.path.rsplit("/", 1)[1])
            body = {500: b"S1T00 Error: time out\nmore", 503: b""}.get(code, b"first line\nsecond")
            self.send_response(code)
            if code == 401:
                self.send_header("WWW-Authenticate", 'Basic realm="x"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        body = b""
        type(self).paths.append(self.path)
        if "update" in form:
            self.store.update(form["update"][0])
            if self.drop:
                self.store.update(f"DROP SILENT GRAPH <{self.drop}>")
        else:
            text = form["query"][0]
            type(self).queries.append(text)
            text = "\n".join(line for line in text.splitlines() if not line.startswith("DEFINE "))
            res = self.store.query(text, use_default_graph_as_union=True)
            body = res.serialize(format=ox.QueryResultsFormat.JSON)  # type: ignore[union-attr]
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def version_string(self) -> str:
        return self.server_header or super().version_string()

    def log_message(self, *args: object) -> None:
        """Quiet."""


def serve_oxigraph() -> Iterator[tuple[str, ox.Store, type[_Oxigraph]]]:
    """A fresh in-memory Oxigraph behind a SPARQL 1.1 endpoint on a free loopback port, while in use."""
    store = ox.Store()
    handler = type("H", (_Oxigraph,), {"store": store, "queries": [], "paths": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", store, handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def endpoint() -> Iterator[tuple[str, ox.Store, type[_Oxigraph]]]:
    yield from serve_oxigraph()


def _trig(tmp_path: Path, text: str, name: str = "egov.trig") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _counts(store: ox.Store) -> dict[str, int]:
    out: dict[str, int] = {}
    for q in store.quads_for_pattern(None, None, None, None):
        if str(q.graph_name.value).startswith(PREFIX):
            out[q.graph_name.value] = out.get(q.graph_name.value, 0) + 1
    return out


def test_publish_loads_every_graph_once_and_check_confirms_it(endpoint, tmp_path):
    url, store, _ = endpoint
    trig = _trig(tmp_path, TRIG)
    seen: list[tuple[int, int]] = []
    report = publish(trig, url, update_url=url, graph_prefix=PREFIX, batch_triples=2, progress=lambda d, t: seen.append((d, t)))
    assert (report.graphs, report.triples, report.pruned) == (3, 7, 0)
    assert report.summary().startswith(f"published 7 triples in 3 named graphs to {url} in ")
    assert seen == [(0, 7), (2, 7), (6, 7), (7, 7)]  # start, then batches g0 (2), g1 (4), g2 (1)
    want = {PREFIX + "g0": 2, PREFIX + "g1": 4, PREFIX + "g2": 1}
    assert _counts(store) == want
    assert len(list(store.quads_for_pattern(None, None, ox.Literal("x"), None))) == 1  # sent as a simple literal
    assert len(list(store.quads_for_pattern(None, None, ox.Literal("deep"), None))) == 1
    publish(trig, url, update_url=url, graph_prefix=PREFIX)  # again: replaced, not duplicated
    assert _counts(store) == want
    ok = check(trig, url, graph_prefix=PREFIX)
    assert (ok.graphs, ok.triples, ok.build) == (3, 7, hashlib.sha256(trig.read_bytes()).hexdigest()[:16])
    assert ok.summary() == f"{url} holds build {ok.build} complete: 3 graphs, 7 triples, counts match the manifest"
    manifest = ox.NamedNode(str(manifest_iri(PREFIX)))
    states = [q.object.value for q in store.quads_for_pattern(manifest, ox.NamedNode("https://w3id.org/egov-kg/publish#state"),
                                                              None, manifest)]
    assert states == ["complete"]


def test_publish_prunes_graphs_the_build_no_longer_has(endpoint, tmp_path):
    url, store, _ = endpoint
    publish(_trig(tmp_path, TRIG), url, update_url=url, graph_prefix=PREFIX)
    store.update(f"INSERT DATA {{ GRAPH <http://other.org/g> {{ <{PREFIX}z> {P} 1 }} }}")  # outside the prefix
    smaller = _trig(tmp_path, SMALLER, "smaller.trig")
    report = publish(smaller, url, update_url=url, graph_prefix=PREFIX)
    assert (report.graphs, report.triples, report.pruned) == (1, 1, 2)
    assert "removed 2 stale graphs" in report.summary()
    assert _counts(store) == {PREFIX + "g0": 1}
    assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode("http://other.org/g")))) == 1
    assert publish(smaller, url, update_url=url, graph_prefix=PREFIX, prune=False).pruned == 0
    assert check(smaller, url, graph_prefix=PREFIX).triples == 1


def test_check_names_an_interrupted_a_different_or_a_changed_publish(endpoint, tmp_path):
    url, store, _ = endpoint
    trig = _trig(tmp_path, TRIG)
    with pytest.raises(EndpointResponseError, match="has no publish manifest"):
        check(trig, url, graph_prefix=PREFIX)
    publish(trig, url, update_url=url, graph_prefix=PREFIX)
    other = _trig(tmp_path, SMALLER, "other.trig")
    with pytest.raises(EndpointResponseError, match=f"holds build {build_id(trig)}, not the build in"):
        check(other, url, graph_prefix=PREFIX)
    assert check(None, url, graph_prefix=PREFIX).graphs == 3  # no build given: manifest against endpoint only
    store.update(f"INSERT DATA {{ GRAPH <{PREFIX}g2> {{ <{PREFIX}c> {P} 99 }} }}")
    with pytest.raises(EndpointResponseError) as info:
        check(trig, url, graph_prefix=PREFIX)
    assert info.value.message == (f"{url} differs from its manifest in 1 graph(s), e.g. {PREFIX}g2 "
                                  "(2 triples there, 1 in the manifest)")
    store.update(f"INSERT DATA {{ GRAPH <{PREFIX}new> {{ <{PREFIX}c> {P} 1 }} }}")
    with pytest.raises(EndpointResponseError, match="in 2 graph"):
        check(trig, url, graph_prefix=PREFIX)
    m = manifest_iri(PREFIX).n3()
    store.update(f"DELETE WHERE {{ GRAPH {m} {{ {m} <https://w3id.org/egov-kg/publish#state> ?s }} }} ; "
                 f"INSERT DATA {{ GRAPH {m} {{ {m} <https://w3id.org/egov-kg/publish#state> \"incomplete\" }} }}")
    with pytest.raises(EndpointResponseError, match="was interrupted \\(manifest state 'incomplete'\\)"):
        check(trig, url, graph_prefix=PREFIX)


def test_blank_node_chains_stay_in_one_chunk():
    b1, b2, b3, s = BNode(), BNode(), BNode(), URIRef(PREFIX + "s")
    p = URIRef(PREFIX + "p")
    t1, t2, t3, t4 = (b1, p, b2), (b2, p, Literal("x")), (s, p, b3), (b3, p, Literal("y"))
    assert _bnode_chunks([t1, t2, t3, t4], limit=3) == [[t1, t2], [t3, t4]]
    assert _bnode_chunks([t1, t2, t3, t4], limit=4) == [[t1, t2, t3, t4]]
    assert _bnode_chunks([t3, t1, t4, t2], limit=2) == [[t3, t4], [t1, t2]]


def test_xsd_string_goes_out_as_a_simple_literal():
    assert _n3(Literal("x", datatype=XSD.string)) == '"x"'
    assert _n3(Literal("x", lang="en")) == '"x"@en'
    assert _n3(Literal(5)) == '"5"^^<http://www.w3.org/2001/XMLSchema#integer>'


def test_credentials_go_to_the_reader_and_the_writer(endpoint, tmp_path):
    url, store, handler = endpoint
    handler.basic = "alice:s3cret"
    trig = _trig(tmp_path, TRIG)
    with pytest.raises(EndpointAuthError):
        publish(trig, url, update_url=url, graph_prefix=PREFIX)  # anonymous: refused
    report = publish(trig, url, update_url=url, graph_prefix=PREFIX, auth=Credentials("alice", "s3cret"))
    assert report.triples == 7 and _counts(store)[PREFIX + "g1"] == 4
    assert check(trig, url, graph_prefix=PREFIX, auth=Credentials("alice", "s3cret")).triples == 7


def test_a_graph_the_server_loses_stops_the_publish(endpoint, tmp_path):
    url, _, handler = endpoint
    handler.drop = PREFIX + "g2"
    with pytest.raises(EndpointResponseError) as info:
        publish(_trig(tmp_path, TRIG), url, update_url=url, graph_prefix=PREFIX)
    assert info.value.message == f"triple counts differ after loading 1 graph(s): {PREFIX}g2 (0 on the endpoint, 1 in the TriG)"
    assert info.value.fix.startswith("the server merged or dropped triples")


def test_a_publish_stopped_half_way_leaves_an_incomplete_manifest(endpoint, tmp_path):
    url, _, _ = endpoint
    trig = _trig(tmp_path, TRIG)

    def stop(done: int, total: int) -> None:
        raise KeyboardInterrupt  # as if killed right after the manifest said "incomplete"

    with pytest.raises(KeyboardInterrupt):
        publish(trig, url, update_url=url, graph_prefix=PREFIX, progress=stop)
    with pytest.raises(EndpointResponseError) as info:
        check(trig, url, graph_prefix=PREFIX)
    assert info.value.message == (f"{url}: the publish of build {build_id(trig)} was interrupted (manifest state "
                                  "'incomplete'); the endpoint holds a mix of builds")
    assert info.value.fix == "run 'egovkg publish' again: every graph is replaced, the manifest written last"


def test_check_messages_say_what_to_run(endpoint, tmp_path):
    url, _, _ = endpoint
    trig = _trig(tmp_path, TRIG)
    with pytest.raises(EndpointResponseError) as info:
        check(trig, url, graph_prefix=PREFIX)
    assert info.value.message == (f"{url} has no publish manifest ({manifest_iri(PREFIX)}): nothing published, "
                                  "or by an older egovkg")
    assert info.value.fix == "run 'egovkg publish'"
    publish(trig, url, update_url=url, graph_prefix=PREFIX)
    other = _trig(tmp_path, SMALLER, "other.trig")
    with pytest.raises(EndpointResponseError) as info:
        check(other, url, graph_prefix=PREFIX)
    assert info.value.fix == "run 'egovkg publish' to put this build there"


def test_check_and_publish_respect_the_timeout(tmp_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(4)
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
        with pytest.raises(EndpointTimeout, match="did not answer within 0.5s"):
            check(None, url, graph_prefix=PREFIX, timeout=0.5)
        with pytest.raises(EndpointTimeout, match="did not answer within 0.5s"):
            publish(_trig(tmp_path, TRIG), url, update_url=url, graph_prefix=PREFIX, timeout=0.5)


def test_updates_go_to_sparql_auth_next_to_sparql_unless_given(endpoint, tmp_path):
    url, store, handler = endpoint
    publish(_trig(tmp_path, TRIG), url, graph_prefix=PREFIX)  # no update_url: Virtuoso's /sparql-auth
    assert "/sparql-auth" in handler.paths and _counts(store)[PREFIX + "g0"] == 2
