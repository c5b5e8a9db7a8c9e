"""`egovkg publish`: put the built graph on a SPARQL endpoint, visibly all-or-nothing.

SPARQL 1.1 Update cannot switch thousands of graphs atomically on every server, so
the all-or-nothing part is a manifest graph next to the data (MANIFEST + the graph
prefix): before the first graph is touched it says `state "incomplete"` and
the build id (sha-256 of egov.trig); written last, it says `state "complete"` with
every graph and its triple count. `check` (used by `publish --check` and
`endpoint status --build`) compares manifest, endpoint and build and reports an
interrupted or partial publish, or another build, as a one-line EndpointResponseError
(exit 3). Publishing again repairs any of these: every batch is a replace.
The manifest's triples (two per graph) use their own vocabulary (PUB) and urn:
subjects; they show in the union default graph like any named graph's.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kg.errors import EndpointResponseError
from kg.namespaces import GRAPH, XSD, graph_id
from kg.store.embedded import EmbeddedStore
from kg.store.remote import Credentials, RemoteStore, credentials, update_url_for

PUB = "https://w3id.org/egov-kg/publish#"
MANIFEST = "urn:egovkg:publish-manifest:"  # + the graph prefix; outside it, so prune never removes it
REPUBLISH = "run 'egovkg publish' again: every graph is replaced, the manifest written last"


def manifest_iri(graph_prefix: str) -> URIRef:
    """The manifest graph of the graphs under `graph_prefix` (also the manifest's own subject)."""
    return URIRef(MANIFEST + graph_prefix)


def build_id(trig_path: Path) -> str:
    """What identifies a build: the sha-256 of its TriG (first 16 hex digits)."""
    digest = hashlib.sha256()
    with Path(trig_path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]


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
            auth: Credentials | None = None, timeout: float = 120.0, batch_triples: int = 4000,
            prune: bool = True, graph_prefix: str = str(GRAPH), progress: Progress | None = None) -> PublishReport:
    """Load the built TriG into an endpoint, one named graph per record preserved.

    Plain SPARQL 1.1 Update, so any endpoint works (Virtuoso, Fuseki, GraphDB) and
    the server needs no access to our files. Credentials: `auth`, else explicit
    --user/EGOVKG_ENDPOINT_PASSWORD, else none. The manifest says "incomplete" first
    (module doc). Each batch of graphs is one request: DELETE those graphs (one
    DELETE, as Virtuoso's DROP GRAPH costs ~5 ms a graph), INSERT DATA their content -
    a replace, so publishing twice leaves one copy. Then every graph's triple count
    is read back; a difference stops the publish with an EndpointResponseError naming
    the graphs. `prune` removes graphs under `graph_prefix` the TriG no longer has;
    the complete manifest is written last. `timeout` bounds each request."""
    began = time.monotonic()
    auth = auth or credentials(user)
    writer = RemoteStore(update_url or update_url_for(endpoint_url), auth=auth, timeout=timeout)
    reader = RemoteStore(endpoint_url, auth=auth, timeout=timeout)
    graphs = read_graphs(trig_path)
    build = build_id(trig_path)
    manifest = manifest_iri(graph_prefix)
    _write_manifest(writer, manifest, build, None)
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
    _write_manifest(writer, manifest, build, {g: len(ts) for g, ts in graphs.items()})
    return PublishReport(endpoint_url, len(graphs), total, pruned, time.monotonic() - began)


def _write_manifest(writer: RemoteStore, manifest: URIRef, build: str, counts: dict[URIRef, int] | None) -> None:
    """Replace the manifest: "incomplete" (counts None) before loading, "complete" with every graph's count last."""
    m = manifest.n3()
    state = f"{m} <{PUB}state> {Literal('incomplete').n3()} ."
    writer.update(f"DROP SILENT GRAPH {m} ;\nINSERT DATA {{ GRAPH {m} {{\n"
                  f"{m} <{PUB}buildId> {Literal(build).n3()} .\n{state}\n}} }}")
    if counts is None:
        return
    # Entries in chunks (one INSERT of ~15k graphs exhausts Virtuoso's SPARQL compiler), the state
    # still "incomplete"; then one request turns it "complete".
    lines = [f"<{manifest}#{i}> <{PUB}graph> {g.n3()} ; <{PUB}triples> {n} ." for i, (g, n) in enumerate(sorted(counts.items()))]
    for i in range(0, len(lines), 1000):
        writer.update(f"INSERT DATA {{ GRAPH {m} {{\n" + "\n".join(lines[i: i + 1000]) + "\n} }")
    writer.update(f"DELETE DATA {{ GRAPH {m} {{ {state} }} }} ;\nINSERT DATA {{ GRAPH {m} {{ "
                  f"{m} <{PUB}state> {Literal('complete').n3()} . }} }}")


@dataclass
class CheckReport:
    """What `publish --check` and `endpoint status --build` print: does the endpoint hold this build, whole."""

    endpoint: str
    build: str
    graphs: int
    triples: int

    def summary(self) -> str:
        return (f"{self.endpoint} holds build {self.build} complete: {self.graphs} graphs, "
                f"{self.triples} triples, counts match the manifest")


def check(trig_path: Path | None, endpoint_url: str, *, graph_prefix: str = str(GRAPH), auth: Credentials | None = None,
          timeout: float = 120.0) -> CheckReport:
    """Compare the endpoint's manifest with its graphs and, if given, with the build in
    `trig_path`; EndpointResponseError (exit 3) names the first difference."""
    reader = RemoteStore(endpoint_url, auth=auth, timeout=timeout)
    manifest = manifest_iri(graph_prefix)
    rows = reader.select(f"SELECT ?k ?v WHERE {{ GRAPH {manifest.n3()} {{ {manifest.n3()} ?k ?v }} }}").rows
    head = {str(k): str(v) for k, v in rows}
    build, state = head.get(PUB + "buildId"), head.get(PUB + "state")
    if build is None:
        raise EndpointResponseError(f"{endpoint_url} has no publish manifest ({manifest}): nothing published, or "
                                    "by an older egovkg", "run 'egovkg publish'")
    if state != "complete":
        raise EndpointResponseError(f"{endpoint_url}: the publish of build {build} was interrupted (manifest "
                                    f"state '{state}'); the endpoint holds a mix of builds", REPUBLISH)
    if trig_path is not None and (local := build_id(trig_path)) != build:
        raise EndpointResponseError(f"{endpoint_url} holds build {build}, not the build in {trig_path} ({local})",
                                    "run 'egovkg publish' to put this build there")
    table = reader.select(f"SELECT ?g ?n WHERE {{ GRAPH {manifest.n3()} {{ ?e <{PUB}graph> ?g ; <{PUB}triples> ?n }} }}")
    want = {g: int(n) for g, n in table.rows}  # type: ignore[misc, arg-type]
    table = reader.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    have = {g: int(n) for g, n in table.rows  # type: ignore[misc, arg-type]
            if g in want or str(g).startswith(graph_prefix)}  # the build's graphs may lie outside the prefix
    diff = sorted(g for g in set(want) | set(have) if want.get(g) != have.get(g))  # type: ignore[type-var]
    if diff:
        g = diff[0]
        raise EndpointResponseError(f"{endpoint_url} differs from its manifest in {len(diff)} graph(s), e.g. {g} "
                                    f"({have.get(g, 0)} triples there, {want.get(g, 0)} in the manifest)", REPUBLISH)
    return CheckReport(endpoint_url, build, len(want), sum(want.values()))


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
