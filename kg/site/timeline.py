"""Co-evolution timelines: reforms and technologies of one place, year by year.

Two swimlanes, the social subsystem (reforms, agency changes, policy documents)
above and the technical subsystem (technologies, systems, apps) below, with the
place's stages shaded and a line from each reform to the technology it enabled
(or from a technology to the reform it prompted). Interactive with plotly:
plotly.min.js is written once into the site's assets/ and referenced relatively;
the figure is JSON in the page. Static SVG/PNG for papers come from kaleido
driving Debian's Chromium (never a downloaded browser, MathJax off, plotly.js
from the installed package), so the export works offline too.

Records without a date but with a stage are shown with open markers, spread
evenly inside their stage: the position within the stage means nothing, which
the legend and tooltip say. Every text handed to plotly is HTML-escaped, since
plotly renders a subset of HTML in labels and hover text.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import plotly.graph_objects as go

from kg.site.html import entity_href, esc, json_block, link, page, shorten, write
from kg.site.model import COLOURS, FAMILY, Entity, SiteModel

LANES = {"social": {"reform", "change", "document"}, "technical": {"technology"}}
SYMBOLS = {"reform": "triangle-up", "change": "diamond", "document": "square", "technology": "circle"}
LINKS = {"https://w3id.org/egov-kg/ontology#enabled": "enabled", "https://w3id.org/egov-kg/ontology#prompted": "prompted"}
LABEL_CHARS = 30
WIDTH = 1400  # px of the exported figure; also used to estimate label widths when stacking rows


@dataclass
class Event:
    id: str
    label: str
    lane: str
    family: str
    x: float
    dated: bool
    when: str
    stage: str | None
    row: int = 0


@dataclass
class Timeline:
    place: str
    label: str
    events: list[Event]
    stages: list[tuple[Entity, float, float]]  # stage, start x, end x
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (from id, kind, to id)

    @property
    def dated(self) -> int:
        return sum(e.dated for e in self.events)


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
    return next((lane for lane, fams in LANES.items() if e.family in fams), None)


def build_timeline(model: SiteModel, place: str) -> Timeline:
    """The events of one place (its own records, its districts', its stages'), placed by date or stage."""
    ents = [e for e in model.entities.values() if place in e.places and not e.hidden]
    stages_raw = sorted((e for e in ents if e.type == "Stage"), key=lambda s: (s.stage_number or 0, s.start or ""))
    events: list[Event] = []
    undated: dict[tuple[str, str], list[Entity]] = {}
    for e in ents:
        lane = lane_of(e)
        if lane is None:
            continue
        x = date_x(e.date) or date_x(e.start)
        stage = e.stages[0] if e.stages else None
        if x is not None:
            events.append(Event(e.id, e.label, lane, e.family, x, True, e.when(), stage))
        elif stage is not None:
            undated.setdefault((stage, lane), []).append(e)
    last = max([ev.x for ev in events] + [(date_x(s.start) or 0) + 1 for s in stages_raw] + [0.0])
    stages = []
    for s in stages_raw:
        x0 = float(int(date_x(s.start) or last))
        x1 = float(int(date_x(s.end)) + 1) if s.end else max(last + 0.5, x0 + 1)
        stages.append((s, x0, x1))
    span = {s.id: (x0, x1) for s, x0, x1 in stages}
    for (stage, lane), group in sorted(undated.items()):
        if stage not in span:
            continue
        x0, x1 = span[stage]
        group.sort(key=lambda e: e.label.casefold())
        for i, e in enumerate(group):
            events.append(Event(e.id, e.label, lane, e.family, x0 + (i + 0.5) * (x1 - x0) / len(group), False,
                                f"undated; stage {model.entities[stage].stage_number or ''}".strip(), stage))
    events.sort(key=lambda ev: (ev.x, ev.label))
    on = {ev.id for ev in events}
    links = sorted({(e.id, LINKS[f.predicate], f.target) for e in ents for f in e.facts
                    if f.predicate in LINKS and e.id in on and f.target in on})  # type: ignore[misc]
    _stack(events)
    return Timeline(place, model.entities[place].label if place in model.entities else place, events, stages, links)


def _stack(events: list[Event]) -> None:
    """Rows per lane so that labels do not overlap: greedy interval packing by estimated label width."""
    if not events:
        return
    lo, hi = min(e.x for e in events), max(e.x for e in events)
    years_per_px = (hi - lo + 2) / (WIDTH - 260)
    for lane in LANES:
        ends: list[float] = []
        for ev in (e for e in events if e.lane == lane):
            width = (min(len(ev.label), LABEL_CHARS) * 6.2 + 24) * years_per_px
            row = next((i for i, end in enumerate(ends) if end <= ev.x), len(ends))
            if row == len(ends):
                ends.append(0.0)
            ends[row] = ev.x + width
            ev.row = row


def timeline_places(model: SiteModel) -> list[str]:
    """Places with at least one dated reform or technology, most events first (Shenzhen leads)."""
    counts: dict[str, int] = {}
    for e in model.entities.values():
        if lane_of(e) and (date_x(e.date) or date_x(e.start)) is not None:
            for p in e.places:
                counts[p] = counts.get(p, 0) + 1
    return sorted(counts, key=lambda p: (-counts[p], p))


def _hover(model: SiteModel, ev: Event) -> str:
    e = model.entities[ev.id]
    lines = [f"<b>{esc(e.label)}</b>", esc(f"{e.type_label} · {ev.when or 'undated'}")]
    if not ev.dated:
        lines.append("no date in the source: placed inside its stage, position not meaningful")
    for c in e.citations[:1]:
        lines.append(esc(f"Source: {c.document_label or c.document_file}, section {c.section} ({c.confidence})"))
        quote = shorten(c.quote, 220)
        lines += [esc(quote[i:i + 70]) for i in range(0, len(quote), 70)]
    lines.append("click: open its page")
    return "<br>".join(lines)


def figure(tl: Timeline, model: SiteModel, root: str = "../") -> go.Figure:
    """The plotly figure: lanes, stages, events, co-evolution links."""
    rows = {lane: max([e.row for e in tl.events if e.lane == lane], default=-1) + 1 for lane in LANES}
    y = {e.id: (1 + e.row if e.lane == "social" else -1 - e.row) for e in tl.events}
    xs = {e.id: e.x for e in tl.events}
    fig = go.Figure()
    for kind, colour, dash in (("enabled", COLOURS["social"], "solid"), ("prompted", COLOURS["technical"], "dot")):
        lx: list[float | None] = []
        ly: list[float | None] = []
        sizes: list[float] = []
        texts: list[str] = []
        for a, k, b in tl.links:
            if k != kind:
                continue
            lx += [xs[a], (xs[a] + xs[b]) / 2, xs[b], None]
            ly += [y[a], (y[a] + y[b]) / 2, y[b], None]
            sizes += [0, 11, 0, 0]
            text = esc(f"{model.entities[a].label} {kind} {model.entities[b].label}")
            texts += [text, text, text, ""]
        if lx:
            fig.add_trace(go.Scatter(x=lx, y=ly, mode="lines+markers", name=f"{kind} (co-evolution link)",
                                     line={"color": colour, "width": 1.2, "dash": dash}, opacity=0.75,
                                     marker={"symbol": "arrow", "angleref": "previous", "size": sizes, "color": colour},
                                     hovertext=texts, hovertemplate="%{hovertext}<extra></extra>"))
    for lane, fams in LANES.items():
        for fam in sorted(fams):
            for dated in (True, False):
                evs = [e for e in tl.events if e.lane == lane and e.family == fam and e.dated == dated]
                if not evs:
                    continue
                name = FAMILY[fam].label + ("" if dated else " — undated, placed in its stage")
                fig.add_trace(go.Scatter(
                    x=[e.x for e in evs], y=[y[e.id] for e in evs], mode="markers+text", name=esc(name),
                    text=[esc(shorten(e.label, LABEL_CHARS)) for e in evs], textposition="middle right", textfont={"size": 10},
                    marker={"symbol": SYMBOLS[fam] + ("" if dated else "-open"), "size": 11, "color": COLOURS[lane],
                            "line": {"width": 1.5 if not dated else 0.5, "color": COLOURS[lane] if not dated else "#333"}},
                    customdata=[[e.id, entity_href(root, e.id)] for e in evs],
                    hovertext=[_hover(model, e) for e in evs], hovertemplate="%{hovertext}<extra></extra>"))
    xs_all = [e.x for e in tl.events] + [x for _, a, b in tl.stages for x in (a, b)]
    x0, x1 = (min(xs_all) - 0.6, max(xs_all) + 2.2) if xs_all else (2000, 2025)
    shapes = [{"type": "rect", "xref": "x", "yref": "paper", "x0": a, "x1": b, "y0": 0, "y1": 1, "layer": "below",
               "line": {"width": 0}, "fillcolor": "#eef3f8" if i % 2 == 0 else "#f7f1e8"}
              for i, (_, a, b) in enumerate(tl.stages)]
    shapes.append({"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": 0, "y1": 0,
                   "line": {"color": "#888", "width": 1}})
    notes = [{"x": (a + b) / 2, "y": 1, "xref": "x", "yref": "paper", "yanchor": "bottom", "showarrow": False,
              "text": esc(f"Stage {s.stage_number or ''} ({s.when()})"), "font": {"size": 11, "color": "#555"},
              "hovertext": esc(s.label)} for s, a, b in tl.stages]
    height = max(460, 170 + 24 * (rows["social"] + rows["technical"] + 2))
    fig.update_layout(
        template="plotly_white", height=height, width=None, margin={"l": 150, "r": 30, "t": 80, "b": 60},
        title={"text": esc(f"{tl.label}: co-evolution of reforms and technologies"), "x": 0.01},
        xaxis={"title": "year (position of undated records inside a stage is arbitrary)", "range": [x0, x1], "dtick": 1,
               "tickformat": "d", "showgrid": True, "gridcolor": "#e5e5e5"},
        yaxis={"range": [-rows["technical"] - 0.8, rows["social"] + 0.8], "showgrid": False, "zeroline": False,
               "tickvals": [(rows["social"] + 1) / 2, -(rows["technical"] + 1) / 2],
               "ticktext": ["<b>social</b><br>reforms, agencies,<br>documents",
                            "<b>technical</b><br>technologies,<br>systems, apps"]},
        shapes=shapes, annotations=notes, hovermode="closest",
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "font": {"size": 11}})
    return fig


def timeline_page(tl: Timeline, fig: go.Figure, model: SiteModel, images: list[str], note: str) -> str:
    """The interactive timeline, its downloads and an accessible table of the same events."""
    root = "../"
    spec = {"data": fig.to_plotly_json()["data"], "layout": fig.to_plotly_json()["layout"],
            "config": {"displaylogo": False, "responsive": True, "toImageButtonOptions": {"filename": tl.place}}}
    downloads = " · ".join(f'<a href="{esc(name)}" download>{esc(name.rpartition(".")[2].upper())}</a>' for name in images)
    rows = "".join(
        f"<tr><td>{esc(ev.when or '')}</td><td>{esc(ev.lane)}</td><td>{esc(model.entities[ev.id].type_label)}</td>"
        f"<td>{link(entity_href(root, ev.id), ev.label)}</td>"
        f"<td>{esc(model.entities[ev.stage].label) if ev.stage in model.entities else ''}</td></tr>" for ev in tl.events)
    links = "".join(f"<li>{link(entity_href(root, a), model.entities[a].label)} <em>{esc(k)}</em> "
                    f"{link(entity_href(root, b), model.entities[b].label)}</li>" for a, k, b in tl.links)
    body = (f'<div class="pad"><h1>{esc(tl.label)}: co-evolution timeline</h1>'
            f"<p>Reforms, agency changes and policy documents (social subsystem, above) and technologies, systems "
            f"and apps (technical subsystem, below) of {esc(tl.label)}, by year; stages shaded. Lines join a reform "
            f"to the technology it <em>enabled</em> and a technology to the reform it <em>prompted</em>. Open markers "
            f"have no date in the source and are spread inside their stage. Hover for the source and quote, click to "
            f"open a record.</p>"
            f'<p>For papers: {downloads or esc(note)}</p>'
            f'<div id="timeline" class="timeline-plot"></div>{json_block("egov-figure", spec)}'
            f'<h2>Events ({len(tl.events)}, {tl.dated} dated)</h2><table id="events"><thead><tr><th>date</th><th>lane</th>'
            f"<th>kind</th><th>record</th><th>stage</th></tr></thead><tbody>{rows}</tbody></table>"
            + (f"<h2>Co-evolution links ({len(tl.links)})</h2><ul>{links}</ul>" if links else "") + "</div>")
    return page(f"{tl.label} timeline", body, root=root, active="timelines.html", wide=True,
                scripts=["assets/plotly.min.js", "assets/timeline.js"])


def chromium_path() -> str | None:
    """Debian's Chromium (or BROWSER_PATH): kaleido must never download a browser."""
    for cand in (os.environ.get("BROWSER_PATH"), "/usr/bin/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser")):
        if cand and Path(cand).is_file():
            return cand
    return None


