"""Co-evolution timelines, the data: what each place's timeline shows and where.

The dating rule of the graph is that a thing the sources do not date has no
year. So a timeline never puts an undated record at a point: only records the
source dates to a day, month or year (egov:yearBasis "date", one date) are
points; a record dated by the source only within bounds ("2009/2017") or by its
stage (egov:yearBasis "stage") is a span over those years; a period with no end
is a span open to the right edge; a record with neither date nor stage goes into
the "undated" list of the page. Influences are read from the egov:Influence
nodes (kind, basis, lag interval); an arrow between two points is drawn only
where both ends are points, anything else is a line between spans whose lag
interval the tooltip gives. The plotly figure and the pages are in
kg.site.timeline_plot.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.site.model import Entity, Influence, SiteModel

LANES = {"social": {"reform", "change", "document"}, "technical": {"technology"},
         "other": {"event", "challenge", "outcome", "context"}}
LANE_TITLES = {"social": "social: reforms, agencies, documents", "technical": "technical: technologies, systems, apps",
               "other": "events, challenges, outcomes, context"}
LABEL_CHARS = 30
WIDTH = 1400  # px of the exported figure; also used to estimate label widths when stacking rows


@dataclass
class Event:
    """One record on the timeline: a point (x1 is None) or a span [x0, x1)."""

    id: str
    label: str
    lane: str
    family: str
    x0: float
    x1: float | None
    shape: str  # "point" | "bounds" | "stage" | "open"
    when: str
    stage: str | None
    row: int = 0

    @property
    def centre(self) -> float:
        return self.x0 if self.x1 is None else (self.x0 + self.x1) / 2


@dataclass
class Timeline:
    place: str
    label: str
    events: list[Event]
    stages: list[tuple[Entity, float, float]]  # stage, start x, end x (in time order)
    influences: list[Influence] = field(default_factory=list)  # both ends on the plot
    elsewhere: list[Influence] = field(default_factory=list)  # of this place, an end not on the plot
    undated: list[Entity] = field(default_factory=list)  # no date and no stage
    right: float = 0.0  # the right edge: where open periods end

    @property
    def dated(self) -> int:
        return sum(e.shape == "point" for e in self.events)

    def counts(self) -> dict[str, int]:
        out = {"point": 0, "bounds": 0, "stage": 0, "open": 0}
        for e in self.events:
            out[e.shape] += 1
        return out


def date_x(text: str | None) -> float | None:
    """A date at the source's precision as a position: the middle of its year, month or day."""
    if not text:
        return None
    parts = text.split("-")
    try:
        y = int(parts[0])
        if len(parts) == 1:
            return y + 0.5
        m = int(parts[1])
        if len(parts) == 2:
            return y + (m - 0.5) / 12
        return y + (m - 1) / 12 + (int(parts[2]) - 0.5) / 365
    except ValueError:
        return None


def lane_of(e: Entity) -> str | None:
    if e.type == "Influence":
        return None
    return next((lane for lane, fams in LANES.items() if e.family in fams), None)


def when_text(e: Entity) -> str:
    """The date as the source gives it, or how the years were found."""
    if e.year_basis == "date":
        return e.when() or str(e.earliest or "")
    if e.year_basis == "source bounds":
        hi = e.latest if e.latest is not None else "…"
        return f"within {e.earliest if e.earliest is not None else '…'}–{hi} (source bounds)"
    if e.year_basis == "stage":
        hi = e.latest if e.latest is not None else "now"
        return f"undated; its stage {e.earliest}–{hi}"
    return "undated"


def _event(e: Entity, lane: str) -> Event | None:
    """Where a record goes: a point only when the source dates it to one date."""
    stage = e.stages[0] if e.stages else None
    if e.point:
        x = date_x(e.date) or (e.earliest + 0.5 if e.earliest is not None else None)
        return None if x is None else Event(e.id, e.label, lane, e.family, x, None, "point", when_text(e), stage)
    lo = e.earliest if e.earliest is not None else None
    if lo is None:
        return None
    if e.latest is None:
        return Event(e.id, e.label, lane, e.family, float(lo), None, "open", when_text(e), stage)
    shape = "stage" if e.year_basis == "stage" else "bounds"
    return Event(e.id, e.label, lane, e.family, float(lo), float(e.latest + 1), shape, when_text(e), stage)


