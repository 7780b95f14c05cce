"""``xiangshu units …``: government units."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table
from rich.tree import Tree

from xiangshu.actions.org import division_tree, unit_create, unit_import, unit_list, unit_show
from xiangshu.cli.state import CliState
from xiangshu.domain.roles import SYSTEM
from xiangshu.domain.units import UnitKind
from xiangshu.errors import Problem, invalid
from xiangshu.schemas.org import DivisionNode, UnitCreate, UnitImportRow, UnitPublic

app = typer.Typer(no_args_is_help=True)

IMPORT_COLUMNS = (
    "name",
    "short_name",
    "kind",
    "division_code",
    "parent",
    "credit_code",
    "catalog_code",
)


def _table(units: list[UnitPublic]) -> Table:
    table = Table("short name", "name", "kind", "level", "division", "credit code", "catalog code")
    for u in units:
        table.add_row(
            u.short_name,
            u.name,
            u.kind.label_zh,
            u.level.label_zh,
            u.division_code,
            u.credit_code,
            u.catalog_code,
        )
    return table


@app.command("list")
def list_units(
    ctx: typer.Context,
    division: Annotated[str | None, typer.Option(help="Only units of this division code.")] = None,
    level: Annotated[str | None, typer.Option(help="province, city or county.")] = None,
) -> None:
    """List units."""
    state: CliState = ctx.obj
    units = state.node().dispatcher.run(unit_list, SYSTEM, division_code=division, level=level)
    state.console.print(_table(units))
    state.console.print(f"{len(units)} unit(s)")


@app.command("show")
def show(
    ctx: typer.Context, unit: Annotated[str, typer.Argument(help="Full name, short name or ID.")]
) -> None:
    """Show one unit."""
    state: CliState = ctx.obj
    state.console.print(_table([state.node().dispatcher.run(unit_show, SYSTEM, unit)]))


@app.command("create")
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="Full name (全称).")],
    short_name: Annotated[str, typer.Option(help="Short name (简称).")],
    division: Annotated[str, typer.Option(help="Division code.")],
    credit_code: Annotated[str, typer.Option(help="统一社会信用代码.")],
    catalog_code: Annotated[str, typer.Option(help="Catalog department code.")],
    kind: Annotated[UnitKind, typer.Option(help="Kind of unit.")] = UnitKind.DEPARTMENT,
    parent: Annotated[str | None, typer.Option(help="Parent unit (name or ID).")] = None,
) -> None:
    """Create one unit."""
    state: CliState = ctx.obj
    run = state.node().dispatcher.run
    parent_id = run(unit_show, SYSTEM, parent).id if parent else None
    unit = run(
        unit_create,
        SYSTEM,
        UnitCreate(
            name=name,
            short_name=short_name,
            kind=kind,
            division_code=division,
            parent_id=parent_id,
            credit_code=credit_code,
            catalog_code=catalog_code,
        ),
    )
    state.console.print(_table([unit]))


def read_unit_csv(path: Path) -> list[UnitImportRow]:
    """Rows of a unit CSV (UTF-8, with or without BOM); shape errors name row and field."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise invalid([Problem("the file is not UTF-8 text", file=path.name)]) from exc
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in IMPORT_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise invalid([Problem(f"missing column(s): {', '.join(missing)}", file=path.name, row=1)])
    rows, problems = [], []
    for number, record in enumerate(reader, start=2):
        try:
            rows.append(UnitImportRow(**{k: (record.get(k) or "") for k in IMPORT_COLUMNS}))
        except ValidationError as error:
            problems += [
                Problem(e["msg"], field=str(e["loc"][0]), row=number, file=path.name)
                for e in error.errors()
            ]
    if problems:
        raise invalid(problems, f"{path.name}: no units were imported")
    return rows


@app.command("import")
def import_units(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, help="CSV with the columns: " + ", ".join(IMPORT_COLUMNS)
        ),
    ],
    skip_existing: Annotated[
        bool, typer.Option(help="Skip units whose credit code exists.")
    ] = False,
) -> None:
    """Import units from a CSV file: all rows or none."""
    state: CliState = ctx.obj
    report = state.node().dispatcher.run(
        unit_import, SYSTEM, read_unit_csv(file), source=file.name, skip_existing=skip_existing
    )
    state.console.print(f"Created {report.created} unit(s); skipped {report.skipped_existing}.")


@app.command("tree")
def tree(
    ctx: typer.Context,
    root: Annotated[str | None, typer.Option(help="Division code to start at.")] = None,
) -> None:
    """Show the division tree with the number of units in each division."""
    state: CliState = ctx.obj
    top = state.node().dispatcher.run(division_tree, SYSTEM, root=root)

    def add(branch: Tree, node: DivisionNode) -> None:
        for child in node.children:
            add(branch.add(f"{child.name} {child.code} ({child.unit_count})"), child)

    root_branch = Tree(f"[bold]{top.name}[/] {top.code} ({top.unit_count})")
    add(root_branch, top)
    state.console.print(root_branch)
