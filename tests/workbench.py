"""A small graph for the workbench tests (find, sparql, params, export, subclass walk).

The mini fixture copied to a temp folder, with Shenzhen placed within Guangdong, and an extra
file holding Guangdong and one system of a class the test ontology adds below
InformationSystem (`egov:CityInformationSystem`), so the queries must walk rdfs:subClassOf to
find it. Every quote is verbatim from seed 000. Nothing is written into the checkout.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from kg.build.pipeline import build
from kg.config import Config
from kg.store import EmbeddedStore, open_store
from tests.helpers import project_config

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"

SUBCLASS = """
egov:CityInformationSystem a owl:Class ; rdfs:subClassOf egov:InformationSystem ;
    rdfs:label "city information system"@en ;
    skos:definition "Test only: an analyst's subclass of information system."@en .
"""

EXTRA = """records:
- id: guangdong
  type: Province
  label: Guangdong
  within: china
  source:
    doc: 000_1b7241a4136cdb3d.txt
    section: "4.3"
    quote: "the Guangdong province and districts"
- id: china
  type: Nation
  label: China
  source:
    doc: 000_1b7241a4136cdb3d.txt
    section: "3"
    quote: "Shenzhen, a coastal city in southern China"
- id: shenzhen-electronic-bidding-system
  type: CityInformationSystem
  label: Electronic bidding system
  alt_labels: ["e-bidding system"]
  description: "A bidding system of the Shenzhen Bureau of Housing and Urban-rural Development."
  in_place: shenzhen
  stage: shenzhen-stage-2
  source:
    doc: 000_1b7241a4136cdb3d.txt
    section: "4.2"
    quote: "Shenzhen Bureau of Housing and Urban-rural Development established an electronic bidding system"
"""


def make_workbench(tmp: Path) -> tuple[Config, EmbeddedStore]:
    """Write the fixture under tmp, build it (no HermiT: the test is about queries) and open it."""
    data = tmp / "data"
    shutil.copytree(MINI, data)
    mini = data / "mini.yaml"
    text = mini.read_text(encoding="utf-8")
    assert "  label: Shenzhen\n" in text
    mini.write_text(text.replace("  label: Shenzhen\n", "  label: Shenzhen\n  within: guangdong\n", 1),
                    encoding="utf-8")
    (data / "extra.yaml").write_text(EXTRA, encoding="utf-8")
    onto = tmp / "egov.ttl"
    onto.write_text(project_config().ontology.read_text(encoding="utf-8") + SUBCLASS, encoding="utf-8")
    cfg = replace(project_config(), data=data, ontology=onto, out=tmp / "build", reason=False)
    build(cfg)
    return cfg, open_store("oxigraph", load=cfg.trig)  # type: ignore[return-value]
