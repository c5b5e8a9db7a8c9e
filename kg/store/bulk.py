"""Publish a build to the managed Virtuoso with its bulk loader (ld_dir + rdf_loader_run).

Why: SPARQL Update sends every triple as query text that Virtuoso parses and compiles
batch by batch; the bulk loader reads N-Quads from a file on the server's own disk, an
order of magnitude faster at 100 copies (see README, "Performance and scale"). It only
works where the server can read our files and we can log in over SQL: the server
`egovkg endpoint` manages (its home is in the ini's DirsAllowed). Everywhere else
kg.store.publish (SPARQL Update) stays the way.

The manifest semantics are kg.store.publish's: "incomplete" over HTTP before the first
graph is touched, "complete" with every graph's count last, after the counts on the
server were read back and match the TriG. The dba password goes only to this server:
on isql's standard input (isql reads it from there when the command line has none), so
it is never on a command line (`ps`) nor in a file. Paths and IRIs inside SQL text are
quoted with kg.store.virtuoso.sql_literal.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path

import pyoxigraph
from rdflib import URIRef

from kg.errors import EndpointResponseError, StoreError
from kg.namespaces import GRAPH
from kg.store.publish import PublishReport, _write_manifest, build_id, manifest_iri
from kg.store.remote import Credentials, RemoteStore, update_url_for
from kg.store.virtuoso import DEFAULT_HOME, _ports, binary, sql_literal

LOAD_DIR = "bulk-load"  # under the server's home, which DirsAllowed lists
_ERROR_MARK = "EGOVKG-LOAD-ERROR"


def write_nquads(trig_path: Path, folder: Path, default_graph: str = str(GRAPH["default"])) -> Counter[str]:
    """The TriG as one N-Quads file in `folder`, and its distinct triples per graph.

    Oxigraph parses and writes, so lexical forms and escapes are the embedded store's;
    xsd:string literals come out as simple literals (what kg.store.publish sends too).
    Triples outside any named graph (the build writes none) go to `default_graph`."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(trig_path), format=pyoxigraph.RdfFormat.TRIG)
    counts: Counter[str] = Counter()
    default = pyoxigraph.NamedNode(default_graph)
    quads = []
    for q in store:
        g = default if isinstance(q.graph_name, pyoxigraph.DefaultGraph) else q.graph_name
        counts[g.value] += 1
        quads.append(pyoxigraph.Quad(q.subject, q.predicate, q.object, g))
    pyoxigraph.serialize(quads, str(folder / "build.nq"), pyoxigraph.RdfFormat.N_QUADS)
    return counts


