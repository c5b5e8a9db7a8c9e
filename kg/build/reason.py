"""Consistency check of ontology + data with HermiT (through owlready2, needs Java).

HermiT only knows the OWL 2 datatype map; xsd:gYear and xsd:gYearMonth (how we
keep a source's date precision) are outside it and would abort the reasoner.
Those literals say nothing about class membership, so they are left out of the
reasoner's copy only; everything else goes in unchanged.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal

from kg.errors import InconsistentError, UsageError
from kg.namespaces import ONTOLOGY_GRAPH, RDF, XSD

NOT_OWL2 = {XSD.gYear, XSD.gYearMonth, XSD.date}
_NOT_OWL2_OX = {str(d) for d in NOT_OWL2}
# HermiT (through owlready2) takes seconds per 10k triples on top of a JVM start; above
# this many data triples the reasoner checks the ontology plus a sample of record graphs.
SAMPLE_ABOVE = 25_000


@dataclass(frozen=True)
class ReasonReport:
    consistent: bool
    triples_checked: int
    literals_skipped: int
    sampled: bool = False
    graphs_checked: int = 0
    graphs_total: int = 0

    def describe(self) -> str:
        """One line for the build output; says so when only a sample was reasoned over."""
        if not self.sampled:
            return f"HermiT: consistent ({self.triples_checked} triples)"
        return (f"HermiT: consistent on the ontology plus a sample of {self.graphs_checked} of "
                f"{self.graphs_total} record graphs ({self.triples_checked} triples; every linked "
                f"entity's type included)")


def reasoner_graph(ds: Dataset, ontology: Path) -> tuple[Graph, int]:
    g = Graph().parse(ontology)
    skipped = 0
    for s, p, o, _ in ds.quads((None, None, None, None)):
        if isinstance(o, Literal) and o.datatype in NOT_OWL2:
            skipped += 1
            continue
        g.add((s, p, o))
    return g, skipped


def _owl2(q: ox.Quad) -> bool:
    o = q.object
    return not (isinstance(o, ox.Literal) and o.datatype.value in _NOT_OWL2_OX)


def store_triples(store: ox.Store, limit: int = SAMPLE_ABOVE) -> tuple[list[ox.Triple], int, int, int]:
    """Ontology + data triples for the reasoner, straight from Oxigraph: all of them up to
    `limit` data triples, else every k-th record graph plus the rdf:type triples of every
    entity the sampled graphs mention (so a link to an entity of a disjoint class is still
    caught). Returns (triples, literals skipped, graphs checked, graphs total)."""
    ont = ox.NamedNode(str(ONTOLOGY_GRAPH))
    graphs = [g for g in store.named_graphs() if g != ont]
    total = len(store) - len(list(store.quads_for_pattern(None, None, None, ont)))
    step = max(1, -(-total // limit))
    chosen = graphs[::step]
    out: dict[ox.Triple, None] = {}
    skipped = 0
    for g in [ont, *chosen]:
        for q in store.quads_for_pattern(None, None, None, g):
            if _owl2(q):
                out[q.triple] = None
            else:
                skipped += 1
    if step > 1:
        rdf_type = ox.NamedNode(str(RDF.type))
        mentioned = {t.object for t in out if isinstance(t.object, ox.NamedNode)} | {t.subject for t in out}
        for node in mentioned:
            for q in store.quads_for_pattern(node, rdf_type, None, None):  # type: ignore[arg-type]
                out[q.triple] = None
    return list(out), skipped, len(chosen), len(graphs)


def check_store_consistency(store: ox.Store, limit: int = SAMPLE_ABOVE) -> ReasonReport:
    """HermiT over an Oxigraph store holding record graphs and the ontology graph."""
    triples, skipped, n, total = store_triples(store, limit)
    with tempfile.TemporaryDirectory(prefix="egovkg-reason-") as tmp:
        path = Path(tmp) / "kg.nt"
        ox.serialize(triples, str(path), ox.RdfFormat.N_TRIPLES)
        _hermit(path)
    return ReasonReport(True, len(triples), skipped, n < total, n, total)


def check_consistency(ds: Dataset, ontology: Path) -> ReasonReport:
    """Run HermiT on an rdflib Dataset plus the ontology; raise InconsistentError if inconsistent."""
    g, skipped = reasoner_graph(ds, ontology)
    with tempfile.TemporaryDirectory(prefix="egovkg-reason-") as tmp:
        path = Path(tmp) / "kg.nt"
        g.serialize(path, format="nt", encoding="utf-8")
        _hermit(path)
    return ReasonReport(True, len(g), skipped)


# HermiT runs for a second or two on a JVM that starts cold: the client compiler alone
# (no C2 tier) and the serial collector halve that on the real data (2.1 s -> 1.1 s measured).
JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


@contextmanager
def _jvm_options(options: str) -> Iterator[None]:
    """JAVA_TOOL_OPTIONS for the Java child owlready2 starts (it has no argument for JVM
    flags); the user's own options come first and are restored afterwards."""
    before = os.environ.get("JAVA_TOOL_OPTIONS")
    os.environ["JAVA_TOOL_OPTIONS"] = f"{before} {options}" if before else options
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("JAVA_TOOL_OPTIONS", None)
        else:
            os.environ["JAVA_TOOL_OPTIONS"] = before


def _hermit(path: Path) -> None:
    """Load an N-Triples file into a fresh owlready2 world and run HermiT on it."""
    import owlready2

    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load(format="ntriples")
    try:
        with onto, _jvm_options(JVM_OPTIONS):
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError as exc:
        raise InconsistentError("HermiT found the ontology plus data inconsistent",
                                "look for an entity typed with two disjoint classes") from exc
    except FileNotFoundError as exc:
        raise UsageError("Java is not installed, HermiT cannot run",
                         "run scripts/setup.sh (installs default-jre-headless)") from exc
    finally:
        world.close()
