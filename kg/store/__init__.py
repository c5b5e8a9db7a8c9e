"""Stage 2, store: one `Store` interface for the embedded Oxigraph store, any SPARQL 1.1
endpoint (kg.store.remote) and the managed Virtuoso (kg.store.virtuoso).

Public API: `open_store(target)`, `Store`, `ResultTable` from kg.store.embedded.

A build leaves a persistent Oxigraph store next to its TriG (build/store/). Opening
the build's graph uses that store, read-only and without parsing, whenever its build
id matches the TriG's; otherwise (no store, an older or newer one after an
interrupted build) the TriG is parsed as before, so the answer is always the TriG's.
"""
from __future__ import annotations

from pathlib import Path

from kg.store.embedded import EMBEDDED_KINDS, EmbeddedStore, ResultTable, Store

__all__ = ["EMBEDDED_KINDS", "EmbeddedStore", "ResultTable", "Store", "fresh_store_path", "open_store", "open"]

STORE_DIR, STORE_DATA, BUILD_ID_FILE = "store", "oxigraph", "build-id"  # as kg.build.pipeline writes them


def fresh_store_path(trig: Path) -> Path | None:
    """The Oxigraph folder of the persistent store built with this TriG, if present and fresh."""
    from kg.fileio import read_build_id

    folder = Path(trig).parent / STORE_DIR
    try:
        stored = (folder / BUILD_ID_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if stored and stored == read_build_id(trig) and (folder / STORE_DATA).is_dir():
        return folder / STORE_DATA
    return None


def open_store(target: str | None = None, *, load: Path | None = None,
               user: str | None = None, timeout: float = 30.0) -> Store:
    """Open a store: an http(s) URL for a remote SPARQL endpoint, else embedded
    ('oxigraph' or 'memory'). `load` is a built TriG: its fresh persistent store is
    opened when there is one (oxigraph only), else the TriG is parsed. With no
    arguments at all, the default build (build/egov.trig) is opened that way."""
    if target and target.startswith(("http://", "https://")):
        from kg.store.remote import RemoteStore  # imported lazily: only remote users need SPARQLWrapper

        return RemoteStore(target, user=user, timeout=timeout)
    if target is None and load is None:
        from kg.config import Config

        load = Config().trig
    kind = target or "oxigraph"
    if load is not None and kind == "oxigraph" and (persistent := fresh_store_path(load)) is not None:
        return EmbeddedStore(kind, persistent=persistent)
    store = EmbeddedStore(kind)
    if load is not None:
        store.parse(load)
    return store


# `kg.store.open(...)` reads naturally in the Python API.
open = open_store  # noqa: A001
