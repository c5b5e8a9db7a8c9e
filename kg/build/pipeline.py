"""The build: YAML -> validated records -> RDF -> SHACL -> HermiT -> build/ files.

Typed config in (kg.config.Config), typed report out (BuildReport): the CLI and
notebooks call this, tests call it, and nothing here prints.

Quads stream from the records straight into Oxigraph (no rdflib Dataset in
between), the shapes run as SPARQL inside Oxigraph, HermiT (a Java child) runs on
the second core meanwhile, and Oxigraph writes the TriG and Turtle: every pass
costs the same per record at 500 or 140,000 records (benchmarks/bench_build.py).
The in-memory store is then freed and the persistent store (build/store/) is
bulk-loaded from the new TriG, so the peak is one store, not two; `query`,
`analyse` and the site open it instead of re-parsing the TriG. One code path for
any size.
"""

from __future__ import annotations

import ctypes
import gc
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Dataset

from kg import fileio
from kg.build.load import ox_dataset, record_quads
from kg.build.reason import ReasonReport, check_store_consistency
from kg.build.records import Record, read_all
from kg.build.shapes import check_store
from kg.build.validate import check_structure
from kg.config import Config
from kg.errors import InconsistentError, UsageError, ValidationError
from kg.namespaces import EGOV, ONTOLOGY_GRAPH, PREFIXES

STORE_DIR = "store"  # build/store/: the persistent Oxigraph store
STORE_DATA = "oxigraph"  # RocksDB files, inside STORE_DIR next to BUILD_ID_FILE
BUILD_ID_FILE = "build-id"
T = TypeVar("T")


@dataclass
class BuildReport:
    """What a build produced, for people (CLI) and programs (tests, notebooks)."""

    records: int
    triples: int
    graphs: int
    by_class: dict[str, int]
    reason: ReasonReport | None
    outputs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    build_id: str = ""
    seconds: dict[str, float] = field(default_factory=dict)


def read_and_check(cfg: Config) -> tuple[list[Record], list[str]]:
    """Read data/ and run the structural pass; raise ValidationError with every problem."""
    if not cfg.data.exists():  # else a mistyped path would "validate" as zero records
        raise UsageError(f"{cfg.data}: no such file or folder", "give a data folder or a YAML file (default: data/)")
    records, problems = read_all(cfg.data, Path.cwd())
    warnings = []
    if not cfg.seeds.is_dir():
        warnings.append(f"seeds folder {cfg.seeds} not found: quotes were not checked (set EGOVKG_SEEDS)")
    problems += check_structure(records, cfg.ontology, cfg.seeds)
    if problems:
        raise ValidationError(problems, "structure")
    return records, warnings


def load_store(records: list[Record], ontology: Path, path: Path | None = None) -> ox.Store:
    """Records and the ontology (in its own named graph) into an Oxigraph store, on disk if path."""
    store = ox.Store(str(path)) if path is not None else ox.Store()
    store.bulk_extend(record_quads(records))
    try:
        store.bulk_load(path=str(ontology), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(ONTOLOGY_GRAPH)))
    except (OSError, SyntaxError) as exc:
        raise UsageError(f"{ontology}: cannot be read as Turtle: {exc}", "fix the ontology file") from exc
    return store


def check_loaded(store: ox.Store, cfg: Config) -> None:
    """The SHACL pass over a loaded store; raise ValidationError with every violation."""
    problems = check_store(store, cfg.shapes, cfg.ontology)
    if problems:
        raise ValidationError(problems, "SHACL")


def validate(cfg: Config) -> tuple[Dataset, list[Record], list[str]]:
    """Both validation passes. Returns the loaded dataset (without the ontology)."""
    records, warnings = read_and_check(cfg)
    store = load_store(records, cfg.ontology)
    check_loaded(store, cfg)
    store.remove_graph(ox.NamedNode(str(ONTOLOGY_GRAPH)))
    return ox_dataset(store), records, warnings


