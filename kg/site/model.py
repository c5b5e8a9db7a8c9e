"""What the site shows about each entity, read once from the dataset.

Entity pages, network tooltips, timelines and the index all need the same
facts (label, kind, dates, links, sources with their quotes). Reading them in
one pass over the quads keeps every view consistent with the others and the
site build fast: one scan instead of a SPARQL query per page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef

from kg.analyse.graph import HIDDEN_CLASSES, class_subsystems, local, subsystem_of
from kg.namespaces import DCTERMS, EGOV, ID, PROV, RDF, RDFS, SKOS, TIME


@dataclass(frozen=True)
class Family:
    """A kind of entity as students see it: one shape in the network, one filter checkbox."""

    name: str
    label: str
    shape: str
    colour: str  # the usual subsystem colour, for the legend icon
    classes: frozenset[str]


COLOURS = {"social": "#e4572e", "technical": "#2e86ab", "contextual": "#76b041", "other": "#9e9e9e"}

FAMILIES: list[Family] = [
    Family("place", "place", "box", COLOURS["other"],
           frozenset({"Nation", "Province", "City", "District", "SpecialAdministrativeRegion", "AdministrativeArea"})),
    Family("stage", "stage", "ellipse", COLOURS["other"], frozenset({"Stage"})),
    Family("organisation", "organisation or person", "hexagon", COLOURS["social"],
           frozenset({"Agency", "Government", "Company", "StateOwnedEnterprise", "University", "NGO", "Person"})),
    Family("reform", "reform or initiative", "triangle", COLOURS["social"],
           frozenset({"Reform", "StructuralReform", "ProcessReform", "Initiative"})),
    Family("change", "agency change", "diamond", COLOURS["social"],
           frozenset({"AgencyChange", "Establishment", "Merger", "Restructuring"})),
    Family("document", "policy document", "square", COLOURS["social"],
           frozenset({"PolicyDocument", "Plan", "Measures", "Regulation", "Notice", "Framework"})),
    Family("technology", "technology, system or app", "dot", COLOURS["technical"],
           frozenset({"Technology", "KeyTechnology", "Infrastructure", "InformationSystem", "Platform", "MobileApp",
                      "Portal", "SocialMediaAccount", "Channel"})),
    Family("event", "event or collaboration", "star", COLOURS["other"], frozenset({"Event", "CollaborationCase"})),
    Family("challenge", "challenge", "triangleDown", COLOURS["other"], frozenset({"Challenge"})),
    Family("outcome", "outcome", "diamond", COLOURS["other"], frozenset({"Outcome"})),
    Family("context", "contextual factor", "dot", COLOURS["contextual"], frozenset({"ContextualFactor"})),
    Family("figure", "figure or index", "text", COLOURS["other"], frozenset({"Quantity", "Index"})),
    Family("source", "source or cited work", "text", COLOURS["other"], frozenset({"SourceDocument", "CitedWork"})),
]
FAMILY = {f.name: f for f in FAMILIES}
_FAMILY_OF_CLASS = {c: f.name for f in FAMILIES for c in f.classes}
OTHER_FAMILY = "event"


def class_parents(ontology: Graph) -> dict[str, tuple[str, ...]]:
    """Local class name -> its direct superclasses' local names."""
    return {local(c): tuple(local(o) for o in ontology.objects(c, RDFS.subClassOf))
            for c in set(ontology.subjects(RDFS.subClassOf, None))}


@lru_cache(maxsize=4)
def _project_parents(ontology: str) -> dict[str, tuple[str, ...]]:
    return class_parents(Graph().parse(ontology, format="turtle"))


def family_of(cls: str, parents: dict[str, tuple[str, ...]] | None = None) -> str:
    """The family (shape, filter) of an ontology class: its own, else its nearest superclass's (so an
    analyst's new subclass is drawn like its parent); classes outside every family fall in with events."""
    if parents is None:
        from kg.config import Config

        parents = _project_parents(str(Config().ontology))
    todo, seen = [cls], set()
    while todo:
        c = todo.pop(0)
        if c in _FAMILY_OF_CLASS:
            return _FAMILY_OF_CLASS[c]
        if c not in seen:
            seen.add(c)
            todo += parents.get(c, ())
    return OTHER_FAMILY


# Predicates shown elsewhere on the page (title, dates, sources), not in the facts table.
_NOT_FACTS = {RDF.type, RDFS.label, EGOV.year, EGOV.datePrecision, EGOV.date, EGOV.startDate, EGOV.endDate,
              DCTERMS.description, SKOS.altLabel, SKOS.note, TIME.hasBeginning, TIME.hasEnd,
              EGOV.earliestYear, EGOV.latestYear, EGOV.yearBasis}


