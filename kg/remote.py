"""A remote SPARQL 1.1 endpoint as a Store, and `publish` to put the built graph there.

RemoteStore speaks the SPARQL protocol through SPARQLWrapper and turns the JSON
results into rdflib terms equal to the ones the embedded Oxigraph store
returns, so one query library runs unchanged on both (tests/test_endpoint.py
checks that, query by query). Differences we normalise, found with Virtuoso 7.2:
- booleans come back as "1"/"0": mapped to "true"/"false";
- simple literals come back untyped, oxrdflib types them xsd:string: typed here too;
- language tags are lower-cased (Oxigraph does the same);
- every literal passes through rdflib's Literal(), which canonicalises lexical
  forms ("2020-05-01T10:00:00Z" vs "+00:00") the way the TriG parser did for
  the embedded store;
- a result cut at Virtuoso's ResultSetMaxRows (header X-SPARQL-MaxRows) or
  ended by its execution limit (X-SQL-State) is an error, never a silent partial.
What cannot be made identical is in docs (README "Use a SPARQL server").

Credentials never come from code: the user from the `user` argument (--user) or
EGOVKG_ENDPOINT_USER, the password from EGOVKG_ENDPOINT_PASSWORD or
EGOVKG_VIRTUOSO_PASSWORD. They are sent only when the server asks (digest for
Virtuoso's /sparql-auth, basic for Fuseki and GraphDB).
"""

from __future__ import annotations

import http.client
import os
import socket
import time
import urllib.error
import urllib.request
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
from kg.namespaces import GRAPH, XSD
from kg.store import EmbeddedStore, ResultTable

USER_ENV = "EGOVKG_ENDPOINT_USER"
PASSWORD_ENVS = ("EGOVKG_ENDPOINT_PASSWORD", "EGOVKG_VIRTUOSO_PASSWORD")
_RETRYABLE = (ConnectionError, http.client.RemoteDisconnected, http.client.IncompleteRead, socket.gaierror)


def credentials(user: str | None) -> tuple[str, str] | None:
    """(user, password) from the argument and the environment, or None for anonymous."""
    user = user or os.environ.get(USER_ENV)
    if not user:
        return None
    password = next((os.environ[e] for e in PASSWORD_ENVS if os.environ.get(e)), None)
    if password is None:
        raise UsageError(f"no password for endpoint user '{user}'",
                         f"export {PASSWORD_ENVS[0]} (or {PASSWORD_ENVS[1]} for the local Virtuoso)")
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
        self._opener = opener
        self._timeout = timeout
        self.setMethod(POST)  # long queries and updates: never hit URL length limits
        self.setReturnFormat(JSON)

    def _query(self) -> tuple[Any, str]:
        return self._opener.open(self._createRequest(), timeout=self._timeout), self.returnFormat


def _literal(value: str, datatype: str | None, lang: str | None) -> Literal:
    if lang:
        return Literal(value, lang=lang.lower())
    if datatype is None or datatype == str(XSD.string):
        return Literal(value, datatype=XSD.string)
    if datatype == str(XSD.boolean):
        value = {"1": "true", "0": "false"}.get(value, value)
    return Literal(value, datatype=URIRef(datatype))


def term(binding: dict[str, str] | None) -> Node | None:
    """One SPARQL JSON result binding as the rdflib term the embedded store gives."""
    if binding is None:
        return None
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value.removeprefix("nodeID://"))
    if kind in ("literal", "typed-literal"):
        return _literal(value, binding.get("datatype"), binding.get("xml:lang"))
    raise EndpointResponseError(f"unknown RDF term type '{kind}' in the endpoint's results",
                                "the endpoint does not return standard SPARQL JSON results")


