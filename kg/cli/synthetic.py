"""`egovkg synthetic`: write a data folder with N synthetic copies of a city, for users
sizing their machine (build and query it as `egovkg build --data DIR`).

Registered on the main CLI by kg.cli.main with `register(app)`; a thin layer over
kg.build.synthetic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.cli.common import fail, out
from kg.config import Config
from kg.errors import EgovKgError


def register(app: typer.Typer) -> None:
    """Add the `synthetic` command to the egovkg app."""

    @app.command()
    def synthetic(copies: Annotated[int, typer.Option("--copies", help="How many synthetic copies to add.")],
                  out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the data to.")],
                  data: Annotated[Optional[Path], typer.Option("--data", help="Curated data to copy "
                                                                               "(default: data/).")] = None,
                  city: Annotated[str, typer.Option(help="Id of the city to clone.")] = "shenzhen") -> None:
        """Write the curated data plus N synthetic copies of a city (labelled '(synthetic copy k)') to a new
        folder, to measure build and query times at scale. Never writes into data/."""
        from kg.build.synthetic import write_synthetic_data
        from kg.errors import UsageError

        try:
            src = data or Config().data
            if out_dir.resolve() == src.resolve() or out_dir.resolve().is_relative_to(src.resolve()):
                raise UsageError(f"--out {out_dir}: inside the curated data folder",
                                 "write synthetic data to a separate folder")
            if out_dir.exists() and any(out_dir.iterdir()):
                raise UsageError(f"--out {out_dir}: folder is not empty", "give a new or empty folder")
            write_synthetic_data(src, out_dir, copies, city)
        except EgovKgError as exc:
            fail(exc)
        out.print(f"wrote {out_dir} (curated data + {copies} synthetic copies of {city}); "
                  f"build it with: egovkg build --data {out_dir} --out <folder>", markup=False)
