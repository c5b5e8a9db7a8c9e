"""Bad input gets a clear, located, one-line error; nothing is written.

The corpus in tests/fixtures/bad/<rule>/<case>.yaml holds one bad input per file,
with the message it must produce (`# expect:`) and the line it must name
(`# line:`), written by hand from the rule, pySHACL-style. Each case is added as
`case.yaml` to a copy of the mini fixture (which is valid), so the expected
problem is the case's own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kg.build.records import read_all, read_capped
from kg.build.validate import check_structure
from kg.config import Config
from tests.helpers import invoke

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MINI = HERE / "fixtures" / "mini"
BAD = HERE / "fixtures" / "bad"
CASES = sorted(p.relative_to(BAD).as_posix() for p in BAD.glob("*/*.yaml"))
CFG = Config.at(ROOT)


def header(path: Path) -> tuple[str, int | None]:
    lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    expect = lines[0].removeprefix("# expect: ")
    line = lines[1].removeprefix("# line: ")
    return expect, None if line == "any" else int(line)


def fix_of(path: Path) -> str | None:
    """The optional third header line `# fix: ...`: the fix the message must suggest."""
    third = path.read_bytes().decode("utf-8", "replace").splitlines()[2]
    return third.removeprefix("# fix: ") if third.startswith("# fix: ") else None


def says(line: str, fragment: str) -> bool:
    """The fragment occurs as whole words (so 'XXan influence' does not pass for 'an influence')."""
    return re.search(r"(?<![A-Za-z])" + re.escape(fragment) + r"(?![A-Za-z])", line) is not None


def problems_for(case: Path, tmp: Path) -> list[str]:
    data = tmp / "data"
    shutil.copytree(MINI, data)
    shutil.copyfile(case, data / "case.yaml")
    t = data.stat().st_mtime + 10  # the case is the newer file (the one an analyst just added)
    os.utime(data / "case.yaml", (t, t))
    records, problems = read_all(data, data)
    problems += check_structure(records, CFG.ontology, CFG.seeds)
    return [str(p) for p in problems]


def test_corpus_has_at_least_100_cases():
    assert len(CASES) >= 100
    assert len({c.split("/")[0] for c in CASES}) >= 20  # rules, one folder each


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gives_its_one_line_message(case: str, tmp_path: Path):
    expect, line = header(BAD / case)
    found = problems_for(BAD / case, tmp_path)
    place = f"case.yaml:{line}:" if line else "case.yaml"
    hits = [p for p in found if says(p, expect) and p.startswith(place)]
    assert hits, f"{case}: wanted {place} ... {expect!r}; got:\n" + "\n".join(found)
    fix = fix_of(BAD / case)
    assert fix is None or any(p.endswith(" — " + fix) for p in hits), f"{case}: fix {fix!r} not in {hits}"
    for p in found:
        assert " — " in p and not p.endswith(" — "), f"every problem says how to fix it: {p}"
        assert "\n" not in p and len(p) < 600, f"not one short line: {p[:300]!r}"
        assert not p.startswith(("mini.yaml", "sources.yaml")), f"{case} blamed the valid fixture: {p}"


def test_mini_fixture_alone_is_valid():
    records, problems = read_all(MINI, MINI)
    assert problems + check_structure(records, CFG.ontology, CFG.seeds) == []


def _build(data: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return invoke("build", "--data", str(data), "--out", str(out), "--no-reason")


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path_factory.mktemp("good") / "build"
    res = _build(MINI, out)
    assert res.returncode == 0, res.stderr
    return out, _snapshot(out)


def _snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _assert_untouched(out: Path, before: dict[str, bytes]) -> None:
    assert _snapshot(out) == before


@pytest.mark.parametrize("case", ["yaml-alias/alias-bomb.yaml", "text-unsafe/lone-surrogate-label.yaml",
                                  "id-format/trailing-newline.yaml", "numbers/value-nan.yaml",
                                  "cited-works/second-ref-number.yaml", "documents/outside-seeds.yaml",
                                  "text-length/label-600.yaml", "numbers/stage-number-minus-1.yaml"])
def test_bad_input_exits_1_and_keeps_previous_build(case: str, good_build, tmp_path: Path):
    out, before = good_build
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    shutil.copyfile(BAD / case, data / "case.yaml")
    res = _build(data, out)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "Traceback" not in res.stderr
    assert header(BAD / case)[0] in res.stderr
    _assert_untouched(out, before)


def test_empty_data_folder_is_refused_and_keeps_build(good_build, tmp_path: Path):
    out, before = good_build
    (tmp_path / "empty").mkdir()
    res = _build(tmp_path / "empty", out)
    assert res.returncode == 2 and "no .yaml data files" in res.stderr
    _assert_untouched(out, before)


def test_only_uppercase_yaml_files_is_refused(good_build, tmp_path: Path):
    out, before = good_build
    data = tmp_path / "upper"
    data.mkdir()
    shutil.copyfile(MINI / "mini.yaml", data / "MINI.YAML")
    res = _build(data, out)
    assert res.returncode == 2 and "rename MINI.YAML to lowercase .yaml" in res.stderr
    _assert_untouched(out, before)


def test_data_file_symlinked_to_dev_zero_is_refused(good_build, tmp_path: Path):
    out, before = good_build
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "zero.yaml").symlink_to("/dev/zero")
    res = _build(data, out)
    assert res.returncode == 1
    assert "zero.yaml: field" not in res.stderr and "cannot read file: not a regular file" in res.stderr
    _assert_untouched(out, before)


def test_data_path_is_dev_zero(tmp_path: Path):
    res = invoke("validate", "/dev/zero")
    assert res.returncode == 2 and "not a data folder or YAML file" in res.stderr


def test_file_over_size_cap_is_refused_without_echo(tmp_path: Path):
    """A 10 MB label: the file cap refuses it, and the message does not echo the value."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "big.yaml").write_text("records:\n- id: big\n  type: City\n  label: " + "x" * 10_000_000 + "\n")
    res = invoke("validate", str(data))
    assert res.returncode == 1
    assert "big.yaml: cannot read file: larger than 4 MB" in res.stderr
    assert len(res.stderr) < 2000


