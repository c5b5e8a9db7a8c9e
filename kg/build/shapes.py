"""SHACL pass: check the loaded graph against ontology/shapes.ttl.

pySHACL over the whole union graph was the build's main cost (it walks an rdflib
graph in Python), so the shapes are compiled to one SPARQL query per constraint
and run inside Oxigraph over the union of record graphs plus the ontology (for
the subclass hierarchy, as pySHACL's ont_graph did). Cross-record links (an
`enabled` target's type lives in another record's graph) are therefore still seen.

Only the SHACL Core components shapes.ttl uses are compiled (targetClass,
targetObjectsOf, minCount, maxCount, class, datatype, in, or); a shapes file
using anything else is checked with pySHACL instead, so no check is ever dropped.
Messages and values are reported as pySHACL reported them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from kg.errors import Problem
from kg.namespaces import EGOV, ID

SUPPORTED = {SH.path, SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH["in"], SH["or"], SH.message,
             SH.property, SH.targetClass, SH.targetObjectsOf, RDF.type}
FIX = "see ontology/shapes.ttl"
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"


class Unsupported(Exception):
    """shapes.ttl uses a SHACL feature this compiler does not know: use pySHACL."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: SPARQL selecting ?this (and ?v when SHACL reports a value)."""

    sparql: str
    message: str
    field: str | None
    has_value: bool


def _iri(node: object) -> str:
    if not isinstance(node, URIRef):
        raise Unsupported(f"expected an IRI, got {node!r}")
    return f"<{node}>"


def _not_a(var: str, cls: object) -> str:
    return f"FILTER NOT EXISTS {{ {var} {_TYPE} {_iri(cls)} }}"


def _targets(g: Graph, shape: object) -> list[str]:
    out = [f"?this {_TYPE} {_iri(c)} ." for c in g.objects(shape, SH.targetClass)]
    out += [f"?t_ {_iri(p)} ?this ." for p in g.objects(shape, SH.targetObjectsOf)]
    return out


def _check_keys(g: Graph, node: object) -> None:
    for p in g.predicates(node, None):
        if p not in SUPPORTED:
            raise Unsupported(str(p))


def _property_checks(g: Graph, target: str, prop: object, message: str) -> list[Check]:
    _check_keys(g, prop)
    path = g.value(prop, SH.path)
    p = _iri(path)
    field = str(path).rpartition("#")[2]
    body = f"SELECT DISTINCT ?this ?v WHERE {{ {target} ?this {p} ?v . "
    out: list[Check] = []
    if (n := g.value(prop, SH.minCount)) is not None:
        n = int(n)
        q = (f"SELECT DISTINCT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {p} ?v }} }}" if n == 1 else
             f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {p} ?v }} }} GROUP BY ?this "
             f"HAVING (COUNT(DISTINCT ?v) < {n})")
        out.append(Check(q, message, field, False))
    if (n := g.value(prop, SH.maxCount)) is not None:
        out.append(Check(f"SELECT ?this WHERE {{ {target} ?this {p} ?v }} GROUP BY ?this "
                         f"HAVING (COUNT(DISTINCT ?v) > {int(n)})", message, field, False))
    for cls in g.objects(prop, SH["class"]):
        out.append(Check(body + _not_a("?v", cls) + " }", message, field, True))
    if (dt := g.value(prop, SH.datatype)) is not None:
        out.append(Check(body + f"FILTER (!isLiteral(?v) || datatype(?v) != {_iri(dt)}) }}", message, field, True))
    if (lst := g.value(prop, SH["in"])) is not None:
        allowed = ", ".join(_iri(x) for x in Collection(g, lst))
        out.append(Check(body + f"FILTER (?v NOT IN ({allowed})) }}", message, field, True))
    if (lst := g.value(prop, SH["or"])) is not None:
        alts = []
        for alt in Collection(g, lst):
            if set(g.predicates(alt, None)) != {SH["class"]}:
                raise Unsupported("sh:or on a property other than sh:class alternatives")
            alts.append(_not_a("?v", g.value(alt, SH["class"])))
        out.append(Check(body + " ".join(alts) + " }", message, field, True))
    return out


