"""The ontology page, generated from the ontology's own annotations.

pyLODE was the first choice, but pyLODE 3.4.1 fails on import here (its
version module opens a pyproject.toml that the installed package lacks), and its
pages link every term IRI to the web. So this is a small generator of our own:
classes, properties and concept schemes with rdfs:label, skos:definition,
super/sub-classes, domain and range, and how many entities of each class the
graph has. Term IRIs are printed as text; links stay inside the site.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.namespaces import DCTERMS, EGOV, OWL, PREFIXES, RDF, RDFS, SKOS
from kg.site.html import esc, page, write
from kg.site.model import SiteModel, ontology_annotations

_KINDS = [(OWL.ObjectProperty, "Object properties", "Links between entities."),
          (OWL.DatatypeProperty, "Datatype properties", "Values: dates, numbers, text."),
          (OWL.AnnotationProperty, "Annotation properties", "Labels, definitions and notes.")]


def curie(iri: Node) -> str:
    s = str(iri)
    for p, ns in PREFIXES.items():
        if s.startswith(str(ns)) and p not in ("id", "graph"):
            return f"{p}:{s[len(str(ns)):]}"
    return s


def anchor(iri: Node) -> str:
    return "t-" + "".join(c if c.isalnum() else "-" for c in curie(iri))


def term_link(iri: Node, labels: dict[str, str], known: set[str]) -> str:
    """A term by its label; a link to its entry when the page has one, else its CURIE as text."""
    text = esc(labels.get(str(iri), curie(iri)))
    return f'<a href="#{anchor(iri)}">{text}</a>' if str(iri) in known else f"<code>{esc(curie(iri))}</code>"


def ontology_page(ontology: Path, model: SiteModel | None = None) -> str:
    """One page describing every class, property and concept scheme of the ontology file."""
    g = Graph()
    g.parse(ontology, format="turtle")
    labels, defs = ontology_annotations(g)
    classes = sorted({s for s in g.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)},
                     key=lambda s: (not str(s).startswith(str(EGOV)), labels.get(str(s), curie(s)).casefold()))
    props = {k: sorted({s for s in g.subjects(RDF.type, k) if isinstance(s, URIRef)},
                       key=lambda s: (not str(s).startswith(str(EGOV)), labels.get(str(s), curie(s)).casefold()))
             for k, _, _ in _KINDS}
    schemes = sorted(g.subjects(RDF.type, SKOS.ConceptScheme), key=lambda s: labels.get(str(s), str(s)))
    known = {str(x) for x in classes} | {str(x) for v in props.values() for x in v} | {str(s) for s in schemes}
    counts: dict[str, int] = defaultdict(int)
    for e in (model.entities.values() if model else []):
        counts[str(EGOV[e.type])] += 1
    by_domain: dict[str, list[URIRef]] = defaultdict(list)
    for k in props:
        for p in props[k]:
            for d in g.objects(p, RDFS.domain):
                by_domain[str(d)].append(p)

    def links(items: list[Node]) -> str:
        return ", ".join(term_link(i, labels, known) for i in items) or '<span class="muted">—</span>'

    def entry(term: URIRef, rows: list[tuple[str, str]], extra: str = "") -> str:
        table = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows if v)
        return (f'<div class="card" id="{anchor(term)}"><h3>{esc(labels.get(str(term), curie(term)))}</h3>'
                f'<p><code>{esc(curie(term))}</code></p><p>{esc(defs.get(str(term), ""))}</p>'
                f"<table>{table}</table>{extra}</div>")

    parts = []
    onto = next(iter(g.subjects(RDF.type, OWL.Ontology)), None)
    if onto is not None:
        title = g.value(onto, DCTERMS.title) or "Ontology"
        parts.append(f"<h1>{esc(title)}</h1><p>{esc(g.value(onto, DCTERMS.description) or '')}</p>"
                     f'<p class="small muted">IRI <code>{esc(onto)}</code> · version {esc(g.value(onto, OWL.versionInfo) or "")}'
                     f" · licence <code>{esc(g.value(onto, DCTERMS.license) or '')}</code></p>"
                     f"<p>{esc(g.value(onto, RDFS.comment) or '')}</p>")
    nav = " · ".join(f'<a href="#{a}">{esc(t)}</a>' for a, t in
                     [("classes", "Classes"), *((anchor(k), t) for k, t, _ in _KINDS), ("schemes", "Concept schemes")])
    parts.append(f"<p>{nav}</p>")
    cards = []
    for c in classes:
        supers = [o for o in g.objects(c, RDFS.subClassOf) if isinstance(o, URIRef)]
        subs = sorted((s for s in g.subjects(RDFS.subClassOf, c) if isinstance(s, URIRef)),
                      key=lambda s: labels.get(str(s), str(s)))
        n = counts.get(str(c), 0)
        used = (f'<a href="entities/index.html#type-{esc(curie(c).partition(":")[2])}">{n} in the graph</a>' if n else "")
        cards.append(entry(c, [("subclass of", links(supers)), ("subclasses", links(subs)),  # type: ignore[arg-type]
                               ("properties (domain)", links(by_domain.get(str(c), []))), ("entities", used)]))  # type: ignore[arg-type]
    parts.append(f'<h2 id="classes">Classes ({len(classes)})</h2><div class="cards">{"".join(cards)}</div>')
    for k, title, what in _KINDS:
        cards = [entry(p, [("domain", links(list(g.objects(p, RDFS.domain)))), ("range", links(list(g.objects(p, RDFS.range)))),
                           ("subproperty of", links(list(g.objects(p, RDFS.subPropertyOf))))]) for p in props[k]]
        parts.append(f'<h2 id="{anchor(k)}">{esc(title)} ({len(props[k])})</h2><p>{esc(what)}</p>'
                     f'<div class="cards">{"".join(cards)}</div>')
    cards = []
    for s in schemes:
        concepts = sorted(g.subjects(SKOS.inScheme, s), key=lambda c: str(c))
        items = "".join(f"<li><strong>{esc(labels.get(str(c), curie(c)))}</strong> <code>{esc(curie(c))}</code>: "
                        f"{esc(defs.get(str(c), ''))}</li>" for c in concepts)
        cards.append(entry(s, [], f"<ul>{items}</ul>"))  # type: ignore[arg-type]
    parts.append(f'<h2 id="schemes">Concept schemes ({len(schemes)})</h2><div class="cards">{"".join(cards)}</div>')
    return page("Ontology", "".join(parts), active="ontology.html")


def write_ontology_page(out: Path, ontology: Path, model: SiteModel | None = None) -> int:
    write(out / "ontology.html", ontology_page(ontology, model))
    return 1
