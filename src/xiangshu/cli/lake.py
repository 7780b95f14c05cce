"""``xiangshu lake …``: load files into resources, list versions, roll back, query, export."""

from __future__ import annotations

import sys
import tempfile
import uuid
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from xiangshu.actions.lake_loads import (
    lake_clean,
    load_report_show,
    quarantine_download,
    records_ingest,
    serving_reader_grant,
    version_list,
    version_rollback,
)
from xiangshu.actions.lake_reads import records_export, records_query
from xiangshu.cli.state import CliState
from xiangshu.domain.lake.loads import LoadMode
from xiangshu.domain.lake.query import QuerySpec, parse_filter, parse_sort
from xiangshu.domain.roles import SYSTEM
from xiangshu.schemas.lake import LoadReportPublic

app = typer.Typer(no_args_is_help=True)

ResourceArg = Annotated[str, typer.Argument(help="The resource's ID or code (分类码/顺序码).")]


class RichProgress:
    """The lake's progress protocol drawn as a Rich bar, one task per stage."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.task: TaskID | None = None

    def stage(self, name: str, total: int | None = None) -> None:
        if self.task is not None:  # the previous stage is done: fill its bar
            done = self.bar.tasks[-1].total or self.bar.tasks[-1].completed or 1
            self.bar.update(self.task, total=done, completed=done)
        self.task = self.bar.add_task(name, total=total)

    def advance(self, amount: int) -> None:
        if self.task is not None:
            self.bar.advance(self.task, amount)


def show_report(state: CliState, report: LoadReportPublic) -> None:
    shown = "[green]published[/]" if report.status == "published" else "[red]not published[/]"
    state.console.print(
        f"{shown}: version {report.version or '—'} · {report.rows_read:,} rows read, "
        f"{report.rows_valid:,} valid, {report.rows_rejected:,} rejected, "
        f"{report.rows_published:,} in the version · {report.source_format}"
        f"{' ' + report.source_encoding if report.source_encoding else ''}"
    )
    if report.problems:
        table = Table("field", "item", "reason", "count")
        for p in report.problems:
            table.add_row(p.field, p.item, f"{p.reason_zh} ({p.reason})", f"{p.count:,}")
        state.console.print(table)
    if report.has_quarantine:
        state.console.print(
            f"quarantine: xiangshu lake quarantine {report.resource_id} {report.load_id}"
        )
    state.console.print(f"load {report.load_id} · seconds {report.seconds}")


@app.command("ingest")
def ingest(
    ctx: typer.Context,
    resource: ResourceArg,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The file to load.")],
    mode: Annotated[LoadMode, typer.Option(help="replace, append or upsert.")] = LoadMode.REPLACE,
    strict: Annotated[bool, typer.Option(help="Publish nothing if any row is invalid.")] = False,
    file_format: Annotated[
        str | None, typer.Option("--format", help="csv, xlsx, xls, json, ndjson or parquet.")
    ] = None,
) -> None:
    """Load a file: valid rows become a new version, invalid rows go to quarantine."""
    state: CliState = ctx.obj
    columns = (
        TextColumn("{task.description:<12}"),
        BarColumn(),
        TextColumn("{task.completed:,}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=state.err, transient=False) as bar:
        report = state.node().dispatcher.run(
            records_ingest,
            SYSTEM,
            resource,
            file,
            source_format=file_format,
            mode=mode,
            strict=strict,
            progress=RichProgress(bar),
        )
    show_report(state, report)
    if report.status != "published":
        raise typer.Exit(3)


@app.command("report")
def report(ctx: typer.Context, resource: ResourceArg, load: uuid.UUID) -> None:
    """Show a load's report."""
    state: CliState = ctx.obj
    show_report(state, state.node().dispatcher.run(load_report_show, SYSTEM, resource, load))


