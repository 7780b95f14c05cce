"""Small helpers the tests share (not fixtures)."""

from __future__ import annotations

from pydantic import SecretStr
from sqlalchemy import func, select

from xiangshu.actions.identity import user_create
from xiangshu.actions.org import unit_show
from xiangshu.bootstrap import Node
from xiangshu.domain.roles import SYSTEM, Actor, ActorKind, Role
from xiangshu.schemas.identity import UserCreate, UserPublic
from xiangshu.storage.models import AuditEventRow, AuditHeadRow

PASSWORD = "Test-Password-2026"


def make_user(node: Node, username: str, unit: str | None, *roles: Role) -> UserPublic:
    unit_id = node.dispatcher.run(unit_show, SYSTEM, unit).id if unit else None
    return node.dispatcher.run(
        user_create,
        SYSTEM,
        UserCreate(
            username=username,
            display_name=username,
            unit_id=unit_id,
            password=SecretStr(PASSWORD),
            roles=frozenset(roles or {Role.UNIT_USER}),
        ),
    )


def actor_of(user: UserPublic) -> Actor:
    return Actor(
        kind=ActorKind.USER,
        name=user.username,
        user_id=user.id,
        unit_id=user.unit_id,
        roles=frozenset(Role(r) for r in user.roles),
        origin="test",
    )


def audit_head(node: Node) -> int:
    with node.store.transaction(write=False) as session:
        return session.execute(select(AuditHeadRow.seq)).scalar_one()


def count(node: Node, model: type) -> int:
    with node.store.transaction(write=False) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def events(node: Node, prefix: str = "") -> list[AuditEventRow]:
    with node.store.transaction(write=False) as session:
        return list(
            session.execute(
                select(AuditEventRow)
                .where(AuditEventRow.event.startswith(prefix))
                .order_by(AuditEventRow.seq)
            ).scalars()
        )
