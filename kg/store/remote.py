"""A remote SPARQL 1.1 endpoint as a Store, and `publish` to put the built graph there.

RemoteStore speaks the SPARQL protocol through SPARQLWrapper and turns JSON
results into the very rdflib terms the embedded Oxigraph store returns, so one
query library runs unchanged on both (tests/test_endpoint.py checks every query).
Normalised (found with Virtuoso 7.2): booleans "1"/"0" -> "true"/"false"; simple
literals typed xsd:string as oxrdflib does; language tags lower-cased; every
literal through rdflib's Literal(), which canonicalises lexical forms the way the
TriG parser did for the embedded store. A result Virtuoso cut at ResultSetMaxRows
(header X-SPARQL-MaxRows) or its time limit (X-SQL-State) is an error, never a
silent partial. What stays different: README, "Use a SPARQL server".

Credentials never come from code: user from `user` (--user) or EGOVKG_ENDPOINT_USER,
password from EGOVKG_ENDPOINT_PASSWORD or EGOVKG_VIRTUOSO_PASSWORD, sent only when the
server asks (digest for Virtuoso's /sparql-auth, basic for Fuseki and GraphDB).
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from kg.errors import (
    EndpointAuthError,
    EndpointResponseError,
    EndpointTimeout,
    EndpointUnreachable,
    StoreError,
    UsageError,
)
from kg.namespaces import GRAPH, XSD, graph_id
from kg.store.embedded import EmbeddedStore, ResultTable

USER_ENV = "EGOVKG_ENDPOINT_USER"
PASSWORD_ENVS = ("EGOVKG_ENDPOINT_PASSWORD", "EGOVKG_VIRTUOSO_PASSWORD")
VIRTRDF = "http://www.openlinksw.com/schemas/virtrdf#"  # Virtuoso's own metadata graph
LDP = "http://www.w3.org/ns/ldp#"  # 3 triples Virtuoso re-inserts at every start (kg.store.virtuoso drops them)
_CONSTANT_GRAPH = re.compile(r"\bGRAPH\s*(<|[A-Za-z][\w.-]*:)", re.I)  # pragma would empty GRAPH <g>
_RETRYABLE = (ConnectionError, http.client.RemoteDisconnected, http.client.IncompleteRead, socket.gaierror)


def credentials(user: str | None, envs: tuple[str, ...] = PASSWORD_ENVS) -> tuple[str, str] | None:
    """(user, password) from the argument and the environment, or None for anonymous."""
    user = user or os.environ.get(USER_ENV)
    if not user:
        return None
    password = next((os.environ[e] for e in envs if os.environ.get(e)), None)
    if password is None:
        raise UsageError(f"no password for endpoint user '{user}'", f"export {' or '.join(envs)}")
    return user, password


class _DigestOnly(urllib.request.HTTPDigestAuthHandler):
    """urllib's digest handler raises on a Basic challenge instead of passing it on."""

    def http_error_auth_reqed(self, auth_header: str, host: str, req: Any, headers: Any) -> Any:
        if "digest" not in headers.get(auth_header, "").lower():
            return None
        return super().http_error_auth_reqed(auth_header, host, req, headers)


class _Wrapper(SPARQLWrapper):
    """SPARQLWrapper with a private opener: its own digest support installs a
    process-wide urllib opener, which would leak credentials to other requests."""

    def __init__(self, url: str, opener: urllib.request.OpenerDirector, timeout: float) -> None:
        super().__init__(url)
        self._opener, self._timeout = opener, timeout
        self.setMethod(POST)  # long queries and updates: never hit URL length limits
        self.setReturnFormat(JSON)

    def _query(self) -> tuple[Any, str]:
        return self._opener.open(self._createRequest(), timeout=self._timeout), self.returnFormat


def term(b: dict[str, str] | None) -> Node | None:
    """One SPARQL JSON result binding as the rdflib term the embedded store gives."""
    if b is None:
        return None
    kind, value, datatype = b.get("type"), b.get("value", ""), b.get("datatype")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value.removeprefix("nodeID://"))
    if kind not in ("literal", "typed-literal"):
        raise EndpointResponseError(f"unknown RDF term type '{kind}' in the endpoint's results",
                                    "the endpoint does not return standard SPARQL JSON results")
    if b.get("xml:lang"):
        return Literal(value, lang=b["xml:lang"].lower())
    if datatype == str(XSD.boolean):
        value = {"1": "true", "0": "false"}.get(value, value)
    return Literal(value, datatype=URIRef(datatype) if datatype else XSD.string)


