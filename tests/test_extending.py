"""docs/extending.md, performed literally: a new city, class, property and influence kind.

The guide's steps are HTML comments followed by a fenced block; this test reads
them in order and applies each one to a temporary copy of the project (code,
ontology, queries, docs, real data, seeds), running `python -m kg` there with
the copy on PYTHONPATH so that edits to kg/build/fields.py take effect.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "extending.md"
STEP = re.compile(r"<!-- step: (\w+)(.*?) -->\n```\w*\n(.*?)```", re.S)
SEEDS = Path(os.environ.get("EGOVKG_SEEDS", ROOT.parent / "shared" / "seeds"))


def steps() -> list[tuple[str, str, str]]:
    return [(m[1], m[2].strip(), m[3]) for m in STEP.finditer(GUIDE.read_text(encoding="utf-8"))]


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for part in ("kg", "ontology", "queries", "data"):
        shutil.copytree(ROOT / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    (root / "docs").mkdir()
    shutil.copyfile(ROOT / "docs" / "data-format.md", root / "docs" / "data-format.md")
    shutil.copytree(SEEDS, root / "seeds")
    return root


def _run(root: Path, command: str) -> subprocess.CompletedProcess:
    assert command.startswith("egovkg "), command
    env = {k: v for k, v in os.environ.items() if k not in ("EGOVKG_SEEDS", "EGOVKG_PROJECT")}
    env["PYTHONPATH"] = str(root)
    args = command.split()[1:]
    # shell-like split that keeps nothing quoted: the guide's commands use no quotes
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=root, env=env, capture_output=True, text=True,
                          timeout=600)


def apply(root: Path, kind: str, args: str, body: str) -> None:
    """Perform one step of the guide."""
    if kind == "run":
        want_exit = int(re.search(r"exit=(\d+)", args)[1])  # type: ignore[index]
        expect = re.search(r'expect="(.*)"', args)
        res = _run(root, body.strip())
        assert res.returncode == want_exit, f"{body.strip()} -> {res.returncode}\n{res.stdout}\n{res.stderr}"
        if expect:
            assert expect[1] in res.stdout + res.stderr, f"{expect[1]!r} not in\n{res.stdout}\n{res.stderr}"
        assert "Traceback" not in res.stderr
        return
    file, _, anchor = args.partition(" | ")
    path = root / file
    if kind == "write":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    elif kind == "append":
        text = path.read_text(encoding="utf-8")
        path.write_text(text + ("" if text.endswith("\n") else "\n") + body, encoding="utf-8")
    elif kind == "replace":
        text = path.read_text(encoding="utf-8")
        assert anchor in text, f"{anchor!r} not in {file}"
        path.write_text(text.replace(anchor, body.rstrip("\n"), 1), encoding="utf-8")
    elif kind == "insert":
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        at = next(i for i, ln in enumerate(lines) if anchor in ln)
        path.write_text("".join(lines[:at + 1]) + body + "".join(lines[at + 1:]), encoding="utf-8")
    else:
        raise AssertionError(f"unknown step kind {kind}")


def test_guide_has_the_four_parts():
    kinds = [k for k, _, _ in steps()]
    assert kinds.count("run") >= 8 and {"write", "append", "replace", "insert"} <= set(kinds)
    text = GUIDE.read_text()
    for heading in ("## 1. A new city", "## 2. A new class", "## 3. A new property", "## 4. A new kind of influence"):
        assert heading in text


@pytest.mark.slow
def test_follow_the_guide_literally(project: Path):
    for kind, args, body in steps():
        apply(project, kind, args, body)
    # the registered text was copied into the project's seeds folder, nothing else was
    assert (project / "seeds" / "riverton-example.txt").is_file()
    ds = Dataset(default_union=True)
    ds.parse(project / "build" / "egov.trig", format="trig")
    ID = "https://w3id.org/egov-kg/id/"
    EGOV = "https://w3id.org/egov-kg/ontology#"
    assert (URIRef(ID + "riverton-data-bureau"), URIRef(EGOV + "funded"), URIRef(ID + "riverton-open-data-platform")) in ds
    assert (URIRef(ID + "riverton-open-data-platform"), URIRef(EGOV + "hostedBy"), URIRef(ID + "riverton-data-bureau")) in ds
    assert (URIRef(ID + "riverton-data-bureau"), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            URIRef(EGOV + "DataBureau")) in ds
    # the project's quality gates hold in the extended copy too
    (project / "tests").mkdir()
    shutil.copyfile(ROOT / "tests" / "test_quality.py", project / "tests" / "test_quality.py")
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          str(project / "tests" / "test_quality.py"), "-k", "documented or label_and_definition or types_match"],
                         cwd=project, env={**os.environ, "PYTHONPATH": str(project)}, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0 and " passed" in res.stdout, res.stdout[-2000:]


def test_new_city_without_source_writes_no_stage_and_no_document(tmp_path: Path):
    """Many sources give no stages: the scaffold must not invent one (nor a document)."""
    from kg.build.records import read_file
    from kg.build.scaffold import new_city

    data = tmp_path / "data"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", data)
    path = new_city("hangzhou", "Hangzhou", "shenzhen", data)
    records, problems = read_file(path)
    assert problems == [] and [r.data["type"] for r in records] == ["City"]
    assert records[0].citation_line(0, "doc") == 17  # 11 header lines, then id, type, label, within, source, doc


def test_new_city_source_must_be_a_readable_text(tmp_path: Path):
    from kg.build.scaffold import new_city
    from kg.errors import UsageError

    (tmp_path / "data").mkdir()
    with pytest.raises(UsageError, match="not a regular file"):
        new_city("hangzhou", "Hangzhou", "china", tmp_path / "data", source=Path("/dev/zero"), seeds=tmp_path)
    assert not (tmp_path / "data" / "hangzhou.yaml").exists()
