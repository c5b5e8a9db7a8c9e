"""Consistency check of ontology + data with HermiT (through owlready2, needs Java).

HermiT only knows the OWL 2 datatype map; xsd:gYear and xsd:gYearMonth (how we
keep a source's date precision) are outside it and would abort the reasoner.
Those literals say nothing about class membership, so they are left out of the
reasoner's copy only; everything else goes in unchanged.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal

from kg.errors import InconsistentError, UsageError
from kg.namespaces import XSD

NOT_OWL2 = {XSD.gYear, XSD.gYearMonth, XSD.date}


@dataclass(frozen=True)
class ReasonReport:
    consistent: bool
    triples_checked: int
    literals_skipped: int


def reasoner_graph(ds: Dataset, ontology: Path) -> tuple[Graph, int]:
    g = Graph().parse(ontology)
    skipped = 0
    for s, p, o, _ in ds.quads((None, None, None, None)):
        if isinstance(o, Literal) and o.datatype in NOT_OWL2:
            skipped += 1
            continue
        g.add((s, p, o))
    return g, skipped


def check_consistency(ds: Dataset, ontology: Path) -> ReasonReport:
    """Run HermiT; raise InconsistentError if ontology + data are inconsistent."""
    import owlready2

    g, skipped = reasoner_graph(ds, ontology)
    with tempfile.TemporaryDirectory(prefix="egovkg-reason-") as tmp:
        path = Path(tmp) / "kg.nt"
        g.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            raise InconsistentError("HermiT found the ontology plus data inconsistent",
                                    "look for an entity typed with two disjoint classes") from exc
        except FileNotFoundError as exc:
            raise UsageError("Java is not installed, HermiT cannot run",
                             "run scripts/setup.sh (installs default-jre-headless)") from exc
        finally:
            world.close()
    return ReasonReport(True, len(g), skipped)
