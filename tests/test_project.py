"""egovkg acts on the project in the working directory, never on the checkout it runs from.

Every test makes a project in tmp_path and runs `python -m kg` there with the
checkout only on PYTHONPATH (as an installed egovkg would be), then checks what
was read and written by looking at the files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.config import ROOT, Config, find_project
from tests.helpers import run_kg

MINI = ROOT / "tests" / "fixtures" / "mini"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """An analyst's folder: data/ only (ontology, queries and seeds come from egov-kg)."""
    root = tmp_path / "my-city"
    shutil.copytree(MINI, root / "data")
    return root


def test_build_in_project_writes_its_own_build_folder(project: Path):
    before = sorted((ROOT / "build").rglob("*")) if (ROOT / "build").exists() else []
    mtimes = {p: p.stat().st_mtime for p in before if p.is_file()}
    res = run_kg("build", "--no-reason", cwd=project)
    assert res.returncode == 0, res.stderr
    assert (project / "build" / "egov.trig").is_file()
    # the mini fixture's 15 records, not the checkout's ~500
    assert "shenzhen-egov-resource-centre" in (project / "build" / "egov.trig").read_text()
    assert "luan" not in (project / "build" / "egov.trig").read_text()
    after = {p: p.stat().st_mtime for p in before if p.is_file() and p.exists()}
    assert after == mtimes, "the checkout's build/ was touched"


def test_validate_query_and_site_from_a_subfolder(project: Path):
    (project / "notes").mkdir()
    assert run_kg("build", "--no-reason", cwd=project).returncode == 0
    res = run_kg("validate", cwd=project / "notes")
    assert res.returncode == 0 and "ok: 15 records" in res.stdout, res.stderr
    res = run_kg("queries", cwd=project / "notes")
    shipped = len(list((ROOT / "queries").glob("*.rq")))
    assert res.returncode == 0 and f"({shipped} queries)" in res.stdout  # the shipped library, as a fallback
    res = run_kg("query", "stage-timeline", "--format", "csv", cwd=project / "notes")
    assert res.returncode == 0, res.stderr
    # the mini fixture's three staged elements (platform in stage 1; reform and centre in stage 2), not the checkout's
    lines = res.stdout.strip().splitlines()
    assert len(lines) == 4 and "shenzhen-online-approval-platform" in lines[1] and "2012-11" in lines[3]


def test_site_from_the_project(project: Path):
    assert run_kg("build", "--no-reason", cwd=project).returncode == 0
    res = run_kg("site", "--no-images", cwd=project)
    assert res.returncode == 0, res.stderr
    assert (project / "build" / "site" / "index.html").is_file()


def test_config_file_discovered_upward_sets_paths(tmp_path: Path):
    root = tmp_path / "study"
    shutil.copytree(MINI, root / "records")
    (root / "egovkg.toml").write_text('data = "records"\nout = "output"\n')
    (root / "a" / "b").mkdir(parents=True)
    res = run_kg("build", "--no-reason", cwd=root / "a" / "b")
    assert res.returncode == 0, res.stderr
    assert (root / "output" / "egov.trig").is_file() and not (root / "build").exists()
    cfg = Config.at(root)
    assert cfg.data == root / "records" and cfg.out == root / "output"


def test_project_ontology_is_used_when_present(project: Path):
    """A project that brings its own ontology/ uses it: here one without the class City,
    so validation must fail on the fixture's City record."""
    (project / "ontology").mkdir()
    text = (ROOT / "ontology" / "egov.ttl").read_text()
    line = next(ln for ln in text.splitlines() if ln.startswith("egov:City a owl:Class"))
    (project / "ontology" / "egov.ttl").write_text(text.replace(line, ""))
    shutil.copyfile(ROOT / "ontology" / "shapes.ttl", project / "ontology" / "shapes.ttl")
    res = run_kg("validate", cwd=project)
    assert res.returncode == 1 and "unknown type 'City'" in res.stderr


def test_shipped_copies_are_the_fallback(project: Path):
    cfg = Config.at(project)
    assert cfg.ontology == ROOT / "ontology" / "egov.ttl"
    assert cfg.queries == ROOT / "queries"
    assert cfg.data == project.resolve() / "data" and cfg.out == project.resolve() / "build"


def test_nearest_project_wins(tmp_path: Path):
    outer = tmp_path / "outer"
    inner = outer / "inner"
    (outer / "data").mkdir(parents=True)
    (inner / "data").mkdir(parents=True)
    assert find_project(inner).root == inner.resolve()
    (outer / "egovkg.toml").write_text("")
    assert find_project(inner).root == outer.resolve()  # a config file is stronger than a data/ folder


def test_bad_config_file_is_a_usage_error(tmp_path: Path):
    (tmp_path / "egovkg.toml").write_text('dat = "x"\n')
    res = run_kg("validate", cwd=tmp_path)
    assert res.returncode == 2 and "egovkg.toml: unknown key" in res.stderr and "Traceback" not in res.stderr
