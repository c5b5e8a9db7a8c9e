"""`egovkg find TEXT`: from a name to the id the queries take (kg.query.find).

Registered on the main CLI by kg.cli.main with `register(app)`. Prints id, type, place, stage
and the quote that best matches, so a researcher can also judge whether it is the right thing.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from kg.cli.common import OutOpt, config, fail, out
from kg.errors import EgovKgError, UsageError
from kg.namespaces import EGOV, ID


def register(app: typer.Typer) -> None:
    """Add the `find` command to the egovkg app."""

    @app.command()
    def find(text: Annotated[str, typer.Argument(help="Words to look for, e.g. 'city brain' or 'shenzen'.")],
             type_: Annotated[Optional[str], typer.Option("--type", "-t", help="Only this class or a subclass, "
                                                          "e.g. InformationSystem.")] = None,
             place: Annotated[Optional[str], typer.Option("--place", help="Only things in this place or an area "
                                                          "within it, e.g. guangdong.")] = None,
             limit: Annotated[int, typer.Option(help="At most this many results.")] = 20,
             fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
             endpoint: Annotated[Optional[str], typer.Option(help="SPARQL endpoint URL instead of the built graph.")]
             = None,
             out_dir: OutOpt = None) -> None:
        """Find things by label, other name, description or quote (forgives case, hyphens and small typos)."""
        from kg.query.find import find as run_find
        from kg.query.params import areas_within, check_class, check_id, subclasses
        from kg.store import open_store

        try:
            if fmt not in ("table", "json"):
                raise UsageError(f"unknown format '{fmt}'", "use table or json")
            if not text.strip():
                raise UsageError("nothing to find", "give a word or two, e.g. egovkg find 'city brain'")
            st = open_store(endpoint) if endpoint else open_store("oxigraph", load=config(None, out_dir).trig)
            types = places = None
            if type_:
                check_class(st, "--type", type_)
                types = subclasses(st, EGOV[type_])
            if place:
                check_id(st, "place", place)
                places = areas_within(st, ID[place])
            hits = run_find(st, text, types=types, places=places, limit=limit)
        except EgovKgError as exc:
            fail(exc)
        if fmt == "json":
            sys.stdout.write(json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=1) + "\n")
            return
        t = Table(title=f"find: {text}")
        t.add_column("id", overflow="fold", min_width=16)
        for col in ("type", "place", "stage", "matched"):
            t.add_column(col, overflow="fold", max_width=18)
        t.add_column("best quote", overflow="fold", ratio=1)
        for h in hits:
            quote = h.quote if len(h.quote) <= 160 else h.quote[:157] + "..."
            t.add_row(Text(h.id), Text(h.type), Text(", ".join(h.places)), Text(", ".join(h.stages)),
                      Text(h.matched), Text(quote))
        out.print(t)
        out.print(f"{len(hits)} found" + ("" if hits else "; try fewer or other words"))
