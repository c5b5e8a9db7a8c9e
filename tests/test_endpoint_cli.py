"""The endpoint commands end to end, as a researcher types them: start, publish, query, status, stop.
Run from a temporary folder, not the checkout: nothing depends on the working directory. As real
processes (`python -m kg`), since the server `endpoint start` leaves running must outlive its command."""

from __future__ import annotations

import csv
import io
import os
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import free_port, run_kg


@pytest.mark.endpoint
def test_endpoint_commands_end_to_end(real_build, tmp_path: Path):
    if shutil.which("virtuoso-t") is None:
        pytest.fail("virtuoso-t not found: run 'scripts/setup.sh --test'")
    cfg, _, _ = real_build
    env = {**os.environ, "EGOVKG_VIRTUOSO_PASSWORD": secrets.token_urlsafe(12)}
    env.pop("EGOVKG_ENDPOINT_PASSWORD", None)
    home = tmp_path / "virtuoso"
    http = free_port()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_kg(*args, cwd=tmp_path, env=env, timeout=300)

    url = f"http://127.0.0.1:{http}/sparql"
    started = run("endpoint", "start", "--home", str(home), "--http-port", str(http), "--sql-port", str(free_port()))
    try:
        assert started.returncode == 0, started.stderr
        pub = run("publish", "--endpoint", url, "--build", str(cfg.out), "--home", str(home))
        assert pub.returncode == 0, pub.stderr
        st = run("endpoint", "status", "--home", str(home), "--build", str(cfg.out))
        assert st.returncode == 0 and "complete" in st.stdout, st.stderr
        q = run("query", "reforms-by-stage", "-p", "place=shenzhen", "-f", "csv", "--endpoint", url)
        assert q.returncode == 0, q.stderr
        labels = {r["reformLabel"] for r in csv.DictReader(io.StringIO(q.stdout))}
        local = run("query", "reforms-by-stage", "-p", "place=shenzhen", "-f", "csv", "--out", str(cfg.out))
        assert local.returncode == 0, local.stderr
        assert labels == {r["reformLabel"] for r in csv.DictReader(io.StringIO(local.stdout))}
        assert any("structure reform" in label.lower() for label in labels)
        # wrong password: the documented auth error and exit code 3
        bad = run_kg("publish", "--endpoint", url, "--build", str(cfg.out), "--user", "dba", cwd=tmp_path, timeout=300,
                     env={**env, "EGOVKG_ENDPOINT_PASSWORD": "wrong"})
        assert bad.returncode == 3 and "refused the credentials" in bad.stderr and "Traceback" not in bad.stderr
        anonymous = run("publish", "--endpoint", url, "--build", str(cfg.out))  # not --home: no dba password sent
        assert anonymous.returncode == 3 and "refused the credentials" in anonymous.stderr
    finally:
        stopped = run("endpoint", "stop", "--home", str(home))
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    down = run("endpoint", "status", "--home", str(home))
    assert down.returncode == 3
    gone = run("query", "reforms-by-stage", "--endpoint", url)
    assert gone.returncode == 3 and "nothing answers" in gone.stderr
