"""Co-evolution measured from the influence links, beside the source's own levels.

The measure (docs/analysis.md) is ours, not the paper's: for each stage of a
place, interaction = cross-subsystem links / elements, where

- cross-subsystem links are the influences placed in the stage (egov:duringStage
  of the Influence: the stage of what was influenced) whose two ends lie in
  different subsystems among {social, technical}, in either direction;
- elements are the distinct social and technical things during the stage.

Only stated links count unless `include_inferred` is set. The ordering of the
measure over a place's stages is compared with the interaction level the
source gives (Table 1 of seed 000: low < relatively high < high) and reported
as agreeing or not, with the pairs that disagree: the formula is not tuned to
the answer. Link rows come from the library query `coevolution-links`, so the
query, this analysis and the site read the same kinds, bases and lags.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kg.namespaces import ID
from kg.query.library import find_query, run_query
from kg.store.embedded import Store

LEVEL_ORDER = {"low": 0, "relatively high": 1, "high": 2}
SOCIO_TECHNICAL = {"social", "technical"}
FORMULA = ("interaction = (influence links in the stage whose ends are one social and one technical element, "
           "either direction) / (social and technical elements during the stage); stated links only unless "
           "--include-inferred")

_STAGES = """
PREFIX egov: <https://w3id.org/egov-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?stage ?place ?number ?label ?level WHERE {
  ?stage a egov:Stage ; egov:stageOf ?place ; egov:stageNumber ?number ; rdfs:label ?label .
  OPTIONAL { ?stage egov:interactionLevel ?l . ?l rdfs:label ?level }
}"""

_ELEMENTS = """
PREFIX egov: <https://w3id.org/egov-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?stage ?e ?subsystem WHERE {
  ?e egov:duringStage ?stage .
  FILTER NOT EXISTS { ?e a egov:Influence }
  OPTIONAL { ?e egov:subsystem ?x . ?x skos:prefLabel ?xl }
  OPTIONAL { ?e a ?c . ?c rdfs:subClassOf* ?root .
             VALUES (?root ?cn) { (egov:TechnicalElement "technical") (egov:SocialElement "social") } }
  BIND(COALESCE(STR(?xl), ?cn, "other") AS ?subsystem)
}"""

_LINK_STAGES = """
PREFIX egov: <https://w3id.org/egov-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?influence ?stage ?challenge WHERE {
  ?influence a egov:Influence ; egov:duringStage ?stage .
  OPTIONAL { { ?influence <http://www.w3.org/ns/prov#influencer> ?ch } UNION { ?influence egov:influenced ?ch }
             ?ch a ?cc . ?cc rdfs:subClassOf* egov:Challenge . BIND(true AS ?challenge) }
}"""


def _id(term: object) -> str:
    return str(term).removeprefix(str(ID))


@dataclass
class StageMeasure:
    """One stage of one place: the measure, its parts, and what the links say."""

    stage: str
    place: str
    stageNumber: int
    label: str
    sourceLevel: str | None
    elements: int
    crossLinks: int
    interaction: float | None
    statedLinks: int
    inferredLinks: int
    statedShare: float | None
    byKind: dict[str, int] = field(default_factory=dict)
    byDirection: dict[str, int] = field(default_factory=dict)
    chains: list[dict[str, str]] = field(default_factory=list)


@dataclass
class PlaceVerdict:
    """Does the measure order a place's stages as the source's levels do?"""

    place: str
    agrees: bool | None
    explanation: str


@dataclass
class Analysis:
    includeInferred: bool
    formula: str
    stages: list[StageMeasure]
    places: list[PlaceVerdict]
    links: list[dict[str, object]]

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def direction(src: str, dst: str) -> str:
    """'social -> technical' and the like; 'other' when an end is neither."""
    if src in SOCIO_TECHNICAL and dst in SOCIO_TECHNICAL:
        return f"{src} -> {dst}" if src != dst else f"within {src}"
    return "other"


def verdict(place: str, stages: list[StageMeasure]) -> PlaceVerdict:
    """Agreement of the measure's ordering with the source's levels, pair by pair."""
    rated = [s for s in stages if s.sourceLevel in LEVEL_ORDER and s.interaction is not None]
    if len(rated) < 2:
        return PlaceVerdict(place, None, "fewer than two stages have both a source level and a measure: no ordering")
    wrong = []
    for i, a in enumerate(rated):
        for b in rated[i + 1:]:
            la, lb = LEVEL_ORDER[a.sourceLevel or ""], LEVEL_ORDER[b.sourceLevel or ""]
            if la == lb:
                continue
            lo, hi = (a, b) if la < lb else (b, a)
            if not lo.interaction < hi.interaction:  # type: ignore[operator]
                wrong.append(f"stage {lo.stageNumber} ({lo.sourceLevel}, {lo.interaction:.2f}) is not below "
                             f"stage {hi.stageNumber} ({hi.sourceLevel}, {hi.interaction:.2f})")
    if not wrong:
        return PlaceVerdict(place, True, "the measure orders the stages as the source's levels do")
    return PlaceVerdict(place, False, "the measure does not order the stages as the source does: " + "; ".join(wrong))


def analyse(store: Store, queries: Path, include_inferred: bool = False) -> Analysis:
    """The co-evolution analysis of every staged place in the store."""
    rows = run_query(store, find_query("coevolution-links", queries)).as_dicts()
    links = [{k: (None if v is None else _id(v) if k in ("source", "target", "influence", "stage") else
                  v.toPython() if hasattr(v, "toPython") else str(v)) for k, v in r.items()} for r in rows]
    by_id = {str(r["influence"]): r for r in links}
    link_stages: dict[str, set[str]] = {}
    chains: set[str] = set()
    for r in store.select(_LINK_STAGES).as_dicts():
        link_stages.setdefault(_id(r["stage"]), set()).add(_id(r["influence"]))
        if r["challenge"] is not None:
            chains.add(_id(r["influence"]))
    elements: dict[str, set[str]] = {}
    for r in store.select(_ELEMENTS).as_dicts():
        if str(r["subsystem"]) in SOCIO_TECHNICAL:
            elements.setdefault(_id(r["stage"]), set()).add(_id(r["e"]))
    measures = []
    for r in store.select(_STAGES).as_dicts():
        st = _id(r["stage"])
        mine = [by_id[i] for i in sorted(link_stages.get(st, ())) if i in by_id]
        counted = [lk for lk in mine if include_inferred or lk["basis"] == "stated"]
        cross = [lk for lk in counted if direction(str(lk["sourceSubsystem"]), str(lk["targetSubsystem"]))
                 in ("social -> technical", "technical -> social")]
        n = len(elements.get(st, ()))
        stated = sum(1 for lk in mine if lk["basis"] == "stated")
        measures.append(StageMeasure(
            stage=st, place=_id(r["place"]), stageNumber=int(r["number"].toPython()), label=str(r["label"]),
            sourceLevel=str(r["level"]) if r["level"] is not None else None, elements=n, crossLinks=len(cross),
            interaction=round(len(cross) / n, 4) if n else None, statedLinks=stated, inferredLinks=len(mine) - stated,
            statedShare=round(stated / len(mine), 4) if mine else None,
            byKind=dict(sorted(Counter(str(lk["link"]) for lk in counted).items())),
            byDirection=dict(sorted(Counter(direction(str(lk["sourceSubsystem"]), str(lk["targetSubsystem"]))
                                            for lk in counted).items())),
            chains=[{"from": str(lk["source"]), "kind": str(lk["link"]), "to": str(lk["target"])}
                    for lk in counted if lk["influence"] in chains]))
    measures.sort(key=lambda m: (m.place, m.stageNumber))
    places = sorted({m.place for m in measures})
    return Analysis(include_inferred, FORMULA, measures,
                    [verdict(p, [m for m in measures if m.place == p]) for p in places], links)
