"""Helpers the test modules share: one copy each (imported as `from tests.helpers import ...`).

- `run_kg` runs `python -m kg` as a real process. Use it only where the test is about the
  process: the working directory it discovers a project from, what a shell sees, a second
  copy of the code on PYTHONPATH, a long-running server started by the command.
- `invoke` runs the same command in this process through Typer's CliRunner and returns the
  same kind of result (returncode, stdout, stderr), about two seconds faster a call. An
  exception the command does not handle is written into `stderr` as the traceback the
  process would print (and exit code 1), so a check like `"Traceback" not in res.stderr`
  means the same in both.
- `free_port` for servers started by a test, `EVIL` / `with_hostile_label` for the label
  that would run script if it ever reached markup unescaped.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path

from typer.testing import CliRunner

from kg.config import Config

ROOT = Path(__file__).resolve().parent.parent  # the egov-kg checkout
MINI = ROOT / "tests" / "fixtures" / "mini"

# Markup and script in one label: an unescaped copy anywhere would add an <img>/<script> to the DOM
# and set window.__xss; an escaped one shows these characters as text.
EVIL = "<img src=x onerror=window.__xss=1><script>window.__xss=1</script>"
_REFORM_LABEL = "label: Administrative approval process reform"


def run_kg(*args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None,
           timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`python -m kg ARGS` in `cwd` (default: the checkout) as its own process.

    `env` is the whole environment (default: this process's). The checkout goes first on
    PYTHONPATH, so the code under test runs whatever the folder; EGOVKG_PROJECT is dropped
    unless `env` sets it, so the project is the one found from `cwd`.
    """
    full = dict(os.environ if env is None else env)
    if env is None or "EGOVKG_PROJECT" not in env:
        full.pop("EGOVKG_PROJECT", None)
    full["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), full.get("PYTHONPATH", "")) if p)
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=full, timeout=timeout)


def invoke(*args: str, env: Mapping[str, str | None] | None = None,
           project: Path | None = ROOT) -> subprocess.CompletedProcess[str]:
    """`egovkg ARGS` in this process, for tests about what a command does rather than about the process.

    `env` adds to (or, with None, removes from) the environment for the call only. The
    project is `project` (EGOVKG_PROJECT; default the checkout, as `run_kg` from its default
    folder), never whatever folder pytest was started from. Output is 80 columns wide, as for
    a pipe.
    """
    from kg.cli.main import app  # here, not at import: collecting tests need not load the CLI

    extra: dict[str, str | None] = {"COLUMNS": "80", "EGOVKG_PROJECT": str(project) if project else None}
    extra.update(env or {})
    res = CliRunner().invoke(app, list(args), env=extra, catch_exceptions=True)
    stderr = res.stderr
    code = res.exit_code
    if res.exception is not None and not isinstance(res.exception, SystemExit) and res.exc_info is not None:
        stderr += "".join(traceback.format_exception(*res.exc_info))
        code = 1
    return subprocess.CompletedProcess(["egovkg", *args], code, res.stdout, stderr)


def project_config() -> Config:
    """The checkout's own configuration, whatever folder pytest starts in: `Config()` would discover
    a project from the working directory (a folder with `data/` would win over the checkout)."""
    return Config.at(ROOT)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def with_hostile_label(dst: Path) -> Path:
    """A copy of the mini fixture at `dst` whose reform is labelled `EVIL + " reform"`."""
    shutil.copytree(MINI, dst)
    p = dst / "mini.yaml"
    text = p.read_text(encoding="utf-8")
    assert _REFORM_LABEL in text, "the mini fixture's reform label changed: update tests/helpers.py"
    p.write_text(text.replace(_REFORM_LABEL, f"label: '{EVIL} reform'"), encoding="utf-8")
    return dst
