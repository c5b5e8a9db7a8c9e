"""Entity pages and the entity list: every fact with its sources, one page per record.

A student reaches any entity's sources in two clicks from the index (index ->
entity list, or the search box -> entity page, where "Sources" comes right after
the description). Every label, id, quote and note is escaped; links between
pages are relative; the ego network (1-2 hops) reuses the site's network view.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import networkx as nx

from kg.namespaces import DCTERMS, EGOV, RDF, SKOS
from kg.site.html import entity_href, esc, kind_badge, link, page, write
from kg.site.model import FAMILIES, Citation, Entity, SiteModel
from kg.site.network import NET_SCRIPTS, net_head, view_body, view_spec

EGO_MAX = 60  # above this many nodes at 2 hops, the ego network shows 1 hop only


def ego_graph(g: nx.MultiDiGraph, node: str, model: SiteModel | None = None) -> tuple[nx.MultiDiGraph, int]:
    """The entity's neighbourhood: its direct links, plus a second hop that does not pass through a
    place or a stage (they link to everything, so a second hop through them is the whole city);
    1 hop only when 2 would not stay readable."""
    und = g.to_undirected(as_view=True)
    ring1 = set(und.neighbors(node))
    hubs = {n for n in ring1 if model is not None and n in model.entities and model.entities[n].family in ("place", "stage")}
    ring2 = {m for n in ring1 - hubs for m in und.neighbors(n)}
    nodes = {node} | ring1 | ring2
    if len(ring2 - ring1 - {node}) and len(nodes) <= EGO_MAX:
        return g.subgraph(nodes).copy(), 2
    return g.subgraph({node} | ring1).copy(), 1


def citers(model: SiteModel) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Which records cite each source document, and each cited work."""
    by_doc: dict[str, set[str]] = defaultdict(set)
    by_ref: dict[str, set[str]] = defaultdict(set)
    for e in model.entities.values():
        for c in e.citations:
            if c.document:
                by_doc[c.document].add(e.id)
            for ref_id, _ in c.refs:
                by_ref[ref_id].add(e.id)
    key = (lambda i: model.entities[i].label.casefold())  # noqa: E731
    return ({k: sorted(v, key=key) for k, v in by_doc.items()}, {k: sorted(v, key=key) for k, v in by_ref.items()})


def _entity_link(model: SiteModel, eid: str, root: str) -> str:
    e = model.entities.get(eid)
    return link(entity_href(root, eid), e.label) if e else esc(eid)


def citation_html(c: Citation, model: SiteModel, root: str, n: int) -> str:
    """One source: document (linked), section, confidence, verbatim quote, curator's note, cited works."""
    doc = (_entity_link(model, c.document, root) if c.document in model.entities
           else esc(c.document_label or c.document_file))
    conf = esc(c.confidence) + (" · <strong>disputed</strong>" if c.disputed else "")
    refs = ""
    if c.refs:
        items = "".join(f"<li>{_entity_link(model, rid, root) if rid in model.entities else esc(label)}</li>"
                        for rid, label in c.refs)
        refs = f'<div class="small">Cited works (the primary sources behind the claim):<ul>{items}</ul></div>'
    note = f'<p class="small muted">Note: {esc(c.note)}</p>' if c.note else ""
    states = ""
    if c.supports:
        names = ", ".join(esc("kind" if p == str(RDF.type) else model.label_of(p)) for p in c.supports)
        states = f'<div class="small">States: {names}</div>'
    else:
        states = '<div class="small">States: the whole record</div>'
    return (f'<div class="source" id="source-{n}"><div><strong>Source {n}:</strong> {doc}'
            f'{f" <code>{esc(c.document_file)}</code>" if c.document_file else ""}, section {esc(c.section)}'
            f' <span class="muted">(confidence: {conf})</span></div>'
            f'<blockquote class="quote">“{esc(c.quote)}”</blockquote>{states}{note}{refs}</div>')


def _facts_table(rows: list[tuple[str, str]], head: tuple[str, str]) -> str:
    if not rows:
        return ""
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return f"<table><thead><tr><th>{esc(head[0])}</th><th>{esc(head[1])}</th></tr></thead><tbody>{body}</tbody></table>"


