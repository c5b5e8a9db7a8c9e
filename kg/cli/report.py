"""Human-readable reports for the CLI: build summary, coverage stats, the library."""

from __future__ import annotations

from collections import Counter

from rdflib import Dataset, URIRef
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kg.build.pipeline import BuildReport, class_counts
from kg.config import Config
from kg.namespaces import EGOV, ID, RDF
from kg.query.coverage import undated as undated_ids
from kg.query.library import QueryDef


def _counts_table(title: str, counts: dict[str, int]) -> Table:
    t = Table(title=title)
    t.add_column("name")
    t.add_column("count", justify="right")
    for k, v in counts.items():
        t.add_row(k, str(v))
    return t


def print_build(out: Console, r: BuildReport) -> None:
    out.print(_counts_table("Entities by class", r.by_class))
    for w in r.warnings:
        out.print(f"[yellow]warning:[/] {escape(w)}")
    reason = "HermiT: consistent" if r.reason else "HermiT: skipped (--no-reason)"
    out.print(f"{r.records} records -> {r.triples} triples in {r.graphs} named graphs; {reason}")
    for p in r.outputs:
        out.print(f"wrote {p}", markup=False)


def coverage(ds: Dataset) -> dict[str, object]:
    """Counts by class, place and source document, plus records lacking a date or any link."""
    entities = {s for s, _, _ in ds.triples((None, EGOV.describes, None))}
    described = {o for _, _, o in ds.triples((None, EGOV.describes, None))}
    by_place: Counter[str] = Counter(str(o).removeprefix(str(ID)) for _, _, o in ds.triples((None, EGOV.inPlace, None)))
    by_doc: Counter[str] = Counter()
    for g in entities:
        docs = {ds.value(c, EGOV.document) for c in ds.objects(g, EGOV.citation)}
        for d in docs:
            by_doc[str(d).removeprefix(str(ID))] += 1
    linked: set[URIRef] = set()
    for s, _p, o in ds.triples((None, None, None)):
        if isinstance(o, URIRef) and o in described and s in described and s != o:
            linked.update((s, o))
    types = {s: str(o).removeprefix(str(EGOV)) for s, _, o in ds.triples((None, RDF.type, None)) if s in described}
    undated = undated_ids(ds, Config().ontology)  # the rule of the undated-entities query (kg.query.coverage)
    unlinked = sorted(str(e).removeprefix(str(ID)) for e in described
                      if e not in linked and types.get(e) not in ("SourceDocument", "CitedWork"))
    return {"by_class": class_counts(ds), "by_place": dict(sorted(by_place.items())),
            "by_document": dict(sorted(by_doc.items())), "undated": undated, "unlinked": unlinked}


def print_stats(out: Console, ds: Dataset) -> None:
    cov = coverage(ds)
    out.print(_counts_table("Entities by class", cov["by_class"]))  # type: ignore[arg-type]
    out.print(_counts_table("Entities by place (in_place)", cov["by_place"]))  # type: ignore[arg-type]
    out.print(_counts_table("Records by source document", cov["by_document"]))  # type: ignore[arg-type]
    undated, unlinked = cov["undated"], cov["unlinked"]
    out.print(f"Records lacking a date ({len(undated)}): {', '.join(undated) or 'none'}")  # type: ignore[arg-type]
    out.print(f"Records with no link to another record ({len(unlinked)}): {', '.join(unlinked) or 'none'}")  # type: ignore[arg-type]


def print_library(out: Console, library: dict[str, QueryDef]) -> None:
    t = Table(title=f"Query library ({len(library)} queries)")
    t.add_column("name", no_wrap=True, min_width=max((len(n) for n in library), default=4))  # a name is typed: never cut
    t.add_column("title", overflow="fold")
    t.add_column("parameters", overflow="fold")
    for q in library.values():
        t.add_row(q.name, q.title, ", ".join(f"{p.name}:{p.type}{'' if p.required else '?'}" for p in q.params))
    out.print(t)
