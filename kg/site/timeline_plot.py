"""Co-evolution timelines, the drawing: plotly figure, pages, SVG/PNG export.

Interactive with plotly: plotly.min.js is written once into the site's assets/
and referenced relatively; the figure is JSON in the page. Plotly's cloud
features are off (no logo link, no "edit in Chart Studio", no "send data"), so
nothing on the page can send the chart, quotes included, off the machine.
Static SVG/PNG for papers come from kaleido driving Debian's Chromium (never a
downloaded browser, MathJax off, plotly.js from the installed package).

Every text handed to plotly is HTML-escaped, since plotly renders a subset of
HTML in labels and hover text.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import plotly.graph_objects as go

from kg.site.html import entity_href, esc, json_block, link, page, shorten, write
from kg.site.model import COLOURS, FAMILY, Influence, SiteModel
from kg.site.timeline import LABEL_CHARS, LANE_TITLES, LANES, WIDTH, Event, Timeline, build_timeline, timeline_places

SYMBOLS = {"reform": "triangle-up", "change": "diamond", "document": "square", "technology": "circle",
           "event": "star", "challenge": "triangle-down", "outcome": "star-diamond", "context": "hexagon"}
LANE_COLOURS = {"social": COLOURS["social"], "technical": COLOURS["technical"], "other": "#6d6d6d"}
SHAPE_NAMES = {"point": "dated by the source", "bounds": "dated only within bounds (span)",
               "stage": "undated: drawn over its stage (span)", "open": "open-ended period (span to the right edge)"}
PLOTLY_CONFIG = {"displaylogo": False, "showLink": False, "sendData": False, "showEditInChartStudio": False,
                 "showSendToCloud": False, "responsive": True, "linkText": "",
                 "modeBarButtonsToRemove": ["sendDataToCloud", "editInChartStudio", "lasso2d", "select2d"]}


def _rgba(hex_colour: str, alpha: float) -> str:
    """A translucent bar colour, so the label drawn on it keeps full contrast (trace opacity would fade it)."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _hover(model: SiteModel, ev: Event) -> str:
    e = model.entities[ev.id]
    lines = [f"<b>{esc(e.label)}</b>", esc(f"{e.type_label} · {ev.when}")]
    if ev.shape != "point":
        lines.append(esc(SHAPE_NAMES[ev.shape]))
    for c in e.citations[:1]:
        lines.append(esc(f"Source: {c.document_label or c.document_file}, section {c.section} ({c.confidence})"))
        quote = shorten(c.quote, 220)
        lines += [esc(quote[i:i + 70]) for i in range(0, len(quote), 70)]
    lines.append("click: open its page")
    return "<br>".join(lines)


def _inf_text(model: SiteModel, inf: Influence) -> str:
    a, b = model.entities[inf.source].label, model.entities[inf.target].label
    return "<br>".join([esc(f"{shorten(a, 60)} — {inf.kind} → {shorten(b, 60)}"),
                        esc(f"{inf.basis} in the source · lag {inf.lag_text()} · order: {inf.order}")])


def _y(tl: Timeline) -> tuple[dict[str, float], dict[str, tuple[float, float]]]:
    """Vertical position of each event and the extent of each lane: social above, technical below, others under."""
    rows = {lane: max([e.row for e in tl.events if e.lane == lane], default=-1) + 1 for lane in LANES}
    base = {"social": 1.0, "technical": -1.0, "other": -rows["technical"] - 2.0}
    sign = {"social": 1, "technical": -1, "other": -1}
    y = {e.id: base[e.lane] + sign[e.lane] * e.row for e in tl.events}
    extent = {lane: (base[lane], base[lane] + sign[lane] * max(rows[lane] - 1, 0)) for lane in LANES if rows[lane]}
    return y, extent


