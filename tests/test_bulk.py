"""Publishing with Virtuoso's bulk loader (kg.store.bulk): a real Virtuoso started here.

The module's server has its own temporary home, free ports and a random dba password,
and is always stopped. Expected counts and values are read off the hand-written TriG
below, not from the code under test. A missing virtuoso-t FAILS (scripts/setup.sh --test).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.errors import StoreError
from kg.store import virtuoso
from kg.store.bulk import LOAD_DIR, bulk_publish, isql
from kg.store.publish import check
from kg.store.remote import Credentials, RemoteStore
from tests.helpers import free_port

ROOT = Path(__file__).resolve().parent.parent
EX = "http://example.org/egovkg-bulk/"
# graph a: 5 triples about ex:a + 2 for the blank node = 7; graph b: 2.
HEAD = f"""PREFIX ex: <{EX}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
<{EX}graph/a> {{
  ex:a a ex:City ; rdfs:label "Lu\u2019an \\"first\\"\\nsecond line"@en ; ex:year "2009"^^xsd:gYear ;
    ex:n 3 ; ex:s "plain"^^xsd:string ; ex:shape [ ex:k "v" ] .
}}
"""
GRAPH_B = f"""<{EX}graph/b> {{ <{EX}b> a <{EX}City> ; <{EX}within> <{EX}a> . }}
"""


@pytest.fixture(scope="module")
def managed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, Credentials]]:
    if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
        pytest.fail("virtuoso-t/isql-vt not found: run 'scripts/setup.sh --test'")
    home = tmp_path_factory.mktemp("virtuoso-bulk")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(virtuoso.PASSWORD_ENV, secrets.token_urlsafe(16))
        status = virtuoso.start(home, http_port=free_port(), sql_port=free_port())
        try:
            yield home, status.url, virtuoso.managed_credentials()
        finally:
            virtuoso.stop(home)


def _trig(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "egov.trig"
    path.write_text(text, encoding="utf-8")
    return path


def _counts(url: str, auth: Credentials) -> dict[str, int]:
    rows = RemoteStore(url, auth=auth).select(
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), '{EX}graph/')) }} "
        "GROUP BY ?g").rows
    return {str(g): int(n) for g, n in rows}  # type: ignore[arg-type]


def test_bulk_load_replaces_and_prunes_and_leaves_a_complete_manifest(managed, tmp_path: Path) -> None:
    home, url, auth = managed
    trig = _trig(tmp_path, HEAD + GRAPH_B)
    report = bulk_publish(trig, url, auth, home=home, graph_prefix=EX + "graph/")
    assert (report.graphs, report.triples, report.pruned) == (2, 9, 0)
    assert _counts(url, auth) == {EX + "graph/a": 7, EX + "graph/b": 2}
    assert check(trig, url, graph_prefix=EX + "graph/", auth=auth).triples == 9
    remote = RemoteStore(url, auth=auth)
    (label,), = remote.select(f"SELECT ?l WHERE {{ <{EX}a> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}").rows
    assert label == Literal('Lu\u2019an "first"\nsecond line', lang="en")
    # xsd:string went in as a simple literal, so the plain literal finds it (as on the embedded store)
    assert remote.select(f'SELECT ?x WHERE {{ ?x <{EX}s> "plain" }}').rows == [(URIRef(EX + "a"),)]
    assert not any((home / LOAD_DIR).iterdir())  # the N-Quads files are gone
    # again without graph b: a replaced (not doubled), b pruned
    trig = _trig(tmp_path, HEAD)
    report = bulk_publish(trig, url, auth, home=home, graph_prefix=EX + "graph/")
    assert (report.graphs, report.triples, report.pruned) == (1, 7, 1)
    assert _counts(url, auth) == {EX + "graph/a": 7}
    assert check(trig, url, graph_prefix=EX + "graph/", auth=auth).graphs == 1


def test_isql_with_a_wrong_password_is_a_store_error(tmp_path: Path) -> None:
    # a server of its own: Virtuoso refuses every login from 127.0.0.1 for a while after a wrong one
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(virtuoso.PASSWORD_ENV, secrets.token_urlsafe(16))
        virtuoso.start(tmp_path / "v", http_port=free_port(), sql_port=free_port())
        try:
            assert "Connected to OpenLink Virtuoso" in isql(tmp_path / "v", virtuoso.managed_credentials(),
                                                              "select 1;", 30)
            with pytest.raises(StoreError, match="Bad login"):
                isql(tmp_path / "v", Credentials("dba", "not-the-password"), "select 1;", 30)
        finally:
            virtuoso.stop(tmp_path / "v")


def test_cli_publish_uses_the_bulk_loader_on_the_managed_server_only(managed, tmp_path: Path) -> None:
    home, url, auth = managed
    build = tmp_path / "build"
    build.mkdir()
    _trig(build, HEAD + GRAPH_B)
    env = dict(os.environ, **{virtuoso.PASSWORD_ENV: auth.password})
    env.pop("EGOVKG_ENDPOINT_PASSWORD", None)
    base = [sys.executable, "-m", "kg", "publish", "--endpoint", url, "--home", str(home), "--build", str(build)]
    for extra, bulk in (([], True), (["--no-bulk"], False)):
        res = subprocess.run(base + extra, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
        assert res.returncode == 0, res.stderr
        assert ("(bulk loader)" in res.stdout) is bulk
        assert "9 triples in 2 named graphs" in " ".join(res.stdout.split())
    res = subprocess.run(base + ["--check"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert res.returncode == 0 and "complete: 2 graphs, 9 triples" in " ".join(res.stdout.split()), res.stderr
