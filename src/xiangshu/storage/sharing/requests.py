"""Requests, grants and their history in the metadata store: numbering and conversions."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xiangshu.domain.sharing.grants import GrantState, HolderKind, grant_state
from xiangshu.domain.sharing.requests import ExchangeMode, IntendedUse, RequestStatus
from xiangshu.domain.workdays import WorkingCalendar, beijing_date
from xiangshu.schemas.sharing import (
    AttachmentPublic,
    GrantPublic,
    RequestEventPublic,
    RequestPublic,
)
from xiangshu.storage.models import ApplicationRow, UnitRow, UserRow
from xiangshu.storage.models.sharing import (
    ExchangeRecordRow,
    GrantRow,
    ShareAttachmentRow,
    ShareRequestEventRow,
    ShareRequestRow,
)


def json_list(text: str) -> list[str]:
    return [str(v) for v in orjson.loads(text or "[]")]


def dumps(values: list[str] | tuple[str, ...]) -> str:
    return orjson.dumps(list(values)).decode()


def next_number(session: Session, model: type, prefix: str, now: datetime) -> str:
    """``<prefix><Beijing date>-<serial>``, e.g. GX20261127-0003 (the day's third)."""
    stem = f"{prefix}{beijing_date(now):%Y%m%d}-"
    column = model.number  # type: ignore[attr-defined]
    latest = session.execute(select(func.max(column)).where(column.startswith(stem))).scalar()
    serial = int(latest.rsplit("-", 1)[1]) + 1 if latest else 1
    return f"{stem}{serial:04d}"


def unit_names(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = session.execute(select(UnitRow.id, UnitRow.name).where(UnitRow.id.in_(ids))).all()
    return {row.id: row.name for row in rows}


def request_public(
    session: Session,
    row: ShareRequestRow,
    *,
    now: datetime,
    calendar: WorkingCalendar,
    full: bool = False,
) -> RequestPublic:
    names = unit_names(session, {row.provider_unit_id, row.requester_unit_id})
    status = RequestStatus(row.status)
    today = beijing_date(now)
    overdue = status is RequestStatus.SUBMITTED and today > row.due_on
    left = calendar.working_days_between(today, row.due_on) if status.is_open else None
    history: list[RequestEventPublic] = []
    attachments: list[AttachmentPublic] = []
    if full:
        history = [
            RequestEventPublic.model_validate(e)
            for e in session.execute(
                select(ShareRequestEventRow)
                .where(ShareRequestEventRow.request_id == row.id)
                .order_by(ShareRequestEventRow.at, ShareRequestEventRow.id)
            ).scalars()
        ]
        attachments = [
            AttachmentPublic.model_validate(a)
            for a in session.execute(
                select(ShareAttachmentRow)
                .where(ShareAttachmentRow.request_id == row.id)
                .order_by(ShareAttachmentRow.created_at)
            ).scalars()
        ]
    return RequestPublic(
        id=row.id,
        number=row.number,
        resource_id=row.resource_id,
        resource_code=row.resource_code,
        resource_name=row.resource_name,
        provider_unit_id=row.provider_unit_id,
        provider_name=names.get(row.provider_unit_id, ""),
        requester_unit_id=row.requester_unit_id,
        requester_unit_name=names.get(row.requester_unit_id, ""),
        requester_name=row.requester_name,
        purpose=row.purpose,
        legal_basis=row.legal_basis,
        fields=json_list(row.fields),
        intended_use=IntendedUse(row.intended_use),
        intended_use_note=row.intended_use_note,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        exchange_mode=ExchangeMode(row.exchange_mode),
        expected_volume=row.expected_volume,
        clear_values=row.clear_values,
        clear_reason=row.clear_reason,
        rows_per_day=row.rows_per_day,
        calls_per_minute=row.calls_per_minute,
        status=status,
        submitted_at=row.submitted_at,
        due_on=row.due_on,
        due_provisional=row.due_provisional,
        overdue=overdue,
        working_days_left=left,
        reminded_at=row.reminded_at,
        escalated_at=row.escalated_at,
        escalation_reason=row.escalation_reason,
        answered_at=row.answered_at,
        answered_by=row.answered_by,
        answered_role=row.answered_role,
        answered_late=row.answered_late,
        granted_fields=json_list(row.granted_fields),
        reason=row.reason,
        grant_id=row.grant_id,
        disputed_at=row.disputed_at,
        dispute_reason=row.dispute_reason,
        history=history,
        attachments=attachments,
    )


def holder_name(session: Session, row: GrantRow) -> str:
    if row.holder_unit_id is not None:
        return unit_names(session, {row.holder_unit_id}).get(row.holder_unit_id, "")
    if row.holder_user_id is not None:
        user = session.get(UserRow, row.holder_user_id)
        return user.display_name if user else ""
    if row.holder_app_id is not None:
        app = session.get(ApplicationRow, row.holder_app_id)
        return app.name if app else ""
    return ""


def grant_public(
    session: Session, row: GrantRow, *, now: datetime, with_usage: bool = False
) -> GrantPublic:
    from xiangshu.storage.models.catalog import ResourceRow

    resource = session.get(ResourceRow, row.resource_id)
    provider = unit_names(session, {row.provider_unit_id}).get(row.provider_unit_id, "")
    request_number = None
    if row.request_id is not None:
        request = session.get(ShareRequestRow, row.request_id)
        request_number = request.number if request else None
    calls = rows = 0
    if with_usage:
        found = session.execute(
            select(func.count(), func.coalesce(func.sum(ExchangeRecordRow.rows), 0)).where(
                ExchangeRecordRow.grant_id == row.id, ExchangeRecordRow.result == "ok"
            )
        ).one()
        calls, rows = int(found[0]), int(found[1])
    return GrantPublic(
        id=row.id,
        resource_id=row.resource_id,
        resource_code=resource.code if resource else "",
        resource_name=resource.name if resource else "",
        provider_unit_id=row.provider_unit_id,
        provider_name=provider,
        holder_kind=HolderKind(row.holder_kind),
        holder_unit_id=row.holder_unit_id,
        holder_name=holder_name(session, row),
        holder_user_id=row.holder_user_id,
        holder_app_id=row.holder_app_id,
        fields=json_list(row.fields),
        clear_values=row.clear_values,
        purpose=row.purpose,
        intended_use=IntendedUse(row.intended_use),
        source=row.source,
        request_id=row.request_id,
        request_number=request_number,
        exchange_modes=[ExchangeMode(m) for m in json_list(row.exchange_modes)],
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        rows_per_day=row.rows_per_day,
        calls_per_minute=row.calls_per_minute,
        state=grant_state(now, row.valid_from, row.valid_until, row.revoked_at),
        created_at=row.created_at,
        created_by=row.created_by,
        revoked_at=row.revoked_at,
        revoked_by=row.revoked_by,
        revoke_reason=row.revoke_reason,
        calls=calls,
        rows=rows,
    )


__all__ = ["GrantState"]


def requests_due(
    session: Session, today: date, calendar: WorkingCalendar, reminder_days: int
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """Submitted requests to escalate (past their deadline) and to remind (due soon)."""
    overdue, soon = [], []
    rows = session.execute(
        select(ShareRequestRow.id, ShareRequestRow.due_on, ShareRequestRow.reminded_at).where(
            ShareRequestRow.status == RequestStatus.SUBMITTED.value
        )
    ).all()
    for row in rows:
        if today > row.due_on:
            overdue.append(row.id)
        elif row.reminded_at is None and calendar.working_days_between(today, row.due_on) <= (
            reminder_days
        ):
            soon.append(row.id)
    return overdue, soon


def versions_waiting(session: Session) -> int:
    """How many (subscription, new version) notices are waiting to be made."""
    from xiangshu.storage.models import LakeVersionRow
    from xiangshu.storage.models.sharing import SubscriptionRow

    found = session.execute(
        select(func.count())
        .select_from(SubscriptionRow)
        .join(LakeVersionRow, LakeVersionRow.resource_id == SubscriptionRow.resource_id)
        .where(
            SubscriptionRow.cancelled_at.is_(None),
            LakeVersionRow.number > SubscriptionRow.last_version,
        )
    ).scalar_one()
    return int(found)


def provisional_requests(session: Session) -> list[tuple[uuid.UUID, datetime]]:
    """Open requests whose deadline was counted over a year the calendar did not know."""
    rows = session.execute(
        select(ShareRequestRow.id, ShareRequestRow.submitted_at).where(
            ShareRequestRow.due_provisional.is_(True),
            ShareRequestRow.status.in_([s.value for s in RequestStatus if s.is_open]),
        )
    ).all()
    return [(r.id, r.submitted_at) for r in rows]
