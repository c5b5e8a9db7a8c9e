"""`egovkg endpoint start|stop|status` and `egovkg publish`: a real SPARQL server one command away.

Thin wrappers over kg.store.virtuoso (a local Virtuoso in .egovkg/virtuoso) and
kg.remote.publish (SPARQL 1.1 Update, any endpoint). Passwords come only from
the environment (EGOVKG_VIRTUOSO_PASSWORD, EGOVKG_ENDPOINT_PASSWORD).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

HomeOpt = Annotated[Path, typer.Option("--home", help="Folder of the local Virtuoso database and its ini.")]
HttpOpt = Annotated[Optional[int], typer.Option("--http-port", help="HTTP port (default 8890, or the ini's).")]
SqlOpt = Annotated[Optional[int], typer.Option("--sql-port", help="SQL port (default 1111, or the ini's).")]


def register(app: typer.Typer) -> None:
    """Add the `endpoint` command group and `publish` to the egovkg app."""
    from kg.cli.common import err, fail, out
    from kg.errors import EgovKgError
    from kg.store.virtuoso import DEFAULT_HOME

    endpoint = typer.Typer(help="Run a local Virtuoso SPARQL server (start, stop, status) on 127.0.0.1.",
                           no_args_is_help=True)
    app.add_typer(endpoint, name="endpoint")

    @endpoint.command()
    def start(home: HomeOpt = DEFAULT_HOME, http_port: HttpOpt = None, sql_port: SqlOpt = None) -> None:
        """Start Virtuoso (dba password from EGOVKG_VIRTUOSO_PASSWORD on first start) and wait until /sparql answers."""
        from kg.store import virtuoso

        try:
            st = virtuoso.start(home, http_port, sql_port)
        except EgovKgError as exc:
            fail(exc)
        out.print(st.summary())

    @endpoint.command()
    def stop(home: HomeOpt = DEFAULT_HOME) -> None:
        """Stop the local Virtuoso (a clean shutdown, then a kill after a bounded wait)."""
        from kg.store import virtuoso

        try:
            stopped = virtuoso.stop(home)
        except EgovKgError as exc:
            fail(exc)
        out.print("stopped" if stopped else "nothing was running")

    @endpoint.command()
    def status(home: HomeOpt = DEFAULT_HOME, http_port: HttpOpt = None, sql_port: SqlOpt = None) -> None:
        """Say whether the local Virtuoso runs and answers SPARQL; exit 3 if it does not answer."""
        from kg.store import virtuoso

        st = virtuoso.status(home, http_port, sql_port)
        out.print(st.summary())
        if not st.answers:
            raise typer.Exit(3)

    @app.command()
    def publish(endpoint_url: Annotated[str, typer.Option("--endpoint", help="SPARQL query URL, e.g. http://127.0.0.1:8890/sparql")],
                update_url: Annotated[Optional[str], typer.Option(help="SPARQL Update URL (default: .../sparql-auth).")] = None,
                user: Annotated[Optional[str], typer.Option(help="User (default EGOVKG_ENDPOINT_USER, else dba).")] = None,
                build_dir: Annotated[Optional[Path], typer.Option("--build", help="Build folder with egov.trig.")] = None,
                prune: Annotated[bool, typer.Option(help="Remove project graphs the build no longer has.")] = True) -> None:
        """Load build/egov.trig into an endpoint, named graphs preserved; idempotent and count-checked."""
        from rich.progress import Progress

        from kg.cli.common import config
        from kg.errors import UsageError
        from kg.store.remote import publish as do_publish

        cfg = config(None, build_dir)
        try:
            if not cfg.trig.exists():
                raise UsageError(f"{cfg.trig}: no such file", "run 'egovkg build' first")
            with Progress(console=err, transient=True) as bar:
                task = bar.add_task("publishing", total=None)
                report = do_publish(cfg.trig, endpoint_url, update_url=update_url, user=user, prune=prune,
                                    progress=lambda done, total: bar.update(task, completed=done, total=total))
        except EgovKgError as exc:
            fail(exc)
        out.print(report.summary())
