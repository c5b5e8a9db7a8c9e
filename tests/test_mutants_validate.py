"""Validation details the bad-input corpus leaves loose (found by the mutation run, docs/testing.md):
the fix each problem names, the field a problem blames, where long values are cut in messages, and the
file named for a whole-file fault. Records are appended to a copy of the mini fixture (121 lines), so
line numbers are counted by hand from there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.build.dates import YearBounds, parse_interval
from kg.build.records import data_files, read_all, read_file
from kg.build.validate import check_structure
from kg.errors import UsageError
from tests.helpers import project_config

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
SRC = '  source: {doc: 000_1b7241a4136cdb3d.txt, section: "3", quote: "Shenzhen, a coastal city in southern China"}\n'


def _problems(tmp_path: Path, extra: str) -> list:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    with (data / "mini.yaml").open("a", encoding="utf-8") as fh:
        fh.write(extra)
    cfg = project_config()
    records, problems = read_all(data)
    return problems + check_structure(records, cfg.ontology, cfg.seeds)


def _one(problems: list, record: str) -> object:
    mine = [p for p in problems if p.record == record]
    assert len(mine) == 1, mine
    return mine[0]


def test_a_source_entry_that_is_not_a_mapping_names_its_fix(tmp_path):
    p = _one(_problems(tmp_path, "- id: x-agency\n  type: Agency\n  label: X\n  source: [just text]\n"), "x-agency")
    assert (p.line, p.message, p.fix) == (125, "each source must be a mapping", "write doc:, section:, quote: under source")


def test_overlong_text_is_blamed_on_its_field_with_the_limit(tmp_path):
    label = "L" * 501
    p = _one(_problems(tmp_path, f"- id: x-agency\n  type: Agency\n  label: {label}\n" + SRC), "x-agency")
    assert (p.line, p.field, p.message) == (124, "label", "text of 501 characters is longer than the 500 allowed")
    assert p.fix == "shorten it: quote only the sentence that states the fact"


def test_an_infinite_number_names_its_fix(tmp_path):
    extra = "- id: x-figure\n  type: Quantity\n  label: X\n  value: .inf\n  unit: percent\n" + SRC
    p = _one(_problems(tmp_path, extra), "x-figure")
    assert (p.line, p.field, p.message, p.fix) == (125, "value", "'inf' is not a finite number",
                                                   "write the number as digits, e.g. 17.68")


def test_long_ids_are_cut_at_60_characters_in_messages(tmp_path):
    long_id = "x-" * 35 + "y"  # 71 characters, a valid id naming nothing
    cut = long_id[:59] + "…"
    p = _one(_problems(tmp_path, f"- id: x-agency\n  type: Agency\n  label: X\n  in_place: {long_id}\n" + SRC), "x-agency")
    assert p.message == f"unknown id '{cut}'"
    agency = "a" * 70  # a real record, but an Agency where a place is wanted
    extra = (f"- id: {agency}\n  type: Agency\n  label: A\n" + SRC
             + f"- id: x-reform\n  type: ProcessReform\n  label: R\n  in_place: {agency}\n" + SRC)
    p = _one(_problems(tmp_path / "2", extra), "x-reform")
    assert p.message.startswith(f"'in_place' points at '{'a' * 59}…', a Agency; ")


def test_yaml_faults_name_their_fix(tmp_path):
    (tmp_path / "top.yaml").write_text("records: []\nextra: 1\n", encoding="utf-8")
    _, problems = read_file(tmp_path / "top.yaml", tmp_path)
    assert [(p.file, p.line, p.fix) for p in problems] == [("top.yaml", 2, "only 'records' is allowed at the top level")]
    (tmp_path / "value.yaml").write_text("records:\n- id: x\n  date: !!timestamp 2009-02-30\n", encoding="utf-8")
    _, problems = read_file(tmp_path / "value.yaml", tmp_path)
    assert [(p.line, p.field, p.fix) for p in problems] == [(3, "date", "quote the value")]
    assert problems[0].message == "bad value: day is out of range for month"  # February has no 30th
    (tmp_path / "deep.yaml").write_text("records: " + "[" * 40 + "]" * 40 + "\n", encoding="utf-8")
    _, problems = read_file(tmp_path / "deep.yaml", tmp_path)
    assert [(p.file, p.message, p.fix) for p in problems] == [
        ("deep.yaml", "malformed YAML: nesting deeper than 12 levels",
         "fix the indentation or quoting at that line (quote values containing ': ')")]


def test_an_empty_data_folder_says_how_to_start(tmp_path):
    with pytest.raises(UsageError) as info:
        data_files(tmp_path)
    assert info.value.fix == "add data files (egovkg new-city ID --label NAME starts one)"


def test_interval_years_outside_the_range_are_named():
    with pytest.raises(ValueError, match="^year 1800 is outside 1900-2100$"):
        parse_interval("1800/1900")


@pytest.mark.parametrize("bounds, text", [(YearBounds(2009, 2017, "source bounds"), "2009/2017"),
                                          (YearBounds(None, 2012, "source bounds"), "../2012"),
                                          (YearBounds(2012, None, "stage"), "2012/..")])
def test_year_bounds_print_as_edtf(bounds, text):
    assert str(bounds) == text


def test_an_unreadable_seed_says_why(tmp_path):
    from kg.build.checks_sources import Seeds

    (tmp_path / "x.txt").mkdir()  # a folder where the seed text should be: reading it fails
    seeds = Seeds(tmp_path)
    assert seeds.text("x.txt") is None
    assert seeds.errors["x.txt"].startswith("cannot read seed 'x.txt': ")
    assert "directory" in seeds.errors["x.txt"].lower()  # the reason, not just that it failed
