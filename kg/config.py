"""Typed configuration in: where the data, ontology, seeds and outputs live.

Defaults follow the repository layout; the seeds folder defaults to
../shared/seeds next to the checkout and can be moved with EGOVKG_SEEDS.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _default_seeds() -> Path:
    env = os.environ.get("EGOVKG_SEEDS")
    return Path(env) if env else ROOT.parent / "shared" / "seeds"


@dataclass(frozen=True)
class Config:
    data: Path = ROOT / "data"
    ontology: Path = ROOT / "ontology" / "egov.ttl"
    shapes: Path = ROOT / "ontology" / "shapes.ttl"
    queries: Path = ROOT / "queries"
    out: Path = ROOT / "build"
    seeds: Path = field(default_factory=_default_seeds)
    store: str = "oxigraph"
    reason: bool = True

    @property
    def trig(self) -> Path:
        return self.out / "egov.trig"

    @property
    def turtle(self) -> Path:
        return self.out / "egov.ttl"
