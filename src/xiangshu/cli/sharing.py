"""``xiangshu sharing …``, ``xiangshu worker``, ``xiangshu sync``, ``xiangshu keys …`` and
``xiangshu calendar …``: sharing and exchange from the console."""

from __future__ import annotations

import os
import threading
import uuid
from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from xiangshu.actions.keys import SEALED, keys_reencrypt, keys_status
from xiangshu.actions.sharing_grants import grant_list, grant_revoke
from xiangshu.actions.sharing_queues import request_list, request_show
from xiangshu.actions.sharing_stats import exchange_stats
from xiangshu.cli.state import CliState
from xiangshu.crypto.keys import SigningKeys, new_sealing_key_file
from xiangshu.domain.roles import SYSTEM
from xiangshu.domain.workdays import WorkingCalendar

app = typer.Typer(no_args_is_help=True)
keys_app = typer.Typer(no_args_is_help=True)
calendar_app = typer.Typer(no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="sharing", help="Sharing and exchange (共享交换): requests, grants.")
    root.command("worker")(worker)
    root.command("sync")(sync)
    root.add_typer(keys_app, name="keys", help="SM4 sealing keys and SM2 signing keys.")
    root.add_typer(calendar_app, name="calendar", help="Official working days (法定工作日).")


@app.command("requests")
def requests(
    ctx: typer.Context,
    view: Annotated[str, typer.Option(help="all or authority (overdue, escalated).")] = "all",
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
) -> None:
    """List requests with their deadlines."""
    state: CliState = ctx.obj
    queue = state.node().dispatcher.run(request_list, SYSTEM, view, status=status)
    table = Table("number", "resource", "requester", "provider", "status", "due", "late")
    for r in queue.requests:
        table.add_row(
            r.number,
            r.resource_name,
            r.requester_unit_name,
            r.provider_name,
            r.status.label_zh,
            f"{r.due_on}{'*' if r.due_provisional else ''}",
            "overdue" if r.overdue else ("late" if r.answered_late else ""),
        )
    state.console.print(table)


@app.command("show")
def show(ctx: typer.Context, reference: str) -> None:
    """One request with its history."""
    state: CliState = ctx.obj
    r = state.node().dispatcher.run(request_show, SYSTEM, reference)
    state.console.print(f"[bold]{r.number}[/] {r.resource_code} {r.resource_name}")
    state.console.print(f"{r.requester_unit_name} → {r.provider_name}: {r.status.label_zh}")
    state.console.print(f"purpose: {r.purpose}\nfields: {', '.join(r.fields)}\ndue: {r.due_on}")
    for h in r.history:
        state.console.print(f"  {h.at:%Y-%m-%d %H:%M} {h.actor_name} {h.kind} {h.note}")


@app.command("grants")
def grants(
    ctx: typer.Context, state_filter: Annotated[str | None, typer.Option("--state")] = None
) -> None:
    """Every grant with its holder, fields, validity and use."""
    state: CliState = ctx.obj
    found = state.node().dispatcher.run(grant_list, SYSTEM, "all", state=state_filter)
    table = Table("id", "resource", "holder", "fields", "until", "state", "calls", "rows")
    for g in found:
        table.add_row(
            str(g.id)[:8],
            g.resource_name,
            g.holder_name,
            ",".join(g.fields),
            f"{g.valid_until:%Y-%m-%d}",
            g.state.label_zh,
            str(g.calls),
            str(g.rows),
        )
    state.console.print(table)


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    grant_id: uuid.UUID,
    reason: Annotated[str, typer.Option(help="Why (recorded and shown to the holder).")],
) -> None:
    """Revoke a grant at once."""
    state: CliState = ctx.obj
    state.node().dispatcher.run(grant_revoke, SYSTEM, grant_id, reason)
    state.console.print(f"Grant {grant_id} revoked.")


@app.command("stats")
def stats(ctx: typer.Context, days: int = 30) -> None:
    """Calls, downloads, on-time answers, refusals, error reports and freshness."""
    state: CliState = ctx.obj
    s = state.node().dispatcher.run(exchange_stats, SYSTEM, days=days)
    rate = f"{s.on_time_rate:.0%}" if s.on_time_rate is not None else "—"
    state.console.print(
        f"{s.calls} calls, {s.downloads} downloads, {s.rows} rows, {s.refused} refused; "
        f"on-time answers {rate}; open error reports {s.reports_open}"
    )
    table = Table("resource", "calls", "downloads", "rows", "units", "refused")
    for u in s.by_resource[:20]:
        table.add_row(
            u.name, str(u.calls), str(u.downloads), str(u.rows), str(u.units), str(u.refused)
        )
    state.console.print(table)


def worker(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option(help="One round, then exit.")] = False,
) -> None:
    """Run the background worker: reminders, escalation, notices, webhook deliveries."""
    from xiangshu.worker import Worker

    state: CliState = ctx.obj
    the_worker = Worker(state.node())
    if once:
        report = the_worker.run_once()
        state.console.print(str(report))
        return
    state.console.print(
        f"Worker running every {state.settings().worker_interval_seconds:g} s (Ctrl+C stops)"
    )
    stop = threading.Event()
    try:
        the_worker.run_forever(stop)
    except KeyboardInterrupt:
        stop.set()