@dataclass
class Citation:
    """One source entry of a record: where its facts are stated."""

    document: str | None
    document_label: str
    document_file: str
    section: str
    quote: str
    confidence: str
    disputed: bool = False
    note: str = ""
    refs: list[tuple[str, str]] = field(default_factory=list)  # (cited work id, label)
    supports: list[str] = field(default_factory=list)  # predicate IRIs its quote states; empty: the whole record

    def states(self, predicate: str) -> bool:
        """Whether this citation's quote is what supports statements of `predicate` (egov:supports)."""
        return not self.supports or predicate in self.supports


@dataclass
class Fact:
    """One statement shown on a page: predicate label and either a linked entity or a plain value."""

    predicate: str
    label: str
    value: str
    target: str | None = None  # entity id when the value is an entity of the graph
    stated_by: str | None = None  # the record whose graph holds the statement (its citations support it)


@dataclass
class Entity:
    id: str
    label: str
    type: str
    type_label: str
    subsystem: str
    family: str
    date: str | None = None
    start: str | None = None
    end: str | None = None
    year: int | None = None
    description: str = ""
    alt_labels: list[str] = field(default_factory=list)
    note: str = ""
    facts: list[Fact] = field(default_factory=list)
    incoming: list[Fact] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    source_line: str = ""
    places: list[str] = field(default_factory=list)  # effective: own, its stages' places, enclosing city
    stages: list[str] = field(default_factory=list)  # effective: own stages (and itself for a Stage)
    stage_number: int | None = None
    earliest: int | None = None  # egov:earliestYear: from its date, its source's bounds or its stage
    latest: int | None = None  # egov:latestYear; None when open (a stage running to now) or unknown
    year_basis: str = ""  # "date" | "source bounds" | "stage" | "" (no date, no stage: undated)

    @property
    def point(self) -> bool:
        """Dated by the source to one day, month or year (not a period, not bounds, not a stage)."""
        return self.year_basis == "date" and bool(self.date) and "/" not in (self.date or "") and not self.end

    @property
    def hidden(self) -> bool:
        """Provenance records (documents, cited works) get pages but are not nodes of the network."""
        return self.type in HIDDEN_CLASSES

    def when(self) -> str:
        """The dates as the source gives them: '2009-05', '2006 – 2008', 'from 2018'."""
        if self.date:
            return self.date
        if self.start and self.end:
            return f"{self.start} – {self.end}"
        if self.start:
            return f"from {self.start}"
        return f"until {self.end}" if self.end else ""


@dataclass
class Influence:
    """One egov:Influence node: who influenced what, how, on what basis, with what lag."""

    id: str
    source: str  # prov:influencer
    target: str  # egov:influenced
    kind: str  # enabled, prompted, ... (the concept's local name without 'kind-')
    basis: str  # stated | inferred
    stages: list[str] = field(default_factory=list)
    lag_min: int | None = None
    lag_max: int | None = None
    lag: int | None = None
    order: str = "undetermined"

    def lag_text(self) -> str:
        """The lag as the dates allow: '3 years', 'between 1 and 3 years', 'unknown'."""
        if self.lag is not None:
            return f"{self.lag} year{'s' if self.lag != 1 else ''}"
        if self.lag_min is not None and self.lag_max is not None:
            return f"between {self.lag_min} and {self.lag_max} years"
        if self.lag_min is not None:
            return f"at least {self.lag_min} years"
        return "unknown (an end is undated)"


@dataclass
class SiteModel:
    """Every entity of the graph plus the ontology's labels, ready for page writers."""

    entities: dict[str, Entity]
    labels: dict[str, str]  # IRI -> rdfs:label from the ontology
    definitions: dict[str, str]  # IRI -> skos:definition
    influences: list[Influence] = field(default_factory=list)

    def label_of(self, iri: str) -> str:
        return self.labels.get(iri) or local(iri).rpartition("#")[2]

    def sorted_entities(self) -> list[Entity]:
        return sorted(self.entities.values(), key=lambda e: (e.label.casefold(), e.id))


def _text(term: object) -> str:
    return str(term) if term is not None else ""


