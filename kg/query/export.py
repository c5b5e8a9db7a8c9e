"""Tidy data out: the built graph as RDF files, network files for Gephi/Cytoscape, and CSV tables.

RDF formats keep every named graph (provenance) except Turtle, which has no graphs and so writes
the union. Network formats (GraphML, GEXF) and CSV are the entity graph a social scientist
expects: one node per described record (label, class, year bounds, places, stages) and one edge
per link between two records, named by its property. Lists become "; "-joined text and a missing
year an absent attribute, since GraphML and GEXF attributes are scalars.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset, Literal

from kg.errors import UsageError
from kg.namespaces import ID, PREFIXES, graph_id
from kg.store.embedded import EmbeddedStore, Store

if TYPE_CHECKING:  # networkx costs 75 ms of every egovkg command's start; only export needs it
    import networkx as nx

RDF_FORMATS = {"jsonld": ("json-ld", ".jsonld"), "nquads": ("nquads", ".nq"), "trig": ("trig", ".trig"),
               "turtle": ("turtle", ".ttl")}
FORMATS = (*RDF_FORMATS, "graphml", "gexf", "csv")

_P = ("PREFIX egov: <https://w3id.org/egov-kg/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
      "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n")
_NODES = _P + """SELECT ?e ?label ?type ?typeLabel ?earliest ?latest ?basis WHERE {
  ?g egov:describes ?e . ?e rdfs:label ?label ; a ?type .
  FILTER(STRSTARTS(STR(?type), STR(egov:)))
  OPTIONAL { ?type rdfs:label ?typeLabel }
  OPTIONAL { ?e egov:earliestYear ?earliest } OPTIONAL { ?e egov:latestYear ?latest }
  OPTIONAL { ?e egov:yearBasis ?basis }
}"""
_CONTEXT = _P + """SELECT ?e ?place ?stage WHERE {
  ?g egov:describes ?e . { ?e egov:inPlace ?place } UNION { ?e egov:duringStage ?stage } }"""
_EDGES = _P + """SELECT DISTINCT ?s ?p ?o WHERE {
  ?gs egov:describes ?s . ?go egov:describes ?o . ?s ?p ?o . FILTER(?p != rdf:type && ?s != ?o) }"""


def local(iri: object) -> str:
    """The id of a record IRI; other IRIs in prefixed form."""
    s = str(iri)
    if s.startswith(str(ID)):
        return s[len(str(ID)):]
    for p, ns in PREFIXES.items():
        if s.startswith(str(ns)):
            return f"{p}:{s[len(str(ns)):]}"
    return s


def to_networkx(store: Store) -> nx.MultiDiGraph:
    """The entity graph: nodes are records (id -> label, type, earliest, latest, year_basis, places, stages),
    edges are links between records keyed by property (e.g. `egov:builtBy`). Works on any store."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for r in store.select(_NODES).as_dicts():
        n = local(r["e"])
        if n in g and g.nodes[n]["type_iri"] <= str(r["type"]):
            continue  # one class per node, the same whatever the row order
        data = {"label": str(r["label"]), "type": str(r["typeLabel"] or local(r["type"])),
                "type_iri": str(r["type"]), "places": "", "stages": ""}
        for key, var in (("earliest", "earliest"), ("latest", "latest")):
            if isinstance(r[var], Literal):
                data[key] = int(r[var].toPython())
        if r["basis"] is not None:
            data["year_basis"] = str(r["basis"])
        g.add_node(n, **data)
    ctx: dict[str, tuple[set[str], set[str]]] = {}
    for r in store.select(_CONTEXT).as_dicts():
        pl, st = ctx.setdefault(local(r["e"]), (set(), set()))
        if r["place"] is not None:
            pl.add(local(r["place"]))
        if r["stage"] is not None:
            st.add(local(r["stage"]))
    for n, (pl, st) in ctx.items():
        if n in g:
            g.nodes[n]["places"], g.nodes[n]["stages"] = "; ".join(sorted(pl)), "; ".join(sorted(st))
    for r in store.select(_EDGES).as_dicts():
        s, o, p = local(r["s"]), local(r["o"]), local(r["p"])
        if s in g and o in g:
            g.add_edge(s, o, key=p, predicate=p)
    return g


def _dataset(store: Store) -> Dataset:
    if not isinstance(store, EmbeddedStore):
        raise UsageError("RDF export reads the embedded store", "export from the built graph (drop --endpoint)")
    return store.dataset


def export(store: Store, fmt: str, dest: Path) -> list[Path]:
    """Write the graph in `fmt` to `dest` (a file; for csv a folder of entities.csv and links.csv)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format '{fmt}'", f"use one of {', '.join(FORMATS)}")
    dest = Path(dest)
    try:
        if fmt in RDF_FORMATS:
            return [_write_rdf(_dataset(store), fmt, dest)]
        g = to_networkx(store)
        if fmt == "csv":
            return _write_csv(g, dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        import networkx as nx

        flat = nx.DiGraph() if fmt == "gexf" else g  # GEXF has no parallel-edge keys: one edge per pair
        if fmt == "gexf":
            flat.add_nodes_from(g.nodes(data=True))
            for s, o, data in g.edges(data=True):
                prev = flat.get_edge_data(s, o)
                label = data["predicate"] if prev is None else f"{prev['predicate']}; {data['predicate']}"
                flat.add_edge(s, o, predicate=label, label=label)
            nx.write_gexf(flat, dest)
        else:
            nx.write_graphml(g, dest)
        return [dest]
    except OSError as exc:
        raise UsageError(f"{dest}: cannot write ({exc.strerror or exc})", "choose a writable path with --out") from exc


def _write_rdf(ds: Dataset, fmt: str, dest: Path) -> Path:
    rdflib_fmt, _ = RDF_FORMATS[fmt]
    dest.parent.mkdir(parents=True, exist_ok=True)
    out = Dataset()
    for p, ns in PREFIXES.items():
        out.bind(p, ns, replace=True)
    if fmt == "turtle":
        from rdflib import Graph

        union = Graph()
        for p, ns in PREFIXES.items():
            union.bind(p, ns, replace=True)
        for s, p, o, _g in ds.quads((None, None, None, None)):
            union.add((s, p, o))
        union.serialize(dest, format="turtle", encoding="utf-8")
        return dest
    out.addN((s, p, o, out.graph(graph_id(g))) for s, p, o, g in ds.quads((None, None, None, None))
             if g is not None)
    out.serialize(dest, format=rdflib_fmt, encoding="utf-8")
    return dest


def _write_csv(g: nx.MultiDiGraph, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    ent, links = folder / "entities.csv", folder / "links.csv"
    cols = ["id", "label", "type", "earliest", "latest", "year_basis", "places", "stages"]
    with ent.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for n, a in sorted(g.nodes(data=True)):
            w.writerow([n, *(a.get(c, "") for c in cols[1:])])
    with links.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source", "predicate", "target"])
        for s, o, a in sorted(g.edges(data=True), key=lambda e: (e[0], e[2]["predicate"], e[1])):
            w.writerow([s, a["predicate"], o])
    return [ent, links]


def default_name(fmt: str) -> str:
    """The file (or folder) name `egovkg export` writes when no --out is given."""
    if fmt in RDF_FORMATS:
        return "egov" + RDF_FORMATS[fmt][1]
    return "egov-csv" if fmt == "csv" else f"egov.{fmt}"

