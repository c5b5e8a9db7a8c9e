"""Shared fixtures: the real graph built once per session, and the small fixture graph.

Shared helper functions (running the command, free ports, the hostile label) are in tests/helpers.py.
Marks follow from what a test needs: a test that uses a fixture in MARKS_BY_FIXTURE gets its marks
here, so a new test is marked without anyone remembering to; a test that starts a server or a
browser itself carries the mark in its own file. The quick subset (README, Development) is
`pytest -m "not slow and not browser and not endpoint"`.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from kg.build.pipeline import build
from kg.config import Config
from kg.store import EmbeddedStore, open_store

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"

MARKS_BY_FIXTURE: dict[str, tuple[str, ...]] = {
    "real_build": ("reasoner",),         # all of data/ with SHACL and HermiT, once a session
    "mini_build": ("reasoner",),         # the 15-record fixture with HermiT: a few seconds
    "mini_out": ("reasoner",),           # tests/test_cli.py: the same, through `egovkg build`
    "real_site": ("slow",),              # tests/test_site*.py: the whole site of data/, SVG/PNG export included
    "browser": ("browser",),             # tests/test_site_browser.py, test_site_student.py: Chromium
    "server": ("endpoint",),             # tests/test_endpoint.py: Virtuoso for the sample graphs
    "real_server": ("endpoint",),        # tests/test_endpoint.py: Virtuoso for the real graph
    "vt": ("endpoint",),                 # tests/test_publish.py: Virtuoso for the manifest tests
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by the fixtures it uses, directly or through other fixtures."""
    for item in items:
        for name in getattr(item, "fixturenames", ()):
            for mark in MARKS_BY_FIXTURE.get(name, ()):
                item.add_marker(mark)


def _build_from_checkout(cfg: Config):
    """Build as `egovkg build` run in the checkout: a record's egov:sourceLine names its file relative to the
    working directory (tests expect e.g. "tests/fixtures/mini/mini.yaml:41"), whatever folder pytest started in."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        return build(cfg)


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory):
    """Build the real data/ (validation, SHACL, HermiT) into a temp folder."""
    out = tmp_path_factory.mktemp("build")
    cfg = replace(Config.at(ROOT), out=out)
    report, ds = _build_from_checkout(cfg)
    return cfg, report, ds


@pytest.fixture(scope="session")
def real_store(real_build) -> EmbeddedStore:
    cfg, _, _ = real_build
    return open_store("oxigraph", load=cfg.trig)  # type: ignore[return-value]


@pytest.fixture(scope="session")
def mini_build(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("mini")
    cfg = replace(Config.at(ROOT), data=MINI, out=out)
    report, ds = _build_from_checkout(cfg)
    return cfg, report, ds


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini fixture, for tests that break records on purpose."""
    dst = tmp_path / "data"
    shutil.copytree(MINI, dst)
    return dst


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, once a session (the tests never download a browser)."""
    if not CHROMIUM.is_file():
        pytest.fail("no Chromium at /usr/bin/chromium: run 'bash scripts/setup.sh --test' (Debian's chromium package; "
                    "the tests never download a browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync",
            "--no-first-run", "--disable-component-update", "--disable-default-apps"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the mini fixture whose reform label carries markup and script (tests/helpers.EVIL)."""
    from kg.site.build import build_site
    from tests.helpers import with_hostile_label

    tmp = tmp_path_factory.mktemp("hostile-site")
    with_hostile_label(tmp / "data")
    cfg = replace(Config.at(ROOT), data=tmp / "data", out=tmp / "build", reason=False)
    _, ds = build(cfg)
    build_site(ds, tmp / "site", queries=cfg.queries, ontology=cfg.ontology, images=False)
    return tmp / "site"
