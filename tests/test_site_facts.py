"""Entity pages put every fact next to the quote that states it (egov:supports), sources after.

Fixture: the mini fixture (tests/fixtures/mini) with the approval reform's single citation split in two,
by hand: the May 2009 sentence states its kind, label, date, place and subsystem; the sentence "the second
stage is 2009-2017" states only its stage. Its "built on" link is stated in the influence record
platform -> reform, whose quote begins "This administrative approval process reform sought".
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from kg.build.pipeline import build
from kg.site.build import build_site
from tests.helpers import project_config

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
OLD_SOURCE = """  subsystem: social
  source:
    doc: 000_1b7241a4136cdb3d.txt
    section: "4.2"
    refs: [42]
    quote: "from May 2009"""
NEW_SOURCE = """  subsystem: social
  source:
  - doc: 000_1b7241a4136cdb3d.txt
    section: "4"
    quote: "the second stage is 2009-2017"
    supports: [stage]
  - doc: 000_1b7241a4136cdb3d.txt
    section: "4.2"
    refs: [42]
    supports: [type, label, date, in_place, subsystem]
    quote: "from May 2009"""
MAY_2009 = "from May 2009, the Shenzhen government carried out"
STAGE_2 = "the second stage is 2009-2017"
INFLUENCE = "This administrative approval process reform sought"


@pytest.fixture(scope="module")
def reform_page(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("facts")
    shutil.copytree(MINI, tmp / "data")
    p = tmp / "data" / "mini.yaml"
    text = p.read_text(encoding="utf-8")
    assert OLD_SOURCE in text
    p.write_text(text.replace(OLD_SOURCE, NEW_SOURCE), encoding="utf-8")
    cfg = replace(project_config(), data=tmp / "data", out=tmp / "build", reason=False)
    _, ds = build(cfg)
    build_site(ds, tmp / "site", queries=None, ontology=cfg.ontology, images=False)
    return (tmp / "site" / "entities" / "shenzhen-approval-process-reform.html").read_text(encoding="utf-8")


def fact_rows(html: str) -> dict[str, str]:
    """property -> the text of its quote cell, following rowspans (one cell can serve several rows)."""
    table = re.search(r'<table class="facts">(.*?)</table>', html, re.S)
    assert table, "no facts table"
    rows: dict[str, str] = {}
    cell, left = "", 0
    for tr in re.findall(r"<tr>(.*?)</tr>", table[1], re.S)[1:]:
        prop = re.sub(r"<[^>]+>", "", re.search(r"<th>(.*?)</th>", tr, re.S)[1])
        m = re.search(r'<td class="quote-cell" rowspan="(\d+)">(.*?)</td>', tr, re.S)
        if m:
            cell, left = m[2], int(m[1])
        assert left > 0, f"row {prop} has no quote cell"
        rows[prop] = cell
        left -= 1
    return rows


def test_each_fact_has_the_quote_that_states_it(reform_page):
    rows = fact_rows(reform_page)
    for prop in ("kind", "date", "in place"):
        assert MAY_2009 in rows[prop] and STAGE_2 not in rows[prop], prop
    stage_row = next(v for k, v in rows.items() if "stage" in k)
    assert STAGE_2 in stage_row and MAY_2009 not in stage_row
    assert INFLUENCE in rows["built on"]  # stated in the influence's own record, linked
    influence = "shenzhen-online-approval-platform-built-on-shenzhen-approval-process-reform"
    assert f'href="../entities/{influence}.html"' in rows["built on"]


def test_facts_come_before_sources_and_sources_say_what_they_state(reform_page):
    assert reform_page.index('id="facts"') < reform_page.index('id="sources"')
    sources = reform_page[reform_page.index('id="sources"'):]
    first, second = sources.index('id="source-1"'), sources.index('id="source-2"')
    assert "States: during stage" in sources[first:second] or "States: stage" in sources[first:second]
    assert MAY_2009 in sources[second:]
    assert '<a href="#source-2">Source 2</a>' in reform_page  # a fact's quote links to its full source entry
