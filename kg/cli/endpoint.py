"""`egovkg endpoint start|stop|status` and `egovkg publish`: a real SPARQL server one command away.

Thin wrappers over kg.store.virtuoso (a local Virtuoso in .egovkg/virtuoso) and
kg.store.publish (SPARQL 1.1 Update, any endpoint). Passwords come only from the
environment: EGOVKG_VIRTUOSO_PASSWORD goes only to the Virtuoso of --home (loopback,
its ini's port); any other endpoint gets credentials only from --user (or
EGOVKG_ENDPOINT_USER) with EGOVKG_ENDPOINT_PASSWORD.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

HomeOpt = Annotated[Path, typer.Option("--home", help="Folder of the local Virtuoso database and its ini.")]
HttpOpt = Annotated[Optional[int], typer.Option("--http-port", help="HTTP port (default 8890, or the ini's).")]
SqlOpt = Annotated[Optional[int], typer.Option("--sql-port", help="SQL port (default 1111, or the ini's).")]
UserOpt = Annotated[Optional[str], typer.Option(help="User (or EGOVKG_ENDPOINT_USER); password: EGOVKG_ENDPOINT_PASSWORD.")]
CheckOpt = Annotated[bool, typer.Option("--check", help="Only compare endpoint and build; exit 3 if they differ.")]
BuildOpt = Annotated[Optional[Path], typer.Option("--build", help="Build folder with egov.trig.")]


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
    def status(home: HomeOpt = DEFAULT_HOME, http_port: HttpOpt = None, sql_port: SqlOpt = None,
               build_dir: BuildOpt = None) -> None:
        """Say whether the local Virtuoso runs, answers SPARQL and holds the build whole; exit 3 if not."""
        from kg.cli.common import config
        from kg.store import virtuoso
        from kg.store.publish import check

        st = virtuoso.status(home, http_port, sql_port)
        out.print(st.summary())
        if not st.answers:
            raise typer.Exit(3)
        trig = config(None, build_dir).trig
        try:
            out.print(check(trig if trig.exists() else None, st.url).summary())
        except EgovKgError as exc:
            fail(exc)

    @app.command()
    def publish(endpoint_url: Annotated[str, typer.Option("--endpoint", help="SPARQL query URL, e.g. http://127.0.0.1:8890/sparql")],
                update_url: Annotated[Optional[str], typer.Option(help="SPARQL Update URL (default: .../sparql-auth).")] = None,
                user: UserOpt = None,
                build_dir: BuildOpt = None,
                home: HomeOpt = DEFAULT_HOME,
                timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds each request may take.")] = 120.0,
                check_only: CheckOpt = False,
                prune: Annotated[bool, typer.Option(help="Remove project graphs the build no longer has.")] = True,
                bulk: Annotated[bool, typer.Option(help="Managed Virtuoso: bulk loader.")] = True) -> None:
        """Load build/egov.trig into an endpoint, named graphs preserved; idempotent, count-checked, manifest last."""
        from rich.progress import Progress

        from kg.cli.common import config
        from kg.errors import UsageError
        from kg.store import virtuoso
        from kg.store.publish import check
        from kg.store.publish import publish as do_publish
        from kg.store.remote import credentials

        cfg = config(None, build_dir)
        try:
            if not cfg.trig.exists():
                raise UsageError(f"{cfg.trig}: no such file", "run 'egovkg build' first")
            auth = credentials(user)
            managed = auth is None and virtuoso.is_managed(update_url or endpoint_url, home)
            if managed:
                auth = virtuoso.managed_credentials()  # the dba password: for this server only
            if check_only:
                out.print(check(cfg.trig, endpoint_url, auth=auth, timeout=timeout).summary())
                return
            if managed and bulk and auth is not None and update_url is None:
                from kg.store.bulk import bulk_publish

                out.print(bulk_publish(cfg.trig, endpoint_url, auth, home=home, prune=prune,
                                       timeout=max(timeout, 600.0)).summary() + " (bulk loader)")
                return
            with Progress(console=err, transient=True) as bar:
                task = bar.add_task("publishing", total=None)
                report = do_publish(cfg.trig, endpoint_url, update_url=update_url, auth=auth, prune=prune,
                                    timeout=timeout,
                                    progress=lambda done, total: bar.update(task, completed=done, total=total))
        except EgovKgError as exc:
            fail(exc)
        out.print(report.summary())