def _year(text: str | None) -> int | None:
    try:
        return int((text or "")[:4])
    except ValueError:
        return None


def _stage_years(s: Entity) -> tuple[int | None, int | None]:
    """A stage's first and last year from its own start and end (None at the end: it runs to now)."""
    lo = _year(s.start) or _year(s.date) or s.earliest
    return lo, _year(s.end) if s.end else (None if s.start else s.latest)


def build_timeline(model: SiteModel, place: str) -> Timeline:
    """The records of one place (its own, its districts', its stages'), as points or spans."""
    ents = [e for e in model.entities.values() if place in e.places and not e.hidden]
    stages_raw = sorted((e for e in ents if e.type == "Stage"),
                        key=lambda s: (_stage_years(s)[0] or 9999, s.stage_number or 0))
    events: list[Event] = []
    undated: list[Entity] = []
    for e in ents:
        lane = lane_of(e)
        if lane is None:
            continue
        ev = _event(e, lane)
        if ev is None:
            undated.append(e)
        else:
            events.append(ev)
    finite = [x for ev in events for x in (ev.x0, ev.x1) if x is not None]
    finite += [float(v) for s in stages_raw for lo, hi in [_stage_years(s)]
               for v in (lo, (hi + 1) if hi is not None else None) if v is not None]
    right = max(finite, default=2025.0) + 1.0
    for ev in events:
        if ev.shape == "open":
            ev.x1 = max(right, ev.x0 + 1)
    stages = [(s, float(lo), float(hi + 1) if hi is not None else right)
              for s in stages_raw for lo, hi in [_stage_years(s)] if lo is not None]
    events.sort(key=lambda ev: (ev.x0, ev.label))
    on = {ev.id for ev in events}
    mine = {s.id for s in stages_raw}
    drawn, elsewhere = [], []
    for inf in model.influences:
        if inf.source in on and inf.target in on:
            drawn.append(inf)
        elif inf.source in on or inf.target in on or mine & set(inf.stages):
            elsewhere.append(inf)
    _stack(events)
    undated.sort(key=lambda e: e.label.casefold())
    label = model.entities[place].label if place in model.entities else place
    return Timeline(place, label, events, stages, drawn, elsewhere, undated, right)


def _stack(events: list[Event]) -> None:
    """Rows per lane so that bars and labels do not overlap: greedy interval packing by estimated label width."""
    if not events:
        return
    lo = min(e.x0 for e in events)
    hi = max(e.x1 if e.x1 is not None else e.x0 for e in events)
    years_per_px = (hi - lo + 2) / (WIDTH - 260)
    for lane in LANES:
        ends: list[float] = []
        for ev in (e for e in events if e.lane == lane):
            width = (min(len(ev.label), LABEL_CHARS) * 6.2 + 24) * years_per_px
            end = max(ev.x0 + width, ev.x1 or 0.0) + 0.05
            row = next((i for i, e in enumerate(ends) if e <= ev.x0), len(ends))
            if row == len(ends):
                ends.append(0.0)
            ends[row] = end
            ev.row = row


def timeline_places(model: SiteModel) -> list[str]:
    """Every place with a stage or a record of its own, most records first (Shenzhen leads)."""
    counts: dict[str, int] = {}
    for e in model.entities.values():
        if lane_of(e) or e.type == "Stage":
            for p in e.places:
                counts[p] = counts.get(p, 0) + 1
    return sorted(counts, key=lambda p: (-counts[p], p))


__all__ = ["LANES", "LANE_TITLES", "Event", "Timeline", "build_timeline", "date_x", "lane_of", "timeline_places"]
