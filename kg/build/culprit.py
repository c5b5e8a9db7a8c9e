"""Name the records behind a HermiT inconsistency.

HermiT says only "inconsistent". The structural pass catches the usual causes
(a link to the wrong class, from the ontology's ranges) with file and line, but
when the reasoner still objects, the analyst needs the records: we re-check
record graphs in halves (a binary search that grows a minimal inconsistent set
one record at a time, as in QuickXplain) and report each record of that set with
its file and line. Cost: about (records in the set) x (log2 of all records + 1)
reasoner runs, so a two-record clash among 500 records takes ~20 runs.

Pipeline use:  except InconsistentError: raise ValidationError(find_culprits(data, cfg.ontology), "reasoner")
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from rdflib import Dataset, URIRef

from kg.build.reason import check_consistency
from kg.errors import InconsistentError, Problem
from kg.namespaces import EGOV, ID


def record_graphs(ds: Dataset) -> list[URIRef]:
    """The record graphs of a loaded dataset, in a stable order."""
    return sorted({s for s, _, _, _ in ds.quads((None, EGOV.describes, None, None)) if isinstance(s, URIRef)})


def _subset(ds: Dataset, graphs: Sequence[URIRef]) -> Dataset:
    out = Dataset()
    for g in graphs:
        target = out.graph(g)
        for t in ds.graph(g):
            target.add(t)
    return out


def minimal_inconsistent(items: Sequence[URIRef], inconsistent: Callable[[list[URIRef]], bool],
                         limit: int = 8) -> list[URIRef]:
    """A minimal subset of `items` that is inconsistent, given that all of them are.

    Invariant: core + rest[:hi] is inconsistent, core + rest[:lo] is not. Each
    round finds the shortest inconsistent prefix and adds its last item to core."""
    core: list[URIRef] = []
    rest = list(items)
    while not inconsistent(core) and rest and len(core) < limit:
        lo, hi = 0, len(rest)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if inconsistent(core + rest[:mid]):
                hi = mid
            else:
                lo = mid
        core.append(rest[hi - 1])
        rest = rest[:hi - 1]
    return core


def find_culprits(ds: Dataset, ontology: Path, limit: int = 8) -> list[Problem]:
    """The records that together make ontology + data inconsistent, as Problems
    (file, line, record id). Empty if the data is consistent after all."""
    def inconsistent(graphs: list[URIRef]) -> bool:
        try:
            check_consistency(_subset(ds, graphs), ontology)
        except InconsistentError:
            return True
        return False

    graphs = record_graphs(ds)
    if not inconsistent(graphs):
        return []
    core = minimal_inconsistent(graphs, inconsistent, limit)
    ids = [str(ds.value(g, EGOV.describes) or g).removeprefix(str(ID)) for g in core]
    problems = []
    for g, rid in zip(core, ids, strict=True):
        where = str(ds.value(g, EGOV.sourceLine) or "data/:0")
        file, _, line = where.rpartition(":")
        others = [i for i in ids if i != rid]
        with_ = f" together with {', '.join(others)}" if others else ""
        problems.append(Problem(file or "data/", int(line) if line.isdigit() else None, None,
                                f"the reasoner (HermiT) finds this record inconsistent{with_}",
                                "look for a thing given two disjoint classes, e.g. a link that makes a City a Stage",
                                rid))
    return problems
