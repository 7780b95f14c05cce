"""Queries behind the portal's lists: open datasets as cards, counts, newest, most used.

Which datasets an actor sees is decided by the policy, not here: callers pass the
kinds of resource ``policies.portal.open_kinds`` allows (status × own unit × open
type × share type, found by asking the rule), and this module turns them into SQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from xiangshu.domain.access import OpenType, ResourceStatus, ShareType
from xiangshu.domain.catalog.values import FormatClass, UpdateCycle
from xiangshu.schemas.portal import DatasetCard, Usage
from xiangshu.storage.catalog import extension_of
from xiangshu.storage.models import LakeCurrentRow, UnitRow
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.models.portal import UsageCountRow
from xiangshu.storage.portal.usage import usage_totals


def slug_of(code: str) -> str:
    """CKAN's package name for a code: ``10100101/430000019001`` → ``10100101-430000019001``."""
    return code.replace("/", "-")


def code_of(slug: str) -> str:
    return slug.replace("-", "/", 1) if "/" not in slug else slug


class KindOfResource(Protocol):  # ``policies.catalog.VisibleKind``
    @property
    def status(self) -> ResourceStatus: ...
    @property
    def own(self) -> bool | None: ...
    @property
    def open_type(self) -> OpenType | None: ...
    @property
    def share_type(self) -> ShareType | None: ...


def visible_condition(
    kinds: Sequence[KindOfResource], unit_id: uuid.UUID | None
) -> sa.ColumnElement[bool]:
    """The SQL form of the kinds of resource an actor may see."""
    clauses = []
    for kind in kinds:
        parts: list[sa.ColumnElement[bool]] = [ResourceRow.status == kind.status.value]
        if kind.own is not None:
            own = ResourceRow.provider_unit_id == unit_id if unit_id is not None else sa.false()
            parts.append(own if kind.own else sa.not_(own))
        if kind.open_type is not None:
            parts.append(ResourceRow.open_type == kind.open_type.value)
        if kind.share_type is not None:
            parts.append(ResourceRow.share_type == kind.share_type.value)
        clauses.append(sa.and_(*parts))
    return sa.or_(*clauses) if clauses else sa.false()


def units_by_id(session: Session) -> dict[uuid.UUID, UnitRow]:
    return {u.id: u for u in session.execute(sa.select(UnitRow)).scalars()}


def current_counts(
    session: Session, resource_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, LakeCurrentRow]:
    ids = list(resource_ids)
    if not ids:
        return {}
    rows = session.execute(sa.select(LakeCurrentRow).where(LakeCurrentRow.resource_id.in_(ids)))
    return {r.resource_id: r for r in rows.scalars()}


def cards(
    session: Session,
    rows: Sequence[ResourceRow],
    units: dict[uuid.UUID, UnitRow] | None = None,
) -> list[DatasetCard]:
    """Cards for resource rows, in the given order, with records and usage counts."""
    ids = [r.id for r in rows]
    units = units if units is not None else units_by_id(session)
    current = current_counts(session, ids)
    usage = usage_totals(session, ids) if ids else {}
    out = []
    for row in rows:
        unit = units[row.provider_unit_id]
        loaded = current.get(row.id)
        counts = usage.get(row.id, {})
        out.append(
            DatasetCard(
                id=row.id,
                code=row.code,
                slug=slug_of(row.code),
                name=row.name,
                abstract=row.abstract,
                provider_id=unit.id,
                provider_name=unit.name,
                provider_slug=unit.catalog_code,
                class_code=row.class_code,
                open_type=OpenType(row.open_type),
                update_cycle=UpdateCycle(row.update_cycle),
                format_class=FormatClass(row.format_class),
                published_on=row.published_on,
                updated_at=row.updated_at,
                records=loaded.row_count if loaded else None,
                data_updated_at=loaded.switched_at if loaded else None,
                keywords=list(extension_of(row.extension).keywords),
                usage=Usage(
                    views=counts.get("view", 0),
                    downloads=counts.get("download", 0),
                    api_calls=counts.get("api", 0),
                ),
            )
        )
    return out


def open_rows(
    session: Session,
    where: sa.ColumnElement[bool],
    *,
    order: Any = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[ResourceRow]:
    query = sa.select(ResourceRow).where(where)
    query = query.order_by(*(order if order is not None else [ResourceRow.code]))
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(session.execute(query).scalars())


def newest(session: Session, where: sa.ColumnElement[bool], n: int) -> list[ResourceRow]:
    return open_rows(
        session,
        where,
        order=[ResourceRow.published_on.desc().nulls_last(), ResourceRow.updated_at.desc()],
        limit=n,
    )


def most_used(session: Session, where: sa.ColumnElement[bool], n: int) -> list[ResourceRow]:
    used = (
        sa.select(UsageCountRow.resource_id, sa.func.sum(UsageCountRow.count).label("uses"))
        .group_by(UsageCountRow.resource_id)
        .subquery()
    )
    query = (
        sa.select(ResourceRow)
        .join(used, used.c.resource_id == ResourceRow.id)
        .where(where)
        .order_by(used.c.uses.desc(), ResourceRow.code)
        .limit(n)
    )
    return list(session.execute(query).scalars())


def ordered_by(
    session: Session, ids: Sequence[uuid.UUID], how: str, descending: bool
) -> list[uuid.UUID]:
    """Put a set of dataset IDs in the order ``how`` (newest, popular, name)."""
    if not ids:
        return []
    if how == "popular":
        used = sa.func.coalesce(
            sa.select(sa.func.sum(UsageCountRow.count))
            .where(UsageCountRow.resource_id == ResourceRow.id)
            .scalar_subquery(),
            0,
        )
        key: Any = used
    elif how == "name":
        key = ResourceRow.name
    else:
        key = ResourceRow.updated_at
    query = (
        sa.select(ResourceRow.id)
        .where(ResourceRow.id.in_(list(ids)))
        .order_by(key.desc() if descending else key.asc(), ResourceRow.code)
    )
    return list(session.execute(query).scalars())


def count_open(session: Session, where: sa.ColumnElement[bool]) -> int:
    return int(
        session.execute(
            sa.select(sa.func.count()).select_from(ResourceRow).where(where)
        ).scalar_one()
    )


def provider_counts(session: Session, where: sa.ColumnElement[bool]) -> dict[uuid.UUID, int]:
    query = (
        sa.select(ResourceRow.provider_unit_id, sa.func.count())
        .where(where)
        .group_by(ResourceRow.provider_unit_id)
    )
    return {unit_id: int(n) for unit_id, n in session.execute(query)}


def class_counts(session: Session, where: sa.ColumnElement[bool]) -> dict[str, int]:
    """Counts by the first three digits of the classification (类 + 项)."""
    prefix = sa.func.substr(ResourceRow.class_code, 1, 3)
    query = sa.select(prefix, sa.func.count()).where(where).group_by(prefix)
    return {str(code): int(n) for code, n in session.execute(query)}


def records_total(session: Session, where: sa.ColumnElement[bool]) -> tuple[int, int]:
    """(datasets with records, records) over the visible datasets."""
    query = (
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(LakeCurrentRow.row_count), 0))
        .select_from(ResourceRow)
        .join(LakeCurrentRow, LakeCurrentRow.resource_id == ResourceRow.id)
        .where(where)
    )
    with_records, records = session.execute(query).one()
    return int(with_records), int(records)
