"""`egovkg export --format F`: the built graph as JSON-LD, N-Quads, TriG, Turtle, GraphML, GEXF or CSV.

Registered on the main CLI by kg.cli.main with `register(app)`; the work is kg.query.export.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.cli.common import config, fail, out
from kg.errors import EgovKgError
from kg.query.export import FORMATS


def register(app: typer.Typer) -> None:
    """Add the `export` command to the egovkg app."""

    @app.command()
    def export(fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(FORMATS)}.")],
               dest: Annotated[Optional[Path], typer.Option("--out", "-o", help="File to write (csv: a folder); "
                                                             "default build/egov.<ext>.")] = None,
               build_dir: Annotated[Optional[Path], typer.Option("--build", help="Build folder with egov.trig "
                                                                  "(default: build/).")] = None) -> None:
        """Export the graph: RDF (jsonld, nquads, trig, turtle), networks for Gephi/Cytoscape (graphml, gexf)
        or CSV tables of entities and links."""
        from kg.query.export import default_name
        from kg.query.export import export as run_export
        from kg.store import open_store

        try:
            cfg = config(None, build_dir)
            st = open_store("oxigraph", load=cfg.trig)
            written = run_export(st, fmt, dest or cfg.out / default_name(fmt))
        except EgovKgError as exc:
            fail(exc)
        for p in written:
            out.print(f"wrote {p}", markup=False)
