"""``xiangshu audit …``: verify, list and export the audit log."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from xiangshu.actions.audit import audit_export, audit_list, audit_verify
from xiangshu.cli.state import CliState
from xiangshu.domain.roles import SYSTEM
from xiangshu.errors import IntegrityError
from xiangshu.exports import AUDIT_FORMATS, write_audit_events
from xiangshu.schemas.audit import AuditFilter

app = typer.Typer(no_args_is_help=True)

EventOption = Annotated[str | None, typer.Option("--event", help="Event name prefix, e.g. org: .")]
ActorOption = Annotated[str | None, typer.Option("--actor", help="Actor name.")]
SinceOption = Annotated[datetime | None, typer.Option(help="From this time (UTC).")]
UntilOption = Annotated[datetime | None, typer.Option(help="Before this time (UTC).")]


def _filter(
    event: str | None, actor: str | None, since: datetime | None, until: datetime | None
) -> AuditFilter:
    from datetime import UTC

    def aware(moment: datetime | None) -> datetime | None:
        return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment

    return AuditFilter(event_prefix=event, actor_name=actor, since=aware(since), until=aware(until))


@app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Recompute the SM3 chain; name the first broken link (exit code 8)."""
    state: CliState = ctx.obj
    report = state.node().dispatcher.run(audit_verify, SYSTEM)
    if not report.ok:
        raise IntegrityError(
            f"the audit chain is broken at event #{report.broken_seq} "
            f"({report.reason}): {report.detail}",
            details=report.model_dump(),
        )
    state.console.print(f"[green]OK[/]: {report.checked} events, chain head #{report.head_seq}.")


@app.command("list")
def list_events(
    ctx: typer.Context,
    event: EventOption = None,
    actor: ActorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    limit: Annotated[int, typer.Option(help="How many (newest first).")] = 50,
) -> None:
    """Show the newest events."""
    state: CliState = ctx.obj
    page = state.node().dispatcher.run(
        audit_list, SYSTEM, _filter(event, actor, since, until), limit=limit
    )
    table = Table("#", "time (UTC)", "event", "actor", "target", "outcome")
    for e in page.events:
        table.add_row(
            str(e.seq),
            f"{e.occurred_at:%Y-%m-%d %H:%M:%S}",
            e.event,
            e.actor_name,
            f"{e.target_kind or ''} {e.target_id or ''}".strip(),
            e.outcome,
        )
    state.console.print(table)


@app.command("export")
def export(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or jsonl.")] = "csv",
    event: EventOption = None,
    actor: ActorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
) -> None:
    """Export events in sequence order as CSV or JSON Lines."""
    if fmt not in AUDIT_FORMATS:
        raise typer.BadParameter("format is csv or jsonl", param_hint="--format")
    state: CliState = ctx.obj
    events = state.node().dispatcher.run(audit_export, SYSTEM, _filter(event, actor, since, until))
    if output is None:
        write_audit_events(events, sys.stdout, fmt)
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        write_audit_events(events, handle, fmt)
    state.err.print(f"Exported {len(events)} event(s) to {output}.")
