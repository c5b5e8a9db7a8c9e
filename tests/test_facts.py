"""Spot checks of curated facts from every source document, against the built graph.

tests/facts/<file>.yaml lists facts a reader of the seeds expects (record id,
field, value as written in YAML). Each is looked up in the *built* RDF, so the
check covers curation and loading, and the triple must sit in the record's own
named graph, which carries a citation (provenance).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from rdflib import Literal
from rdflib.term import Identifier

from kg.build.dates import parse_date
from kg.build.fields import CONCEPTS, FIELDS
from kg.namespaces import EGOV, ID, PROV, RDF, RDFS, record_graph_iri

FACTS = Path(__file__).parent / "facts"
CHECKS = [(f.stem, i, c) for f in sorted(FACTS.glob("*.yaml")) for i, c in enumerate(yaml.safe_load(f.read_text()))]


def expected_term(field: str, value: object):
    if field == "type":
        return RDF.type, EGOV[str(value)]
    f = FIELDS[field]
    if f.kind in ("ref", "refs"):
        return f.predicate, ID[str(value)]
    if f.kind in ("concept", "concepts"):
        return f.predicate, CONCEPTS[field][str(value)]
    if f.kind == "date":
        return f.predicate, parse_date(str(value)).literal()
    if field == "label":
        return RDFS.label, Literal(str(value), lang="en")
    return f.predicate, value


def check_influence(ds, want: dict) -> None:
    """An influence the seed states: from, kind, to, basis, and (if given) a snippet of the quote that
    states it, which must sit in the influence's own record graph."""
    nodes = [n for n in ds.subjects(PROV.influencer, ID[want["from"]])
             if (n, EGOV.influenced, ID[want["to"]]) in ds]
    assert nodes, f"no influence from {want['from']} to {want['to']}"
    kinds = {str(k).rpartition("kind-")[2] for n in nodes for k in ds.objects(n, EGOV.influenceKind)}
    assert want["kind"] in kinds, kinds
    node = next(n for n in nodes if (n, EGOV.influenceKind, CONCEPTS["kind"][want["kind"]]) in ds)
    assert (node, EGOV.basis, CONCEPTS["basis"][want["basis"]]) in ds
    graph = record_graph_iri(str(node).removeprefix(str(ID)))
    quotes = [str(q) for c in ds.objects(graph, EGOV.citation) for q in ds.objects(c, EGOV.quote)]
    assert quotes, "the influence carries no quote"
    if "quote" in want:
        assert any(want["quote"] in q for q in quotes), quotes


@pytest.mark.parametrize("stem,i,check", CHECKS, ids=[f"{s}-{i}-{c['id']}-{c['field']}" for s, i, c in CHECKS])
def test_fact(stem: str, i: int, check: dict, real_build):
    _, _, ds = real_build
    if check["field"] == "influence":
        check_influence(ds, check["expected"])
        return
    subject = ID[check["id"]]
    pred, expected = expected_term(check["field"], check["expected"])
    graph = ds.graph(record_graph_iri(check["id"]))
    values = list(graph.objects(subject, pred))
    assert values, f"{check['id']} has no {check['field']} in its record graph"
    if isinstance(expected, Identifier):
        assert expected in values, values
    elif isinstance(expected, (int, float)) and not isinstance(expected, bool):
        assert any(isinstance(v, Literal) and Decimal(str(v)) == Decimal(str(expected)) for v in values), values
    elif isinstance(expected, str):
        assert any(str(v) == expected for v in values), values
    else:
        raise AssertionError(f"cannot compare {expected!r}")
    assert list(ds.objects(record_graph_iri(check["id"]), EGOV.citation)), "no citation for the record"


def test_every_source_document_has_spot_checks(real_build):
    """A sample of facts from every document: each seed is cited by at least five checked records."""
    _, _, ds = real_build
    per_doc: dict[str, set[str]] = {}
    for _, _, check in CHECKS:
        for c in ds.objects(record_graph_iri(check["id"]), EGOV.citation):
            doc = ds.value(c, EGOV.document)
            per_doc.setdefault(str(doc).removeprefix(str(ID)), set()).add(check["id"])
    for doc in ("doc-000", "doc-001", "doc-002", "doc-003"):
        assert len(per_doc.get(doc, ())) >= 5, f"{doc}: only {sorted(per_doc.get(doc, ()))}"
