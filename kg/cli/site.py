"""`egovkg site`: registered on the main CLI by kg.cli.main with `register(app)`.

Kept in its own module so the site's command can change without touching the
rest of the command line; like every command it is a thin layer over the
library (kg.site.build_site).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from kg.config import Config
from kg.errors import EgovKgError


def register(app: typer.Typer) -> None:
    """Add the `site` command to the egovkg app."""

    @app.command()
    def site(out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the site to.")] = Path("build/site"),
             build_dir: Annotated[Optional[Path], typer.Option("--build", help="Build folder with egov.trig "
                                                                               "(default: build/).")] = None,
             images: Annotated[bool, typer.Option(help="Export timelines as SVG/PNG (kaleido + Debian's Chromium).")] = True,
             ) -> None:
        """Write the offline website students browse (build/site/index.html): network views, timelines, entity pages
        with sources, query results, the ontology. Opens from disk; nothing is loaded from the internet."""
        from kg.site.build import build_site
        from kg.store import open_store

        out, err = Console(), Console(stderr=True)
        try:
            cfg = replace(Config(), out=build_dir) if build_dir is not None else Config()
            st = open_store(cfg.store, load=cfg.trig)
            report = build_site(st.dataset, out_dir, store=st, queries=cfg.queries,  # type: ignore[attr-defined]
                                ontology=cfg.ontology, images=images)
        except EgovKgError as exc:
            err.print(f"error: {exc.one_line()}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        for problem in report.queries_failed:
            err.print(f"warning: query {problem}", markup=False, highlight=False, soft_wrap=True)
        if report.image_note:
            err.print(f"note: {report.image_note}", markup=False, highlight=False, soft_wrap=True)
        out.print(f"wrote {out_dir}/index.html: {report.pages} pages, {report.nodes} nodes, {len(report.views)} network "
                  f"views, {len(report.timelines)} timelines, {report.queries_run} query results "
                  f"({report.seconds:.1f} s)", markup=False, highlight=False)