class RemoteStore:
    """A SPARQL 1.1 endpoint over HTTP, same interface as EmbeddedStore. On Virtuoso
    (known by its Server header) a query without GRAPH <iri> excludes the virtrdf#
    system graph from the union and GRAPH ?g with a DEFINE pragma; that graph only, as
    Virtuoso 7.2 answers property-path joins wrongly once two graphs are excluded."""

    def __init__(self, url: str, *, user: str | None = None, timeout: float = 30.0, retries: int = 3,
                 backoff: float = 0.5, password_envs: tuple[str, ...] = PASSWORD_ENVS,
                 virtuoso: bool | None = None) -> None:
        self.url = self.name = url
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self._virtuoso = virtuoso  # None: ask the server once
        creds = credentials(user, password_envs)
        handlers: list[urllib.request.BaseHandler] = []
        if creds:
            pwd = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            pwd.add_password(None, url, *creds)
            handlers += [_DigestOnly(pwd), urllib.request.HTTPBasicAuthHandler(pwd)]
        self._opener = urllib.request.build_opener(*handlers)

    def _send(self, text: str, update: bool = False) -> tuple[dict[str, Any], Any]:
        """Run one request with bounded retries (connection failures only) and map
        every failure to a kg.errors class the CLI turns into exit code 3."""
        wrapper = _Wrapper(self.url, self._opener, self.timeout)
        with warnings.catch_warnings(action="ignore"):  # it warns on text it cannot classify
            wrapper.setQuery(text)
        if update:
            wrapper.queryType = "INSERT"  # SPARQLWrapper sniffs the type; be explicit
        for attempt in range(self.retries + 1):
            try:
                result = wrapper.query()
                with result.response:
                    headers = result.response.headers
                    if update:
                        result.response.read()
                        return {}, headers
                    self._check_complete(headers)
                    return result.convert(), headers
            except StoreError:
                raise
            except urllib.error.HTTPError as exc:
                raise self._http_error(exc.code, exc.read()) from exc
            except Exception as exc:  # classified by _transport_error, re-raised mapped
                err = self._transport_error(exc)
                if isinstance(err, EndpointUnreachable) and attempt < self.retries:
                    time.sleep(self.backoff * 2 ** attempt)
                    continue
                raise err from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def is_virtuoso(self) -> bool:
        if self._virtuoso is None:
            _, headers = self._send("ASK {}")
            self._virtuoso = headers.get("Server", "").startswith("Virtuoso")
        return self._virtuoso

    def _query(self, sparql: str) -> dict[str, Any]:
        if self.is_virtuoso() and not _CONSTANT_GRAPH.search(sparql):
            sparql = (f"DEFINE input:default-graph-exclude <{VIRTRDF}>\n"
                      f"DEFINE input:named-graph-exclude <{VIRTRDF}>\n{sparql}")
        return self._send(sparql)[0]

    def _check_complete(self, headers: Any) -> None:
        if headers.get("X-SPARQL-MaxRows"):
            raise EndpointResponseError(
                f"{self.url} cut the result at {headers['X-SPARQL-MaxRows']} rows",
                "raise ResultSetMaxRows in the server's [SPARQL] settings or add LIMIT/OFFSET")
        if headers.get("X-SQL-State"):
            raise EndpointTimeout(f"{self.url} returned a partial result ({headers.get('X-SQL-Message')})",
                                  "raise MaxQueryExecutionTime on the server or simplify the query")

    def _http_error(self, code: int, body: bytes) -> StoreError:
        detail = body.decode("utf-8", "replace").strip().splitlines()
        first = detail[0][:300] if detail else ""
        if code in (401, 403):
            return EndpointAuthError(f"{self.url} refused the credentials (HTTP {code})",
                                     f"check --user/{USER_ENV} and {PASSWORD_ENVS[0]}")
        if "S1T00" in first or code in (504, 408):
            return EndpointTimeout(f"{self.url} timed out running the query: {first}",
                                   "simplify the query or raise the server's time limit")
        fix = {400: "check the SPARQL syntax of the query",
               404: "check the endpoint URL (Virtuoso: http://host:8890/sparql)"}
        return EndpointResponseError(f"{self.url} answered HTTP {code}: {first}",
                                     fix.get(code, "see the server's log"))

    def _transport_error(self, exc: Exception) -> StoreError:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return EndpointTimeout(f"{self.url} did not answer within {self.timeout:.0f}s",
                                   "raise --timeout or check the server's load")
        if isinstance(reason, _RETRYABLE) or isinstance(exc, urllib.error.URLError):
            return EndpointUnreachable(f"nothing answers at {self.url} ({reason})",
                                       "start the server ('egovkg endpoint start') or fix the URL")
        if isinstance(exc, (ValueError, TypeError, KeyError)):  # json errors are ValueErrors
            return EndpointResponseError(f"{self.url} returned results that cannot be parsed: {exc}",
                                         "check that the URL is a SPARQL endpoint")
        return EndpointResponseError(f"{self.url} failed: {exc!r}", "see the server's log")

    def select(self, sparql: str) -> ResultTable:
        data = self._query(sparql)
        try:
            variables = list(data["head"]["vars"])
            rows = [tuple(term(b.get(v)) for v in variables) for b in data["results"]["bindings"]]
        except (KeyError, TypeError) as exc:
            raise EndpointResponseError(f"{self.url} did not return SELECT results",
                                        "use 'ask' for ASK queries; check the endpoint URL") from exc
        return ResultTable(variables, rows)

    def ask(self, sparql: str) -> bool:
        data = self._query(sparql)
        if not isinstance(data.get("boolean"), bool):
            raise EndpointResponseError(f"{self.url} did not return an ASK result", "is it an ASK query?")
        return data["boolean"]

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update (needs an endpoint that accepts updates)."""
        self._send(sparql, update=True)

    def triple_count(self) -> int:
        """Quads in all named graphs, like EmbeddedStore.triple_count()."""
        skip = f"FILTER(?g != <{LDP}>)" if self.is_virtuoso() else ""
        table = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {skip} }}")
        return int(table.rows[0][0])  # type: ignore[arg-type]

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""


Triple = tuple[Node, Node, Node]
Progress = Callable[[int, int], None]


@dataclass
class PublishReport:
    """What `egovkg publish` prints: graphs and triples now on the endpoint."""

    endpoint: str
    graphs: int
    triples: int
    pruned: int
    seconds: float

    def summary(self) -> str:
        pruned = f", removed {self.pruned} stale graphs" * bool(self.pruned)
        return f"published {self.triples} triples in {self.graphs} named graphs to {self.endpoint} in " \
               f"{self.seconds:.1f}s{pruned}; triple counts verified per graph"


def update_url_for(url: str) -> str:
    """Where updates go when not given: Virtuoso's authenticated /sparql-auth next to /sparql."""
    return url.removesuffix("/sparql") + "/sparql-auth" if url.endswith("/sparql") else url


