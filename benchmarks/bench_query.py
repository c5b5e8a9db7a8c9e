"""Query latency over the persistent build store (issue 13's query goals, one run).

Builds the real data plus N synthetic copies of Shenzhen (or uses --build DIR), then
times every library query that needs no parameter:

  Python  run_query on the store open_store() opens (persistent, no parsing): p95 <= 200 ms
  CLI     `python -m kg query NAME` wall time, interpreter start included:    p95 <= 1 s

Each query runs in its own child with a time limit, so one pathological query is
reported as such instead of stalling the run. Baseline in the same run: the same
SPARQL straight on pyoxigraph (no rdflib result conversion).

    python benchmarks/bench_query.py [--copies 100] [--build DIR] [--repeat 3] [--limit 60]
    python benchmarks/bench_query.py --build DIR --virtuoso    # the same queries on a real server

--virtuoso is the "one machine is not enough" path: it starts a Virtuoso of its own (temporary
home, free ports, random dba password, stopped at the end), bulk-loads the build into it as
`egovkg publish` does on the managed endpoint, and times every query over HTTP (kg.store.remote),
as a user of a shared server would see them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from kg.config import Config
from kg.query.library import load_library

GOAL_PY, GOAL_CLI = 0.200, 1.0

_CHILD = """
import json, sys, time
from pathlib import Path
from kg.config import Config
from kg.query.library import bind, load_library, run_query
from kg.store import open_store
trig, name, repeat = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
t = time.perf_counter()
st = open_store("oxigraph", load=trig)
opened = time.perf_counter() - t
q = load_library(Config().queries)[name]
times, raw = [], []
for _ in range(repeat):
    t = time.perf_counter(); rows = len(run_query(st, q)); times.append(time.perf_counter() - t)
inner, text, base = st.dataset.store._inner, bind(q, {}), []
for _ in range(repeat):
    t = time.perf_counter(); list(inner.query(text, use_default_graph_as_union=True)); base.append(time.perf_counter() - t)
