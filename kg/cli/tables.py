"""`egovkg table NAME`: the sources' tables regenerated from the graph (kg.query.tables).

Registered on the main CLI by kg.cli.main with `register(app)`; kept in its own module so the
tables can grow without touching the rest of the command line. Like every command it is a
thin layer over the library: open the built graph (or an endpoint), regenerate, print.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from kg.config import Config
from kg.errors import EgovKgError, UsageError
from kg.query.tables import ALIASES, FORMATS, TABLES

_NAMES = "; ".join(f"{name} ({doc})" for name, (doc, _) in TABLES.items())
_ALIASES = ", ".join(f"{a} = {n}" for a, n in ALIASES.items())


def register(app: typer.Typer) -> None:
    """Add the `table` command to the egovkg app."""

    @app.command(help="Regenerate a table of the source documents from the graph alone (SPARQL over the built graph) "
                      f"and print it as Markdown or CSV. Tables: {_NAMES}. Aliases: {_ALIASES}.")
    def table(name: Annotated[str, typer.Argument(help=f"Table name: {', '.join(TABLES)}.")],
              fmt: Annotated[str, typer.Option("--format", "-f", help="markdown or csv.")] = "markdown",
              build_dir: Annotated[Optional[Path], typer.Option("--out", help="Build folder with egov.trig "
                                                                              "(default: build/).")] = None,
              endpoint: Annotated[Optional[str], typer.Option(help="SPARQL endpoint URL instead of the built graph.")]
              = None) -> None:
        from kg.query.tables import regenerate, render
        from kg.store import open_store

        err = Console(stderr=True)
        try:
            if fmt not in FORMATS:
                raise UsageError(f"unknown format '{fmt}'", f"use one of {', '.join(FORMATS)}")
            cfg = replace(Config(), out=build_dir) if build_dir is not None else Config()
            store = open_store(endpoint) if endpoint else open_store(cfg.store, load=cfg.trig)
            text = render(regenerate(name, store, cfg.queries), fmt)
        except EgovKgError as exc:
            err.print(f"error: {exc.one_line()}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        sys.stdout.write(text)