def test_source_document_symlinked_to_dev_zero(tmp_path: Path):
    seeds = tmp_path / "seeds"
    shutil.copytree(CFG.seeds, seeds)
    (seeds / "000_1b7241a4136cdb3d.txt").unlink()
    (seeds / "000_1b7241a4136cdb3d.txt").symlink_to("/dev/zero")
    res = invoke("validate", str(MINI), env={"EGOVKG_SEEDS": str(seeds)})
    assert res.returncode == 1
    assert "sources.yaml:6: [doc-000] field 'file': '000_1b7241a4136cdb3d.txt' leads outside the seeds folder" in res.stderr


def test_reading_dev_zero_is_refused_not_endless():
    with pytest.raises(ValueError, match="not a regular file"):
        read_capped(Path("/dev/zero"))


def test_registered_document_without_text_is_an_error(tmp_path: Path):
    seeds = tmp_path / "seeds"
    shutil.copytree(CFG.seeds, seeds)
    (seeds / "003_a2768cc563c1ba3c.txt").unlink()
    res = invoke("validate", str(MINI), env={"EGOVKG_SEEDS": str(seeds)})
    assert res.returncode == 1
    assert "[doc-003] field 'file': no text file '003_a2768cc563c1ba3c.txt' in the seeds folder" in res.stderr


def test_curly_quotes_and_line_breaks_match_straight_text(tmp_path: Path):
    """The seed writes China's with a straight apostrophe over one line; a curly
    apostrophe and a line break inside the quote are the same text."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "case.yaml").write_text(
        "records:\n- id: curly\n  type: City\n  label: X\n  source:\n    doc: 000_1b7241a4136cdb3d.txt\n"
        "    section: \"3\"\n    quote: \"a trial run for China\u2019s reform\n      and expansion\"\n", encoding="utf-8")
    records, problems = read_all(data, data)
    assert problems + check_structure(records, CFG.ontology, CFG.seeds) == []


def test_quote_slip_shows_the_closest_passage(tmp_path: Path):
    """Seed 000 line 57: 'The first stage is 2006-2008 when ...'; the slip is 2009."""
    found = problems_for(BAD / "citations" / "quote-in-second-citation.yaml", tmp_path)
    hit = [p for p in found if "quote not found" in p]
    assert len(hit) == 1 and 'closest passage: "The first stage is 2006-2008' in hit[0]


def test_duplicate_id_blames_the_newer_file(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "aaa-new.yaml").write_text("records:\n- id: shenzhen\n  type: City\n  label: Again\n")
    t = (data / "mini.yaml").stat().st_mtime + 10
    os.utime(data / "aaa-new.yaml", (t, t))  # sorted first, but changed last
    records, problems = read_all(data, data)
    dup = [str(p) for p in check_structure(records, CFG.ontology, CFG.seeds) if "duplicate id" in str(p)]
    assert len(dup) == 1 and dup[0].startswith("aaa-new.yaml:2:") and "already defined at mini.yaml:9" in dup[0]


def test_wrong_class_link_names_line_class_and_allowed(tmp_path: Path):
    """The range of egov:duringStage is egov:Stage (ontology/egov.ttl); shenzhen is a City."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    f = data / "mini.yaml"
    text = f.read_text()
    old = "  stage: shenzhen-stage-2\n  subsystem: social"
    assert old in text
    f.write_text(text.replace(old, "  stage: shenzhen\n  subsystem: social"))
    res = invoke("validate", str(data))
    assert res.returncode == 1
    assert ("mini.yaml:46: [shenzhen-approval-process-reform] field 'stage': 'stage' points at 'shenzhen', "
            "a City; allowed: Stage") in res.stderr


