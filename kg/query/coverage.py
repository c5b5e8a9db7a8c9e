"""What counts as undated, decided once for `egovkg stats` and the `undated-entities` query.

A thing is undated when it has no `egov:year`: the loader writes a year only when the source
dates the thing (a stage or EDTF bounds give `egov:earliestYear` / `egov:latestYear` instead, which
are reported beside it, never taken for a date). Some kinds of thing need no date at all: places,
organisations, persons, challenges, contextual factors, outcomes, key technologies, indexes,
influences (dated by their two ends) and bibliographic records. They are named by their root
classes and walked through rdfs:subClassOf, so an analyst's new subclass follows its parent. The
query queries/undated-entities.rq lists the same roots (a test keeps the two equal).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from kg.namespaces import EGOV, ID, ORG

NO_DATE_ROOTS: tuple[URIRef, ...] = (
    DCTERMS.BibliographicResource, EGOV.AdministrativeArea, ORG.Organization, EGOV.Person, EGOV.Challenge,
    EGOV.ContextualFactor, EGOV.Outcome, EGOV.KeyTechnology, EGOV.Index, EGOV.Influence,
)


def no_date_classes(ontology: Graph) -> set[URIRef]:
    """The roots and every class below them in the ontology."""
    out: set[URIRef] = set()
    for root in NO_DATE_ROOTS:
        out |= {c for c in ontology.transitive_subjects(RDFS.subClassOf, root) if isinstance(c, URIRef)}
    return out


def undated(ds: Dataset, ontology: Path) -> list[str]:
    """Ids of described things that need a date and have no egov:year, sorted."""
    exempt = no_date_classes(Graph().parse(ontology, format="turtle"))
    out = []
    for ent in set(ds.objects(None, EGOV.describes)):
        types = set(ds.objects(ent, RDF.type))
        if types & exempt or (ent, EGOV.year, None) in ds:
            continue
        out.append(str(ent).removeprefix(str(ID)))
    return sorted(out)
