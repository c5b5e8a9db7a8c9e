"""Result formats: terminal table (rich), CSV, TSV, SPARQL JSON, Markdown.

CSV/TSV/JSON keep full IRIs (machine-readable, as SPARQL 1.1 result formats do);
the table and Markdown shorten them with the project prefixes for people.
"""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node
from rich.table import Table
from rich.text import Text

from kg.namespaces import PREFIXES
from kg.store.embedded import ResultTable

FORMATS = ("table", "csv", "tsv", "json", "markdown")


def short(term: Node | None) -> str:
    """A term as a person reads it: id:shenzhen, "2009"^^ dropped to 2009."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        s = str(term)
        for p, ns in PREFIXES.items():
            if s.startswith(str(ns)) and p not in ("rdf",):
                return f"{p}:{s[len(str(ns)):]}"
        return s
    return str(term)


def sparql_json(table: ResultTable) -> dict:
    def enc(t: Node) -> dict:
        if isinstance(t, URIRef):
            return {"type": "uri", "value": str(t)}
        if isinstance(t, BNode):
            return {"type": "bnode", "value": str(t)}
        assert isinstance(t, Literal)
        d = {"type": "literal", "value": str(t)}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype:
            d["datatype"] = str(t.datatype)
        return d

    return {"head": {"vars": table.variables},
            "results": {"bindings": [{v: enc(t) for v, t in zip(table.variables, row, strict=False) if t is not None}
                                     for row in table.rows]}}


def render(table: ResultTable, fmt: str) -> str:
    """Render a result table as text in one of FORMATS."""
    if fmt == "json":
        return json.dumps(sparql_json(table), ensure_ascii=False, indent=1)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(table.variables)
        for row in table.rows:
            w.writerow(["" if t is None else str(t) for t in row])
        return buf.getvalue()
    if fmt == "markdown":
        def cell(t: Node | None) -> str:
            return short(t).replace("|", "\\|").replace("\n", " ")
        lines = ["| " + " | ".join(table.variables) + " |", "|" + " --- |" * len(table.variables)]
        lines += ["| " + " | ".join(cell(t) for t in row) + " |" for row in table.rows]
        return "\n".join(lines) + "\n"
    raise ValueError(f"unknown format {fmt}")


def rich_table(table: ResultTable, title: str | None = None) -> Table:
    """A terminal table. Cells are Text, never rich markup: a label such as "[/x]" would
    otherwise vanish or raise MarkupError."""
    t = Table(title=title, show_lines=False)
    for v in table.variables:
        t.add_column(v, overflow="fold")
    for row in table.rows:
        t.add_row(*(Text(short(x)) for x in row))
    return t
