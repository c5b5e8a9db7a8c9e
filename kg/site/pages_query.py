"""Query pages: the query library run on the embedded store, with CSV/JSON downloads.

Each library query gets a page with its title, question, parameters, SPARQL text
(escaped, shown as written) and its result table, plus NAME.csv and NAME.json
written next to the page. A query that needs a parameter runs with the example
value its header gives ("e.g. shenzhen-city-brain") when that value is valid
here; otherwise the page says how to run it. A query that fails is shown as
failed instead of failing the whole site, and reported in the site report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef
from rdflib.term import Node

from kg.errors import EgovKgError
from kg.query.library import QueryDef, load_library, run_query, to_term
from kg.query.output import render, short
from kg.site.html import entity_href, esc, link, page, write
from kg.site.model import SiteModel, entity_id
from kg.store.embedded import ResultTable, Store

MAX_ROWS = 1000  # rows shown in the HTML table; the downloads have them all
_EXAMPLE = re.compile(r"e\.g\.\s+([A-Za-z0-9][\w-]*)")


@dataclass
class QueryRun:
    """What happened to one library query when the site was built."""

    qdef: QueryDef
    params: dict[str, str] = field(default_factory=dict)
    table: ResultTable | None = None
    skipped: str = ""  # why it did not run
    error: str = ""


def example_params(qdef: QueryDef, model: SiteModel) -> tuple[dict[str, str], str]:
    """Values for required parameters from the header's 'e.g.' examples; ('', reason) when there is none."""
    params: dict[str, str] = {}
    for p in qdef.params:
        if not p.required:
            continue
        m = _EXAMPLE.search(p.doc)
        value = m[1] if m else ""
        try:
            if not value:
                raise ValueError("no example")
            to_term(p, value)
        except (EgovKgError, ValueError):
            return {}, f"needs parameter '{p.name}' and its header gives no usable example"
        if p.type == "id" and value not in model.entities:
            return {}, f"needs parameter '{p.name}'; its example '{value}' is not in this graph"
        params[p.name] = value
    return params, ""


def run_library(store: Store, folder: Path, model: SiteModel) -> list[QueryRun]:
    """Run every library query (required parameters from examples); never raises for one bad query."""
    runs = []
    for qdef in load_library(folder).values():
        params, why = example_params(qdef, model)
        run = QueryRun(qdef, params, skipped=why)
        if not why:
            try:
                run.table = run_query(store, qdef, params)
            except EgovKgError as exc:
                run.error = exc.one_line()
        runs.append(run)
    return runs


def cell(term: Node | None, model: SiteModel, root: str) -> str:
    """A result cell: entities link to their page, other IRIs are shown shortened as text (never as links)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        eid = entity_id(term)
        if eid in model.entities:
            return f'<a href="{entity_href(root, eid)}" title="{esc(eid)}">{esc(model.entities[eid].label)}</a>'
        return f"<code>{esc(short(term))}</code>"
    return esc(str(term))


def result_table(table: ResultTable, model: SiteModel, root: str) -> str:
    head = "".join(f"<th>{esc(v)}</th>" for v in table.variables)
    rows = "".join("<tr>" + "".join(f"<td>{cell(t, model, root)}</td>" for t in row) + "</tr>"
                   for row in table.rows[:MAX_ROWS])
    more = (f'<p class="muted">Showing {MAX_ROWS} of {len(table)} rows; the downloads have all.</p>'
            if len(table) > MAX_ROWS else "")
    return f'<div style="overflow-x:auto"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>{more}'


def command_line(run: QueryRun) -> str:
    return "egovkg query " + run.qdef.name + "".join(f" -p {k}={v}" for k, v in run.params.items())


def query_page(run: QueryRun, model: SiteModel) -> str:
    q, root = run.qdef, "../"
    params = "".join(f"<tr><td><code>{esc(p.name)}</code></td><td>{esc(p.type)}</td>"
                     f"<td>{'required' if p.required else 'optional'}</td><td>{esc(p.doc)}</td></tr>" for p in q.params)
    parts = [f'<p class="muted"><code>queries/{esc(q.path.name)}</code></p><h1>{esc(q.title)}</h1>',
             f"<p><strong>Question:</strong> {esc(q.question)}</p>"]
    parts += [f'<p class="small muted">Note: {esc(n)}</p>' for n in q.notes]
    if params:
        parts.append("<h2>Parameters</h2><table><thead><tr><th>name</th><th>type</th><th></th><th>meaning</th></tr></thead>"
                     f"<tbody>{params}</tbody></table>")
    parts.append(f"<p>Run it yourself: <code>{esc(command_line(run))}</code></p>")
    parts.append(f"<h2>SPARQL</h2><pre><code>{esc(q.sparql)}</code></pre>")
    parts.append('<h2 id="results">Results</h2>')
    if run.table is not None:
        with_params = (" with " + ", ".join(f"{k} = {v}" for k, v in run.params.items())) if run.params else ""
        parts.append(f'<p>{len(run.table)} rows{esc(with_params)} on this build. Download: '
                     f'<a href="{esc(q.name)}.csv" download>CSV</a> · <a href="{esc(q.name)}.json" download>JSON</a> '
                     f'(SPARQL 1.1 results format; full IRIs)</p>')
        parts.append(result_table(run.table, model, root))
    elif run.skipped:
        parts.append(f"<p>Not run here: it {esc(run.skipped)}. Run it with the command above.</p>")
    else:
        parts.append(f"<p><strong>This query failed on this build:</strong> {esc(run.error)}</p>")
    return page(q.title, "".join(parts), root=root, active="queries/index.html")


def query_index(runs: list[QueryRun]) -> str:
    items = []
    for r in runs:
        status = (f"{len(r.table)} rows" if r.table is not None else "not run: needs a parameter" if r.skipped
                  else "failed")
        items.append(f'<div class="card"><h3>{link(esc(r.qdef.name) + ".html", r.qdef.title)}</h3>'
                     f'<p class="small">{esc(r.qdef.question)}</p><p class="small muted">{esc(status)}'
                     f' · <code>{esc(r.qdef.name)}</code></p></div>')
    body = (f"<h1>Query library</h1><p>{len(runs)} SPARQL queries from <code>queries/</code>, run on this build of the "
            f"graph. Each page shows the question, the SPARQL text and the results, with CSV and JSON downloads. "
            f"Parameters are bound with a VALUES block, never pasted into the text.</p>"
            f'<div class="cards">{"".join(items)}</div>')
    return page("Query library", body, root="../", active="queries/index.html")


def write_query_pages(out: Path, runs: list[QueryRun], model: SiteModel) -> int:
    """queries/index.html, one page per query and its CSV/JSON results; returns the number of pages."""
    for r in runs:
        write(out / "queries" / f"{r.qdef.name}.html", query_page(r, model))
        if r.table is not None:
            write(out / "queries" / f"{r.qdef.name}.csv", render(r.table, "csv"))
            write(out / "queries" / f"{r.qdef.name}.json", render(r.table, "json"))
    write(out / "queries" / "index.html", query_index(runs))
    return len(runs) + 1
