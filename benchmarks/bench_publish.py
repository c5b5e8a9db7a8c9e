"""Publishing speed to a local Virtuoso: bulk loader vs SPARQL Update (issue 13, one run).

Starts a Virtuoso of its own (temporary home, free ports, random dba password, stopped at
the end), then publishes the same build twice into empty databases: once with
kg.store.bulk (ld_dir + rdf_loader_run, what `egovkg publish` uses on the managed
endpoint) and once with kg.store.publish (SPARQL 1.1 Update, what it uses elsewhere).
Each is followed by `publish --check` (manifest complete, counts match).

    python benchmarks/bench_publish.py --build DIR      # DIR/egov.trig, e.g. a 100-copy build
    python benchmarks/bench_publish.py --copies 100     # builds one first (no HermiT)
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import tempfile
from dataclasses import replace
from pathlib import Path

from kg.config import Config
from kg.store import virtuoso
from kg.store.bulk import bulk_publish
from kg.store.publish import check, publish


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", type=Path, help="an existing build folder")
    ap.add_argument("--copies", type=int, default=100)
    args = ap.parse_args()
    os.environ[virtuoso.PASSWORD_ENV] = secrets.token_urlsafe(16)
    with tempfile.TemporaryDirectory(prefix="egovkg-bp-") as tmp:
        build_dir = args.build
        if build_dir is None:
            from kg.build.pipeline import build
            from kg.build.synthetic import write_synthetic_data

            data = write_synthetic_data(Config().data, Path(tmp) / "data", args.copies)
            build_dir = Path(tmp) / "build"
            build(replace(Config(), data=data, out=build_dir, reason=False))
        trig = build_dir / "egov.trig"
        print(f"machine: {os.cpu_count()} cores; build {trig} ({trig.stat().st_size / 1e6:.0f} MB)")
        for mode in ("bulk loader", "SPARQL Update"):
            home = Path(tmp) / mode.split()[0]
            st = virtuoso.start(home, http_port=_port(), sql_port=_port(), timeout=120)
            try:
                auth = virtuoso.managed_credentials()
                if mode == "bulk loader":
                    report = bulk_publish(trig, st.url, auth, home=home)
                else:
                    report = publish(trig, st.url, auth=auth, timeout=600)
                verified = check(trig, st.url, auth=auth)
                print(f"  {mode:<14} {report.triples} quads in {report.graphs} graphs: {report.seconds:7.1f} s, "
                      f"{report.triples / report.seconds:9.0f} quads/s; check: complete, {verified.triples} triples")
            finally:
                virtuoso.stop(home)


if __name__ == "__main__":
    main()
