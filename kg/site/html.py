"""HTML building blocks shared by every page of the site.

One layout, one navigation bar and one escaping rule: every piece of text from
the graph (labels, ids, quotes, SPARQL) goes through `esc` before it touches
markup, and data for scripts goes through `script_json` into a
<script type="application/json"> block. Links are relative (`root` is "" or
"../"), so the site works from file:// without a server.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from kg.site.model import FAMILIES, Family

NAV = [("index.html", "Home"), ("graph/all.html", "Whole graph"), ("views.html", "Places & stages"),
       ("timelines.html", "Timelines"), ("entities/index.html", "Entities"), ("queries/index.html", "Queries"),
       ("sparql.html", "SPARQL"), ("compare.html", "Compare"), ("ontology.html", "Ontology"),
       ("search.html", "Search")]


def esc(text: object) -> str:
    """Escape text for HTML element content and quoted attribute values."""
    return html.escape(str(text), quote=True)


def shorten(text: str, n: int) -> str:
    """At most n characters, cut at a word's end with an ellipsis: canvas labels, tooltips, timeline labels."""
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def script_json(value: object) -> str:
    """JSON safe inside <script>: '<', '>' and '&' become \\u003c etc., so no '</script>' or '<!--' can appear."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def json_block(element_id: str, value: object) -> str:
    """Data for a page script, never executed: read with JSON.parse(el.textContent)."""
    return f'<script type="application/json" id="{esc(element_id)}">{script_json(value)}</script>'


def entity_href(root: str, entity_id: str) -> str:
    """Relative link to an entity page; ids are kebab-case, escaped anyway."""
    return f"{root}entities/{esc(entity_id)}.html"


def link(href: str, text: object, cls: str = "") -> str:
    """An <a> with escaped text; href must be a relative link the caller built (already escaped)."""
    c = f' class="{esc(cls)}"' if cls else ""
    return f'<a href="{href}"{c}>{esc(text)}</a>'


def page(title: str, body: str, *, root: str = "", active: str = "", wide: bool = False, head: str = "",
         scripts: list[str] | None = None) -> str:
    """A whole HTML page: navigation, body, then scripts (relative to the site root)."""
    nav = "".join(f'<a href="{root}{href}"{" class=active" if href == active else ""}>{esc(text)}</a>'
                  for href, text in NAV)
    tags = "".join(f'<script src="{root}{esc(s)}"></script>' for s in scripts or [])
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{esc(title)} · egov-kg</title><link rel="stylesheet" href="{root}assets/site.css">{head}</head>'
            f'<body><nav class="top"><a class="brand" href="{root}index.html">egov-kg</a>{nav}</nav>'
            f'<main{" class=wide" if wide else ""}>{body}</main>{tags}</body></html>\n')


def kind_badge(subsystem: str, text: str) -> str:
    return f'<span class="kind {esc(subsystem)}">{esc(text)}</span>'


_SHAPE_SVG = {
    "dot": '<circle cx="8" cy="8" r="6"/>',
    "box": '<rect x="1" y="3" width="14" height="10" rx="2"/>',
    "ellipse": '<ellipse cx="8" cy="8" rx="7" ry="5"/>',
    "hexagon": '<polygon points="8,1 14,4.5 14,11.5 8,15 2,11.5 2,4.5"/>',
    "triangle": '<polygon points="8,1.5 15,14 1,14"/>',
    "triangleDown": '<polygon points="1,2 15,2 8,14.5"/>',
    "diamond": '<polygon points="8,1 15,8 8,15 1,8"/>',
    "square": '<rect x="2" y="2" width="12" height="12"/>',
    "star": '<polygon points="8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6"/>',
    "database": '<path d="M2 4 a6 2.2 0 0 1 12 0 v8 a6 2.2 0 0 1 -12 0 z M2 4 a6 2.2 0 0 0 12 0"/>',
    "text": '<text x="1" y="12" font-size="11" font-family="sans-serif">Aa</text>',
}


def shape_icon(fam: Family) -> str:
    """A small inline SVG of the family's network shape in its usual colour (legend and filters)."""
    shape = _SHAPE_SVG.get(fam.shape, _SHAPE_SVG["dot"])
    return (f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" fill="{esc(fam.colour)}" '
            f'stroke="#555" stroke-width=".6">{shape}</svg>')


def family_legend(names: set[str] | None = None) -> str:
    return "".join(f"<li>{shape_icon(f)}{esc(f.label)}</li>" for f in FAMILIES if names is None or f.name in names)


def write(path: Path, text: str) -> None:
    """Write a page inside the site's temp folder (the whole folder is swapped in atomically)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
