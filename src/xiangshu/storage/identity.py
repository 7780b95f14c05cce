"""Queries over users and their roles."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from xiangshu.domain.roles import Role
from xiangshu.schemas.identity import UserPublic
from xiangshu.storage.models import UnitRow, UserRoleRow, UserRow


def roles_of(session: Session, user_id: uuid.UUID) -> frozenset[Role]:
    rows = session.execute(select(UserRoleRow.role).where(UserRoleRow.user_id == user_id))
    return frozenset(Role(r) for r in rows.scalars())


def set_roles(session: Session, user_id: uuid.UUID, roles: frozenset[Role]) -> None:
    current = roles_of(session, user_id)
    for role in current - roles:
        row = session.get(UserRoleRow, (user_id, role.value))
        if row is not None:
            session.delete(row)
    for role in roles - current:
        session.add(UserRoleRow(user_id=user_id, role=role.value))
    session.flush()


def user_by_name(session: Session, username: str) -> UserRow | None:
    return session.execute(
        select(UserRow).where(UserRow.username == username.strip().lower())
    ).scalar_one_or_none()


def user_public(session: Session, row: UserRow) -> UserPublic:
    unit = session.get(UnitRow, row.unit_id) if row.unit_id else None
    return UserPublic(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        unit_id=row.unit_id,
        unit_name=unit.name if unit else None,
        roles=sorted(roles_of(session, row.id)),
        is_active=row.is_active,
        locked_until=row.locked_until,
        last_login_at=row.last_login_at,
        created_at=row.created_at,
    )
