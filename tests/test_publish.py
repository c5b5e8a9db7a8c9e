"""Publishing is visibly all-or-nothing, bounded in time, and endpoint replies are never
trusted blindly: an interrupted publish is reported (exit 3) and repaired by publishing
again; a reply that is cut, oversized or malformed is refused with a one-line error.

Crafted replies come from a real http.server on 127.0.0.1; the publish tests use a
Virtuoso of this module's own (temporary home, free loopback ports), stopped at the end.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.errors import EndpointResponseError, EndpointTimeout
from kg.store import virtuoso
from kg.store.publish import build_id, check, publish
from kg.store.remote import RemoteStore
from tests.helpers import free_port, invoke

PREFIX = "http://example.org/egovkg-publish/"
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


def _select(rows: list[object]) -> bytes:
    return json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": rows}}).encode()


GOOD = _select([{"s": {"type": "uri", "value": "http://ex.org/a"}},
                {"s": {"type": "literal", "value": "b", "xml:lang": "EN"}}])
BIG = _select([{"s": {"type": "literal", "value": "x" * 100}}] * 60)  # about 6,000 bytes
REPLIES: dict[str, tuple[bytes, dict[str, str]]] = {
    "/good": (GOOD, {}),
    "/lists": (_select([[{"type": "uri", "value": "http://ex.org/a"}]]), {}),
    "/value-number": (_select([{"s": {"type": "literal", "value": 5}}]), {}),
    "/bindings-dict": (json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": {"s": 1}}}).encode(), {}),
    "/top-list": (b"[1, 2]", {}),
    "/big": (BIG, {}),
    "/maxrows": (GOOD, {"X-SPARQL-MaxRows": "2"}),
    "/commas": (json.dumps({"head": {"vars": ["a", "b"]}, "results": {"bindings": [
        {"a": {"type": "literal", "value": "x, y"}, "b": {"type": "uri", "value": "http://ex.org/z"}}]}}).encode(), {}),
}


class _Crafted(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())
        path = self.path.split("?")[0]
        if "ASK" in form.get("query", [""])[0] and path != "/top-list":  # the CLI's checks before the query
            self._send(json.dumps({"head": {}, "boolean": True}).encode(), {})
            return
        if path == "/cut":  # promises 2,000 bytes, sends the first 60 and closes
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", "2000")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(BIG[:60])
            self.close_connection = True
            return
        if path == "/cut-unsized":  # no length, closes mid-JSON: only the parser can tell
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(GOOD[: len(GOOD) // 2])
            self.close_connection = True
            return
        self._send(*REPLIES[path])

    def _send(self, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def crafted() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Crafted)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _store(url: str, **kw: object) -> RemoteStore:
    return RemoteStore(url, **{"virtuoso": False, "retries": 0, "timeout": 5, **kw})  # type: ignore[arg-type]


def test_a_well_formed_reply_is_read(crafted: str) -> None:
    table = _store(crafted + "/good").select("SELECT ?s WHERE { ?s ?p ?o }")
    assert table.variables == ["s"]
    assert table.rows == [(URIRef("http://ex.org/a"),), (Literal("b", lang="en"),)]


@pytest.mark.parametrize("path, message", [
    ("/lists", "row 1 as a list"),
    ("/value-number", "result value is malformed"),
    ("/bindings-dict", "did not return SELECT results"),
    ("/top-list", "not a SPARQL results object"),
])
def test_malformed_reply_is_a_one_line_exit_3(crafted: str, path: str, message: str) -> None:
    with pytest.raises(EndpointResponseError, match=message) as info:
        _store(crafted + path).select("SELECT ?s WHERE { ?s ?p ?o }")
    assert info.value.exit_code == 3 and "\n" not in info.value.one_line()


@pytest.mark.parametrize("path, message", [
    ("/cut", "the reply was cut"),
    ("/cut-unsized", "not complete JSON"),
    ("/maxrows", "cut the result at 2 rows"),
])
def test_truncated_reply_is_refused_not_returned_as_complete(crafted: str, path: str, message: str) -> None:
    with pytest.raises(EndpointResponseError, match=message):
        _store(crafted + path).select("SELECT ?s WHERE { ?s ?p ?o }")


def test_oversized_reply_is_refused(crafted: str) -> None:
    assert len(_store(crafted + "/big", max_bytes=10_000).select("SELECT * {}").rows) == 60
    with pytest.raises(EndpointResponseError, match="reply over 1000 bytes"):
        _store(crafted + "/big", max_bytes=1000).select("SELECT * {}")


def test_query_cli_on_a_reply_with_list_bindings_exits_3_in_one_line(crafted: str, tmp_path: Path) -> None:
    run = invoke("query", "reforms-by-stage", "-p", "place=shenzhen", "--endpoint", crafted + "/lists", project=tmp_path)
    assert run.returncode == 3, run.stderr
    assert "Traceback" not in run.stderr and run.stderr.strip().count("\n") == 0
    assert "row 1 as a list" in run.stderr


def _trig(path: Path, graphs: int, extra: str = "") -> Path:
    lines = [f"<{PREFIX}g{i}> {{ <{PREFIX}s{i}> <{PREFIX}p> {i}, \"v{i}{extra}\" ; <{PREFIX}q> <{PREFIX}o> . }}"
             for i in range(graphs)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_publish_timeout_bounds_a_silent_server(tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    _trig(build / "egov.trig", 2)
    with socket.socket() as sock:  # accepts connections (backlog) but never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(4)
        began = time.monotonic()
        run = invoke("publish", "--endpoint", f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", "--build", str(build),
                   "--timeout", "0.5", project=tmp_path)
        took = time.monotonic() - began
    assert run.returncode == 3 and "did not answer within 0.5s" in run.stderr, run.stderr
    assert took < 20  # the default would wait 120 s a request


def test_publish_timeout_reaches_the_store() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(4)
        with pytest.raises(EndpointTimeout, match="within 0.3s"):
            _store(f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", timeout=0.3).select("SELECT * {}")


# ----------------------------------------------------------------- manifest on a real Virtuoso
@pytest.fixture(scope="module")
def vt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[virtuoso.VirtuosoStatus]:
    if shutil.which("virtuoso-t") is None:
        pytest.fail("virtuoso-t not found: run 'scripts/setup.sh --test'")
    home = tmp_path_factory.mktemp("virtuoso-publish")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(virtuoso.PASSWORD_ENV, secrets.token_urlsafe(12))
        mp.delenv("EGOVKG_ENDPOINT_USER", raising=False)
        mp.delenv("EGOVKG_ENDPOINT_PASSWORD", raising=False)
        st = virtuoso.start(home, http_port=free_port(), sql_port=free_port())
        try:
            yield st
        finally:
            virtuoso.stop(home)


class Interrupt(Exception):
    """Stands for Ctrl-C or a lost connection half-way through a publish."""


def test_interrupted_publish_is_reported_and_publishing_again_repairs_it(vt: virtuoso.VirtuosoStatus,
                                                                          tmp_path: Path) -> None:
    dba = virtuoso.managed_credentials()
    first = _trig(tmp_path / "first.trig", 6)
    publish(first, vt.url, auth=dba, graph_prefix=PREFIX)
    assert check(first, vt.url, graph_prefix=PREFIX).graphs == 6
    second = _trig(tmp_path / "second.trig", 6, extra="-new")

    def stop_after_two(done: int, total: int) -> None:
        if done >= 2 * 3:  # each graph holds 3 triples, one graph per batch
            raise Interrupt

    with pytest.raises(Interrupt):
        publish(second, vt.url, auth=dba, graph_prefix=PREFIX, batch_triples=3, progress=stop_after_two)
    with pytest.raises(EndpointResponseError, match="interrupted") as info:
        check(second, vt.url, graph_prefix=PREFIX)
    assert info.value.exit_code == 3 and build_id(second) in info.value.one_line()
    # the endpoint really is a mix: graph 0 new, graph 5 old
    mixed = RemoteStore(vt.url).select(f"SELECT ?v WHERE {{ GRAPH ?g {{ ?s <{PREFIX}p> ?v FILTER(isLiteral(?v) && "
                                       f"datatype(?v) = <{XSD_STRING}>) }} }} ORDER BY ?v").column("v")
    assert Literal("v0-new", datatype=XSD_STRING) in mixed and Literal("v5", datatype=XSD_STRING) in mixed
    report = publish(second, vt.url, auth=dba, graph_prefix=PREFIX)
    assert report.graphs == 6 and report.triples == 18
    ok = check(second, vt.url, graph_prefix=PREFIX)
    assert (ok.build, ok.graphs, ok.triples) == (hashlib.sha256(second.read_bytes()).hexdigest()[:16], 6, 18)
    with pytest.raises(EndpointResponseError, match="holds build .*, not the build in"):
        check(first, vt.url, graph_prefix=PREFIX)


def test_a_graph_changed_behind_the_manifest_is_reported(vt: virtuoso.VirtuosoStatus, tmp_path: Path) -> None:
    prefix = PREFIX + "changed/"
    trig = tmp_path / "t.trig"
    trig.write_text(f"<{prefix}a> {{ <{prefix}a> <{prefix}p> 1, 2 . }}\n<{prefix}b> {{ <{prefix}b> <{prefix}p> 3 . }}\n")
    dba = virtuoso.managed_credentials()
    publish(trig, vt.url, auth=dba, graph_prefix=prefix)
    RemoteStore(vt.url.replace("/sparql", "/sparql-auth"), auth=dba).update(f"CLEAR GRAPH <{prefix}b>")
    with pytest.raises(EndpointResponseError, match=f"differs from its manifest in 1 graph.*{prefix}b "
                                                    r"\(0 triples there, 1 in the manifest\)"):
        check(trig, vt.url, graph_prefix=prefix)


def test_publish_check_and_status_cli_exit_codes(vt: virtuoso.VirtuosoStatus, tmp_path: Path) -> None:
    """Run from a folder that is not the checkout; the default graph prefix, as a user publishes."""
    build = tmp_path / "build"
    build.mkdir()
    _trig(build / "egov.trig", 3)
    args = ("--endpoint", vt.url, "--build", str(build), "--home", str(vt.home))
    none_yet = invoke("publish", "--check", *args, project=tmp_path)
    assert none_yet.returncode == 3 and "no publish manifest" in none_yet.stderr
    assert invoke("publish", *args, project=tmp_path).returncode == 0
    checked = invoke("publish", "--check", *args, project=tmp_path)
    assert checked.returncode == 0 and "complete" in checked.stdout, checked.stderr
    status = invoke("endpoint", "status", "--home", str(vt.home), "--build", str(build), project=tmp_path)
    assert status.returncode == 0 and "complete" in status.stdout, status.stderr
    _trig(build / "egov.trig", 4)  # a new build, not yet published
    stale = invoke("endpoint", "status", "--home", str(vt.home), "--build", str(build), project=tmp_path)
    assert stale.returncode == 3 and "not the build in" in stale.stderr
    assert stale.stderr.strip().count("\n") == 0 and "Traceback" not in stale.stderr


@pytest.mark.parametrize("fmt, expected", [
    ("tsv", "a\tb\nx, y\thttp://ex.org/z\n"),  # tab-separated: the comma stays inside the value
    ("csv", 'a,b\n"x, y",http://ex.org/z\n'),
])
def test_endpoint_results_as_tsv_use_tabs_and_csv_quotes(crafted: str, tmp_path: Path, fmt: str, expected: str) -> None:
    run = invoke("query", "reforms-by-stage", "-p", "place=shenzhen", "-f", fmt, "--endpoint", crafted + "/commas",
               project=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout == expected


def test_publish_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = invoke("publish", "--endpoint", "http://127.0.0.1:9/sparql", "--build", str(tmp_path / "nope"), project=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    build = tmp_path / "build"
    build.mkdir()
    _trig(build / "egov.trig", 1)
    zero = invoke("publish", "--endpoint", "http://127.0.0.1:9/sparql", "--build", str(build), "--timeout", "0",
                project=tmp_path)
    assert zero.returncode == 2 and "--timeout" in zero.stderr


def test_unreachable_endpoint_exits_3(tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    _trig(build / "egov.trig", 1)
    run = invoke("publish", "--endpoint", f"http://127.0.0.1:{free_port()}/sparql", "--build", str(build), project=tmp_path)
    assert run.returncode == 3 and "nothing answers" in run.stderr