def _n3(node: Node) -> str:
    # xsd:string literals go out as simple literals: RDF 1.1 says they are the same
    # term, but Virtuoso keeps "x"^^xsd:string apart and then "x" in a query misses it.
    if isinstance(node, Literal) and node.datatype == XSD.string and not node.language:
        return Literal(str(node)).n3()
    return node.n3()


def _has_bnode(t: Triple) -> bool:
    return isinstance(t[0], BNode) or isinstance(t[2], BNode)


def _bnode_chunks(triples: list[Triple], limit: int = 400) -> list[list[Triple]]:
    """Blank-node triples in chunks of about `limit`, all triples that share a blank
    node in the same chunk (one INSERT template each: a blank node cannot span two)."""
    parent: dict[Node, Node] = {}

    def find(x: Node) -> Node:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for s, _, o in triples:
        if isinstance(s, BNode) and isinstance(o, BNode):
            parent[find(o)] = find(s)
    groups: dict[Node, list[Triple]] = {}
    for t in triples:
        groups.setdefault(find(t[0] if isinstance(t[0], BNode) else t[2]), []).append(t)
    chunks: list[list[Triple]] = []
    for group in groups.values():
        if not chunks or len(chunks[-1]) + len(group) > limit:
            chunks.append([])
        chunks[-1] += group
    return chunks


def _graph_block(g: URIRef, triples: Iterable[Triple]) -> str:
    return f"GRAPH {g.n3()} {{\n" + "\n".join(f"{_n3(s)} {_n3(p)} {_n3(o)} ." for s, p, o in triples) + "\n}"


def read_graphs(trig_path: Path, default_graph: URIRef = GRAPH["default"]) -> dict[URIRef, list[Triple]]:
    """The TriG's triples per named graph, parsed exactly as the embedded store parses
    it, so both stores hold the same lexical forms. Triples outside any named graph
    (the build writes none) go to `default_graph`."""
    store = EmbeddedStore("oxigraph")
    store.parse(Path(trig_path))
    graphs: dict[URIRef, list[Triple]] = {}
    for s, p, o, g in store.dataset.quads((None, None, None, None)):
        gid = graph_id(g)
        gid = default_graph if gid in (None, DATASET_DEFAULT_GRAPH_ID) else gid
        graphs.setdefault(URIRef(gid), []).append((s, p, o))
    store.close()
    return graphs