def fact_support(e: Entity, model: SiteModel, predicate: str, stated_by: str | None, root: str) -> tuple[tuple, str]:
    """The quote(s) behind one fact, as (sort key, HTML): the record's own citations that state this
    property (egov:supports; a citation without it supports the whole record), or, for a statement made
    in another record (an influence, a link written on the other side), that record's quotes."""
    if stated_by is None:
        return (9999,), '<span class="muted">derived by the build (no quote of its own)</span>'
    other = stated_by != e.id
    rec = model.entities[stated_by] if other else e
    nums = [i for i, c in enumerate(rec.citations, start=1) if c.states(predicate)] or \
        ([i for i, _ in enumerate(rec.citations, start=1)] if other else [])
    if not nums:
        return (9998,), '<span class="muted">no quote names this property</span>'
    cites = []
    for i in nums:
        c = rec.citations[i - 1]
        where = (f'<a href="#source-{i}">Source {i}</a>' if not other
                 else f'{link(entity_href(root, stated_by), rec.label)}, source {i}')
        cites.append(f'<div class="support">{where}: <q>{esc(c.quote)}</q></div>')
    return ((1000 + len(e.citations), stated_by, *nums) if other else tuple(nums)), "".join(cites)


def facts_with_quotes(e: Entity, model: SiteModel, root: str) -> str:
    """Facts first, each with the quote that supports it; consecutive facts stated by the same quotes share
    one cell, so a record with a single source shows its quote once."""
    rows: list[tuple[tuple, str, str, str]] = []
    for pred, label, value in ((str(RDF.type), "kind", e.type_label), (str(EGOV.date), "date", e.date),
                               (str(EGOV.startDate), "start", e.start), (str(EGOV.endDate), "end", e.end),
                               (str(SKOS.altLabel), "also called", "; ".join(e.alt_labels))):
        if value:
            key, cell = fact_support(e, model, pred, e.id, root)
            rows.append((key, esc(label), esc(value), cell))
    for f in e.facts:
        key, cell = fact_support(e, model, f.predicate, f.stated_by, root)
        rows.append((key, esc(f.label), _entity_link(model, f.target, root) if f.target else esc(f.value), cell))
    if not rows:
        return ""
    rows.sort(key=lambda r: r[0])
    body = []
    for i, (_, k, v, cell) in enumerate(rows):
        if i and cell == rows[i - 1][3]:
            body.append(f"<tr><th>{k}</th><td>{v}</td></tr>")
            continue
        span = next((j for j in range(i + 1, len(rows)) if rows[j][3] != cell), len(rows)) - i
        body.append(f'<tr><th>{k}</th><td>{v}</td><td class="quote-cell" rowspan="{span}">{cell}</td></tr>')
    return ('<table class="facts"><thead><tr><th>property</th><th>value</th><th>the quote that states it</th></tr>'
            f'</thead><tbody>{"".join(body)}</tbody></table>')


def ego_positions(ego: nx.MultiDiGraph, node: str, spacing: float = 75.0) -> dict[str, tuple[float, float]]:
    """The subject in the middle, its direct links on a ring around it, the second hop outside next to
    the neighbour it comes through: nothing can sit on top of the subject."""
    import math

    und = ego.to_undirected(as_view=True)
    ring1 = sorted(set(und.neighbors(node)) - {node}, key=lambda n: (ego.nodes[n].get("type", ""), n))
    pos: dict[str, tuple[float, float]] = {node: (0.0, 0.0)}
    angle: dict[str, float] = {}
    r1 = max(3 * spacing, spacing * len(ring1) / (2 * math.pi))
    for i, n in enumerate(ring1):
        angle[n] = 2 * math.pi * i / max(len(ring1), 1)
        pos[n] = (round(1.4 * r1 * math.cos(angle[n]), 1), round(r1 * math.sin(angle[n]), 1))
    ring2 = [n for n in ego.nodes if n not in pos]
    ring2.sort(key=lambda n: (min((angle[m] for m in und.neighbors(n) if m in angle), default=0.0), n))
    r2 = max(r1 + 2.5 * spacing, spacing * len(ring2) / (2 * math.pi))
    for i, n in enumerate(ring2):
        a = 2 * math.pi * i / max(len(ring2), 1)
        pos[n] = (round(1.4 * r2 * math.cos(a), 1), round(r2 * math.sin(a), 1))
    return pos


