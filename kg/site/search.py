"""search.html: site-wide search over labels, other names, descriptions and the quoted sources.

The entity list's filter only matches labels literally; a student looking for
"one-stop service" or a phrase from a quote needs full-text search with prefixes
and typos forgiven. MiniSearch (npm "minisearch", MIT, vendored with its licence
in kg/site/assets/vendor/minisearch/) builds the index in the browser from
data/search.js, a JSON array with '<', '>', '&' escaped; results go into the page
with textContent only. `search.html?q=...` runs a search on load, and typing keeps
the URL in step, so Back and shared links restore it.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from kg.site.html import page, script_json, write
from kg.site.model import SiteModel


def _vendor(name: str) -> str:
    return (files("kg.site") / "assets" / "vendor" / "minisearch" / name).read_text(encoding="utf-8")


def documents(model: SiteModel) -> list[dict[str, str]]:
    """One document per record with a page (influences included: their quotes state the link)."""
    return [{"id": e.id, "label": e.label, "kind": e.type_label, "alt": " ".join(e.alt_labels),
             "text": e.description, "quotes": " ".join(c.quote for c in e.citations)}
            for e in model.sorted_entities()]


def write_search(out: Path, model: SiteModel) -> None:
    write(out / "assets" / "minisearch.js", _vendor("index.js"))
    write(out / "assets" / "minisearch-LICENSE.txt", _vendor("LICENSE.txt"))
    write(out / "data" / "search.js", f"window.EGOV_SEARCH = {script_json(documents(model))};\n")
    body = ("<h1>Search everything</h1><p>Labels, other names, descriptions and the quotes from the sources, with "
            "prefixes and small typos forgiven. Labels count most.</p>"
            '<form id="search-form" role="search"><label for="q" class="block">Search the graph</label>'
            '<input type="search" id="q" name="q" placeholder="e.g. one-stop, City Brain, data silos"></form>'
            '<p id="search-count" role="status" aria-live="polite"></p><ol id="search-results" class="results"></ol>'
            '<p class="small muted">Search by MiniSearch (MIT; <a href="assets/minisearch-LICENSE.txt">licence</a>).</p>')
    write(out / "search.html", page("Search", body, active="search.html",
                                    scripts=["assets/minisearch.js", "data/search.js", "assets/search.js"]))


__all__ = ["documents", "write_search"]