def publish(trig_path: Path, endpoint_url: str, *, update_url: str | None = None, user: str | None = None,
            timeout: float = 120.0, batch_triples: int = 4000, prune: bool = True,
            graph_prefix: str = str(GRAPH), progress: Progress | None = None) -> PublishReport:
    """Load the built TriG into an endpoint, one named graph per record preserved.

    Plain SPARQL 1.1 Update, so any endpoint works (Virtuoso, Fuseki, GraphDB) and
    the server needs no access to our files. Each batch of graphs is one request:
    DELETE those graphs (one DELETE, as Virtuoso's DROP GRAPH costs ~5 ms a graph),
    INSERT DATA their content - a replace, so publishing twice leaves one copy.
    Then every graph's triple count is read back; a difference stops the publish
    with an EndpointResponseError naming the graphs (fix, publish again). `prune`
    removes graphs under `graph_prefix` the TriG no longer has. `progress(done,
    total)` counts triples."""
    began = time.monotonic()
    user = user or os.environ.get(USER_ENV) or "dba"  # Virtuoso's admin account name
    writer = RemoteStore(update_url or update_url_for(endpoint_url), user=user, timeout=timeout)
    reader = RemoteStore(endpoint_url, user=user, timeout=timeout)
    graphs = read_graphs(trig_path)
    total = sum(len(ts) for ts in graphs.values())
    done = 0
    if progress:
        progress(0, total)
    for batch in _batches(graphs, batch_triples):
        _load_batch(writer, {g: graphs[g] for g in batch})
        table = reader.select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {_iris(batch)} }} "
                              "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        found = {g: int(n) for g, n in table.rows}  # type: ignore[misc, arg-type]
        wrong = [f"{g} ({found.get(g, 0)} on the endpoint, {len(graphs[g])} in the TriG)"
                 for g in batch if found.get(g, 0) != len(graphs[g])]
        if wrong:
            raise EndpointResponseError(
                f"triple counts differ after loading {len(wrong)} graph(s): {'; '.join(wrong[:5])}",
                "the server merged or dropped triples (Virtuoso: same-instant xsd:date/gYear/"
                "gYearMonth values of one property); fix the data and publish again")
        done += sum(len(graphs[g]) for g in batch)
        if progress:
            progress(done, total)
    pruned = _prune(writer, reader, set(graphs), graph_prefix) if prune else 0
    return PublishReport(endpoint_url, len(graphs), total, pruned, time.monotonic() - began)


def _batches(graphs: dict[URIRef, list[Triple]], batch_triples: int) -> Iterable[list[URIRef]]:
    batch: list[URIRef] = []
    for g in sorted(graphs):
        batch.append(g)
        if sum(len(graphs[b]) for b in batch) >= batch_triples or len(batch) >= 300:
            yield batch
            batch = []
    if batch:
        yield batch


def _iris(graphs: Iterable[URIRef]) -> str:
    return " ".join(g.n3() for g in graphs)


def _delete_graphs(graphs: Iterable[URIRef]) -> str:
    quad = "GRAPH ?g { ?s ?p ?o }"
    return f"DELETE {{ {quad} }} WHERE {{ VALUES ?g {{ {_iris(graphs)} }} {quad} }}"


def _load_batch(writer: RemoteStore, batch: dict[URIRef, list[Triple]]) -> None:
    """One request replaces the batch's graphs. Blank-node triples follow in INSERT
    templates (Virtuoso refuses blank nodes in INSERT DATA), which Virtuoso compiles
    to SQL: it fails beyond ~1500 triples a template and on templates with two GRAPH
    blocks - hence one graph and <= 400 triples per template, 5 templates a request."""
    blocks = [_graph_block(g, [t for t in ts if not _has_bnode(t)]) for g, ts in batch.items()]
    writer.update(_delete_graphs(batch) + " ;\nINSERT DATA {\n" + "\n".join(blocks) + "\n}")
    ops = [f"INSERT {{\n{_graph_block(g, chunk)}\n}} WHERE {{}}" for g, ts in batch.items()
           for chunk in _bnode_chunks([t for t in ts if _has_bnode(t)])]
    for i in range(0, len(ops), 5):
        writer.update(" ;\n".join(ops[i: i + 5]))


def _prune(writer: RemoteStore, reader: RemoteStore, keep: set[URIRef], prefix: str) -> int:
    """Remove graphs under `prefix` that the published TriG does not contain."""
    table = reader.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                          f"FILTER(STRSTARTS(STR(?g), {Literal(prefix).n3()})) }}")
    stale = [g for (g,) in table.rows if isinstance(g, URIRef) and g not in keep]
    for i in range(0, len(stale), 300):
        writer.update(_delete_graphs(stale[i: i + 300]))
    return len(stale)