def export_images(jobs: list[tuple[go.Figure, Path]]) -> str:
    """Write SVG and PNG of each figure in one kaleido session; returns '' or why nothing was written."""
    if not jobs:
        return ""
    browser = chromium_path()
    if browser is None:
        return "static SVG/PNG export skipped: no Chromium at /usr/bin/chromium (run scripts/setup.sh --test)"
    try:
        import kaleido
    except ImportError:
        return "static SVG/PNG export skipped: kaleido is not installed"
    specs = []
    for fig, base in jobs:
        f = go.Figure(fig)
        f.update_layout(width=WIDTH)
        for fmt, scale in (("svg", 1), ("png", 2)):
            specs.append({"fig": f, "path": base.with_suffix(f".{fmt}"), "opts": {"format": fmt, "scale": scale}})
    try:
        kaleido.write_fig_from_object_sync(specs, kopts={"mathjax": False, "path": browser}, cancel_on_error=True)
    except Exception as exc:  # kaleido/choreographer raise many kinds; the site stays usable without images
        return f"static SVG/PNG export failed: {type(exc).__name__}: {exc}"
    return ""


def write_timelines(out: Path, model: SiteModel, images: bool = True) -> tuple[list[Timeline], str]:
    """timeline/{place}.html (+ .svg/.png) and timelines.html; returns the timelines and an export note."""
    tls = [build_timeline(model, p) for p in timeline_places(model)]
    figs = [(tl, figure(tl, model)) for tl in tls]
    (out / "timeline").mkdir(parents=True, exist_ok=True)
    note = export_images([(f, out / "timeline" / tl.place) for tl, f in figs]) if images else "static export not requested"
    for tl, fig in figs:
        names = [f"{tl.place}.{ext}" for ext in ("svg", "png") if (out / "timeline" / f"{tl.place}.{ext}").exists()]
        write(out / "timeline" / f"{tl.place}.html", timeline_page(tl, fig, model, names, note))
    items = "".join(f'<div class="card"><h3>{link("timeline/" + esc(tl.place) + ".html", tl.label)}</h3>'
                    f'<p class="small">{len(tl.events)} events ({tl.dated} dated), {len(tl.stages)} stages, '
                    f'{len(tl.links)} co-evolution links</p>'
                    + (f'<img src="timeline/{esc(tl.place)}.png" alt="" style="width:100%">'
                       if (out / "timeline" / f"{tl.place}.png").exists() else "") + "</div>" for tl in tls)
    write(out / "timelines.html", page("Timelines", "<h1>Co-evolution timelines</h1><p>One per place with dated "
                                       "reforms or technologies.</p>" + (f'<p class="muted">{esc(note)}</p>' if note else "")
                                       + f'<div class="cards">{items}</div>', active="timelines.html"))
    return tls, note
