"""Project-wide quality gates: lint, docs in step with code, ontology annotations, quotes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.build.fields import FIELDS, SOURCE_KEYS
from kg.build.records import read_all
from kg.build.validate import normalise
from kg.config import Config
from kg.namespaces import EGOV

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_clean():
    # --no-cache: no .ruff_cache left in the checkout by a test run
    res = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT, capture_output=True,
                         text=True)
    assert res.returncode == 0, res.stdout[-4000:]


def test_every_field_is_documented():
    doc = (ROOT / "docs" / "data-format.md").read_text()
    for key in list(FIELDS) + list(SOURCE_KEYS):
        assert f"| `{key}` |" in doc, f"field '{key}' is not in docs/data-format.md"


def test_every_ontology_term_has_label_and_definition():
    g = Graph().parse(ROOT / "ontology" / "egov.ttl")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept, SKOS.ConceptScheme)
    terms = {s for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(str(EGOV))}
    assert len(terms) > 100
    missing = [str(t) for t in terms if (t, RDFS.label, None) not in g or (t, SKOS.definition, None) not in g]
    assert not missing, missing
    onto = next(g.subjects(RDF.type, OWL.Ontology))
    for p in ("title", "description", "license", "creator"):
        assert g.value(onto, __import__("rdflib").URIRef(f"http://purl.org/dc/terms/{p}")) is not None, p
    assert g.value(onto, OWL.versionIRI) is not None


def test_object_properties_have_definitions_and_types_match_docs():
    doc = (ROOT / "docs" / "data-format.md").read_text()
    g = Graph().parse(ROOT / "ontology" / "egov.ttl")
    classes = {str(c).removeprefix(str(EGOV)) for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(str(EGOV))}
    listed = set(re.findall(r"`([A-Z][A-Za-z]+)`", doc.split("## Types")[1].split("## Fields")[0]))
    assert listed <= classes, listed - classes


def test_every_quote_occurs_in_its_seed():
    """Checked by the validator too; here stated directly over the real data."""
    seeds = Config.at(ROOT).seeds  # ../shared/seeds, or $EGOVKG_SEEDS
    records, problems = read_all(ROOT / "data", ROOT)
    assert not problems
    texts = {p.name: normalise(p.read_text(encoding="utf-8")) for p in seeds.glob("*.txt")}
    assert len(texts) == 4, f"seeds not found in {seeds}"
    n = 0
    for r in records:
        cits = r.data["source"] if isinstance(r.data["source"], list) else [r.data["source"]]
        for c in cits:
            assert normalise(c["quote"]) in texts[c["doc"]], f"{r.file}:{r.line} {c['quote'][:60]}"
            n += 1
    assert n > 300