class RemoteStore:
    """A SPARQL 1.1 endpoint queried over HTTP; same interface as EmbeddedStore."""

    def __init__(self, url: str, *, user: str | None = None, timeout: float = 30.0,
                 retries: int = 3, backoff: float = 0.5) -> None:
        self.url = url
        self.name = url
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._creds = credentials(user)
        handlers: list[urllib.request.BaseHandler] = []
        if self._creds:
            pwd = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            pwd.add_password(None, url, *self._creds)
            handlers += [_DigestOnly(pwd), urllib.request.HTTPBasicAuthHandler(pwd)]
        self._opener = urllib.request.build_opener(*handlers)

    def _send(self, text: str, update: bool = False) -> dict[str, Any]:
        """Run one request with bounded retries (connection failures only) and map
        every failure to a kg.errors class the CLI turns into exit code 3."""
        wrapper = _Wrapper(self.url, self._opener, self.timeout)
        wrapper.setQuery(text)
        if update:
            wrapper.queryType = "INSERT"  # SPARQLWrapper sniffs the type; be explicit
        for attempt in range(self.retries + 1):
            try:
                result = wrapper.query()
                headers = result.response.headers
                if update:
                    result.response.read()
                    return {}
                self._check_complete(headers)
                return result.convert()
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

    def _check_complete(self, headers: Any) -> None:
        if headers.get("X-SPARQL-MaxRows"):
            raise EndpointResponseError(
                f"{self.url} cut the result at {headers['X-SPARQL-MaxRows']} rows",
                "raise ResultSetMaxRows in the server's [SPARQL] settings or add LIMIT/OFFSET")
        if headers.get("X-SQL-State"):
            message = headers.get("X-SQL-Message", "")
            raise EndpointTimeout(f"{self.url} returned a partial result ({message})",
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
        data = self._send(sparql)
        try:
            variables = list(data["head"]["vars"])
            rows = [tuple(term(b.get(v)) for v in variables) for b in data["results"]["bindings"]]
        except (KeyError, TypeError) as exc:
            raise EndpointResponseError(f"{self.url} did not return SELECT results",
                                        "use 'ask' for ASK queries; check the endpoint URL") from exc
        return ResultTable(variables, rows)

    def ask(self, sparql: str) -> bool:
        data = self._send(sparql)
        if not isinstance(data.get("boolean"), bool):
            raise EndpointResponseError(f"{self.url} did not return an ASK result", "is it an ASK query?")
        return data["boolean"]

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update (needs an endpoint that accepts updates)."""
        self._send(sparql, update=True)

    def triple_count(self) -> int:
        """Quads in all named graphs, like EmbeddedStore.triple_count()."""
        table = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(table.rows[0][0])  # type: ignore[arg-type]

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""


# ---------------------------------------------------------------- publishing
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
        pruned = f", removed {self.pruned} stale graphs" if self.pruned else ""
        return (f"published {self.triples} triples in {self.graphs} named graphs to {self.endpoint} "
                f"in {self.seconds:.1f}s{pruned}; counts verified per graph")


def update_url_for(endpoint_url: str) -> str:
    """Where updates go when not given: Virtuoso's authenticated /sparql-auth next to /sparql."""
    if endpoint_url.endswith("/sparql"):
        return endpoint_url.removesuffix("/sparql") + "/sparql-auth"
    return endpoint_url


def _n3(node: Node) -> str:
    # xsd:string literals go out as simple literals: RDF 1.1 says they are the same
    # term, but Virtuoso keeps "x"^^xsd:string apart and then "x" in a query misses it.
    if isinstance(node, Literal) and node.datatype == XSD.string and not node.language:
        return Literal(str(node)).n3()
    return node.n3()


def _bnode_groups(triples: list[Triple]) -> list[list[Triple]]:
    """Triples that share blank nodes, grouped: Virtuoso refuses blank nodes in
    INSERT DATA, and a blank node must stay inside one INSERT template."""
    parent: dict[Node, Node] = {}

    def find(x: Node) -> Node:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for s, _, o in triples:
        nodes = [n for n in (s, o) if isinstance(n, BNode)]
        for n in nodes[1:]:
            parent[find(n)] = find(nodes[0])
    groups: dict[Node, list[Triple]] = {}
    for t in triples:
        groups.setdefault(find(t[0] if isinstance(t[0], BNode) else t[2]), []).append(t)
    return list(groups.values())


def _graph_block(g: URIRef, triples: Iterable[Triple]) -> str:
    return f"GRAPH {g.n3()} {{\n" + "\n".join(f"{_n3(s)} {_n3(p)} {_n3(o)} ." for s, p, o in triples) + "\n}"


def _counts(store: RemoteStore, graphs: list[URIRef]) -> dict[URIRef, int]:
    values = " ".join(g.n3() for g in graphs)
    table = store.select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                         "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {g: int(n) for g, n in table.rows}  # type: ignore[misc, arg-type]


def read_graphs(trig_path: Path, default_graph: URIRef = GRAPH["default"]) -> dict[URIRef, list[Triple]]:
    """The TriG's triples per named graph, parsed exactly as the embedded store parses
    it, so both stores hold the same lexical forms. Triples outside any named graph
    (the build writes none) go to `default_graph`."""
    store = EmbeddedStore("oxigraph")
    store.parse(Path(trig_path))
    graphs: dict[URIRef, list[Triple]] = {}
    for s, p, o, g in store.dataset.quads((None, None, None, None)):
        gid = g.identifier if hasattr(g, "identifier") else g
        gid = default_graph if gid in (None, DATASET_DEFAULT_GRAPH_ID) else gid
        graphs.setdefault(URIRef(gid), []).append((s, p, o))
    store.close()
    return graphs


def publish(trig_path: Path, endpoint_url: str, *, update_url: str | None = None, user: str | None = None,
            timeout: float = 120.0, batch_triples: int = 4000, prune: bool = True,
            graph_prefix: str = str(GRAPH), progress: Progress | None = None) -> PublishReport:
    """Load the built TriG into an endpoint, one named graph per record preserved.

    Each batch of graphs is one SPARQL Update request - DELETE the batch's graphs,
    INSERT DATA the new content - so publishing replaces rather than adds:
    publishing twice leaves one copy. Plain SPARQL 1.1 Update works on any
    endpoint (Virtuoso, Fuseki, GraphDB) and needs no file access on the server;
    batching keeps the real graph to a few seconds (Virtuoso's DROP GRAPH costs
    ~5 ms a graph, so graphs are removed with one DELETE per batch instead).
    After each batch the triple count of every graph is read back through the
    query endpoint; any difference stops the publish with an EndpointResponseError
    naming the graphs (fix the data, publish again: it is idempotent). With
    `prune`, graphs under `graph_prefix` that the TriG no longer has are removed.
    `progress(done, total)` counts triples."""
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
        found = _counts(reader, batch)
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
    size = 0
    for g in sorted(graphs):
        batch.append(g)
        size += len(graphs[g])
        if size >= batch_triples or len(batch) >= 300:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _delete_graphs(graphs: Iterable[URIRef]) -> str:
    values = " ".join(g.n3() for g in graphs)
    return (f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} "
            f"WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")