def isql(home: Path, auth: Credentials, script: str, timeout: float) -> str:
    """Run SQL on the managed server of `home` as `auth`; its output, or a StoreError with isql's error line.

    The password is the first line of standard input (never argv); one statement a line.
    isql first tries an empty password, so each call logs one "Incorrect login" in virtuoso.log;
    after a real wrong password Virtuoso refuses logins from 127.0.0.1 for a short while."""
    if "\n" in auth.password:
        raise StoreError("the dba password contains a line break, which isql cannot read",
                         "choose a password without line breaks")
    sql_port = _ports(Path(home).resolve(), None, None)[1]
    try:
        proc = subprocess.run([binary("isql-vt"), f"127.0.0.1:{sql_port}", auth.user],
                              input=auth.password + "\n" + script + "\nexit;\n", capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise StoreError(f"isql on 127.0.0.1:{sql_port} did not finish within {timeout:.0f}s",
                         "raise --timeout or check the server's virtuoso.log") from exc
    text = proc.stdout + proc.stderr
    # isql first tries an empty password (none on its command line), fails with "Bad login",
    # then reads the real one from stdin: that first error is harmless once it has connected.
    connected = "Connected to OpenLink Virtuoso" in proc.stdout
    bad = [line for line in text.splitlines()
           if ("*** Error" in line or "Bad login" in line) and not (connected and "CL034: Bad login" in line)]
    if proc.returncode != 0 or bad or not connected:
        raise StoreError(f"isql on 127.0.0.1:{sql_port}: {(bad or text.strip().splitlines()[-1:] or ['?'])[0]}",
                         "check $EGOVKG_VIRTUOSO_PASSWORD and the server's virtuoso.log")
    return text


def bulk_publish(trig_path: Path, endpoint_url: str, auth: Credentials, *, home: Path = DEFAULT_HOME,
                 prune: bool = True, graph_prefix: str = str(GRAPH), timeout: float = 600.0) -> PublishReport:
    """Replace the build's graphs on the managed Virtuoso by a bulk load; same report as publish().

    Order: manifest "incomplete"; N-Quads written under home/bulk-load/; the TriG's graphs (and,
    with `prune`, every graph under `graph_prefix`) deleted in SQL; ld_dir + rdf_loader_run;
    checkpoint; per-graph counts read back over SPARQL and compared with the TriG's; manifest
    "complete". Any failure leaves the manifest "incomplete", which `publish --check` reports."""
    began = time.monotonic()
    home = Path(home).resolve()
    writer = RemoteStore(update_url_for(endpoint_url), auth=auth, timeout=timeout)
    reader = RemoteStore(endpoint_url, auth=auth, timeout=timeout)
    build = build_id(trig_path)
    manifest = manifest_iri(graph_prefix)
    _write_manifest(writer, manifest, build, None)
    folder = home / LOAD_DIR / f"{build}-{secrets.token_hex(4)}"
    folder.mkdir(parents=True)
    try:
        counts = write_nquads(trig_path, folder)
        table = reader.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        present = {str(g) for (g,) in table.rows}
        stale = {g for g in present if g.startswith(graph_prefix) and g not in counts} if prune else set()
        doomed = sorted((present & set(counts)) | stale)
        if doomed:
            # autocommit without the transaction log (log_enable 3): a bulk delete, made durable by the checkpoint
            isql(home, auth, "log_enable(3,1);\n" + "\n".join(
                "DELETE FROM DB.DBA.RDF_QUAD WHERE G IN ("
                + ", ".join(f"iri_to_id({sql_literal(g)}, 0)" for g in doomed[i: i + 200]) + ");"
                for i in range(0, len(doomed), 200)), timeout)
        where = f"ll_file LIKE {sql_literal(str(folder) + '/%')}"
        out = isql(home, auth, "\n".join([
            f"ld_dir({sql_literal(str(folder))}, '*.nq', {sql_literal(str(GRAPH['default']))});",
            "rdf_loader_run();",
            "checkpoint;",
            f"SELECT '{_ERROR_MARK}', ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE {where} AND ll_error IS NOT NULL;",
            f"DELETE FROM DB.DBA.LOAD_LIST WHERE {where};"]), timeout)
        errors = [line.strip() for line in out.splitlines() if _ERROR_MARK in line and "SELECT" not in line]
        if errors:
            raise EndpointResponseError(f"Virtuoso's bulk loader refused the build: {errors[0]}",
                                        "fix the data, or publish with SPARQL Update (--no-bulk)")
        _verify(reader, counts)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    _write_manifest(writer, manifest, build, {URIRef(g): n for g, n in counts.items()})
    return PublishReport(endpoint_url, len(counts), sum(counts.values()), len(stale), time.monotonic() - began)


def _verify(reader: RemoteStore, counts: Counter[str]) -> None:
    """Every graph's triple count on the server equals the TriG's, else an EndpointResponseError naming them."""
    table = reader.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    found = {str(g): int(n) for g, n in table.rows}  # type: ignore[arg-type]
    wrong = [f"{g} ({found.get(g, 0)} on the endpoint, {n} in the TriG)" for g, n in sorted(counts.items())
             if found.get(g, 0) != n]
    if wrong:
        raise EndpointResponseError(
            f"triple counts differ after the bulk load in {len(wrong)} graph(s): {'; '.join(wrong[:5])}",
            "the server merged or dropped triples (Virtuoso: same-instant xsd:date/gYear values of one "
            "property); fix the data and publish again")