def _influence_traces(fig: go.Figure, tl: Timeline, model: SiteModel, y: dict[str, float]) -> None:
    """Arrows between two points (stated solid, inferred dashed); lines between spans (grey) when an end is undated."""
    by_id = {e.id: e for e in tl.events}
    for both_points in (True, False):
        for basis, dash in (("stated", "solid"), ("inferred", "dash")):
            lx: list[float | None] = []
            ly: list[float | None] = []
            sizes: list[float] = []
            texts: list[str] = []
            for inf in tl.influences:
                a, b = by_id[inf.source], by_id[inf.target]
                if inf.basis != basis or ((a.shape == "point" and b.shape == "point") != both_points):
                    continue
                xa, xb = a.centre, b.centre
                lx += [xa, (xa + xb) / 2, xb, None]
                ly += [y[a.id], (y[a.id] + y[b.id]) / 2, y[b.id], None]
                sizes += [0, 12 if both_points else 7, 0, 0]
                text = _inf_text(model, inf)
                texts += [text, text, text, ""]
            if not lx:
                continue
            colour = "#333333" if both_points else "#8a8a8a"
            name = (f"{basis} influence, both ends dated" if both_points
                    else f"{basis} influence, an end undated (lag interval in tooltip)")
            fig.add_trace(go.Scatter(
                x=lx, y=ly, mode="lines+markers", name=name, opacity=0.85 if both_points else 0.45,
                line={"color": colour, "width": 1.4 if both_points else 1, "dash": dash},
                marker={"symbol": "arrow" if both_points else "circle-open", "angleref": "previous",
                        "size": sizes, "color": colour},
                hovertext=texts, hovertemplate="%{hovertext}<extra></extra>", meta="influence"))


def figure(tl: Timeline, model: SiteModel, root: str = "../") -> go.Figure:
    """The plotly figure: lanes, stages as shaded columns, points, spans, influences."""
    y, extent = _y(tl)
    fig = go.Figure()
    _influence_traces(fig, tl, model, y)
    labels: list[tuple[list[float], list[float], list[str]]] = []
    for lane, fams in LANES.items():
        colour = LANE_COLOURS[lane]
        for fam in sorted(fams):
            for shape in ("point", "bounds", "open", "stage"):
                evs = [e for e in tl.events if e.lane == lane and e.family == fam and e.shape == shape]
                if not evs:
                    continue
                name = esc(f"{FAMILY[fam].label}: {SHAPE_NAMES[shape]}")
                custom = [[e.id, entity_href(root, e.id)] for e in evs]
                if shape == "point":
                    fig.add_trace(go.Scatter(
                        x=[e.x0 for e in evs], y=[y[e.id] for e in evs], mode="markers+text", name=name,
                        text=[esc(shorten(e.label, LABEL_CHARS)) for e in evs], textposition="middle right",
                        textfont={"size": 11, "color": "#222"}, meta="point",
                        marker={"symbol": SYMBOLS[fam], "size": 11, "color": colour, "line": {"width": .5, "color": "#333"}},
                        customdata=custom, hovertext=[_hover(model, e) for e in evs],
                        hovertemplate="%{hovertext}<extra></extra>"))
                    continue
                xs: list[float | None] = []
                ys: list[float | None] = []
                hover: list[str] = []
                cd: list[list[str] | None] = []
                for e, c in zip(evs, custom, strict=True):
                    h = _hover(model, e)
                    xs += [e.x0, e.centre, e.x1, None]
                    ys += [y[e.id]] * 3 + [None]
                    hover += [h, h, h, ""]
                    cd += [c, c, c, None]
                fig.add_trace(go.Scatter(
                    x=xs, y=ys, mode="lines", name=name, meta="span", customdata=cd, hovertext=hover,
                    hovertemplate="%{hovertext}<extra></extra>",
                    line={"color": _rgba(colour, 0.55 if shape == "bounds" else 0.35), "width": 12 if shape == "bounds" else 9,
                          "dash": "dot" if shape == "open" else "solid", "simplify": False}))
                labels.append(([e.x0 for e in evs], [y[e.id] for e in evs], [esc(shorten(e.label, LABEL_CHARS)) for e in evs]))
    for lx, ly, lt in labels:  # the spans' labels, on top of every bar (a text trace per span trace loses none)
        fig.add_trace(go.Scatter(x=lx, y=ly, text=lt, mode="text", textposition="middle right", showlegend=False,
                                 hoverinfo="skip", textfont={"size": 11, "color": "#222"}, meta="label"))
    xs_all = [x for e in tl.events for x in (e.x0, e.x1) if x is not None] + [x for _, a, b in tl.stages for x in (a, b)]
    x0, x1 = (min(xs_all) - 0.6, max(xs_all) + 2.2) if xs_all else (2000, 2025)
    lo = min([v[1] for v in extent.values()] + [-1.0])
    hi = max([v[1] for v in extent.values()] + [1.0])
    shapes = [{"type": "rect", "xref": "x", "yref": "paper", "x0": a, "x1": b, "y0": 0, "y1": 1, "layer": "below",
               "line": {"width": 0}, "fillcolor": "#e8eef6" if i % 2 == 0 else "#f6efe3"}
              for i, (_, a, b) in enumerate(tl.stages)]
    shapes.append({"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": 0, "y1": 0,
                   "line": {"color": "#888", "width": 1}})
    notes = [{"x": (a + b) / 2, "y": 1, "xref": "x", "yref": "paper", "yanchor": "bottom", "showarrow": False,
              "text": esc(f"Stage {s.stage_number or ''} ({s.when()})"), "font": {"size": 11, "color": "#444"},
              "hovertext": esc(s.label)} for s, a, b in tl.stages]
    height = max(420, 200 + 26 * (hi - lo + 2))
    fig.update_layout(
        template="plotly_white", height=height, width=None, margin={"l": 150, "r": 30, "t": 80, "b": 60},
        title={"text": esc(f"{tl.label}: co-evolution of reforms and technologies"), "x": 0.01},
        xaxis={"title": "year (bars are spans: the source gives no single date)", "range": [x0, x1],
               "tickformat": "d", "showgrid": True, "gridcolor": "#e5e5e5"},
        yaxis={"range": [lo - 0.9, hi + 0.9], "showgrid": False, "zeroline": False,
               "tickvals": [(a + b) / 2 for a, b in extent.values()],
               "ticktext": [esc(LANE_TITLES[lane]).replace(": ", ":<br>") for lane in extent]},
        shapes=shapes, annotations=notes, hovermode="closest",
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "font": {"size": 11}})
    return fig


