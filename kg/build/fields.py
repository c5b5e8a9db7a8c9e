"""The data format's vocabulary: which YAML keys exist and what RDF they become.

One table drives the loader, the structural validator and the docs test, so a
field cannot be loaded without being validated and documented. To add a field,
add a row here, declare the property in ontology/egov.ttl and describe it in
docs/data-format.md (a test fails until all three agree).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kg.namespaces import DCTERMS, EGOV, ORG, PROV, RDFS, SKOS, TIME, URIRef

Kind = Literal["text", "texts", "date", "ref", "refs", "concept", "concepts", "int", "number"]


@dataclass(frozen=True)
class Field:
    """One YAML key of a record: its predicate and how its value is read."""

    key: str
    predicate: URIRef | None
    kind: Kind
    doc: str


# Concept fields take a short token; these tables map tokens to SKOS concepts.
CONCEPTS: dict[str, dict[str, URIRef]] = {
    "mode": {"G2G": EGOV.G2G, "G2E": EGOV.G2E, "G2B": EGOV.G2B, "G2C": EGOV.G2C},
    "subsystem": {"social": EGOV.social, "technical": EGOV.technical, "contextual": EGOV.contextual},
    "interaction_level": {"low": EGOV.low, "relatively-high": EGOV.relativelyHigh, "high": EGOV.high},
    "governance_form": {
        "it-outsourcing-contract": EGOV.ITOutsourcingContract,
        "it-service-contract": EGOV.ITServiceContract,
        "public-private-partnership": EGOV.PublicPrivatePartnership,
        "interest-network": EGOV.InterestNetwork,
    },
    "confidence": {"confident": EGOV.confident, "suspected": EGOV.suspected, "inferred": EGOV.inferred},
    "kind": {k: EGOV[f"kind-{k}"] for k in (
        "enabled", "prompted", "responded-to", "built-on", "required", "constrained", "created")},
    "basis": {"stated": EGOV["basis-stated"], "inferred": EGOV["basis-inferred"]},
}


@dataclass(frozen=True)
class InfluenceKind:
    """How one kind of influence reads, and the shortcut triple derived from it.

    `from` is always the influencer and `to` the influenced (PROV's direction is
    the other way: `to prov:wasInfluencedBy from`). The shortcut property reads
    in the kind's natural sentence: `from egov:enabled to`, but
    `to egov:respondedTo from`, hence `subject`."""

    token: str
    shortcut: URIRef
    subject: Literal["from", "to"]
    reads: str


INFLUENCE_KINDS: dict[str, InfluenceKind] = {k.token: k for k in (
    InfluenceKind("enabled", EGOV.enabled, "from", "{from} made {to} possible"),
    InfluenceKind("prompted", EGOV.prompted, "from", "{from} caused, triggered or gave rise to {to}"),
    InfluenceKind("responded-to", EGOV.respondedTo, "to", "{to} was introduced in response to {from}"),
    InfluenceKind("built-on", EGOV.builtOn, "to", "{to} built on or used {from}"),
    InfluenceKind("required", EGOV.required, "from", "{from} made {to} necessary (required or forced it)"),
    InfluenceKind("constrained", EGOV.constrained, "from", "{from} limited or hindered {to}"),
    InfluenceKind("created", EGOV.created, "from", "{from} established or created {to}"),
)}

_FIELDS: list[Field] = [
    # identity and description
    Field("id", None, "text", "Stable identifier, lowercase kebab-case; becomes the IRI https://w3id.org/egov-kg/id/{id}."),
    Field("type", None, "text", "Ontology class local name (Agency, StructuralReform, Platform, ...)."),
    Field("label", RDFS.label, "text", "Name as the source gives it (English)."),
    Field("alt_labels", SKOS.altLabel, "texts", "Other names or spellings found in the sources (including garbled ones)."),
    Field("description", DCTERMS.description, "text", "One or two sentences, close to the source's wording."),
    Field("note", SKOS.note, "text", "Curator's note: ambiguity, garbling, how a fact was read."),
    # time
    Field("date", EGOV.date, "date", "When: YYYY, YYYY-MM or YYYY-MM-DD; "
          "bounds only: YYYY/YYYY, ../YYYY (before), YYYY/.. (from)."),
    Field("start", EGOV.startDate, "date", "When it began (same forms as date)."),
    Field("end", EGOV.endDate, "date", "When it ended; omit when ongoing."),
    Field("stage_number", EGOV.stageNumber, "int", "Order of a Stage within its place, from 1."),
    # links between entities (values are record ids)
    Field("in_place", EGOV.inPlace, "refs", "The administrative area(s) it belongs to or happened in."),
    Field("within", EGOV.withinArea, "ref", "Larger area an AdministrativeArea lies in."),
    Field("stage", EGOV.duringStage, "refs", "Stage(s) during which it happened or was built."),
    Field("stage_of", EGOV.stageOf, "ref", "Place whose development a Stage belongs to."),
    Field("next_stage", TIME.intervalMeets, "ref", "The Stage that follows this one."),
    Field("responsible_agency", EGOV.responsibleAgency, "refs", "Agency that carried out, issued, runs or is in charge of it."),
    Field("built_by", EGOV.builtBy, "refs", "Organisation(s) that built the technology."),
    Field("provided_by", EGOV.providedBy, "refs", "Organisation(s) that provide or operate the technology."),
    Field("uses_technology", EGOV.usesTechnology, "refs", "Technologies a system relies on."),
    Field("part_of", EGOV.partOf, "refs", "Larger thing it is a component of."),
    Field("integrated_into", EGOV.integratedInto, "refs", "Platforms or channels it was integrated into."),
    Field("issued_by", EGOV.issuedBy, "refs", "Body that issued or approved a PolicyDocument."),
    Field("implements", EGOV.implements, "refs", "Policy documents or strategies it puts into practice."),
    Field("preceded_by", EGOV.precededBy, "refs", "Earlier element it built on."),
    Field("participants", EGOV.participant, "refs", "Organisations or persons that took part."),
    Field("produced", EGOV.produced, "refs", "Technologies a CollaborationCase developed or managed."),
    Field("involves", EGOV.involves, "refs", "Persons or organisations central to an Event."),
    Field("quantity_of", EGOV.quantityOf, "refs", "Entity (or entities) a Quantity describes."),
    Field("mediating_technology", EGOV.mediatingTechnology, "refs", "CollaborationCase: technology the collaboration ran on."),
    Field("funded_by", EGOV.fundedBy, "refs", "Organisation that funds or owns it (e.g. a state-owned enterprise)."),
    Field("concerns", EGOV.concerns, "refs", "Organisation or thing a contextual factor or challenge is about."),
    Field("url", EGOV.url, "text", "Web address the source gives, as written."),
    Field("evaluates", EGOV.evaluates, "refs", "Places an Index ranks."),
    Field("influences", EGOV.influences, "refs", "Places or stages a ContextualFactor shapes."),
    Field("sub_organization_of", ORG.subOrganizationOf, "refs", "Parent organisation."),
    Field("original", ORG.originalOrganization, "refs", "AgencyChange: organisations before the change."),
    Field("resulting", ORG.resultingOrganization, "refs", "AgencyChange: organisations after the change."),
    Field("joint_optimisation", EGOV.jointOptimisation, "refs", "Stage: the Outcome the subsystems achieved."),
    # influences (type: Influence): a qualified, cited link from an influencer to the influenced
    Field("from", PROV.influencer, "ref", "Influence: the influencer (the thing that acted)."),
    Field("to", EGOV.influenced, "ref", "Influence: the influenced thing (PROV: `to prov:wasInfluencedBy from`)."),
    Field("kind", EGOV.influenceKind, "concept", "Influence: how `from` influenced `to` (see INFLUENCE_KINDS)."),
    Field("basis", EGOV.basis, "concept", "Influence: stated (a quoted sentence states it) "
          "or inferred (our reading; note required)."),
    # controlled vocabularies (values are tokens from CONCEPTS)
    Field("mode", EGOV.mode, "concepts", "E-government mode(s): G2G, G2E, G2B, G2C."),
    Field("subsystem", EGOV.subsystem, "concept", "STS subsystem: social, technical or contextual."),
    Field("interaction_level", EGOV.interactionLevel, "concept", "Stage: low, relatively-high or high."),
    Field("governance_form", EGOV.governanceForm, "concepts", "Case: organisational form(s)."),
    # figures and case attributes
    Field("value", EGOV.quantityValue, "number", "Quantity: the number as the source gives it."),
    Field("unit", EGOV.unit, "text", "Quantity: what the value counts (departments, percent, ...)."),
    Field("measure", EGOV.measure, "text", "Quantity: what the figure is about, in words."),
    Field("as_of", EGOV.asOf, "date", "Quantity: the date the figure refers to."),
    Field("qualifier", EGOV.qualifier, "text", "Quantity: hedge in the source (around, more than, almost)."),
    Field("duration_years", EGOV.durationYears, "number", "CollaborationCase: duration in years as stated."),
    Field("drivers", EGOV.driver, "texts", "CollaborationCase: drivers in the source's words."),
    Field("conflicts", EGOV.conflict, "texts", "Conflicts or tensions the source describes."),
    Field("role", EGOV.role, "text", "What a stakeholder did, in the source's words."),
    Field("ref_number", EGOV.referenceNumber, "int", "CitedWork: its number [n] in the document's reference list."),
    Field("in_document", EGOV.inDocument, "ref", "CitedWork: the SourceDocument record whose reference list holds it."),
    Field("file", DCTERMS.identifier, "text", "SourceDocument: the seed file name, e.g. 000_1b7241a4136cdb3d.txt."),
    # provenance
    Field("source", None, "text", "Required. Where the facts are stated: one mapping or a list (see SOURCE_KEYS)."),
]

FIELDS: dict[str, Field] = {f.key: f for f in _FIELDS}

# Keys allowed inside a record's `source` mapping.
SOURCE_KEYS: dict[str, str] = {
    "doc": "Required. Seed file name, e.g. 000_1b7241a4136cdb3d.txt.",
    "section": "Required. Section, table or figure, e.g. '4.2' or 'Table 1'.",
    "refs": "References the source cites at the quote: numbers [n], or CitedWork ids for author-year citations.",
    "quote": "Required. Short verbatim quote from the seed (checked against the text).",
    "confidence": "confident (default), suspected or inferred.",
    "disputed": "true when the source contradicts itself or is garbled here.",
    "note": "Why the confidence is not 'confident', or how the text was read.",
    "supports": "Record keys this citation states (e.g. [date, built_by]); omit when it supports the whole record.",
}