def _load_batch(writer: RemoteStore, batch: dict[URIRef, list[Triple]]) -> None:
    plain = {g: [t for t in ts if not any(isinstance(n, BNode) for n in t)] for g, ts in batch.items()}
    blocks = [_graph_block(g, ts) for g, ts in plain.items() if ts]
    insert = [" ;\nINSERT DATA {\n" + "\n".join(blocks) + "\n}"] if blocks else []
    writer.update(_delete_graphs(batch) + "".join(insert))
    # Blank nodes need INSERT templates, which Virtuoso compiles to SQL: it fails
    # beyond ~1500 triples per template, and on a template with two GRAPH blocks.
    # So: one graph per template, <= 400 triples, each blank node within one.
    ops: list[str] = []
    size = 0
    for g, ts in batch.items():
        chunk: list[Triple] = []
        groups = _bnode_groups([t for t in ts if any(isinstance(n, BNode) for n in t)])
        for k, group in enumerate(groups):
            chunk += group
            if len(chunk) >= 400 or k == len(groups) - 1:
                ops.append("INSERT {\n" + _graph_block(g, chunk) + "\n} WHERE {}")
                size, chunk = size + len(chunk), []
        if size >= 2000:
            writer.update(" ;\n".join(ops))
            ops, size = [], 0
    if ops:
        writer.update(" ;\n".join(ops))


def _prune(writer: RemoteStore, reader: RemoteStore, keep: set[URIRef], prefix: str) -> int:
    """Remove graphs under `prefix` that the published TriG does not contain."""
    table = reader.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                          f"FILTER(STRSTARTS(STR(?g), {Literal(prefix).n3()})) }}")
    stale = [g for (g,) in table.rows if isinstance(g, URIRef) and g not in keep]
    for i in range(0, len(stale), 300):
        writer.update(_delete_graphs(stale[i: i + 300]))
    return len(stale)
