"""Stores: one interface for the embedded graph and for remote SPARQL endpoints.

The embedded default is rdflib's Dataset API over Oxigraph (oxrdflib), which
parses and aggregates far faster than rdflib's pure-Python memory store; the
memory store stays selectable for debugging. A remote SPARQL 1.1 endpoint
(Virtuoso, Fuseki, GraphDB, Oxigraph server) implements the same `Store`
protocol in kg.store.remote, so callers never care where the graph lives.

All stores answer SELECT/ASK queries over the *union* of named graphs, which is
Virtuoso's default too: the library's queries run unchanged on both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from rdflib import Dataset
from rdflib.query import Result
from rdflib.term import Node

from kg.errors import StoreError, UsageError
from kg.namespaces import graph_id

EMBEDDED_KINDS = ("oxigraph", "memory")


@dataclass
class ResultTable:
    """A SELECT result: variable names and rows of rdflib terms (None = unbound)."""

    variables: list[str]
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def as_dicts(self) -> list[dict[str, Node | None]]:
        return [dict(zip(self.variables, r, strict=False)) for r in self.rows]

    def column(self, name: str) -> list[Node | None]:
        i = self.variables.index(name)
        return [r[i] for r in self.rows]


def _rdflib_term(t: object) -> Node:
    """An Oxigraph term as the rdflib term oxrdflib would give (the embedded store's contract)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        return Literal(t.value, datatype=URIRef(t.datatype.value))
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    raise StoreError(f"the store returned an RDF term egov-kg cannot show: {t!r}", "select its parts instead")


@runtime_checkable
class Store(Protocol):
    """What every store offers. `select` takes finished SPARQL text; parameter
    binding happens before, in kg.query.library, the same way for every store."""

    name: str

    def select(self, sparql: str) -> ResultTable: ...

    def ask(self, sparql: str) -> bool: ...

    def triple_count(self) -> int: ...

    def close(self) -> None: ...


class EmbeddedStore:
    """rdflib Dataset (Oxigraph-backed by default) queried over the union graph.

    `EmbeddedStore.open_persistent(folder)` opens the store a build left on disk
    (build/store/oxigraph) read-only: no parsing, and any number of readers at once."""

    def __init__(self, kind: str = "oxigraph", *, persistent: Path | None = None) -> None:
        if kind not in EMBEDDED_KINDS:
            raise UsageError(f"unknown embedded store '{kind}'", f"use one of {', '.join(EMBEDDED_KINDS)}")
        self.name = kind
        self.persistent = persistent
        if persistent is not None:
            import pyoxigraph
            from oxrdflib import OxigraphStore

            try:
                inner = pyoxigraph.Store.read_only(str(persistent))
            except OSError as exc:
                raise StoreError(f"{persistent}: cannot open the build's store: {exc}",
                                 "run 'egovkg build' again to rewrite it") from exc
            self.dataset = Dataset(store=OxigraphStore(store=inner), default_union=True)
            return
        store = "Oxigraph" if kind == "oxigraph" else "default"
        self.dataset = Dataset(store=store, default_union=True)

    def add_dataset(self, ds: Dataset) -> None:
        """Copy every quad of ds (named graphs preserved)."""
        self.dataset.addN((s, p, o, self.dataset.graph(graph_id(g)))
                          for s, p, o, g in ds.quads((None, None, None, None)) if g is not None)

    def parse(self, path: Path, fmt: str | None = None) -> None:
        path = Path(path)
        if not path.exists():
            raise UsageError(f"{path}: no such file", "run 'egovkg build' first")
        if fmt is None:
            fmt = "trig" if path.suffix == ".trig" else "turtle" if path.suffix == ".ttl" else None
        parser = fmt
        if self.name == "oxigraph" and fmt in ("trig", "turtle", "nquads", "nt"):
            parser = "ox-" + fmt  # Oxigraph's native Rust parser, straight into the store
        try:
            self.dataset.parse(str(path), format=parser)
        except Exception as exc:  # a truncated or hand-edited build: parsers raise SyntaxError, OSError, ...
            detail = " ".join(str(exc).split())[:300] or type(exc).__name__  # one line, however the parser words it
            raise UsageError(f"{path}: cannot be read as {fmt or 'RDF'}: {detail}",
                             "run 'egovkg build' again to rewrite it") from exc

    def _query(self, sparql: str) -> Result:
        try:
            return self.dataset.query(sparql)
        except Exception as exc:  # rdflib/pyoxigraph raise many types for bad SPARQL
            raise self._failed(exc) from exc

    def _failed(self, exc: Exception) -> StoreError:
        return StoreError(f"query failed on the {self.name} store: {exc}", "check the SPARQL syntax of the query")

    def select(self, sparql: str) -> ResultTable:
        inner = getattr(self.dataset.store, "_inner", None)
        if inner is not None:  # Oxigraph underneath: read its solutions directly
            return self._select_oxigraph(inner, sparql)
        res = self._query(sparql)
        if res.type != "SELECT":
            raise StoreError(f"expected a SELECT query, got {res.type}", "use 'ask' for ASK queries")
        return ResultTable([str(v) for v in res.vars], [tuple(row) for row in res])

    def _select_oxigraph(self, inner: object, sparql: str) -> ResultTable:
        """The same query, prefixes and union graph as rdflib's Dataset.query over oxrdflib, and
        the same rdflib terms, but each distinct term converted once: oxrdflib builds (and
        validates) a new URIRef or Literal per cell, which was half the time of a 12k-row answer."""
        import pyoxigraph as ox

        prefixes = {p: str(ns) for p, ns in self.dataset.namespaces()}  # what rdflib would predeclare
        try:
            res = inner.query(sparql, use_default_graph_as_union=True, prefixes=prefixes)  # type: ignore[attr-defined]
        except Exception as exc:  # pyoxigraph raises SyntaxError, OSError, ... for bad SPARQL
            raise self._failed(exc) from exc
        if not isinstance(res, ox.QuerySolutions):
            kind = "ASK" if isinstance(res, ox.QueryBoolean) else "CONSTRUCT"
            raise StoreError(f"expected a SELECT query, got {kind}", "use 'ask' for ASK queries")
        variables = [v.value for v in res.variables]
        seen: dict[object, Node] = {}

        def term(t: object) -> Node | None:
            if t is None:
                return None
            node = seen.get(t)
            if node is None:
                node = seen[t] = _rdflib_term(t)
            return node

        try:
            rows = [tuple(term(v) for v in solution) for solution in res]
        except Exception as exc:  # evaluation errors surface while iterating
            raise self._failed(exc) from exc
        return ResultTable(variables, rows)

    def ask(self, sparql: str) -> bool:
        return bool(self._query(sparql).askAnswer)

    def triple_count(self) -> int:
        if self.name == "oxigraph":  # count quads: rdflib's len() would count distinct triples
            return len(self.dataset.store._inner)  # type: ignore[attr-defined]
        return len(self.dataset)  # quads in all graphs

    def close(self) -> None:
        self.dataset.close()
