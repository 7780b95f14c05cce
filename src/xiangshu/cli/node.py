"""Commands that set up and run a node: init, db, demo, serve, settings, divisions."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from xiangshu.actions.org import division_list
from xiangshu.bootstrap import require_current_schema
from xiangshu.cli.state import CliState
from xiangshu.domain.roles import SYSTEM
from xiangshu.provisioning import DEFAULT_DIVISION, DEFAULT_NODE_NAME, initialise
from xiangshu.storage import migrate

db_app = typer.Typer(no_args_is_help=True)
divisions_app = typer.Typer(no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo)
    app.command("serve")(serve)
    app.add_typer(db_app, name="db", help="The metadata store's schema.")
    app.command("docs")(docs)
    app.add_typer(divisions_app, name="divisions", help="GB/T 2260 divisions (行政区划).")


def init(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="The node's name.")] = DEFAULT_NODE_NAME,
    division: Annotated[
        str, typer.Option(help="Division code this node serves.")
    ] = DEFAULT_DIVISION,
    seed_units: Annotated[bool, typer.Option(help="Create the shipped Hunan units.")] = True,
) -> None:
    """Create the metadata store, load divisions and record the node's identity."""
    state: CliState = ctx.obj
    report = initialise(state.node(), name=name, division_code=division, seed_units=seed_units)
    if report.already_initialised:
        state.console.print("This node was already initialised; reference data refreshed.")
    else:
        assert report.node is not None
        state.console.print(
            f"Initialised node [bold]{report.node.name}[/] for {report.node.division_name} "
            f"({report.node.division_code})."
        )
    state.console.print(f"Divisions loaded: {report.divisions}")
    if report.units is not None:
        state.console.print(
            f"Units created: {report.units.created} "
            f"(already there: {report.units.skipped_existing})"
        )


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Bring the metadata store's schema up to date."""
    state: CliState = ctx.obj
    node = state.node()
    migrate.upgrade(node.store)
    state.console.print(f"Schema at {', '.join(sorted(migrate.current_heads(node.store)))}.")


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Show the schema revision and whether it is current."""
    state: CliState = ctx.obj
    node = state.node()
    heads = migrate.current_heads(node.store)
    current = migrate.is_up_to_date(node.store)
    state.console.print(
        f"{', '.join(sorted(heads)) or '(empty)'} — {'up to date' if current else 'needs upgrade'}"
    )
    if not current:
        raise typer.Exit(7)


def docs(
    folder: Annotated[Path, typer.Option(help="Where the generated documents live.")] = Path(
        "docs"
    ),
    check: Annotated[bool, typer.Option(help="Only check that they are current.")] = False,
) -> None:
    """Write (or check) the documents generated from the code: settings and audit events."""
    from xiangshu.generated_docs import stale, write_all

    if check:
        outdated = stale(folder)
        if outdated:
            names = ", ".join(str(p) for p in outdated)
            typer.echo(f"out of date: {names}; run `xiangshu docs`", err=True)
            raise typer.Exit(1)
        typer.echo("Generated documents are current.")
        return
    for path in write_all(folder):
        typer.echo(f"Wrote {path}.")


@divisions_app.command("list")
def divisions_list(
    ctx: typer.Context,
    retired: Annotated[bool, typer.Option(help="Include retired codes.")] = False,
) -> None:
    """List the divisions the node knows."""
    state: CliState = ctx.obj
    divisions = state.node().dispatcher.run(division_list, SYSTEM, include_retired=retired)
    table = Table("code", "name", "level", "parent", "retired → successor")
    for d in divisions:
        retired_text = f"{d.retired_in} → {d.successor_code}" if d.retired_in else ""
        table.add_row(d.code, d.name, d.level, d.parent_code or "", retired_text)
    state.console.print(table)


def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
) -> None:
    """Serve the portal and the APIs."""
    state: CliState = ctx.obj
    node = state.node()
    require_current_schema(node)
    _serve(state, host=host, port=port, workers=workers)


def _serve(state: CliState, *, host: str | None, port: int | None, workers: int | None) -> None:
    import uvicorn

    settings = state.settings()
    # Worker processes build their own node from the environment.
    for key, value in state.overrides.items():
        os.environ[f"XIANGSHU_{key.upper()}"] = str(value)
    state.close()
    host = host or settings.host
    port = port or settings.port
    state.console.print(f"Serving on [bold]http://{host}:{port}/[/]  (Ctrl+C stops)")
    uvicorn.run(
        "xiangshu.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers or settings.workers,
        log_level=settings.log_level,
        proxy_headers=False,
    )


def demo(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    fresh: Annotated[bool, typer.Option(help="Delete the demo data first.")] = False,
    serve_portal: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the portal after loading.")
    ] = True,
) -> None:
    """Create the embedded store, load reference data and demo content, serve the portal."""
    from xiangshu.demo import DEMO_PASSWORD, load_demo

    state: CliState = ctx.obj
    settings = state.settings()
    if settings.environment != "development":
        state.err.print("The demo runs only with XIANGSHU_ENVIRONMENT=development.")
        raise typer.Exit(7)
    if fresh and not settings.database_url and settings.data_dir.exists():
        shutil.rmtree(settings.data_dir)
    report = load_demo(state.node())
    node_name = report.init.node.name if report.init.node else "(existing node)"
    state.console.print(f"Demo node: [bold]{node_name}[/]")
    table = Table(
        "user", "name", "unit", "roles", title=f"Demo accounts (password: {DEMO_PASSWORD})"
    )
    for account in report.accounts:
        table.add_row(
            account.username,
            account.display_name,
            account.unit,
            "、".join(sorted(r.label_zh for r in account.roles)),
        )
    state.console.print(table)
    for note in report.notes:
        state.console.print(f"• {note}")
    if serve_portal:
        _serve(state, host=host, port=port, workers=1)