def entity_page(e: Entity, model: SiteModel, g: nx.MultiDiGraph,
                docs: dict[str, list[str]], refs: dict[str, list[str]]) -> str:
    """The page of one entity: what it is, when, its sources, its facts, what links to it, its network."""
    root = "../"
    parts = [f'<p>{kind_badge(e.subsystem, e.type_label)} <code>{esc(e.id)}</code>'
             f'{f" · <strong>{esc(e.when())}</strong>" if e.when() else ""}</p>',
             f'<h1>{esc(e.label)}</h1>']
    if e.alt_labels:
        parts.append(f'<p class="muted">Also called: {esc("; ".join(e.alt_labels))}</p>')
    if e.description:
        nums = [i for i, c in enumerate(e.citations, start=1) if c.states(str(DCTERMS.description))]
        where = ", ".join(f'<a href="#source-{i}">source {i}</a>' for i in nums)
        parts.append(f"<p>{esc(e.description)}"
                     f'{f" <span class=small>(stated in {where})</span>" if where else ""}</p>')
    if e.note:
        parts.append(f'<p class="small muted">Curator\'s note: {esc(e.note)}</p>')
    facts = facts_with_quotes(e, model, root)
    if facts:
        parts.append('<h2 id="facts">Facts</h2>' + facts)
    incoming = [(esc(f.label), _entity_link(model, f.target or "", root)) for f in e.incoming]
    if incoming:
        parts.append(f'<h2 id="linked">Linked from ({len(incoming)})</h2>'
                     + _facts_table(incoming, ("property (of the other record)", "record")))
    parts.append('<h2 id="sources">Sources</h2>')  # facts first, then the quotes that state them
    parts += [citation_html(c, model, root, i) for i, c in enumerate(e.citations, start=1)] or ["<p>No source.</p>"]
    for title, ids in (("Records citing this document", docs.get(e.id, [])),
                       ("Records citing this work", refs.get(e.id, []))):
        if ids:
            items = "".join(f"<li>{_entity_link(model, i, root)}</li>" for i in ids)
            parts.append(f'<h2>{esc(title)} ({len(ids)})</h2><ul class="entities">{items}</ul>')
    scripts: list[str] = []
    head = ""
    if e.id in g:
        ego, hops = ego_graph(g, e.id, model)
        spec = view_spec(ego, model, root=root, positions=ego_positions(ego, e.id))
        spec["focus"] = e.id  # drawn on top, selected, its label always legible (netview.js)
        for nd in spec["nodes"]:
            if nd["id"] == e.id:
                nd.update({"borderWidth": 4, "color": {"background": nd["color"], "border": "#111111"},
                           "label": "\u25b6 " + nd["label"], "size": max(nd.get("size", 20), 26), "important": True})
        how = "its direct links" if hops == 1 else "its direct links and theirs (not through places and stages)"
        intro = f'<p class="small muted">{ego.number_of_nodes()} entities: {how}. Double-click one to open it.</p>'
        parts.append(view_body(spec, "Network around it", intro, model, embedded=True))
        scripts, head = NET_SCRIPTS, net_head(root)
    if e.source_line:
        parts.append(f'<p class="small muted">Data record: <code>{esc(Path(e.source_line).name)}</code></p>')
    return page(e.label, "".join(parts), root=root, active="entities/index.html", head=head, scripts=scripts)


def entity_list(model: SiteModel) -> str:
    """All entities grouped by kind, with a filter box (also fed by ?q= from the index's search form)."""
    root = "../"
    groups: dict[str, list[Entity]] = defaultdict(list)
    for e in model.sorted_entities():
        groups[e.type].append(e)
    order = {c: (i, c) for i, f in enumerate(FAMILIES) for c in sorted(f.classes)}
    sections = []
    for cls in sorted(groups, key=lambda c: order.get(c, (99, c))):
        ents = groups[cls]
        items = "".join(
            f'<li data-filter="{esc(" ".join([x.label, x.id, x.type_label, *x.alt_labels]).lower())}">'
            f'{link(entity_href(root, x.id), x.label)}'
            f'{f" <span class=muted>({esc(x.when())})</span>" if x.when() else ""}</li>' for x in ents)
        sections.append(f'<section class="group" id="type-{esc(cls)}"><h2>{esc(ents[0].type_label)} '
                        f'<span class="muted small">({len(ents)})</span></h2><ul class="entities">{items}</ul></section>')
    body = (f"<h1>Entities</h1><p>Every record of the graph ({len(model.entities)}), grouped by kind. "
            f"Each page shows the facts and the sources (document, section, verbatim quote) behind them.</p>"
            f'<p><label>Filter by name or id <input type="search" id="filter" placeholder="e.g. City Brain" autofocus></label> '
            f'<span id="filter-status" class="small muted"></span></p>{"".join(sections)}')
    return page("Entities", body, root=root, active="entities/index.html", scripts=["assets/listfilter.js"])


def write_entity_pages(out: Path, model: SiteModel, g: nx.MultiDiGraph) -> int:
    """entities/index.html and entities/{id}.html for every record; returns the number of pages."""
    docs, refs = citers(model)
    for e in model.entities.values():
        write(out / "entities" / f"{e.id}.html", entity_page(e, model, g, docs, refs))
    write(out / "entities" / "index.html", entity_list(model))
    return len(model.entities) + 1
