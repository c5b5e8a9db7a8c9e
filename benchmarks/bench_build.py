"""How the build scales with the number of cities (toward the 1,000-city roadmap).

Times each pipeline stage (read+structure check, load to RDF, SHACL, HermiT,
write) on the real data plus N synthetic copies of Shenzhen, and prints seconds
and the per-record cost relative to the real-data run (1.0 = linear scaling).

    python benchmarks/bench_build.py [--scales 0,10,100] [--no-reason]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from kg import fileio
from kg.build.load import load_records
from kg.build.pipeline import read_and_check
from kg.build.reason import check_consistency
from kg.build.shapes import check_shapes
from kg.build.synthetic import write_synthetic_data
from kg.config import Config


def run(cfg: Config, reason: bool) -> dict[str, float]:
    t: dict[str, float] = {}
    t0 = time.perf_counter()
    records, _ = read_and_check(cfg)
    t["read+check"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    ds = load_records(records)
    t["load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    problems = check_shapes(ds, cfg.shapes, cfg.ontology)
    assert not problems, problems[:3]
    t["shacl"] = time.perf_counter() - t0
    if reason:
        t0 = time.perf_counter()
        check_consistency(ds, cfg.ontology)
        t["hermit"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    fileio.write_text(cfg.trig, ds.serialize(format="trig"))
    t["write"] = time.perf_counter() - t0
    t["records"] = len(records)
    return t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scales", default="0,10,100")
    ap.add_argument("--no-reason", action="store_true")
    args = ap.parse_args()
    base = None
    for n in (int(x) for x in args.scales.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            data = write_synthetic_data(Config().data, Path(tmp) / "data", n) if n else Config().data
            cfg = replace(Config(), data=data, out=Path(tmp) / "build")
            t = run(cfg, not args.no_reason)
        total = sum(v for k, v in t.items() if k != "records")
        per = total / t["records"]
        base = base or per
        stages = "  ".join(f"{k} {v:.2f}s" for k, v in t.items() if k != "records")
        print(f"copies {n:>5}: {int(t['records']):>7} records, total {total:7.2f}s ({stages}); per-record cost x{per / base:.2f}")


if __name__ == "__main__":
    main()
