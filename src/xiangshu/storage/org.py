"""Queries over divisions, units and the node."""

from __future__ import annotations

import uuid

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from xiangshu.domain.divisions import Division, DivisionLevel, DivisionTable
from xiangshu.storage.models import DivisionRow, NodeRow, UnitRow


def division_table(session: Session) -> DivisionTable:
    rows = session.execute(select(DivisionRow)).scalars()
    return DivisionTable(
        Division(
            code=r.code,
            name=r.name,
            level=DivisionLevel(r.level),
            parent_code=r.parent_code,
            retired_in=r.retired_in,
            successor_code=r.successor_code,
            established_in=r.established_in,
        )
        for r in rows
    )


def node_row(session: Session) -> NodeRow | None:
    return session.execute(select(NodeRow).limit(1)).scalar_one_or_none()


def unit_by_reference(session: Session, reference: str) -> UnitRow | None:
    """A unit by ID, full name or short name (short names may repeat across divisions)."""
    try:
        unit_id = uuid.UUID(reference)
    except ValueError:
        rows = (
            session.execute(
                select(UnitRow).where(
                    or_(UnitRow.name == reference, UnitRow.short_name == reference)
                )
            )
            .scalars()
            .all()
        )
        exact = [r for r in rows if r.name == reference]
        if exact:
            return exact[0]
        return rows[0] if len(rows) == 1 else None
    return session.get(UnitRow, unit_id)


def unit_counts_by_division(session: Session) -> dict[str, int]:
    return dict(
        session.execute(
            select(UnitRow.division_code, func.count()).group_by(UnitRow.division_code)
        ).all()
    )