@app.command("quarantine")
def quarantine(
    ctx: typer.Context,
    resource: ResourceArg,
    load: uuid.UUID,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Write a load's rejected rows (row, field, reason) as CSV with a BOM for Excel."""
    state: CliState = ctx.obj
    path = state.node().dispatcher.run(quarantine_download, SYSTEM, resource, load)
    data = path.read_bytes()
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    output.write_bytes("\ufeff".encode() + data)
    state.err.print(f"Wrote {output}.")


@app.command("versions")
def versions(ctx: typer.Context, resource: ResourceArg) -> None:
    """List the resource's versions, newest first."""
    state: CliState = ctx.obj
    table = Table("version", "current", "rows", "mode", "loaded (UTC)", "by", "file", "rejected")
    for v in state.node().dispatcher.run(version_list, SYSTEM, resource):
        table.add_row(
            str(v.number),
            "●" if v.current else "",
            f"{v.row_count:,}",
            v.mode,
            f"{v.created_at:%Y-%m-%d %H:%M}",
            v.actor_name,
            v.source_name,
            f"{v.rows_rejected:,}",
        )
    state.console.print(table)


@app.command("rollback")
def rollback(ctx: typer.Context, resource: ResourceArg, version: int) -> None:
    """Make an earlier (or later) version current again."""
    state: CliState = ctx.obj
    found = state.node().dispatcher.run(version_rollback, SYSTEM, resource, version)
    state.console.print(f"Version {found.number} ({found.row_count:,} rows) is current.")


def _spec(
    fields: str | None,
    filters: list[str],
    text: str | None,
    sort: str | None,
    limit: int,
    offset: int,
) -> QuerySpec:
    return QuerySpec(
        fields=tuple(f for f in (fields or "").split(",") if f),
        filters=tuple(parse_filter(f) for f in filters),
        text=text,
        sort=parse_sort(sort or ""),
        limit=limit,
        offset=offset,
    )


FieldsOpt = Annotated[str | None, typer.Option(help="Comma-separated fields.")]
FilterOpt = Annotated[
    list[str], typer.Option("--filter", help="field:op:value (eq in gt gte lt lte).")
]
TextOpt = Annotated[str | None, typer.Option("--q", help="Words to find in text fields.")]
SortOpt = Annotated[str | None, typer.Option(help="Comma-separated fields; -field descends.")]


@app.command("query")
def query(
    ctx: typer.Context,
    resource: ResourceArg,
    fields: FieldsOpt = None,
    filters: FilterOpt = [],  # noqa: B006 - typer reads the default
    text: TextOpt = None,
    sort: SortOpt = None,
    limit: int = 20,
    offset: int = 0,
    version: int | None = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show a page of records."""
    state: CliState = ctx.obj
    spec = _spec(fields, filters, text, sort, limit, offset)
    page = state.node().dispatcher.run(records_query, SYSTEM, resource, spec, version=version)
    if as_json:
        sys.stdout.write(orjson.dumps(page.model_dump(mode="json")).decode() + "\n")
        return
    table = Table(*(f"{f.name}\n{f.field}" for f in page.fields))
    for record in page.records:
        table.add_row(
            *("" if record[f.field] is None else str(record[f.field]) for f in page.fields)
        )
    state.console.print(table)
    total = f" of {page.total:,}" if page.total is not None else ""
    state.console.print(f"version {page.version}: {len(page.records)} record(s){total}")


@app.command("export")
def export(
    ctx: typer.Context,
    resource: ResourceArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    file_format: Annotated[
        str, typer.Option("--format", help="csv, json, xlsx or parquet.")
    ] = "csv",
    fields: FieldsOpt = None,
    filters: FilterOpt = [],  # noqa: B006 - typer reads the default
    text: TextOpt = None,
    sort: SortOpt = None,
) -> None:
    """Export every matching record of the current version."""
    state: CliState = ctx.obj
    spec = _spec(fields, filters, text, sort, 1, 0)
    with tempfile.TemporaryDirectory(dir=output.parent) as folder:
        target = Path(folder) / f"export.{file_format}"
        result = state.node().dispatcher.run(
            records_export, SYSTEM, resource, spec, file_format, target
        )
        target.replace(output)
    state.err.print(f"Exported {result.rows:,} record(s) of version {result.version} to {output}.")


@app.command("clean")
def clean(
    ctx: typer.Context,
    min_age_minutes: Annotated[int, typer.Option(help="Leave younger leftovers alone.")] = 60,
) -> None:
    """Remove what killed loads left behind (staging folders, unregistered tables)."""
    state: CliState = ctx.obj
    found = state.node().dispatcher.run(lake_clean, SYSTEM, min_age_seconds=min_age_minutes * 60)
    removed, dropped = len(found["removed_dirs"]), len(found["dropped_tables"])
    state.console.print(f"Removed {removed} folder(s), dropped {dropped} table(s).")


@app.command("synth")
def synth(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Folder for the CSV files.")],
    people: Annotated[int, typer.Option(help="How many people (自然人).")] = 100_000,
    seed: Annotated[int, typer.Option(help="Same seed, same files.")] = 2026,
) -> None:
    """Write synthetic records of the five base databases (合成数据) as CSV files."""
    from xiangshu.demo.synthetic import write_base_data

    state: CliState = ctx.obj
    made = write_base_data(out, people_count=people, seed=seed)
    for name, path in made.files.items():
        state.console.print(f"{name}: {made.rows[name]:,} rows → {path}")


@app.command("reader-role")
def reader_role(
    ctx: typer.Context,
    role: Annotated[str, typer.Argument(help="PostgreSQL role to create or update.")] = (
        "xiangshu_reader"
    ),
) -> None:
    """Give a PostgreSQL role SELECT on the serving tables (now and later), nothing else."""
    state: CliState = ctx.obj
    state.node().dispatcher.run(serving_reader_grant, SYSTEM, role)
    state.console.print(f"Role {role} may read the serving tables (schema lake_serving).")
