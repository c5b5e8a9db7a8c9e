"""What every egovkg command shares: the Typer app, consoles, options, config and error exit.

Kept apart from kg.cli.main so that command modules (endpoint, site, tables)
import it without importing main, which imports them: no cycle.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from kg.config import Config
from kg.errors import EgovKgError, UsageError, ValidationError

app = typer.Typer(help="egov-kg: a knowledge graph of e-government reforms, agencies and technologies "
                       "in Chinese cities. Build it, validate it, query it, browse it.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
out = Console()
err = Console(stderr=True)

DataOpt = Annotated[Optional[Path], typer.Option("--data", help="Data folder or YAML file (default: data/).")]
OutOpt = Annotated[Optional[Path], typer.Option("--out", help="Output folder (default: build/).")]


def config(data: Path | None = None, out_dir: Path | None = None, **kw: object) -> Config:
    cfg = Config()
    changes: dict[str, object] = {k: v for k, v in kw.items() if v is not None}
    if data is not None:
        changes["data"] = data
    if out_dir is not None:
        changes["out"] = out_dir
    return replace(cfg, **changes)  # type: ignore[arg-type]


def fail(exc: EgovKgError) -> None:
    if isinstance(exc, ValidationError):
        for p in exc.problems:
            err.print(str(p), markup=False, highlight=False, soft_wrap=True)
    err.print(f"error: {exc.one_line()}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(exc.exit_code)


def parse_params(items: list[str]) -> dict[str, str]:
    params = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--param '{item}' is not NAME=VALUE", "write e.g. --param place=shenzhen")
        params[name.strip()] = value.strip()
    return params


