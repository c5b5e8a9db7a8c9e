"""Typed configuration in: where the data, ontology, seeds and outputs live.

egovkg acts on the project in the working directory, as git and pytest do: the
project root is the nearest folder, from the working directory upward, that
holds an `egovkg.toml` (or, failing that, a `data/` folder). Its data/, build/,
ontology/, queries/ and seeds/ are used; a project without its own ontology/ or
queries/ uses the copies shipped with egov-kg. Only when no project is found
anywhere upward does egov-kg fall back to its own checkout (so the developer
test suite runs from any folder); `EGOVKG_PROJECT` names a root explicitly.

egovkg.toml (all keys optional, paths relative to the file):

    data = "data"
    ontology = "ontology/egov.ttl"
    shapes = "ontology/shapes.ttl"
    queries = "queries"
    out = "build"
    seeds = "seeds"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import UsageError

ROOT = Path(__file__).resolve().parent.parent  # the egov-kg checkout: the fallback copies
CONFIG_FILE = "egovkg.toml"
_KEYS = ("data", "ontology", "shapes", "queries", "out", "seeds")


@dataclass(frozen=True)
class Project:
    """A project root and how it was found (shown by `egovkg` when it matters)."""

    root: Path
    found_by: str  # "EGOVKG_PROJECT", "egovkg.toml", "data folder" or "egov-kg checkout"
    settings: dict[str, str] = field(default_factory=dict)


def find_project(start: Path | None = None) -> Project:
    """The project the working directory (or `start`) belongs to."""
    env = os.environ.get("EGOVKG_PROJECT")
    if env:
        root = Path(env).resolve()
        return Project(root, "EGOVKG_PROJECT", _settings(root / CONFIG_FILE))
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return Project(folder, CONFIG_FILE, _settings(folder / CONFIG_FILE))
    for folder in (here, *here.parents):
        if (folder / "data").is_dir() and folder != Path(folder.anchor):
            return Project(folder, "data folder")
    return Project(ROOT, "egov-kg checkout")


def _settings(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: cannot read: {str(exc)[:120]}", "fix the TOML (key = \"value\" lines)") from exc
    unknown = sorted(set(raw) - set(_KEYS))
    if unknown or not all(isinstance(v, str) for v in raw.values()):
        raise UsageError(f"{path}: unknown key or non-text value ({', '.join(unknown) or 'a value'})",
                         f"use text values for {', '.join(_KEYS)}")
    return dict(raw)


def _path(project: Project, key: str, default: str, shipped: Path | None = None) -> Path:
    """A project path: egovkg.toml's setting, else the default under the root, else the shipped copy."""
    if key in project.settings:
        return (project.root / project.settings[key]).resolve()
    own = project.root / default
    if shipped is not None and not own.exists():
        return shipped
    return own


def _seeds(project: Project) -> Path:
    env = os.environ.get("EGOVKG_SEEDS")
    if env:
        return Path(env)
    if "seeds" in project.settings or (project.root / "seeds").is_dir():
        return _path(project, "seeds", "seeds")
    return ROOT.parent / "shared" / "seeds"


@dataclass(frozen=True)
class Config:
    data: Path
    ontology: Path
    shapes: Path
    queries: Path
    out: Path
    seeds: Path
    store: str = "oxigraph"
    reason: bool = True
    project: Path | None = None

    def __init__(self, data: Path | None = None, ontology: Path | None = None, shapes: Path | None = None,
                 queries: Path | None = None, out: Path | None = None, seeds: Path | None = None,
                 store: str = "oxigraph", reason: bool = True, project: Path | None = None) -> None:
        """Paths not given come from the project found from the working directory (or `project`)."""
        if project is None:
            p = find_project()
        else:
            root = Path(project).resolve()
            p = Project(root, "argument", _settings(root / CONFIG_FILE))
        values = {
            "data": data or _path(p, "data", "data"),
            "ontology": ontology or _path(p, "ontology", "ontology/egov.ttl", ROOT / "ontology" / "egov.ttl"),
            "shapes": shapes or _path(p, "shapes", "ontology/shapes.ttl", ROOT / "ontology" / "shapes.ttl"),
            "queries": queries or _path(p, "queries", "queries", ROOT / "queries"),
            "out": out or _path(p, "out", "build"),
            "seeds": seeds or _seeds(p),
            "store": store, "reason": reason, "project": p.root,
        }
        for k, v in values.items():
            object.__setattr__(self, k, Path(v) if k in _KEYS and v is not None else v)

    @classmethod
    def at(cls, root: Path, **kw: object) -> Config:
        """The configuration of the project at `root`, whatever the working directory."""
        return cls(project=root, **kw)  # type: ignore[arg-type]

    @property
    def trig(self) -> Path:
        return self.out / "egov.trig"

    @property
    def turtle(self) -> Path:
        return self.out / "egov.ttl"
