"""Bad input gets a clear, located error and nothing is written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BREAKS = {
    # name: (text to replace in mini.yaml, replacement, expected fragments of the message)
    "unknown reference": ("enabled: shenzhen-online-approval-platform", "enabled: shenzhen-online-aproval-platform",
                          ["mini.yaml:28:", "field 'enabled'", "unknown id 'shenzhen-online-aproval-platform'",
                           "did you mean 'shenzhen-online-approval-platform'"]),
    "bad date": ('date: "2009-05"', 'date: "2009-02-30"', ["mini.yaml:25:", "field 'date'", "not a real calendar date"]),
    "impossible month": ('date: "2009-05"', 'date: "2009-13"', ["field 'date'", "month 13 does not exist"]),
    "end before start": ('end: "2017"', 'end: "2001"', ["mini.yaml:14:", "field 'end'", "before start"]),
    "unknown field": ("stage_number: 2", "stage_nuber: 2", ["field 'stage_nuber'", "did you mean 'stage_number'"]),
    "unknown type": ("type: ProcessReform", "type: ProcesReform", ["field 'type'", "did you mean 'ProcessReform'"]),
    "bad concept": ("interaction_level: relatively-high", "interaction_level: medium",
                    ["field 'interaction_level'", "use one of: low, relatively-high, high"]),
    "quote not in seed": ("quote: \"the second stage is 2009-2017\"", "quote: \"the second stage is 2010-2017\"",
                          ["field 'source'", "quote not found in 000_1b7241a4136cdb3d.txt"]),
    "missing reference record": ("refs: [42]", "refs: [43]", ["reference [43]", "has no CitedWork record"]),
    "duplicate id": ("- id: shenzhen-stage-2", "- id: shenzhen", ["duplicate id 'shenzhen'", "first defined at"]),
    "supports a missing field": ("    refs: [42]\n", "    refs: [42]\n    supports: [built_by]\n",
                                 ["mini.yaml:29:", "'supports' names 'built_by', which is not a field of this record"]),
    "fact without a supporting citation": ("    refs: [42]\n", "    refs: [42]\n    supports: [type, label]\n",
                                           ["mini.yaml:25:", "field 'date': no citation supports 'date'"]),
    "bad id": ("- id: shenzhen-stage-2", "- id: Shenzhen Stage 2", ["field 'id'", "is not a valid id"]),
}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_broken_record_is_rejected_with_place_and_fix(name: str, data_copy: Path):
    old, new, fragments = BREAKS[name]
    f = data_copy / "mini.yaml"
    text = f.read_text()
    assert old in text
    f.write_text(text.replace(old, new, 1))
    res = run("validate", str(data_copy))
    assert res.returncode == 1, res.stdout + res.stderr
    for frag in fragments:
        assert frag in res.stderr, f"{frag!r} not in:\n{res.stderr}"
    assert "Traceback" not in res.stderr


def test_missing_source_is_rejected(data_copy: Path):
    f = data_copy / "mini.yaml"
    text = f.read_text()
    start = text.index("  source:\n    doc: 000_1b7241a4136cdb3d.txt\n    section: \"4\"")
    end = text.index("- id: shenzhen-approval-process-reform")
    f.write_text(text[:start] + text[end:])
    res = run("validate", str(data_copy))
    assert res.returncode == 1
    assert "[shenzhen-stage-2]" in res.stderr and "has no 'source'" in res.stderr


def test_malformed_yaml_names_line(data_copy: Path):
    f = data_copy / "mini.yaml"
    f.write_text(f.read_text().replace("  label: Shenzhen\n", "  label: Shenzhen: the city\n  - x\n", 1))
    res = run("validate", str(data_copy))
    assert res.returncode == 1
    assert "malformed YAML" in res.stderr and "mini.yaml:" in res.stderr


def test_all_problems_reported_at_once(data_copy: Path):
    f = data_copy / "mini.yaml"
    text = f.read_text().replace('date: "2009-05"', 'date: "2009-13"').replace("stage_number: 2", "stage_nuber: 2")
    f.write_text(text)
    res = run("validate", str(data_copy))
    assert res.returncode == 1
    assert "month 13" in res.stderr and "stage_nuber" in res.stderr and "2 structure problems" in res.stderr


def test_shacl_wrong_kind_of_link(data_copy: Path):
    """Structurally fine, but `enabled` points at a City: SHACL names the record and the rule."""
    f = data_copy / "mini.yaml"
    f.write_text(f.read_text().replace("enabled: shenzhen-online-approval-platform", "enabled: shenzhen"))
    res = run("validate", str(data_copy))
    assert res.returncode == 1
    assert "mini.yaml:22:" in res.stderr and "'enabled' must point at a technology" in res.stderr


def test_failed_build_writes_nothing(data_copy: Path, tmp_path: Path):
    out = tmp_path / "out"
    f = data_copy / "mini.yaml"
    f.write_text(f.read_text().replace('date: "2009-05"', 'date: "2009-13"'))
    res = run("build", "--data", str(data_copy), "--out", str(out), "--no-reason")
    assert res.returncode == 1
    assert not out.exists() or not any(out.iterdir())


def test_real_data_passes_validation():
    res = run("validate")
    assert res.returncode == 0, res.stderr[-3000:]
    assert "structure and SHACL shapes pass" in res.stdout
