"""``xiangshu``: set up, run and administer a node."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from xiangshu.cli import audit as audit_commands
from xiangshu.cli import catalog as catalog_commands
from xiangshu.cli import lake as lake_commands
from xiangshu.cli import node as node_commands
from xiangshu.cli import plan as plan_commands
from xiangshu.cli import sharing as sharing_commands
from xiangshu.cli import units as unit_commands
from xiangshu.cli import users as user_commands
from xiangshu.cli.errors import exit_code_for, show_error
from xiangshu.cli.state import CliState, override
from xiangshu.errors import XiangshuError


class _Group(TyperGroup):
    """Turns domain errors raised anywhere below into a message and an exit code."""

    def invoke(self, ctx: Any) -> Any:  # a click context (typer vendors its own click)
        try:
            return super().invoke(ctx)
        except XiangshuError as error:
            state = ctx.find_object(CliState)
            show_error(state.err if state else CliState().err, error)
            raise typer.Exit(exit_code_for(error)) from None
        finally:
            state = ctx.find_object(CliState)
            if state is not None:
                state.close()


app = typer.Typer(
    cls=_Group,
    name="xiangshu",
    help="湘数 Xiangshu — provincial government data platform.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode="rich",
)


@app.callback()
def main(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None, typer.Option(help="Data directory (overrides XIANGSHU_DATA_DIR).")
    ] = None,
    database_url: Annotated[
        str | None, typer.Option(help="Metadata store URL (overrides XIANGSHU_DATABASE_URL).")
    ] = None,
) -> None:
    state = CliState()
    override(state, data_dir, database_url)
    ctx.obj = state


node_commands.register(app)
app.add_typer(user_commands.app, name="users", help="User accounts, roles and API tokens.")
app.add_typer(unit_commands.app, name="units", help="Government units (政务部门).")
app.add_typer(audit_commands.app, name="audit", help="The tamper-evident audit log.")
app.add_typer(catalog_commands.app, name="catalog", help="The resource catalog (政务信息资源目录).")
app.add_typer(lake_commands.app, name="lake", help="The data lake: loads, versions, records.")
app.add_typer(plan_commands.app, name="plan", help="Plans as live data: indicators, evaluation.")
sharing_commands.register(app)


def run() -> None:
    app()