def test_real_data_passes_validation():
    res = invoke("validate", str(ROOT / "data"))
    assert res.returncode == 0, res.stderr[-3000:]
    assert "structure and SHACL shapes pass" in res.stdout


@pytest.mark.slow
@pytest.mark.reasoner
def test_culprits_of_a_reasoner_inconsistency_are_named():
    """Bypass the structural pass: give the challenge a responsible 'agency' that is the
    platform. egov:responsibleAgency has range org:Organization and no domain, so neither
    record alone is inconsistent; together the platform is an Organization and a
    TechnicalElement, which the ontology declares disjoint. Exactly these two are the culprits."""
    from kg.build.culprit import find_culprits
    from kg.build.load import load_records
    from kg.namespaces import EGOV, ID, record_graph_iri

    records, _ = read_all(MINI, MINI)
    ds = load_records(records)
    ds.graph(record_graph_iri("challenge-data-silos")).add(
        (ID["challenge-data-silos"], EGOV.responsibleAgency, ID["shenzhen-online-approval-platform"]))
    found = find_culprits(ds, CFG.ontology)
    assert sorted(p.record for p in found) == ["challenge-data-silos", "shenzhen-online-approval-platform"]
    assert {f"{p.file}:{p.line}" for p in found} == {"mini.yaml:65", "mini.yaml:53"}


def test_minimal_inconsistent_finds_the_clashing_pair():
    from kg.build.culprit import minimal_inconsistent

    def inconsistent(items: list) -> bool:  # a clash needs both 'b' and 'd'
        return {"b", "d"} <= set(items)

    assert sorted(minimal_inconsistent(["a", "b", "c", "d", "e"], inconsistent)) == ["b", "d"]


@pytest.mark.reasoner
def test_consistent_data_has_no_culprits():
    from kg.build.culprit import find_culprits
    from kg.build.load import load_records

    records, _ = read_all(MINI, MINI)
    assert find_culprits(load_records(records), CFG.ontology) == []


def test_lag_with_an_open_bound_stays_open():
    """Influencer dated 2009; influenced only known from 2012 on (a stage to now):
    least lag 2012 - 2009 = 3, greatest unknown (None), never a made-up number."""
    from kg.build.dates import YearBounds, lag_bounds

    assert lag_bounds(YearBounds(2009, 2009, "date"), YearBounds(2012, None, "stage")) == (3, None)
    assert lag_bounds(YearBounds(None, 2010, "source bounds"), YearBounds(2012, 2012, "date")) == (2, None)


def test_size_cap_boundary(tmp_path: Path):
    """A file of exactly MAX_FILE_BYTES is read; one byte more is refused with the cap in MB."""
    from kg.build.records import MAX_FILE_BYTES

    f = tmp_path / "f.yaml"
    f.write_bytes(b"#" * MAX_FILE_BYTES)
    assert len(read_capped(f)) == MAX_FILE_BYTES
    f.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(ValueError, match=r"^larger than 4 MB$"):
        read_capped(f)
    with pytest.raises(ValueError, match=r"^not a regular file \(a device, pipe or folder\)$"):
        read_capped(Path("/dev/zero"))


@pytest.mark.parametrize("lists, refused", [(9, False), (10, True)])
def test_nesting_depth_boundary(lists: int, refused: bool, tmp_path: Path):
    """Depth counts the document mapping (1), `records` (2), the record (3), then each list:
    9 nested lists reach depth 12, the limit; 10 reach 13."""
    from kg.build.records import read_file

    f = tmp_path / "d.yaml"
    f.write_text("records:\n- id: x\n  label: " + "[" * lists + "]" * lists + "\n")
    _, problems = read_file(f, tmp_path)
    assert any("nesting deeper than 12 levels" in str(p) for p in problems) is refused
    if refused:
        assert str(problems[0]).startswith("d.yaml:3: malformed YAML")


def test_alias_is_reported_at_its_line(tmp_path: Path):
    from kg.build.records import read_file

    f = tmp_path / "a.yaml"
    f.write_text("records:\n- id: x\n  type: City\n  label: &l Shenzhen\n  alt_labels: *l\n")
    _, problems = read_file(f, tmp_path)
    assert [str(p).split(" — ")[0] for p in problems] == ["a.yaml:5: malformed YAML: YAML aliases (*name) are not allowed"]
