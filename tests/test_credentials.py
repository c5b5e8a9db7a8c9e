"""Credentials never leak: the dba password only for the managed Virtuoso, others only when
given, never Basic over plain http to a remote host, no dba/dba window at first start.

The "other endpoint" is a real http.server on 127.0.0.1 that asks for Basic auth and
records every Authorization header it receives; a non-loopback host name is reached
through it as an HTTP proxy (urllib honours http_proxy), so the request really names
a remote host while nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kg.errors import EndpointAuthError
from kg.store import virtuoso
from kg.store.remote import Credentials, RemoteStore
from tests.helpers import free_port, invoke

ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()
ROOT = Path(__file__).resolve().parent.parent


class Recorder(ThreadingHTTPServer):
    """Answers 401 + `WWW-Authenticate: Basic` without an Authorization header, else an ASK result."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[str | None] = []
        self.paths: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sparql"


class _Handler(BaseHTTPRequestHandler):
    server: Recorder

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.seen.append(self.headers.get("Authorization"))
        self.server.paths.append(self.path)
        if self.headers.get("Authorization") is None:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="sparql"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(ASK_TRUE)))
        self.end_headers()
        self.wfile.write(ASK_TRUE)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        """Quiet: the test reads `seen`, not the log."""


@pytest.fixture()
def recorder() -> Iterator[Recorder]:
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("EGOVKG_ENDPOINT_USER", "EGOVKG_ENDPOINT_PASSWORD", "http_proxy", "HTTP_PROXY",
                 "no_proxy", "NO_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(virtuoso.PASSWORD_ENV, "the-dba-secret")


def test_virtuoso_password_is_not_sent_to_another_endpoint(recorder: Recorder) -> None:
    with pytest.raises(EndpointAuthError) as info:
        RemoteStore(recorder.url, retries=0).ask("ASK {}")
    assert info.value.exit_code == 3
    assert recorder.seen and recorder.seen == [None] * len(recorder.seen)


def test_publish_cli_sends_no_credentials_unless_given(recorder: Recorder, tmp_path: Path) -> None:
    """`publish` once defaulted to user dba with $EGOVKG_VIRTUOSO_PASSWORD for any URL."""
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "egov.trig").write_text("<http://ex.org/g> { <http://ex.org/a> <http://ex.org/p> 1 . }\n")
    env: dict[str, str | None] = {k: None for k in os.environ if k.lower().endswith("_proxy")}
    env |= {virtuoso.PASSWORD_ENV: "the-dba-secret"}
    run = invoke("publish", "--endpoint", recorder.url, "--build", str(tmp_path / "build"),
                 "--home", str(tmp_path / "no-virtuoso"), env=env, project=tmp_path)
    assert run.returncode == 3, run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert recorder.seen and all(h is None for h in recorder.seen)


def test_explicit_credentials_answer_basic_on_loopback(recorder: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EGOVKG_ENDPOINT_PASSWORD", 'p\\a"s\'s')
    assert RemoteStore(recorder.url, user="alice", retries=0).ask("ASK {}") is True
    sent = {h for h in recorder.seen if h}
    assert sent == {"Basic " + base64.b64encode(b"alice:p\\a\"s's").decode()}


def test_basic_challenge_over_plain_http_to_a_remote_host_is_refused(recorder: Recorder,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{recorder.server_address[1]}")
    store = RemoteStore("http://sparql.example.org/sparql", auth=Credentials("alice", "secret"), retries=0)
    with pytest.raises(EndpointAuthError, match="Basic auth over plain http") as info:
        store.ask("ASK {}")
    assert info.value.exit_code == 3
    assert recorder.paths and recorder.paths[0].startswith("http://sparql.example.org/")  # it did go "remote"
    assert recorder.seen == [None]  # and the password did not


def test_credentials_repr_hides_the_password() -> None:
    assert "secret" not in repr(Credentials("alice", "secret"))


def test_is_managed_only_for_the_homes_loopback_port(tmp_path: Path) -> None:
    virtuoso.write_config(tmp_path, 18123, 11123)
    assert virtuoso.is_managed("http://127.0.0.1:18123/sparql", tmp_path)
    assert virtuoso.is_managed("http://localhost:18123/sparql-auth", tmp_path)
    assert not virtuoso.is_managed("http://127.0.0.1:18124/sparql", tmp_path)
    assert not virtuoso.is_managed("http://sparql.example.org:18123/sparql", tmp_path)
    assert not virtuoso.is_managed("http://127.0.0.1:18123/sparql", tmp_path / "elsewhere")


def test_sql_literal_doubles_quotes_and_backslashes() -> None:
    assert virtuoso.sql_literal("a'b\\c") == "'a''b\\\\c'"


def _isql_login(port: int, password: str) -> str:
    proc = subprocess.run(["isql-vt", f"127.0.0.1:{port}", "dba", password], input="select 1;\n",
                          capture_output=True, text=True, timeout=20, check=False)
    return "ok" if "Connected" in proc.stdout and "Bad login" not in proc.stdout + proc.stderr else \
        "bad login" if "Bad login" in proc.stdout + proc.stderr else "no server"


@pytest.mark.endpoint
def test_first_start_never_lets_dba_dba_in_and_odd_passwords_work(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A thread tries dba/dba on the SQL port from before the start until it returns.
    The password has a quote, a backslash and a double quote (Virtuoso SQL reads backslash escapes)."""
    if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
        pytest.fail("virtuoso-t/isql-vt not found: run 'scripts/setup.sh --test'")
    password = "it's\\a\"test" + secrets.token_hex(4)
    monkeypatch.setenv(virtuoso.PASSWORD_ENV, password)
    home, http_port, sql_port = tmp_path / "vt", free_port(), free_port()
    results: list[str] = []
    done = threading.Event()

    def hammer() -> None:
        while not done.is_set():
            results.append(_isql_login(sql_port, "dba"))
            time.sleep(0.01)

    thread = threading.Thread(target=hammer, daemon=True)
    thread.start()
    try:
        st = virtuoso.start(home, http_port=http_port, sql_port=sql_port)  # drops system graphs as dba: logs in
        results.append(_isql_login(sql_port, "dba"))
        done.set()
        thread.join(30)
        assert st.answers
        assert "ok" not in results and "bad login" in results, results[-5:]
        assert oct(home.stat().st_mode & 0o777) == "0o700"
        assert not (home / "autoexec.isql").exists()
        auth = Credentials("dba", password)  # HTTP digest: the password exactly as set, quote and backslash
        RemoteStore(f"http://127.0.0.1:{http_port}/sparql-auth", auth=auth, retries=0).update(
            "INSERT DATA { GRAPH <http://ex.org/g> { <http://ex.org/a> <http://ex.org/p> 1 } }")
        with pytest.raises(EndpointAuthError):
            RemoteStore(f"http://127.0.0.1:{http_port}/sparql-auth", auth=Credentials("dba", "dba"),
                        retries=0).update("CLEAR GRAPH <http://ex.org/g>")
    finally:
        done.set()
        virtuoso.stop(home)