def store_class_counts(store: ox.Store) -> dict[str, int]:
    """Entities per egov class: the rdf:type triples a record graph states about what it describes."""
    q = f"""SELECT ?c (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?c . ?g <{EGOV.describes}> ?s }}
            FILTER(STRSTARTS(STR(?c), "{EGOV}")) }} GROUP BY ?c"""
    return dict(sorted((row["c"].value[len(str(EGOV)):], int(row["n"].value)) for row in store.query(q)))  # type: ignore[union-attr]


def class_counts(ds: Dataset) -> dict[str, int]:
    """class counts of an rdflib Dataset (kg.cli.report's stats use this)."""
    from kg.build.load import OxTerms

    store = ox.Store()
    conv = OxTerms()
    store.bulk_extend(ox.Quad(conv.term(s), conv.term(p), conv.term(o), conv.iri(str(getattr(g, "identifier", g))))
                      for s, p, o, g in ds.quads((None, None, None, None)) if g is not None)
    return store_class_counts(store)


def _header(build_id: str) -> bytes:
    return f"{fileio.BUILD_ID_LINE}{build_id}\n".encode()


# The union of the named graphs, each triple once. Streamed from the store by Oxigraph: a
# second in-memory store for it cost a quarter of the peak memory at 1,000 cities.
_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"


def write_pair(store: ox.Store, trig: Path, turtle: Path, build_id: str) -> None:
    """Write egov.trig (every named graph) and egov.ttl (their union, each triple once) to the
    given (temporary) paths, each headed by the build id so a reader can tell the pair (and
    build/store) apart. The Turtle is read back and counted here; the TriG is read back by
    load_persistent, which loads the store from it."""
    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    with open(trig, "wb") as fh:
        fh.write(_header(build_id))
        store.dump(fh, ox.RdfFormat.TRIG, prefixes=prefixes)
    with open(turtle, "wb") as fh:
        fh.write(_header(build_id))
        ox.serialize(store.query(_UNION), fh, ox.RdfFormat.TURTLE, prefixes=prefixes)
    distinct = store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
    _reread(turtle, ox.RdfFormat.TURTLE, int(next(iter(distinct))["n"].value), build_id)  # type: ignore[union-attr]


def load_persistent(trig: Path, folder: Path, expected: int, build_id: str) -> None:
    """The persistent store (build/store/) bulk-loaded by Oxigraph from the TriG just written,
    which is that file's read-back check too: the store must hold exactly `expected` quads.
    Loading from the file lets the build free its in-memory store first (copying from it
    needed both at once: 1.5 GB more at 1,000 cities)."""
    disk = ox.Store(str(folder / STORE_DATA))
    try:
        disk.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
        disk.optimize()  # compact the bulk-loaded files: 3x faster queries at 1,000 cities for 10 s here
        disk.flush()
        n = len(disk)
    except (OSError, SyntaxError) as exc:
        raise UsageError(f"{trig}: the new TriG does not read back: {exc}", "check the disk, then build again") from exc
    finally:
        del disk
        gc.collect()  # close RocksDB before its folder is swapped in
    if n != expected or fileio.read_build_id(trig) != build_id:
        raise UsageError(f"{trig}: the new TriG reads back {n} statements, expected {expected}",
                         "check free disk space, then build again")
    (folder / BUILD_ID_FILE).write_text(build_id, encoding="utf-8")


def _reread(path: Path, fmt: ox.RdfFormat, expected: int, build_id: str) -> None:
    """Parse what was written and count it: a short or corrupt file never replaces a good one."""
    try:
        n = sum(1 for _ in ox.parse(path=str(path), format=fmt))
    except (OSError, SyntaxError) as exc:
        raise UsageError(f"{path}: the new file does not read back: {exc}", "check the disk, then build again") from exc
    if n != expected or fileio.read_build_id(path) != build_id:
        raise UsageError(f"{path}: the new file reads back {n} statements, expected {expected}",
                         "check free disk space, then build again")