def _summary(tl: Timeline) -> str:
    c = tl.counts()
    return (f"{len(tl.events) + len(tl.undated)} records: {c['point']} dated by the source (points), "
            f"{c['bounds']} dated only within bounds and {c['open']} open-ended (spans), {c['stage']} undated and drawn "
            f"over their stage (spans), {len(tl.undated)} undated with no stage (listed below, not drawn).")


def timeline_page(tl: Timeline, fig: go.Figure, model: SiteModel, images: list[str], note: str) -> str:
    """The interactive timeline, its downloads, what is undated, and tables of the same events and influences."""
    root = "../"
    data = fig.to_plotly_json()
    spec = {"data": data["data"], "layout": data["layout"],
            "config": {**PLOTLY_CONFIG, "toImageButtonOptions": {"filename": tl.place}}}
    downloads = " · ".join(f'<a href="{esc(name)}" download>{esc(name.rpartition(".")[2].upper())}</a>' for name in images)
    stage_label = {s.id: s.label for s, _, _ in tl.stages}
    rows = "".join(
        f"<tr><td>{esc(ev.when)}</td><td>{esc(ev.lane)}</td><td>{esc(model.entities[ev.id].type_label)}</td>"
        f"<td>{link(entity_href(root, ev.id), ev.label)}</td>"
        f"<td>{esc(stage_label.get(ev.stage or '', model.entities[ev.stage].label if ev.stage in model.entities else ''))}"
        "</td></tr>" for ev in tl.events)

    def inf_row(inf: Influence) -> str:
        return (f"<tr><td>{link(entity_href(root, inf.source), model.entities[inf.source].label)}</td>"
                f"<td>{link(entity_href(root, inf.id), inf.kind)}</td>"
                f"<td>{link(entity_href(root, inf.target), model.entities[inf.target].label)}</td>"
                f"<td>{esc(inf.basis)}</td><td>{esc(inf.lag_text())}</td><td>{esc(inf.order)}</td></tr>")

    head = "<tr><th>from</th><th>kind</th><th>to</th><th>basis</th><th>lag</th><th>order</th></tr>"
    infs = "".join(inf_row(i) for i in tl.influences + tl.elsewhere)
    undated = "".join(f"<li>{link(entity_href(root, e.id), e.label)} <span class=\"muted small\">"
                      f"({esc(e.type_label)})</span></li>" for e in tl.undated)
    stages = "".join(f"<li>{link(entity_href(root, s.id), s.label)} <span class=\"muted small\">({esc(s.when())})"
                     "</span></li>" for s, _, _ in tl.stages)
    body = (f'<div class="pad"><h1>{esc(tl.label)}: co-evolution timeline</h1>'
            f'<p id="dating">{esc(_summary(tl))}</p>'
            "<p>Social subsystem above the line, technical below; stages are shaded columns. A marker is a record "
            "the source dates; a bar is a span: the years the source bounds it to, or, for an undated record, its "
            "stage (its place inside the bar means nothing). Influence arrows join two dated records (stated solid, "
            "inferred dashed); a grey line joins records of which one is undated, and its tooltip gives the possible "
            "lag. Hover for the source and quote, click to open a record.</p>"
            f'<p>For papers: {downloads or esc(note)}</p>'
            f'<div id="timeline" class="timeline-plot" role="img" aria-label="{esc(tl.label)} timeline; the same '
            f'records are in the tables below"></div><p id="labels-hidden" class="small muted" aria-live="polite"></p>'
            f'{json_block("egov-figure", spec)}'
            + (f"<h2>Stages</h2><ol>{stages}</ol>" if stages else "")
            + f'<h2>Influences ({len(tl.influences) + len(tl.elsewhere)})</h2>'
            + (f'<div class="scroll"><table id="influences"><thead>{head}</thead><tbody>{infs}</tbody></table></div>'
               if infs else "<p>No influence recorded for this place.</p>")
            + f'<h2>Records on the timeline ({len(tl.events)}, {tl.dated} dated)</h2><div class="scroll">'
            f'<table id="events"><thead><tr><th>date</th><th>lane</th><th>kind</th><th>record</th><th>stage</th></tr>'
            f"</thead><tbody>{rows}</tbody></table></div>"
            + (f'<h2 id="undated-h">Undated, no stage ({len(tl.undated)})</h2><p>The sources give these no date and '
               f'no stage, so they are not drawn.</p><ul id="undated" class="entities">{undated}</ul>' if undated else "")
            + "</div>")
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
    note = export_images([(f, out / "timeline" / tl.place) for tl, f in figs if tl.events]) if images \
        else "static export not requested"
    for tl, fig in figs:
        names = [f"{tl.place}.{ext}" for ext in ("svg", "png") if (out / "timeline" / f"{tl.place}.{ext}").exists()]
        write(out / "timeline" / f"{tl.place}.html", timeline_page(tl, fig, model, names, note))
    items = "".join(f'<div class="card"><h3>{link("timeline/" + esc(tl.place) + ".html", tl.label)}</h3>'
                    f'<p class="small">{len(tl.stages)} stages, {len(tl.influences) + len(tl.elsewhere)} influences. '
                    f'{esc(_summary(tl))}</p>'
                    + (f'<img src="timeline/{esc(tl.place)}.png" alt="" style="width:100%">'
                       if (out / "timeline" / f"{tl.place}.png").exists() else "") + "</div>" for tl in tls)
    write(out / "timelines.html", page("Timelines", "<h1>Co-evolution timelines</h1><p>One per place. Only what the "
                                       "sources date is drawn as a point; the rest are spans or listed as undated.</p>"
                                       + (f'<p class="muted">{esc(note)}</p>' if note else "")
                                       + f'<div class="cards">{items}</div>', active="timelines.html"))
    return tls, note
