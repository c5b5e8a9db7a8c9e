"""How the build scales with the number of cities (issue 13's goals, measured in one run).

For each size: write the real data plus N synthetic copies of Shenzhen, run the whole
build (read + structure check, load into Oxigraph, SHACL, HermiT, write TriG/Turtle/store)
in a child process, and in the same run a raw Oxigraph bulk load of the very same quads
(the baseline). Prints each goal beside the measured figure:

  build time       <= 30x the raw bulk load of the same quads
  peak memory      <= 4 GB (the child's max RSS)
  per-record cost  largest size within 1.3x the per-record cost of the smallest
  real data        `egovkg build` (HermiT included) < 10 s; after an edit to one file < 3 s,
                   both timed as a user runs them: the command line, interpreter start included

    python benchmarks/bench_build.py [--copies 10,100,1000] [--no-reason]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.build.synthetic import write_synthetic_data
from kg.config import Config

GOAL_RATIO, GOAL_GB, GOAL_FLAT = 30.0, 4.0, 1.3
GOAL_REAL, GOAL_EDIT = 10.0, 3.0

_CHILD_BUILD = """
import json, sys
from dataclasses import replace
from pathlib import Path
from kg.build.pipeline import build
from kg.config import Config
cfg = replace(Config(), data=Path(sys.argv[1]), out=Path(sys.argv[2]), reason=sys.argv[3] == "1")
report, _ = build(cfg)
print(json.dumps({"records": report.records, "quads": report.triples, "seconds": report.seconds,
                  "warnings": report.warnings}))
"""

_CHILD_BASELINE = """
import sys, time
import pyoxigraph as ox
t = time.perf_counter()
ox.Store(sys.argv[2]).bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
print(time.perf_counter() - t)
"""


def child(code: str, *args: str) -> tuple[str, float, float]:
    """Run python code in a child; return its stdout, wall seconds and peak RSS in GB
    (from wait4, so each child's own peak, not the largest so far)."""
    with tempfile.TemporaryFile() as errf:
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=errf)
        assert proc.stdout is not None
        stdout = proc.stdout.read().decode()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            errf.seek(0)
            lines = errf.read().decode(errors="replace").strip().splitlines()
            raise SystemExit(f"child failed ({proc.returncode}): {lines[-1] if lines else ''}")
    return stdout, wall, usage.ru_maxrss / 1024 / 1024  # KiB on Linux


def measure(n: int, reason: bool, tmp: Path) -> dict:
    data = write_synthetic_data(Config().data, tmp / "data", n) if n else Config().data
    out, wall, rss = child(_CHILD_BUILD, str(data), str(tmp / "build"), "1" if reason else "0")
    res = json.loads(out.strip().splitlines()[-1])
    import pyoxigraph as ox

    nq = tmp / "quads.nq"
    ox.Store.read_only(str(tmp / "build" / "store" / "oxigraph")).dump(str(nq), ox.RdfFormat.N_QUADS)
    base_out, _, _ = child(_CHILD_BASELINE, str(nq), str(tmp / "baseline"))
    res.update(copies=n, wall=wall, rss_gb=rss, baseline=float(base_out.strip()))
    return res


def real_data_edit(tmp: Path, runs: int = 3) -> tuple[float, float]:
    """Median wall time of `egovkg build` on a copy of the real data, then of rebuilding after
    one file was edited (a label changed: a curator's typical fix), as a user would run both."""
    import shutil

    data, out = tmp / "data", tmp / "build"
    shutil.copytree(Config().data, data)
    cmd = [sys.executable, "-m", "kg", "build", "--data", str(data), "--out", str(out)]

    def once() -> float:
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        return time.perf_counter() - t

    full = sorted(once() for _ in range(runs))[runs // 2]
    target = sorted(data.glob("*.yaml"))[0]
    text = target.read_text(encoding="utf-8")
    edits = []
    for k in range(runs):
        target.write_text(text.replace("label: ", f"label: edit{k} ", 1), encoding="utf-8")
        edits.append(once())
    return full, sorted(edits)[runs // 2]


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", default="10,100", help="synthetic Shenzhen copies per run, comma-separated")
    ap.add_argument("--no-reason", action="store_true", help="skip HermiT")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}; build = wall time of a child "
          "process running kg.build.pipeline.build (interpreter start included); memory = its peak RSS")
    with tempfile.TemporaryDirectory(prefix="egovkg-bench-") as tmp:
        full, edit = real_data_edit(Path(tmp))
    print(f"\nreal data: `egovkg build` {full:.2f}s (goal < {GOAL_REAL:.0f}s: {verdict(full < GOAL_REAL)}); "
          f"after editing one file {edit:.2f}s (goal < {GOAL_EDIT:.0f}s: {verdict(edit < GOAL_EDIT)}); "
          "median of 3, HermiT included")
    rows = []
    for n in (int(x) for x in args.copies.split(",")):
        with tempfile.TemporaryDirectory(prefix="egovkg-bench-") as tmp:
            r = measure(n, not args.no_reason, Path(tmp))
        rows.append(r)
        stages = "  ".join(f"{k} {v:.1f}s" for k, v in r["seconds"].items())
        ratio = r["wall"] / r["baseline"]
        print(f"\ncopies {n}: {r['records']} records, {r['quads']} quads")
        print(f"  stages: {stages}")
        for w in r["warnings"]:
            print(f"  note: {w}")
        print(f"  build {r['wall']:.1f}s vs raw Oxigraph bulk load {r['baseline']:.2f}s: {ratio:.1f}x "
              f"(goal <= {GOAL_RATIO:.0f}x: {verdict(ratio <= GOAL_RATIO)})")
        print(f"  peak memory {r['rss_gb']:.2f} GB (goal <= {GOAL_GB:.0f} GB: {verdict(r['rss_gb'] <= GOAL_GB)})")
        per = r["wall"] / r["records"] * 1000
        flat = per / (rows[0]["wall"] / rows[0]["records"] * 1000)
        print(f"  cost per record {per:.2f} ms, x{flat:.2f} of {rows[0]['copies']} copies "
              f"(goal <= {GOAL_FLAT}x: {verdict(flat <= GOAL_FLAT)})")


if __name__ == "__main__":
    main()
