"""egovkg: a thin command line over the library API (kg.build.pipeline, kg.query.library, ...).

Every command is a few lines that call the library and print; anything a user
can do here, a notebook can do with the same functions. Exit codes: 0 ok,
1 validation failed, 2 usage/input error, 3 store/endpoint error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.cli.common import DataOpt, OutOpt, app, config, err, fail, out, parse_params
from kg.config import Config
from kg.errors import EgovKgError, UsageError


@app.command()
def build(data: DataOpt = None, out_dir: OutOpt = None,
          reason: Annotated[bool, typer.Option(help="Run the HermiT consistency check (needs Java).")] = True) -> None:
    """Validate data/, load it into RDF, check consistency with HermiT, write build/egov.trig and build/egov.ttl."""
    from kg.build.pipeline import build as run_build
    from kg.cli.report import print_build

    try:
        report, _ = run_build(config(data, out_dir, reason=reason))
    except EgovKgError as exc:
        fail(exc)
    print_build(out, report)


@app.command()
def validate(path: Annotated[Optional[Path], typer.Argument(help="Data folder or YAML file (default: data/).")] = None) -> None:
    """Check data files: structure (file, line, field, fix) then SHACL shapes. Exit 1 if anything is wrong."""
    from kg.build.pipeline import validate as run_validate

    try:
        ds, records, warnings = run_validate(config(path))
    except EgovKgError as exc:
        fail(exc)
    for w in warnings:
        err.print(f"warning: {w}", markup=False)
    out.print(f"ok: {len(records)} records, {len(ds)} triples, structure and SHACL shapes pass")


@app.command()
def stats(data: DataOpt = None) -> None:
    """Coverage for curators: counts by class, by place and by source document; records lacking a date or a link."""
    from kg.build.pipeline import validate as run_validate
    from kg.cli.report import print_stats

    try:
        ds, _, _ = run_validate(config(data))
    except EgovKgError as exc:
        fail(exc)
    print_stats(out, ds)


@app.command()
def queries() -> None:
    """List the query library (queries/*.rq) with titles and parameters."""
    from kg.cli.report import print_library
    from kg.query.library import load_library

    try:
        print_library(out, load_library(Config().queries))
    except EgovKgError as exc:
        fail(exc)


@app.command()
def query(name: Annotated[str, typer.Argument(help="Query name (see 'egovkg queries') or a .rq file.")],
          param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="NAME=VALUE, repeatable.")] = None,
          fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, tsv, json or markdown.")] = "table",
          endpoint: Annotated[Optional[str], typer.Option(help="SPARQL endpoint URL instead of the embedded store.")] = None,
          store: Annotated[str, typer.Option(help="Embedded store: oxigraph or memory.")] = "oxigraph",
          user: Annotated[Optional[str], typer.Option(help="Endpoint user; password from EGOVKG_ENDPOINT_PASSWORD.")] = None,
          timeout: Annotated[float, typer.Option(help="Endpoint timeout in seconds.")] = 30.0,
          out_dir: OutOpt = None) -> None:
    """Run a library query with parameters bound safely; print a table, CSV, TSV, JSON or Markdown."""
    from kg.query.library import find_query, run_query
    from kg.query.output import FORMATS, render, rich_table
    from kg.store import open_store

    try:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format '{fmt}'", f"use one of {', '.join(FORMATS)}")
        cfg = config(None, out_dir)
        qdef = find_query(name, cfg.queries)
        params = parse_params(param or [])
        st = open_store(endpoint, user=user, timeout=timeout) if endpoint else open_store(store, load=cfg.trig)
        table = run_query(st, qdef, params)
    except EgovKgError as exc:
        fail(exc)
    if fmt == "table":
        out.print(rich_table(table, qdef.title))
        out.print(f"{len(table)} rows")
    else:
        sys.stdout.write(render(table, fmt))


@app.command()
def examples(out_dir: OutOpt = None) -> None:
    """Run every library query on the built graph and print each result (the README's tour)."""
    from kg.query.library import load_library, run_query
    from kg.query.output import rich_table
    from kg.store import open_store

    try:
        cfg = config(None, out_dir)
        st = open_store(cfg.store, load=cfg.trig)
        for qdef in load_library(cfg.queries).values():
            if any(p.required for p in qdef.params):
                continue
            table = run_query(st, qdef)
            out.print(rich_table(table, f"{qdef.name}: {qdef.title}"))
            out.print(f"{len(table)} rows\n")
    except EgovKgError as exc:
        fail(exc)


@app.command()
def graph(out_file: Annotated[Path, typer.Option("--out", help="HTML file to write.")] = Path("build/graph.html"),
          build_dir: Annotated[Optional[Path], typer.Option("--build", help="Build folder with egov.trig.")] = None) -> None:
    """Write an interactive network page of the graph (pyvis, works offline, labels escaped)."""
    from kg.site.network import write_graph_page
    from kg.store import open_store

    try:
        cfg = config(None, build_dir)
        st = open_store(cfg.store, load=cfg.trig)
        n = write_graph_page(st.dataset, out_file)  # type: ignore[attr-defined]
    except EgovKgError as exc:
        fail(exc)
    out.print(f"wrote {out_file} ({n} nodes)", markup=False)


@app.command()
def analyse(out_dir: OutOpt = None,
            top: Annotated[int, typer.Option(help="How many hubs to list.")] = 10,
            include_inferred: Annotated[bool, typer.Option(
                "--include-inferred", help="Count the curators' inferred links too (default: stated links only).")] = False,
            fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table") -> None:
    """Co-evolution per place and stage from the influence links: the interaction measure beside the
    source's own level (and whether the ordering agrees), links by kind and direction, challenge chains,
    the share of stated links, and the most connected entities. Formula: docs/analysis.md."""
    from kg.cli.analyse_view import print_analysis
    from kg.store import open_store

    if fmt not in ("table", "json"):
        fail(UsageError(f"unknown format '{fmt}'", "use -f table or -f json"))
    try:
        cfg = config(None, out_dir)
        st = open_store("oxigraph", load=cfg.trig)
        print_analysis(out, st, cfg.queries, include_inferred, fmt, top)
    except EgovKgError as exc:
        fail(exc)


@app.command("new-city")
def new_city(city_id: Annotated[str, typer.Argument(help="Id of the new city, e.g. hangzhou.")],
             label: Annotated[str, typer.Option(help="Name as the source gives it.")],
             within: Annotated[str, typer.Option(help="Id of the province or nation it lies in.")] = "china",
             data: DataOpt = None,
             source: Annotated[Optional[Path], typer.Option(
                 "--source", help="Source text to register: copied into the seeds folder, cited by the new file.")] = None
             ) -> None:
    """Start data/<id>.yaml for a new city from a template; 'egovkg validate' then lists what to fill in."""
    from kg.build.scaffold import new_city as scaffold

    try:
        cfg = Config()
        path = scaffold(city_id, label, within, data or cfg.data, source=source, seeds=cfg.seeds)
    except EgovKgError as exc:
        fail(exc)
    out.print(f"wrote {path}; now add your source and run 'egovkg validate'", markup=False)


def _register_extensions() -> None:
    """Commands that live with their feature modules (site, tables, endpoint) add themselves here."""
    from kg.cli import endpoint as cli_endpoint
    from kg.cli import site as cli_site
    from kg.cli import tables as cli_tables

    cli_site.register(app)
    cli_tables.register(app)
    cli_endpoint.register(app)
    __import__("kg.cli.synthetic", fromlist=["register"]).register(app)  # scale (issue 13)
    for name in ("find", "sparql", "export"):  # researchers' workbench (issue 10)
        __import__(f"kg.cli.{name}", fromlist=["register"]).register(app)


_register_extensions()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
