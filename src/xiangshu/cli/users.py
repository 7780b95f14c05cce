"""``xiangshu users …``: accounts, roles and API tokens, run as the node's operator."""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import SecretStr
from rich.table import Table

from xiangshu.actions.identity import (
    token_create,
    user_create,
    user_deactivate,
    user_list,
    user_set_password,
    user_set_roles,
    user_show,
    user_unlock,
)
from xiangshu.actions.org import unit_show
from xiangshu.cli.state import CliState
from xiangshu.domain.roles import SYSTEM, Role
from xiangshu.schemas.identity import TokenCreate, UserCreate, UserPublic

app = typer.Typer(no_args_is_help=True)

ROLE_HELP = "Role: " + ", ".join(f"{r.value} ({r.label_zh})" for r in Role)


def _print_user(state: CliState, user: UserPublic) -> None:
    roles = "、".join(Role(r).label_zh for r in user.roles)
    state.console.print(
        f"[bold]{user.username}[/] {user.display_name} — {user.unit_name or '(no unit)'} — {roles}"
        + ("" if user.is_active else " [red](deactivated)[/]")
    )


@app.command("create")
def create(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Login name (lower case).")],
    name: Annotated[str, typer.Option("--name", help="Display name.")],
    unit: Annotated[str | None, typer.Option(help="Unit: full name, short name or ID.")] = None,
    role: Annotated[list[Role] | None, typer.Option(help=ROLE_HELP)] = None,
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """Create a user account."""
    state: CliState = ctx.obj
    run = state.node().dispatcher.run
    unit_id = run(unit_show, SYSTEM, unit).id if unit else None
    user = run(
        user_create,
        SYSTEM,
        UserCreate(
            username=username,
            display_name=name,
            unit_id=unit_id,
            password=SecretStr(password),
            roles=frozenset(role or [Role.UNIT_USER]),
        ),
    )
    _print_user(state, user)


@app.command("list")
def list_users(
    ctx: typer.Context,
    unit: Annotated[str | None, typer.Option(help="Only this unit's users.")] = None,
) -> None:
    """List user accounts."""
    state: CliState = ctx.obj
    run = state.node().dispatcher.run
    unit_id = run(unit_show, SYSTEM, unit).id if unit else None
    table = Table("user", "name", "unit", "roles", "active")
    for user in run(user_list, SYSTEM, unit_id=unit_id):
        table.add_row(
            user.username,
            user.display_name,
            user.unit_name or "",
            "、".join(Role(r).label_zh for r in user.roles),
            "yes" if user.is_active else "no",
        )
    state.console.print(table)


@app.command("show")
def show(ctx: typer.Context, username: str) -> None:
    """Show one account."""
    state: CliState = ctx.obj
    _print_user(state, state.node().dispatcher.run(user_show, SYSTEM, username))


@app.command("set-roles")
def set_roles(
    ctx: typer.Context,
    username: str,
    role: Annotated[list[Role], typer.Option(help=ROLE_HELP)],
) -> None:
    """Replace a user's roles."""
    state: CliState = ctx.obj
    run = state.node().dispatcher.run
    user = run(user_show, SYSTEM, username)
    _print_user(state, run(user_set_roles, SYSTEM, user.id, frozenset(role)))


@app.command("deactivate")
def deactivate(ctx: typer.Context, username: str) -> None:
    """Deactivate an account and end its sessions."""
    state: CliState = ctx.obj
    run = state.node().dispatcher.run
    _print_user(state, run(user_deactivate, SYSTEM, run(user_show, SYSTEM, username).id))


@app.command("unlock")
def unlock(ctx: typer.Context, username: str) -> None:
    """Clear a lockout after too many wrong passwords."""
    state: CliState = ctx.obj
    run = state.node().dispatcher.run
    _print_user(state, run(user_unlock, SYSTEM, run(user_show, SYSTEM, username).id))


@app.command("set-password")
def set_password(
    ctx: typer.Context,
    username: str,
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """Reset a user's password."""
    state: CliState = ctx.obj
    run = state.node().dispatcher.run
    run(user_set_password, SYSTEM, run(user_show, SYSTEM, username).id, password)
    state.console.print(f"Password of {username} reset.")


@app.command("token")
def token(
    ctx: typer.Context,
    username: str,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
    days: Annotated[int, typer.Option(help="Validity in days.")] = 30,
) -> None:
    """Issue an API token for a user (shown once)."""
    state: CliState = ctx.obj
    run = state.node().dispatcher.run
    issued = run(
        token_create, SYSTEM, run(user_show, SYSTEM, username).id, TokenCreate(name=name, days=days)
    )
    state.console.print(f"Token (shown once, expires {issued.expires_at:%Y-%m-%d}):")
    typer.echo(issued.token)