def sync(
    ctx: typer.Context,
    resource: Annotated[str, typer.Argument(help="The resource's ID on the provider node.")],
    provider: Annotated[str, typer.Option(help="The provider node's base URL.")],
    target: Annotated[str, typer.Option(help="SQLAlchemy URL of your database.")],
    table: Annotated[str, typer.Option(help="Table to keep the records in.")],
    app_key: Annotated[str, typer.Option(envvar="XIANGSHU_SYNC_APP_KEY")],
    app_secret: Annotated[
        str, typer.Option(envvar="XIANGSHU_SYNC_APP_SECRET", help="Better given by environment.")
    ],
    page_size: Annotated[int, typer.Option(help="Changes per page.")] = 1000,
    pause: Annotated[float, typer.Option(help="Seconds between pages (spares the provider).")] = 0,
    follow: Annotated[bool, typer.Option(help="Keep polling for new versions.")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between polls with --follow.")] = 60,
) -> None:
    """Pull a resource's changes into your own database (库表), resumable, exactly once."""
    import time

    from xiangshu.sync_agent import ExchangeClient, SyncError, SyncTarget, run_sync

    state: CliState = ctx.obj
    client = ExchangeClient(provider, app_key, app_secret)
    into = SyncTarget(target, table)
    try:
        while True:
            report = run_sync(
                client,
                into,
                resource,
                page_size=page_size,
                pause=pause,
                progress=lambda r: state.console.print(
                    f"page {r.pages}: {r.changes} changes, version {r.version}", highlight=False
                ),
            )
            state.console.print(
                f"Up to date at version {report.version} ({report.changes} changes)."
            )
            if not follow:
                return
            time.sleep(interval)
    except SyncError as error:
        state.err.print(f"[bold red]Error[/]: {error}")
        raise typer.Exit(6) from None
    finally:
        into.close()


@keys_app.command("status")
def keys_show(ctx: typer.Context) -> None:
    """Key versions on this node and how many sealed values each holds."""
    state: CliState = ctx.obj
    node = state.node()
    ring = node.services.keys
    state.console.print(f"Sealing keys (SM4): versions {ring.versions}, current {ring.current}")
    for column, counts in node.dispatcher.run(keys_status, SYSTEM).items():
        shown = ", ".join(f"v{v}: {n}" for v, n in sorted(counts.items())) or "none"
        state.console.print(f"  {column}: {shown}")
    signing = SigningKeys.load(node.settings.key_path)
    state.console.print(
        "Signing keys (SM2): "
        + (", ".join(f"v{v} {k.key_id}" for v, k in sorted(signing.keys.items())) or "none")
    )


@keys_app.command("new-sealing")
def keys_new_sealing(ctx: typer.Context) -> None:
    """Write the next SM4 sealing key file (then roll it out: docs/sharing.md)."""
    state: CliState = ctx.obj
    node = state.node()
    version, path = new_sealing_key_file(node.settings.key_path, node.services.keys.versions)
    state.console.print(f"Wrote sealing key version {version} to {path} (mode 0600).")


@keys_app.command("new-signing")
def keys_new_signing(ctx: typer.Context) -> None:
    """Make the next SM2 signing key; older public keys stay published for verification."""
    state: CliState = ctx.obj
    settings = state.settings()
    keys = SigningKeys.load(settings.key_path)
    version, path = keys.add(settings.key_path)
    state.console.print(f"Wrote SM2 key version {version} ({keys.keys[version].key_id}) to {path}.")


@keys_app.command("reencrypt")
def keys_reencrypt_command(
    ctx: typer.Context, batch: Annotated[int, typer.Option(help="Rows per transaction.")] = 500
) -> None:
    """Seal every sealed value again with the current key, in batches (online)."""
    state: CliState = ctx.obj
    node = state.node()
    for column in SEALED:
        total, after = 0, None
        while True:
            resealed, after = node.dispatcher.run(
                keys_reencrypt, SYSTEM, column, after=after, batch=batch
            )
            total += resealed
            if after is None:
                break
        state.console.print(
            f"{column}: {total} value(s) resealed with v{node.services.keys.current}"
        )


@calendar_app.command("check")
def calendar_check(
    ctx: typer.Context,
    start: Annotated[str | None, typer.Option(help="Count from this date (YYYY-MM-DD).")] = None,
    days: Annotated[int, typer.Option(help="Working days to count.")] = 10,
) -> None:
    """Which years the calendar knows, and a deadline counted in working days."""
    state: CliState = ctx.obj
    settings = state.settings()
    calendar = WorkingCalendar.official(settings.holiday_file)
    years = sorted(calendar.known_years)
    state.console.print(f"Known years: {years[0]}–{years[-1]}" if years else "Known years: none")
    first = date.fromisoformat(start) if start else date.today()
    due = calendar.add_working_days(first, days)
    mark = " (provisional: a year the calendar does not know)" if due.provisional else ""
    state.console.print(f"{days} working days after {first}: {due.day}{mark}")
    if os.environ.get("XIANGSHU_HOLIDAY_FILE") is None and due.provisional:
        state.console.print("Add the year's holidays with XIANGSHU_HOLIDAY_FILE (date,kind,name).")
