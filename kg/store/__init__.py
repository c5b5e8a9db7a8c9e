"""Stage 2, store: one `Store` interface for the embedded Oxigraph store, any SPARQL 1.1
endpoint (kg.store.remote) and the managed Virtuoso (kg.store.virtuoso).

Public API: `open_store(target)`, `Store`, `ResultTable` from kg.store.embedded.
"""
from __future__ import annotations

from pathlib import Path

from kg.store.embedded import EMBEDDED_KINDS, EmbeddedStore, ResultTable, Store

__all__ = ["EMBEDDED_KINDS", "EmbeddedStore", "ResultTable", "Store", "open_store", "open"]


def open_store(target: str | None = None, *, load: Path | None = None,
               user: str | None = None, timeout: float = 30.0) -> Store:
    """Open a store: None/'oxigraph'/'memory' for embedded, an http(s) URL for a
    remote SPARQL endpoint. `load` parses a built TriG file into an embedded store."""
    if target and target.startswith(("http://", "https://")):
        from kg.store.remote import RemoteStore  # imported lazily: only remote users need SPARQLWrapper

        return RemoteStore(target, user=user, timeout=timeout)
    store = EmbeddedStore(target or "oxigraph")
    if load is not None:
        store.parse(load)
    return store


# `kg.store.open(...)` reads naturally in the Python API.
open = open_store  # noqa: A001
