"""`egovkg sparql` and `egovkg prefixes`: any SPARQL, project prefixes predeclared (kg.query.sparql).

Registered on the main CLI by kg.cli.main with `register(app)`. Same output formats and error
exits as `egovkg query`; SERVICE is refused on the embedded store and FROM / FROM NAMED follow
the standard there.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.cli.common import OutOpt, config, fail, out
from kg.errors import EgovKgError, UsageError


def read_query(source: str) -> str:
    """A query from a file, from stdin ('-') or the argument itself."""
    if source == "-":
        return sys.stdin.read()
    looks_like_file = "\n" not in source and "{" not in source and len(source) < 300
    if looks_like_file:
        path = Path(source)
        if not path.is_file():
            raise UsageError(f"{source}: no such query file", "give a .rq file, '-' for stdin, or the query text")
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{source}: cannot read ({exc})", "give a UTF-8 text file") from exc
    return source


def register(app: typer.Typer) -> None:
    """Add the `sparql` and `prefixes` commands to the egovkg app."""

    @app.command()
    def sparql(source: Annotated[str, typer.Argument(help="A .rq file, '-' for stdin, or the query text.")],
               fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, tsv, json or markdown "
                                                "(CONSTRUCT: turtle or nt).")] = "table",
               endpoint: Annotated[Optional[str], typer.Option(help="SPARQL endpoint URL instead of the built "
                                                               "graph.")] = None,
               store: Annotated[str, typer.Option(help="Embedded store: oxigraph or memory.")] = "oxigraph",
               out_dir: OutOpt = None) -> None:
        """Run any SPARQL query on the graph; every project prefix (see 'egovkg prefixes') is predeclared."""
        from kg.query.output import FORMATS, render, rich_table
        from kg.query.sparql import run_sparql
        from kg.store import open_store

        try:
            if fmt not in (*FORMATS, "turtle", "nt"):
                raise UsageError(f"unknown format '{fmt}'", f"use one of {', '.join(FORMATS)}, turtle, nt")
            text = read_query(source)
            st = open_store(endpoint) if endpoint else open_store(store, load=config(None, out_dir).trig)
            answer = run_sparql(st, text)
        except EgovKgError as exc:
            fail(exc)
        if answer.boolean is not None:
            if fmt == "json":  # SPARQL 1.1 results JSON, as `query -f json` gives for SELECT
                import json

                sys.stdout.write(json.dumps({"head": {}, "boolean": answer.boolean}) + "\n")
            else:
                sys.stdout.write(("true" if answer.boolean else "false") + "\n")
        elif answer.graph is not None:
            from kg.namespaces import PREFIXES

            for p, ns in PREFIXES.items():
                answer.graph.bind(p, ns, replace=True)
            sys.stdout.write(answer.graph.serialize(format="nt" if fmt == "nt" else "turtle"))
        elif answer.table is not None:
            if fmt == "table":
                out.print(rich_table(answer.table))
                out.print(f"{len(answer.table)} rows")
            elif fmt in FORMATS:
                sys.stdout.write(render(answer.table, fmt))
            else:
                fail(UsageError(f"format '{fmt}' is for CONSTRUCT results", f"use one of {', '.join(FORMATS)}"))

    @app.command()
    def prefixes() -> None:
        """Print the prefixes every 'egovkg sparql' query may use without declaring them."""
        from kg.query.sparql import prefix_block

        sys.stdout.write(prefix_block())
