"""Shared fixtures: the real graph built once per session, and the small fixture graph."""

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


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory):
    """Build the real data/ (validation, SHACL, HermiT) into a temp folder."""
    out = tmp_path_factory.mktemp("build")
    cfg = replace(Config(), out=out)
    report, ds = build(cfg)
    return cfg, report, ds


@pytest.fixture(scope="session")
def real_store(real_build) -> EmbeddedStore:
    cfg, _, _ = real_build
    return open_store("oxigraph", load=cfg.trig)  # type: ignore[return-value]


@pytest.fixture(scope="session")
def mini_build(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("mini")
    cfg = replace(Config(), data=MINI, out=out)
    report, ds = build(cfg)
    return cfg, report, ds


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini fixture, for tests that break records on purpose."""
    dst = tmp_path / "data"
    shutil.copytree(MINI, dst)
    return dst
