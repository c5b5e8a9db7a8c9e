"""SHACL pass: check the loaded graph against ontology/shapes.ttl with pySHACL.

pySHACL validates each named graph of a Dataset on its own, which would hide
cross-record links (an `enabled` target's type lives in another record's graph),
so we validate the union as one graph, with the ontology mixed in for the
subclass hierarchy, and map each violation back to its record's file and line.
"""

from __future__ import annotations

from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH

from kg.errors import Problem
from kg.namespaces import EGOV, ID


def union_graph(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _locate(data: Graph, focus: URIRef) -> tuple[str, int | None, str | None]:
    """File, line and record id of the record that asserted the focus node."""
    graph = next(iter(data.subjects(EGOV.describes, focus)), None)
    if graph is None and "/citation/" in str(focus):  # a citation: its record graph cites it
        graph = next(iter(data.subjects(EGOV.citation, focus)), None)
    if graph is None:
        graph = focus if (focus, EGOV.sourceLine, None) in data else None
    line = data.value(graph, EGOV.sourceLine) if graph is not None else None
    rid = str(data.value(graph, EGOV.describes) or "").removeprefix(str(ID)) or None
    if line is None:
        return "data/", None, rid
    file, _, n = str(line).rpartition(":")
    return file, int(n) if n.isdigit() else None, rid


def check_shapes(ds: Dataset, shapes: Path, ontology: Path) -> list[Problem]:
    """Every SHACL violation as a Problem (empty list = conforms)."""
    data = union_graph(ds)
    ont = Graph().parse(ontology)
    conforms, report, _ = shacl_validate(data, shacl_graph=Graph().parse(shapes), ont_graph=ont,
                                         inference="none", advanced=True, allow_warnings=True)
    if conforms:
        return []
    problems = []
    for res in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(res, SH.focusNode)
        path = report.value(res, SH.resultPath)
        msg = str(report.value(res, SH.resultMessage) or "violates a shape")
        value = report.value(res, SH.value)
        file, line, rid = _locate(data, focus)
        field = str(path).rpartition("#")[2] if path is not None and not isinstance(path, Graph) else None
        detail = f"{msg} (value {value.n3()})" if value is not None else msg
        problems.append(Problem(file, line, field, detail, "see ontology/shapes.ttl", rid))
    return sorted(problems, key=lambda p: (p.file, p.line or 0))