def store_build_id(store_dir: Path) -> str | None:
    """The build id of a persistent store folder (build/store), None if absent or unreadable."""
    try:
        return (Path(store_dir) / BUILD_ID_FILE).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def check_reasoner(store: ox.Store, cfg: Config) -> ReasonReport:
    """HermiT; if it objects, name the records behind the inconsistency (file and line) instead of
    a bare "inconsistent": the record graphs are re-checked in halves (kg.build.culprit)."""
    try:
        return check_store_consistency(store)
    except InconsistentError as exc:
        from kg.build.culprit import find_culprits

        problems = find_culprits(ox_dataset(store), cfg.ontology)  # record graphs only: the ontology has none
        if not problems:
            raise
        raise ValidationError(problems, "reasoner") from exc


def release_memory() -> None:
    """Collect, then hand freed heap pages back to the OS (glibc's malloc_trim). Without the
    trim, a freed 1.7 GB in-memory store stays resident and the store loader's 1.8 GB comes on
    top (measured at 1,000 cities: 3.99 GB peak; with it, the loader starts from 0.03 GB)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl): the OS keeps the pages a while longer
        pass


def _timed(fn: Callable[..., T], *args: object) -> tuple[T, float]:
    t = time.perf_counter()
    return fn(*args), time.perf_counter() - t


def build(cfg: Config | None = None) -> tuple[BuildReport, Dataset]:
    """Validate, load, reason; write build/egov.trig, build/egov.ttl and build/store/.

    Nothing in build/ changes unless every pass succeeds. Returns the report and an
    rdflib Dataset view over the new (read-only) store."""
    cfg = cfg or Config()
    secs: dict[str, float] = {}
    t0 = time.perf_counter()
    records, warnings = read_and_check(cfg)
    secs["read+check"] = time.perf_counter() - t0
    build_id = f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{uuid.uuid4().hex[:8]}"
    fileio.sweep_stale(cfg.out) if cfg.out.is_dir() else None
    t = time.perf_counter()
    store = load_store(records, cfg.ontology)  # in memory: every pass below is several times faster than on disk
    n_records = len(records)
    del records  # a third of the peak memory at 1,000 cities; everything below reads the store
    release_memory()
    secs["load"] = time.perf_counter() - t
    # HermiT is a Java child: it runs on the second core while SHACL and the writes run here
    # (the store is only read from now on). Nothing is swapped into build/ before it answers.
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hermit")
    hermit = pool.submit(_timed, check_reasoner, store, cfg) if cfg.reason else None
    try:
        t = time.perf_counter()
        check_loaded(store, cfg)  # SHACL problems are reported first, whatever HermiT says
        secs["shacl"] = time.perf_counter() - t
        t = time.perf_counter()
        triples, graphs, by_class = len(store), len(list(store.named_graphs())), store_class_counts(store)
        store_dir = cfg.out / STORE_DIR
        reason = None
        with fileio.atomic_dir(store_dir) as tmp, fileio.atomic_files([cfg.trig, cfg.turtle]) as (t_trig, t_ttl):
            write_pair(store, t_trig, t_ttl, build_id)
            if hermit is not None:
                reason, secs["hermit"] = hermit.result()  # raises if inconsistent: nothing is swapped in
            del store  # done with: the persistent store loads from the TriG, not beside this copy
            release_memory()
            load_persistent(t_trig, tmp, triples, build_id)
        secs["write"] = time.perf_counter() - t  # includes waiting for HermiT, if it was slower
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # a SHACL error need not wait for Java
    if reason is not None and reason.sampled:
        warnings.append(reason.describe())
    view = ox_dataset(ox.Store.read_only(str(store_dir / STORE_DATA)))
    report = BuildReport(records=n_records, triples=triples, graphs=graphs, by_class=by_class, reason=reason,
                         outputs=[cfg.trig, cfg.turtle, store_dir], warnings=warnings, build_id=build_id,
                         seconds=secs)
    return report, view
