"""Synthetic cities for scale tests and benchmarks.

Clones the curated records of one real city under N new place ids, so the
synthetic graph has the real shape (same classes, links, provenance) at N times
the size. Only for measuring: the clones are labelled "(synthetic copy n)" and
live outside data/.
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from kg import fileio
from kg.build.records import Record, read_all
from kg.errors import UsageError, ValidationError


def clone_city(records: list[Record], city: str, n: int, first: int = 1) -> list[dict]:
    """Copies first..n of every record whose id starts with '<city>-' (plus the city), renamed
    to '<city>-sK-...' (short: the longest real id, 113 characters, stays within the 120 allowed up
    to 9,999 copies); links inside the city follow the rename, links out of it do not."""
    own = [r for r in records if r.id == city or r.id.startswith(city + "-")]
    own_ids = {r.id for r in own}

    def rename(value: object, k: int) -> object:
        if isinstance(value, str) and value in own_ids:
            return value.replace(city, f"{city}-s{k}", 1)
        if isinstance(value, list):
            return [rename(v, k) for v in value]
        return value

    out = []
    for k in range(first, n + 1):
        for r in own:
            d = copy.deepcopy(r.data)
            for key, value in list(d.items()):
                if key not in ("source", "label", "type"):
                    d[key] = rename(value, k)
            if "label" in d:  # an Influence may have none: its label is derived from its ends
                d["label"] = f"{d['label']} (synthetic copy {k})"
            out.append(d)
    return out


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml writes 1,000 copies in seconds, not minutes


def write_synthetic_data(data_dir: Path, out_dir: Path, n: int, city: str = "shenzhen") -> Path:
    """Write a data folder with the real data plus n synthetic copies of a city, one file
    per copy (synthetic-<city>-<k>.yaml), as a curator would keep one city per file."""
    if n < 0:
        raise UsageError(f"--copies {n}: must be 0 or more", "give the number of synthetic cities to add")
    if not Path(data_dir).is_dir():
        raise UsageError(f"{data_dir}: no such data folder", "give the folder holding the curated YAML (data/)")
    records, problems = read_all(data_dir, data_dir.parent)
    if problems:
        raise ValidationError(problems, "structure")
    if not any(r.id == city for r in records):
        raise UsageError(f"{city}: no such city in {data_dir}", "give the id of a city record to clone")
    for f in sorted(Path(data_dir).glob("*.yaml")):
        fileio.write_text(out_dir / f.name, f.read_text(encoding="utf-8"))
    for k in range(1, n + 1):
        clones = clone_city(records, city, k, first=k)
        fileio.write_text(out_dir / f"synthetic-{city}-{k:04d}.yaml",
                          yaml.dump({"records": clones}, Dumper=_DUMPER, allow_unicode=True, sort_keys=False))
    return out_dir
