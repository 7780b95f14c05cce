"""``xiangshu catalog …``: the resource catalog from the node's console."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from xiangshu.actions.catalog import classification_list, resource_history, resource_show
from xiangshu.actions.catalog_io import catalog_export, catalog_import
from xiangshu.actions.catalog_search import catalog_reindex, resource_search
from xiangshu.actions.org import unit_show
from xiangshu.cli.state import CliState
from xiangshu.domain.access import OpenType, ShareType
from xiangshu.domain.catalog.classification import LEVEL_NAMES
from xiangshu.domain.catalog.values import label_of
from xiangshu.domain.roles import SYSTEM
from xiangshu.schemas.catalog import SearchQuery

app = typer.Typer(no_args_is_help=True)


@app.command("import")
def import_catalog(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="National template workbook.")
    ],
    publish: Annotated[
        bool, typer.Option(help="Load an already reviewed catalog as published.")
    ] = False,
) -> None:
    """Import the national catalog template: every row, or none with each row's problems."""
    state: CliState = ctx.obj
    report = state.node().dispatcher.run(
        catalog_import, SYSTEM, file.read_bytes(), source=file.name, publish=publish
    )
    state.console.print(f"Imported {report.created} resource(s).")


@app.command("export")
def export_catalog(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(dir_okay=False, help="Workbook to write (.xlsx).")],
    unit: Annotated[str | None, typer.Option(help="Only this provider (name or ID).")] = None,
    all_statuses: Annotated[
        bool, typer.Option("--all", help="Include drafts, submitted and withdrawn resources.")
    ] = False,
) -> None:
    """Export the catalog (or one unit's catalog) as the national template."""
    state: CliState = ctx.obj
    run = state.node().dispatcher.run
    provider = run(unit_show, SYSTEM, unit).id if unit else None
    content = run(catalog_export, SYSTEM, provider=provider, include_unpublished=all_statuses)
    file.write_bytes(content)
    state.console.print(f"Wrote {file} ({len(content):,} bytes).")


@app.command("search")
def search(
    ctx: typer.Context,
    words: Annotated[str, typer.Argument(help="Words; several words must all match.")] = "",
    share: Annotated[ShareType | None, typer.Option(help="Sharing type.")] = None,
    open_type: Annotated[OpenType | None, typer.Option("--open", help="Open type.")] = None,
    limit: Annotated[int, typer.Option(help="How many results.")] = 20,
) -> None:
    """Search the catalog (the console sees every resource)."""
    state: CliState = ctx.obj
    result = state.node().dispatcher.run(
        resource_search,
        SYSTEM,
        SearchQuery(q=words, share_type=share, open_type=open_type, page_size=limit),
    )
    table = Table("code", "name", "provider", "share", "open", "status")
    for hit in result.hits:
        table.add_row(
            hit.code,
            hit.name,
            hit.provider_name,
            label_of(hit.share_type),
            label_of(hit.open_type),
            label_of(hit.status),
        )
    state.console.print(table)
    state.console.print(f"{result.total} resource(s) match.")
    for facet in ("share_type", "open_type", "level"):
        counts = "  ".join(f"{v.label} {v.count}" for v in result.facets.get(facet, []))
        state.console.print(f"[dim]{facet}:[/] {counts}")


@app.command("show")
def show(ctx: typer.Context, reference: Annotated[str, typer.Argument(help="Code or ID.")]) -> None:
    """Show one resource, its data items and its history."""
    state: CliState = ctx.obj
    run = state.node().dispatcher.run
    r = run(resource_show, SYSTEM, reference)
    state.console.print(f"[bold]{r.name}[/]  {r.code}  ({label_of(r.status)})")
    state.console.print(f"{'/'.join(r.class_path)} · {r.provider_name} · {r.abstract}")
    state.console.print(
        f"{label_of(r.share_type)} {r.share_condition or r.share_basis} · "
        f"{label_of(r.open_type)} · {label_of(r.update_cycle)} · "
        f"{label_of(r.format_class)} {r.format_type}"
    )
    items = Table("信息项", "field", "type", "length", "key", "sensitivity")
    for i in r.items:
        items.add_row(
            i.name, i.field, i.type.label_zh, str(i.length or ""), "✓" if i.is_key else "",
            i.sensitivity.value,
        )  # fmt: skip
    state.console.print(items)
    for h in run(resource_history, SYSTEM, reference):
        state.console.print(
            f"[dim]{h.changed_at:%Y-%m-%d %H:%M}[/] {h.actor_name} {h.kind} "
            f"{', '.join(sorted(h.changes))} {h.note}"
        )


@app.command("reindex")
def reindex(ctx: typer.Context) -> None:
    """Rebuild the search index from the metadata store."""
    state: CliState = ctx.obj
    report = state.node().dispatcher.run(catalog_reindex, SYSTEM)
    state.console.print(f"Indexed {report.resources} resource(s) at change {report.seq}.")


@app.command("classes")
def classes(ctx: typer.Context) -> None:
    """List the classification trees (类/项/目/细目)."""
    state: CliState = ctx.obj
    table = Table("code", "level", "name")
    for c in state.node().dispatcher.run(classification_list, SYSTEM):
        table.add_row(c.code, LEVEL_NAMES[c.level], c.name)
    state.console.print(table)