def _node_or(g: Graph, target: str, lst: object, message: str) -> Check:
    """sh:or of property shapes with sh:minCount 1: at least one of the paths is present."""
    alts = []
    for alt in Collection(g, lst):
        if set(g.predicates(alt, None)) - {SH.path, SH.minCount} or int(g.value(alt, SH.minCount) or 0) != 1:
            raise Unsupported("node-level sh:or other than minCount-1 alternatives")
        alts.append(f"FILTER NOT EXISTS {{ ?this {_iri(g.value(alt, SH.path))} ?x_ }}")
    return Check(f"SELECT DISTINCT ?this (?this AS ?v) WHERE {{ {target} {' '.join(alts)} }}", message, None, True)


def compile_shapes(shapes: Path) -> list[Check]:
    """Every constraint of shapes.ttl as SPARQL; raises Unsupported for anything else."""
    g = Graph().parse(shapes, format="turtle")
    checks: list[Check] = []
    for shape in g.subjects(RDF.type, SH.NodeShape):
        _check_keys(g, shape)
        node_msg = str(g.value(shape, SH.message) or "violates a shape")
        for target in _targets(g, shape):
            if (lst := g.value(shape, SH["or"])) is not None:
                checks.append(_node_or(g, target, lst, node_msg))
            for prop in g.objects(shape, SH.property):
                if not isinstance(prop, BNode | URIRef):
                    raise Unsupported("sh:property value")
                checks += _property_checks(g, target, prop, str(g.value(prop, SH.message) or "violates a shape"))
    return checks


def _one(store: ox.Store, s: object, p: URIRef, o: object) -> ox.Quad | None:
    return next(iter(store.quads_for_pattern(s, ox.NamedNode(str(p)), o, None)), None)  # type: ignore[arg-type]


def locate(store: ox.Store, focus: ox.NamedNode | ox.BlankNode) -> tuple[str, int | None, str | None]:
    """File, line and record id of the record that asserted the focus node."""
    q = _one(store, None, EGOV.describes, focus)
    graph = q.subject if q is not None else None
    if graph is None and "/citation/" in str(focus):  # a citation: its record graph cites it
        q = _one(store, None, EGOV.citation, focus)
        graph = q.subject if q is not None else None
    if graph is None and _one(store, focus, EGOV.sourceLine, None) is not None:
        graph = focus
    line = _one(store, graph, EGOV.sourceLine, None) if graph is not None else None
    desc = _one(store, graph, EGOV.describes, None) if graph is not None else None
    rid = desc.object.value.removeprefix(str(ID)) if desc is not None else None  # type: ignore[union-attr]
    if line is None:
        return "data/", None, rid
    file, _, n = line.object.value.rpartition(":")  # type: ignore[union-attr]
    return file, int(n) if n.isdigit() else None, rid


def check_store(store: ox.Store, shapes: Path, ontology: Path) -> list[Problem]:
    """Every SHACL violation in an Oxigraph store (record graphs + ontology graph) as a Problem."""
    try:
        checks = compile_shapes(shapes)
    except Unsupported:
        from kg.build.load import ox_dataset

        return check_shapes(ox_dataset(store), shapes, ontology)
    problems = []
    for c in checks:
        for row in store.query(c.sparql, use_default_graph_as_union=True):  # type: ignore[union-attr]
            file, line, rid = locate(store, row["this"])
            value = row["v"] if c.has_value else None
            detail = f"{c.message} (value {value})" if value is not None else c.message
            problems.append(Problem(file, line, c.field, detail, FIX, rid))
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.field or "", p.message))


# --- pySHACL, the reference implementation (fallback, and the tests' cross-check) ---

def union_graph(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _locate(data: Graph, focus: URIRef) -> tuple[str, int | None, str | None]:
    graph = next(iter(data.subjects(EGOV.describes, focus)), None)
    if graph is None and "/citation/" in str(focus):
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
    """Every SHACL violation found by pySHACL over the union graph (slow: whole graph in Python)."""
    from pyshacl import validate as shacl_validate

    data = union_graph(ds)
    conforms, report, _ = shacl_validate(data, shacl_graph=Graph().parse(shapes), ont_graph=Graph().parse(ontology),
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
        problems.append(Problem(file, line, field, detail, FIX, rid))
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.field or "", p.message))