def ontology_annotations(onto: Graph | Dataset) -> tuple[dict[str, str], dict[str, str]]:
    """rdfs:label and skos:definition of every term (English or untagged first)."""
    labels: dict[str, str] = {}
    defs: dict[str, str] = {}
    for target, pred in ((labels, RDFS.label), (defs, SKOS.definition)):
        for s, o in onto.subject_objects(pred):
            if isinstance(s, URIRef) and isinstance(o, Literal) and (o.language in (None, "en") or str(s) not in target):
                target[str(s)] = str(o)
    return labels, defs


def entity_id(term: object) -> str | None:
    """The record id of an entity IRI (id:shenzhen -> 'shenzhen'); None for any other term,
    including IRIs below an entity such as a stage's id:x/beginning."""
    s = str(term)
    return s[len(str(ID)):] if isinstance(term, URIRef) and s.startswith(str(ID)) and "/" not in s[len(str(ID)):] else None


def read_model(ds: Dataset, ontology: Path | None = None) -> SiteModel:
    """Read every described entity, its facts, links and citations from the dataset."""
    by_subject: dict[URIRef, list[tuple[URIRef, object]]] = defaultdict(list)
    graph_of: dict[tuple[object, object, object], object] = {}  # which record graph states a triple
    for s, p, o, _g in ds.quads((None, None, None, None)):
        by_subject[s].append((p, o))  # type: ignore[index]
        graph_of.setdefault((s, p, o), _g)
    onto = Graph()
    if ontology is not None and Path(ontology).exists():
        onto.parse(ontology, format="turtle")
    labels, defs = ontology_annotations(onto)
    if not labels:  # the dataset carries the ontology in graph:ontology
        labels, defs = ontology_annotations(ds)
    classes = class_subsystems(onto) if len(onto) else None  # an analyst's subclass in its parent's subsystem
    parents = class_parents(onto) if len(onto) else None

    def one(s: URIRef, p: URIRef) -> object:
        return next((o for pp, o in by_subject.get(s, []) if pp == p), None)

    graphs = {o: s for s, ps in by_subject.items() for p, o in ps if p == EGOV.describes}
    owner = {g: entity_id(ent) for ent, g in graphs.items()}
    entities: dict[str, Entity] = {}
    for ent, g in graphs.items():
        eid = entity_id(ent)
        if eid is None:
            continue
        cls = local(one(ent, RDF.type) or "")
        sub = one(ent, EGOV.subsystem)
        year = one(ent, EGOV.year)
        num = one(ent, EGOV.stageNumber)
        e = Entity(id=eid, label=_text(one(ent, RDFS.label)) or eid, type=cls, type_label=labels.get(str(EGOV[cls]), cls),
                   subsystem=subsystem_of(cls, local(sub) if sub else None, classes), family=family_of(cls, parents),
                   date=_text(one(ent, EGOV.date)) or None, start=_text(one(ent, EGOV.startDate)) or None,
                   end=_text(one(ent, EGOV.endDate)) or None,
                   year=int(year) if isinstance(year, Literal) else None,
                   description=_text(one(ent, DCTERMS.description)), note=_text(one(ent, SKOS.note)),
                   alt_labels=sorted(str(o) for p, o in by_subject[ent] if p == SKOS.altLabel),
                   source_line=_text(one(g, EGOV.sourceLine)),  # type: ignore[arg-type]
                   stage_number=int(num) if isinstance(num, Literal) else None,
                   earliest=_int(one(ent, EGOV.earliestYear)), latest=_int(one(ent, EGOV.latestYear)),
                   year_basis=_text(one(ent, EGOV.yearBasis)))
        e.citations = [_citation(c, by_subject, labels, one)
                       for c in sorted((o for p, o in by_subject[g] if p == EGOV.citation), key=_citation_order)]  # type: ignore[index]
        entities[eid] = e
    for ent in graphs:
        eid = entity_id(ent)
        if eid is None:
            continue
        facts = entities[eid].facts
        for p, o in by_subject[ent]:
            if p in _NOT_FACTS:
                continue
            tid = entity_id(o)
            by = owner.get(graph_of.get((ent, p, o)))
            by = by if by in entities else None
            if tid in entities:
                facts.append(Fact(str(p), labels.get(str(p), local(p)), entities[tid].label, tid, by))
                if tid != eid:
                    entities[tid].incoming.append(Fact(str(p), labels.get(str(p), local(p)), entities[eid].label, eid, by))
            elif isinstance(o, URIRef):
                facts.append(Fact(str(p), labels.get(str(p), local(p)), labels.get(str(o), local(o).rpartition("#")[2]),
                                  None, by))
            else:
                facts.append(Fact(str(p), labels.get(str(p), local(p)), str(o), None, by))
    for e in entities.values():
        e.facts.sort(key=lambda f: (f.label.casefold(), f.value.casefold()))
        e.incoming.sort(key=lambda f: (f.label.casefold(), f.value.casefold()))
    _effective_places_and_stages(entities, by_subject)
    influences = [_influence(eid, ID[eid], by_subject, one) for eid, e in entities.items() if e.type == "Influence"]
    return SiteModel(entities, labels, defs, [i for i in influences if i.source in entities and i.target in entities])


