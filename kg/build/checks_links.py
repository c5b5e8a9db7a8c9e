"""Link checks driven by the ontology: ranges, domains and cycles.

Which class a link may point at is read from ontology/egov.ttl (rdfs:range and
rdfs:domain of the field's predicate, with the subclass hierarchy), not from a
second hand-written table, so adding a class or property to the ontology is
enough for `validate` to check it. A wrong link is reported at the link's own
line, with the target's actual class and the classes allowed, before the
reasoner would reject it without saying where.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.build.fields import FIELDS
from kg.build.records import Record, as_list
from kg.errors import Problem, shorten
from kg.namespaces import EGOV, PREFIXES

# Links whose chains must end: a thing cannot be (transitively) part of itself.
ACYCLIC = ("part_of", "within", "sub_organization_of", "preceded_by")


def curie(iri: URIRef) -> str:
    """egov:Agency -> Agency, org:Organization -> org:Organization (as the data and docs write them)."""
    s = str(iri)
    if s.startswith(str(EGOV)):
        return s[len(str(EGOV)):]
    for prefix, ns in PREFIXES.items():
        if s.startswith(str(ns)):
            return f"{prefix}:{s[len(str(ns)):]}"
    return s


@dataclass(frozen=True)
class Ontology:
    """What validation needs of the ontology: classes, superclasses, ranges, domains."""

    classes: frozenset[str]  # egov local names usable as `type:`
    supers: dict[URIRef, frozenset[URIRef]]  # class -> itself and all its superclasses
    subs: dict[URIRef, tuple[str, ...]]  # class -> egov subclasses (for messages)
    ranges: dict[URIRef, frozenset[URIRef]]
    domains: dict[URIRef, frozenset[URIRef]]

    def is_a(self, cls: URIRef, wanted: frozenset[URIRef]) -> bool:
        return wanted <= self.supers.get(cls, frozenset({cls}))

    def describe(self, wanted: frozenset[URIRef]) -> str:
        parts = []
        for w in sorted(wanted):
            subs = self.subs.get(w, ())
            parts.append(curie(w) + (f" ({', '.join(subs[:8])}{', …' if len(subs) > 8 else ''})" if subs else ""))
        return " and ".join(parts)


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> Ontology:
    g = Graph().parse(path, format="turtle")
    classes = set(g.subjects(RDF.type, OWL.Class))
    parents: dict[URIRef, set[URIRef]] = {}
    for c, p in g.subject_objects(RDFS.subClassOf):
        if isinstance(c, URIRef) and isinstance(p, URIRef):
            parents.setdefault(c, set()).add(p)
            classes |= {c, p}
    supers: dict[URIRef, frozenset[URIRef]] = {}
    for c in classes:
        seen, todo = {c}, [c]
        while todo:
            for p in parents.get(todo.pop(), ()):
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        supers[c] = frozenset(seen)  # type: ignore[index]
    subs = {c: tuple(sorted(curie(s) for s, sup in supers.items() if c in sup and s != c and str(s).startswith(str(EGOV))))
            for c in classes}
    ranges = {p: frozenset(o for o in g.objects(p, RDFS.range) if isinstance(o, URIRef) and o in classes)
              for p in set(g.subjects(RDFS.range, None))}
    domains = {p: frozenset(o for o in g.objects(p, RDFS.domain) if isinstance(o, URIRef) and o in classes)
               for p in set(g.subjects(RDFS.domain, None))}
    names = frozenset(str(c)[len(str(EGOV)):] for c in classes if str(c).startswith(str(EGOV)))
    return Ontology(names, supers, subs, ranges, domains)  # type: ignore[arg-type]


def load_ontology_model(path: Path) -> Ontology:
    """The ontology model of a file, parsed once per file version."""
    return _load(str(path), Path(path).stat().st_mtime)


def link_problems(rec: Record, types: dict[str, str], onto: Ontology) -> list[Problem]:
    """Wrong-class links and fields used on a record of the wrong class."""
    out: list[Problem] = []
    rtype = rec.data.get("type")
    if not isinstance(rtype, str) or rtype not in onto.classes:
        return out
    own = EGOV[rtype]
    for key, value in rec.data.items():
        f = FIELDS.get(key)
        if f is None or f.predicate is None:
            continue
        domain = onto.domains.get(f.predicate, frozenset())
        if domain and not onto.is_a(own, domain):
            out.append(rec.problem(key, f"'{key}' is a field of {onto.describe(domain)}; this record is a {rtype}",
                                   "move the fact to a record of that class, or correct 'type'"))
        if f.kind not in ("ref", "refs"):
            continue
        wanted = onto.ranges.get(f.predicate, frozenset())
        for target in as_list(value):
            ttype = types.get(target) if isinstance(target, str) else None
            if not wanted or ttype is None or ttype not in onto.classes:
                continue  # unknown ids and types are reported elsewhere
            if not onto.is_a(EGOV[ttype], wanted):
                out.append(rec.problem(key, f"'{key}' points at '{shorten(target, 60)}', a {ttype}; "
                                            f"allowed: {onto.describe(wanted)}",
                                       "point it at a record of an allowed class, or use another field"))
    return out


def cycle_problems(records: list[Record], ids: dict[str, Record]) -> list[Problem]:
    """Self-loops and cycles in part_of, within, sub_organization_of and preceded_by,
    each cycle reported once, at the link of its first record in file order."""
    out: list[Problem] = []
    for key in ACYCLIC:
        edges = {r.id: [t for t in as_list(r.data[key]) if isinstance(t, str) and t in ids]
                 for r in records if key in r.data and r.id in ids and ids[r.id] is r}
        reported: set[frozenset[str]] = set()
        for rec in records:
            if rec.id not in edges:
                continue
            if rec.id in edges[rec.id]:
                out.append(rec.problem(key, f"'{key}' points at the record itself", f"remove '{rec.id}' from '{key}'"))
                continue
            path = _cycle_from(rec.id, edges)
            if path and frozenset(path) not in reported:
                reported.add(frozenset(path))
                out.append(rec.problem(key, f"'{key}' forms a cycle: {shorten(' -> '.join(path + [path[0]]), 200)}",
                                       f"remove one of these '{key}' links; a chain must end"))
    return out


def _cycle_from(start: str, edges: dict[str, list[str]]) -> list[str] | None:
    """A cycle through `start` (as a list of ids), or None. Iterative DFS: no recursion limit."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in edges.get(node, []):
            if nxt == start and len(path) > 1:
                return path
            if nxt not in seen and nxt != start:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return None


def cited_work_problems(records: list[Record]) -> list[Problem]:
    """Two CitedWork records with one reference number of one document: the newer
    (file changed last, then later in it) would silently take over the older's citations."""
    out: list[Problem] = []
    first: dict[tuple[str, int], Record] = {}
    for _, rec in sorted(((r.order[0], n), r) for n, r in enumerate(records)):
        d = rec.data
        if d.get("type") != "CitedWork" or not isinstance(d.get("ref_number"), int) or isinstance(d["ref_number"], bool):
            continue
        key = (str(d.get("in_document")), d["ref_number"])
        if key in first:
            old = first[key]
            out.append(rec.problem("ref_number", f"reference [{key[1]}] of {shorten(key[0], 40)} is already "
                                                 f"'{old.id}' ({old.file}:{old.line})",
                                   "give the right number, or cite the existing record"))
        else:
            first[key] = rec
    return out
