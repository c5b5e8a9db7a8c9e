"""How `egovkg analyse` shows the co-evolution analysis: rich tables or JSON."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kg.analyse.coevolution import analyse
from kg.analyse.graph import most_connected, to_networkx
from kg.store.embedded import Store


def print_analysis(out: Console, store: Store, queries: Path, include_inferred: bool, fmt: str, top: int) -> None:
    result = analyse(store, queries, include_inferred)
    if fmt == "json":
        doc = result.as_json()
        doc.pop("links")
        out.file.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return
    basis = "stated and inferred links" if include_inferred else "stated links only"
    t = Table(title=f"Social-technical interaction per stage ({basis})")
    for col in ("place", "stage", "source's level", "measure", "cross links", "elements", "stated", "inferred", "chains"):
        t.add_column(col)
    for m in result.stages:
        t.add_row(escape(m.place), str(m.stageNumber), escape(m.sourceLevel or ""),
                  "" if m.interaction is None else f"{m.interaction:.2f}", str(m.crossLinks), str(m.elements),
                  str(m.statedLinks), str(m.inferredLinks), str(len(m.chains)))
    out.print(t)
    kinds = Table(title="Counted links per stage, by kind and by direction")
    for col in ("stage", "by kind", "by direction"):
        kinds.add_column(col)
    for m in result.stages:
        kinds.add_row(m.stage, escape(", ".join(f"{k} {v}" for k, v in m.byKind.items())),
                      escape(", ".join(f"{k} {v}" for k, v in m.byDirection.items())))
    out.print(kinds)
    out.print(escape(f"measure: {result.formula}"), soft_wrap=True)
    for v in result.places:
        word = "AGREES" if v.agrees else "DOES NOT AGREE" if v.agrees is False else "CANNOT BE COMPARED"
        out.print(escape(f"{v.place}: {word} with the source's levels — {v.explanation}"), soft_wrap=True)
    chains = Table(title="Chains (a challenge and what caused or answered it)")
    for col in ("stage", "from", "kind", "to"):
        chains.add_column(col)
    for m in result.stages:
        for c in m.chains:
            chains.add_row(m.stage, escape(c["from"]), c["kind"], escape(c["to"]))
    out.print(chains)
    g = to_networkx(store.dataset)  # type: ignore[attr-defined]
    hubs = Table(title=f"Most connected entities (degree centrality, top {top})")
    for col in ("id", "label", "centrality"):
        hubs.add_column(col)
    for node, label, c in most_connected(g, top):
        hubs.add_row(node, escape(label[:70]), f"{c:.3f}")
    out.print(hubs)