def _int(term: object) -> int | None:
    try:
        return int(term) if isinstance(term, Literal) else None  # type: ignore[call-overload]
    except ValueError:
        return None


def _influence(eid: str, node: URIRef, by_subject: dict, one) -> Influence:  # type: ignore[no-untyped-def]
    """An influence read from its node (not from the per-kind shortcuts), so basis and lag come with it."""
    kind = local(one(node, EGOV.influenceKind) or "").rpartition("#")[2].removeprefix("kind-")
    basis = local(one(node, EGOV.basis) or "").rpartition("#")[2].removeprefix("basis-")
    return Influence(eid, entity_id(one(node, PROV.influencer)) or "", entity_id(one(node, EGOV.influenced)) or "",
                     kind or "influenced", basis or "stated",
                     sorted(t for p, o in by_subject.get(node, []) if p == EGOV.duringStage and (t := entity_id(o))),
                     _int(one(node, EGOV.lagMin)), _int(one(node, EGOV.lagMax)), _int(one(node, EGOV.lagYears)),
                     _text(one(node, EGOV.order)) or "undetermined")


def _citation_order(c: object) -> tuple[int, str]:
    tail = str(c).rpartition("/")[2]
    return (int(tail) if tail.isdigit() else 0, str(c))


def _citation(c: URIRef, by_subject: dict, labels: dict[str, str], one) -> Citation:  # type: ignore[no-untyped-def]
    doc = one(c, EGOV.document)
    doc_id = entity_id(doc) if doc is not None else None
    conf = one(c, EGOV.confidence)
    refs = sorted((entity_id(o) or str(o), _text(one(o, RDFS.label)) or str(o))
                  for p, o in by_subject.get(c, []) if p == EGOV.citesReference)
    return Citation(document=doc_id, document_label=_text(one(doc, RDFS.label)) if doc is not None else "",
                    document_file=_text(one(doc, DCTERMS.identifier)) if doc is not None else "",
                    section=_text(one(c, EGOV.section)), quote=_text(one(c, EGOV.quote)),
                    confidence=labels.get(str(conf), local(conf).rpartition("#")[2]) if conf is not None else "confident",
                    disputed=str(one(c, EGOV.disputed)).lower() == "true", note=_text(one(c, RDFS.comment)), refs=refs,
                    supports=sorted(str(o) for p, o in by_subject.get(c, []) if p == EGOV.supports))


def _effective_places_and_stages(entities: dict[str, Entity], by_subject: dict) -> None:
    """Places an entity counts for in per-place views and filters.

    Its own in_place, the place of each of its stages, the place itself for a place
    and a stage's place for a stage; a district also counts for its city, so Lu'an's
    view includes what happened in Jinan district."""
    def objs(eid: str, p: URIRef) -> list[str]:
        return [t for _, o in by_subject.get(ID[eid], []) if _ == p and (t := entity_id(o)) in entities]

    within = {eid: objs(eid, EGOV.withinArea) for eid, e in entities.items() if e.family == "place"}
    stage_place = {eid: objs(eid, EGOV.stageOf) for eid, e in entities.items() if e.type == "Stage"}

    def with_city(places: set[str]) -> set[str]:
        out = set(places)
        for p in places:
            if entities[p].type != "City":
                out |= {w for w in within.get(p, []) if entities[w].type == "City"}
        return out

    for eid, e in entities.items():
        stages = set(objs(eid, EGOV.duringStage)) | ({eid} if e.type == "Stage" else set())
        places = set(objs(eid, EGOV.inPlace)) | {p for s in stages for p in stage_place.get(s, [])}
        if e.family == "place":
            places.add(eid)
        places = {p for p in places if p in entities and entities[p].family == "place"}
        e.places = sorted(with_city(places))
        e.stages = sorted(stages)


__all__ = ["COLOURS", "FAMILIES", "FAMILY", "Citation", "Entity", "Fact", "Family", "Influence", "SiteModel", "entity_id",
           "family_of", "ontology_annotations", "read_model"]
