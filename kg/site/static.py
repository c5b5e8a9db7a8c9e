"""The site's own CSS and JavaScript, shipped inside the package.

They are written once into build/site/assets/ (or inlined into a single-file
page). The scripts never build markup from data: every label goes into the DOM
through textContent or as a vis-network title string, which vis-network 9 shows
with innerText, so a label can never become HTML.

The CSS and JavaScript are real files in kg/site/assets/ (shipped as package
data), so editors, linters and browsers' devtools see them as what they are.
"""

from __future__ import annotations

from importlib.resources import files


def asset(name: str) -> str:
    """The text of one file of kg/site/assets/."""
    return (files("kg.site") / "assets" / name).read_text(encoding="utf-8")


SITE_CSS = asset("site.css")
NETVIEW_JS = asset("netview.js")
LIST_FILTER_JS = asset("list-filter.js")
TIMELINE_JS = asset("timeline.js")
SPARQL_JS = asset("sparql.js")
SEARCH_JS = asset("search.js")
