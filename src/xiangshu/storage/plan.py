"""Queries over plans: rows to domain values and to public shapes."""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xiangshu.domain.plan.indicators import (
    IndicatorSpec,
    Point,
    Qualifier,
    ValueStatus,
    spec_from_fields,
    year_fraction,
)
from xiangshu.errors import NotFound
from xiangshu.schemas.plan import (
    IndicatorPublic,
    ObservationPublic,
    PlanPublic,
    PlanSummary,
)
from xiangshu.storage.models import UnitRow
from xiangshu.storage.models.plan import (
    IndicatorRow,
    ObservationRow,
    PlanRow,
    TaskRow,
    TaskUnitRow,
)


def plan_by_code(session: Session, code: str) -> PlanRow:
    row = session.execute(select(PlanRow).where(PlanRow.code == code)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"no plan {code}")
    return row


def indicator_rows(session: Session, plan_id: uuid.UUID) -> list[IndicatorRow]:
    return list(
        session.execute(
            select(IndicatorRow)
            .where(IndicatorRow.plan_id == plan_id)
            .order_by(IndicatorRow.position)
        ).scalars()
    )


def indicator_by_number(session: Session, plan: PlanRow, number: str) -> IndicatorRow:
    row = session.execute(
        select(IndicatorRow).where(IndicatorRow.plan_id == plan.id, IndicatorRow.number == number)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"no indicator {number} in plan {plan.code}")
    return row


def spec_of(row: IndicatorRow) -> IndicatorSpec:
    return spec_from_fields(row)


def current_observations(
    session: Session, indicator_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[ObservationRow]]:
    found: dict[uuid.UUID, list[ObservationRow]] = defaultdict(list)
    if not indicator_ids:
        return found
    rows = session.execute(
        select(ObservationRow)
        .where(ObservationRow.indicator_id.in_(indicator_ids), ObservationRow.is_current.is_(True))
        .order_by(ObservationRow.period_end)
    ).scalars()
    for row in rows:
        found[row.indicator_id].append(row)
    return found


def point_of(row: ObservationRow) -> Point:
    return Point(
        time=year_fraction(row.period_end),
        value=row.value,
        synthetic=row.synthetic,
        qualifier=Qualifier(row.qualifier),
        status=ValueStatus(row.status),
    )


def observation_public(row: ObservationRow, number: str) -> ObservationPublic:
    return ObservationPublic(
        id=row.id,
        indicator_number=number,
        period_end=row.period_end,
        time=round(year_fraction(row.period_end), 4),
        value=row.value,
        version=row.version,
        is_current=row.is_current,
        status=row.status,
        qualifier=row.qualifier,
        source_kind=row.source_kind,
        source=row.source,
        source_url=row.source_url,
        resource_id=row.resource_id,
        query=row.query,
        note=row.note,
        synthetic=row.synthetic,
        attachment_name=row.attachment_name,
        attachment_sha256=row.attachment_sha256,
        reason=row.reason,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
    )


def plan_summary(session: Session, row: PlanRow) -> PlanSummary:
    indicators = session.execute(
        select(func.count()).select_from(IndicatorRow).where(IndicatorRow.plan_id == row.id)
    ).scalar_one()
    tasks = session.execute(
        select(func.count()).select_from(TaskRow).where(TaskRow.plan_id == row.id)
    ).scalar_one()
    return PlanSummary(
        id=row.id,
        code=row.code,
        title=row.title,
        doc_number=row.doc_number,
        issuers=[i for i in row.issuers.split("；") if i],
        issue_date=row.issue_date,
        period_start=row.period_start,
        period_end=row.period_end,
        baseline_year=row.baseline_year,
        indicator_count=indicators,
        task_count=tasks,
    )


def plan_public(session: Session, row: PlanRow) -> PlanPublic:
    return PlanPublic(
        **plan_summary(session, row).model_dump(),
        goals=row.goals,
        notes=row.notes,
        report_cadence=row.report_cadence,
        source=row.source,
    )


def task_units(
    session: Session, plan_id: uuid.UUID
) -> dict[uuid.UUID, list[tuple[TaskUnitRow, str]]]:
    """Each task's named units with the unit's short name (or the mention as written)."""
    rows = session.execute(
        select(TaskUnitRow, UnitRow.short_name)
        .join(TaskRow, TaskRow.id == TaskUnitRow.task_id)
        .outerjoin(UnitRow, UnitRow.id == TaskUnitRow.unit_id)
        .where(TaskRow.plan_id == plan_id)
        .order_by(TaskUnitRow.task_id, TaskUnitRow.position)
    ).all()
    found: dict[uuid.UUID, list[tuple[TaskUnitRow, str]]] = defaultdict(list)
    for link, short_name in rows:
        found[link.task_id].append((link, short_name or link.mention))
    return found


def responsible_units(
    session: Session, plan_id: uuid.UUID, related: list[str]
) -> list[tuple[uuid.UUID | None, str]]:
    """Units of the tasks an indicator is related to (by task number or group)."""
    if not related:
        return []
    tasks = session.execute(select(TaskRow).where(TaskRow.plan_id == plan_id)).scalars().all()
    wanted = {t.id for t in tasks if t.number in related or str(t.group_number) in related}
    units = task_units(session, plan_id)
    seen: dict[str, uuid.UUID | None] = {}
    for task_id in sorted(wanted, key=str):
        for link, name in units.get(task_id, []):
            if link.role != "support":
                seen.setdefault(name, link.unit_id)
    return [(unit_id, name) for name, unit_id in seen.items()]


def indicator_public(
    row: IndicatorRow, plan_code: str, units: list[tuple[uuid.UUID | None, str]] | None = None
) -> IndicatorPublic:
    return IndicatorPublic(
        id=row.id,
        plan_code=plan_code,
        number=row.number,
        parent_number=row.parent_number,
        name=row.name,
        unit=row.unit,
        nature=row.nature,
        direction=row.direction,
        form=row.form,
        bound=row.bound,
        baseline_year=row.baseline_year,
        baseline=row.baseline,
        target_year=row.target_year,
        target=row.target,
        target_text=row.target_text,
        stated_growth=row.stated_growth,
        stated_change=row.stated_change,
        related_tasks=[t for t in row.related_tasks.split(";") if t],
        responsible_units=[name for _, name in units or []],
        responsible_unit_ids=[unit_id for unit_id, _ in units or [] if unit_id is not None],
        notes=row.notes,
    )
