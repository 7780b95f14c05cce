"""Reading and writing the lake's rows in the metadata store (loads, versions, current)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xiangshu.domain.data_items import DataItem, DataItemType, Sensitivity, ValueCheck
from xiangshu.storage.models import LakeCurrentRow, LakeLoadRow, LakeVersionRow


def items_to_json(items: tuple[DataItem, ...] | list[DataItem]) -> str:
    return orjson.dumps([asdict(i) for i in items]).decode()


def items_from_json(text: str) -> tuple[DataItem, ...]:
    out = []
    for data in orjson.loads(text):
        data["type"] = DataItemType(data["type"])
        data["sensitivity"] = Sensitivity(data["sensitivity"])
        data["check"] = ValueCheck(data["check"])
        data["enumeration"] = tuple(data["enumeration"])
        out.append(DataItem(**data))
    return tuple(out)


def current_version(
    session: Session, resource_id: uuid.UUID, *, for_update: bool = False
) -> tuple[LakeCurrentRow, LakeVersionRow] | None:
    query = (
        select(LakeCurrentRow, LakeVersionRow)
        .join(LakeVersionRow, LakeVersionRow.id == LakeCurrentRow.version_id)
        .where(LakeCurrentRow.resource_id == resource_id)
    )
    if for_update:
        query = query.with_for_update(of=LakeCurrentRow)
    found = session.execute(query).first()
    return (found[0], found[1]) if found else None


def version_by_number(
    session: Session, resource_id: uuid.UUID, number: int
) -> LakeVersionRow | None:
    return session.execute(
        select(LakeVersionRow).where(
            LakeVersionRow.resource_id == resource_id, LakeVersionRow.number == number
        )
    ).scalar_one_or_none()


def versions_of(
    session: Session, resource_id: uuid.UUID
) -> list[tuple[LakeVersionRow, LakeLoadRow]]:
    rows = session.execute(
        select(LakeVersionRow, LakeLoadRow)
        .join(LakeLoadRow, LakeLoadRow.id == LakeVersionRow.load_id)
        .where(LakeVersionRow.resource_id == resource_id)
        .order_by(LakeVersionRow.number.desc())
    ).all()
    return [(v, load) for v, load in rows]


def next_version_number(session: Session, resource_id: uuid.UUID) -> int:
    found = session.execute(
        select(func.max(LakeVersionRow.number)).where(LakeVersionRow.resource_id == resource_id)
    ).scalar_one()
    return int(found or 0) + 1


def load_by_id(session: Session, load_id: uuid.UUID) -> LakeLoadRow | None:
    return session.get(LakeLoadRow, load_id)


def known_loads(session: Session) -> set[uuid.UUID]:
    return set(session.execute(select(LakeLoadRow.id)).scalars())


def serving_versions(session: Session) -> set[uuid.UUID]:
    """Versions whose serving table must stay: every resource's current one."""
    return set(session.execute(select(LakeCurrentRow.version_id)).scalars())


def report_of(load: LakeLoadRow) -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(load.report)
    return data