print(json.dumps({"open": opened, "py": sorted(times)[len(times) // 2], "raw": sorted(base)[len(base) // 2],
                  "rows": rows, "persistent": getattr(st, "persistent", None) is not None}))
"""


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    v = sorted(values)
    return v[max(0, -(-95 * len(v) // 100) - 1)]


def time_python(trig: Path, name: str, repeat: int, limit: float) -> dict | None:
    try:
        res = subprocess.run([sys.executable, "-c", _CHILD, str(trig), name, str(repeat)],
                             capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return None
    if res.returncode != 0:
        return {"error": (res.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(res.stdout.strip().splitlines()[-1])


def time_cli(build: Path, name: str, limit: float) -> float | None:
    t = time.perf_counter()
    try:
        res = subprocess.run([sys.executable, "-m", "kg", "query", name, "--out", str(build), "--format", "csv"],
                             capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return None
    return time.perf_counter() - t if res.returncode == 0 else None


def time_virtuoso(build_dir: Path, names: list[str], repeat: int, limit: float, tmp: Path) -> None:
    """Bulk-load the build into a fresh Virtuoso and time each query over SPARQL HTTP."""
    import secrets
    import socket

    from kg.query.library import run_query
    from kg.store import open_store, virtuoso
    from kg.store.bulk import bulk_publish

    def port() -> int:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return int(sock.getsockname()[1])

    os.environ[virtuoso.PASSWORD_ENV] = secrets.token_urlsafe(16)
    home = tmp / "virtuoso"
    st = virtuoso.start(home, http_port=port(), sql_port=port(), timeout=120)
    try:
        report = bulk_publish(build_dir / "egov.trig", st.url, virtuoso.managed_credentials(), home=home)
        print(f"Virtuoso: bulk-loaded {report.triples} quads in {report.seconds:.1f} s "
              f"({report.triples / report.seconds:.0f} quads/s)")
        remote = open_store(st.url, timeout=limit)
        lib = load_library(Config().queries)
        times, missed = [], []
        for name in names:
            best = None
            for _ in range(repeat):
                t = time.perf_counter()
                try:
                    rows = len(run_query(remote, lib[name]))
                except Exception as exc:  # noqa: BLE001 - a timeout or server error counts as a miss
                    missed.append(f"{name} ({type(exc).__name__})")
                    best = None
                    break
                took = time.perf_counter() - t
                best = took if best is None else min(best, took)
            if best is not None:
                times.append(best)
                print(f"  {name:<40} virtuoso {best * 1000:8.1f} ms  rows {rows}")
        for name in missed:
            print(f"  {name:<40} failed or over {limit:.0f}s: counts as a miss")
        if times:
            worst = p95(times + [float("inf")] * len(missed))
            shown = f"> {limit:.0f} s" if worst == float("inf") else f"{worst * 1000:.0f} ms"
            print(f"Virtuoso p95 {shown} over {len(names)} queries (goal <= {GOAL_PY * 1000:.0f} ms: "
                  f"{'met' if worst <= GOAL_PY else 'NOT met'}); median {sorted(times)[len(times) // 2] * 1000:.0f} ms")
    finally:
        virtuoso.stop(home)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=100)
    ap.add_argument("--build", type=Path, help="an existing build folder (skips building)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--limit", type=float, default=60.0, help="seconds per query before it counts as timed out")
    ap.add_argument("--virtuoso", action="store_true", help="time the queries on a fresh Virtuoso instead")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="egovkg-bq-") as tmp:
        build_dir = args.build
        if build_dir is None:
            from kg.build.pipeline import build
            from kg.build.synthetic import write_synthetic_data

            data = write_synthetic_data(Config().data, Path(tmp) / "data", args.copies) if args.copies else Config().data
            build_dir = Path(tmp) / "build"
            report, _ = build(replace(Config(), data=data, out=build_dir, reason=False))
            print(f"built {report.records} records, {report.triples} quads ({args.copies} copies)")
        trig = build_dir / "egov.trig"
        lib = [q for q in load_library(Config().queries).values() if not any(p.required for p in q.params)]
        if args.virtuoso:
            print(f"machine: {os.cpu_count()} cores; {len(lib)} library queries without required parameters")
            time_virtuoso(build_dir, [q.name for q in lib], args.repeat, args.limit, Path(tmp))
            return
        print(f"machine: {os.cpu_count()} cores; {len(lib)} library queries without required parameters; "
              f"limit {args.limit:.0f}s each")
        py, cli, raw, slow = [], [], [], []
        for q in lib:
            r = time_python(trig, q.name, args.repeat, args.limit)
            c = time_cli(build_dir, q.name, args.limit) if r is not None and "error" not in r else None
            if r is None or "error" in r or c is None:
                slow.append(q.name if r is None else f"{q.name} ({r.get('error', 'CLI failed or timed out')})"
                            if isinstance(r, dict) else q.name)
                continue
            py.append(r["py"])
            cli.append(c)
            raw.append(r["raw"])
            print(f"  {q.name:<40} python {r['py'] * 1000:8.1f} ms (raw pyoxigraph {r['raw'] * 1000:7.1f} ms)"
                  f"  cli {c:6.2f} s  rows {r['rows']}"
                  f"{'' if r['persistent'] else '  (parsed TriG: no fresh store)'}")
        for name in slow:
            print(f"  {name:<40} over {args.limit:.0f}s or failed: counts as a miss")
        n = len(lib)
        if py:
            worst = [float("inf")] * len(slow)
            p_py, p_cli, p_raw = p95(py + worst), p95(cli + worst), p95(raw + worst)

            def show(v: float, unit: float, suffix: str) -> str:
                return f"> {args.limit:.0f} s (a timed-out query is in the top 5%)" if v == float("inf") \
                    else f"{v * unit:.0f}{suffix}" if unit > 1 else f"{v:.2f}{suffix}"

            print(f"Python p95 {show(p_py, 1000, ' ms')} over {n} queries (goal <= {GOAL_PY * 1000:.0f} ms: "
                  f"{'met' if p_py <= GOAL_PY else 'NOT met'}); median {sorted(py)[len(py) // 2] * 1000:.0f} ms")
            print(f"baseline: raw pyoxigraph p95 {show(p_raw, 1000, ' ms')}, median "
                  f"{sorted(raw)[len(raw) // 2] * 1000:.0f} ms (the gap to the goal is in the queries, "
                  f"not the store layer, when these are close)")
            print(f"CLI p95 {show(p_cli, 1, ' s')} over {n} queries (goal <= {GOAL_CLI:.0f} s: "
                  f"{'met' if p_cli <= GOAL_CLI else 'NOT met'}); median {sorted(cli)[len(cli) // 2]:.2f} s")


if __name__ == "__main__":
    main()
