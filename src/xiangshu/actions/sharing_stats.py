"""Exchange statistics and records: what the sharing authority and auditors look at.

Calls and downloads per resource and per unit, on-time answers per provider, refusals
with their reasons, error reports (open, and time to fix), and each shared resource's
freshness against its update cycle. Counts only — the records' values never appear.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select

from xiangshu.actions.context import ActionContext
from xiangshu.actions.registry import action
from xiangshu.domain.catalog.values import UpdateCycle
from xiangshu.domain.sharing.requests import RequestStatus
from xiangshu.domain.sharing.stats import freshness, rate
from xiangshu.domain.workdays import beijing_date
from xiangshu.storage.models import LakeCurrentRow, LakeVersionRow, UnitRow
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.models.sharing import ErrorReportRow, ExchangeRecordRow, ShareRequestRow
from xiangshu.storage.sharing.requests import unit_names

CALL_KINDS = ("query", "lookup", "verify", "changes")
DOWNLOAD_KINDS = ("export", "download")


class UsageRow(BaseModel):
    id: uuid.UUID | None
    code: str = ""
    name: str
    calls: int = 0
    downloads: int = 0
    rows: int = 0
    refused: int = 0  # denied, rate limited, failed
    units: int = 0  # distinct consumers (per resource)
    mean_latency_ms: float | None = None


class ProviderAnswers(BaseModel):
    unit_id: uuid.UUID
    name: str
    answered: int
    on_time: int
    late: int
    escalated: int
    open: int
    on_time_rate: float | None


class Refusal(BaseModel):
    number: str
    resource_code: str
    resource_name: str
    provider_name: str
    requester_name: str
    answered_at: datetime | None
    reason: str


class ResourceQuality(BaseModel):
    resource_id: uuid.UUID
    code: str
    name: str
    provider_name: str
    update_cycle: str
    last_version_at: datetime | None
    age_days: float | None
    allowed_days: int | None
    fresh: bool | None
    freshness: str
    open_reports: int
    overdue_reports: int


class ExchangeStats(BaseModel):
    since: datetime
    until: datetime
    calls: int
    downloads: int
    rows: int
    refused: int
    by_resource: list[UsageRow]
    by_unit: list[UsageRow]
    answers: list[ProviderAnswers]
    on_time_rate: float | None
    refusals: list[Refusal]
    reports_open: int
    reports_resolved: int
    mean_days_to_fix: float | None
    quality: list[ResourceQuality]


def _usage(records: list[Any], key: str, names: dict[uuid.UUID, tuple[str, str]]) -> list[UsageRow]:
    rows: dict[Any, UsageRow] = {}
    consumers: dict[Any, set[Any]] = defaultdict(set)
    latency: dict[Any, list[float]] = defaultdict(list)
    for r in records:
        ident = getattr(r, key)
        code, name = names.get(ident, ("", r.resource_code if key == "resource_id" else ""))
        row = rows.setdefault(ident, UsageRow(id=ident, code=code, name=name or code))
        if r.result != "ok":
            row.refused += r.n
            continue
        if r.kind in DOWNLOAD_KINDS:
            row.downloads += r.n
        else:
            row.calls += r.n
        row.rows += int(r.rows or 0)
        consumers[ident].add(r.consumer_unit_id)
        latency[ident].append(float(r.latency or 0) / max(r.n, 1))
    for ident, row in rows.items():
        row.units = len(consumers[ident])
        if latency[ident]:
            row.mean_latency_ms = round(sum(latency[ident]) / len(latency[ident]), 2)
    return sorted(rows.values(), key=lambda u: (-(u.calls + u.downloads), u.name))


def _answers(ctx: ActionContext, since: datetime) -> tuple[list[ProviderAnswers], float | None]:
    today = beijing_date(ctx.now)
    requests = ctx.session.execute(
        select(ShareRequestRow).where(ShareRequestRow.submitted_at >= since)
    ).scalars()
    tally: dict[uuid.UUID, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in requests:
        t = tally[r.provider_unit_id]
        if r.answered_role == "provider":
            t["answered"] += 1
            t["late" if r.answered_late else "on_time"] += 1
        elif r.escalated_at is not None and r.escalation_reason != "dispute":
            t["escalated"] += 1
        elif r.status == RequestStatus.SUBMITTED.value and today > r.due_on:
            t["escalated"] += 1  # overdue, not yet swept by the worker: already late
        elif r.status == RequestStatus.SUBMITTED.value:
            t["open"] += 1
    names = unit_names(ctx.session, set(tally))
    out = []
    total_on_time = total_due = 0
    for unit_id, t in tally.items():
        due = t["answered"] + t["escalated"]
        total_on_time += t["on_time"]
        total_due += due
        out.append(
            ProviderAnswers(
                unit_id=unit_id,
                name=names.get(unit_id, ""),
                answered=t["answered"],
                on_time=t["on_time"],
                late=t["late"],
                escalated=t["escalated"],
                open=t["open"],
                on_time_rate=rate(t["on_time"], due),
            )
        )
    out.sort(key=lambda a: (a.on_time_rate if a.on_time_rate is not None else 2, a.name))
    return out, rate(total_on_time, total_due)


def _quality(ctx: ActionContext) -> list[ResourceQuality]:
    open_reports = dict(
        ctx.session.execute(
            select(ErrorReportRow.resource_id, func.count())
            .where(ErrorReportRow.status.in_(("open", "confirmed")))
            .group_by(ErrorReportRow.resource_id)
        ).all()
    )
    today = beijing_date(ctx.now)
    overdue = dict(
        ctx.session.execute(
            select(ErrorReportRow.resource_id, func.count())
            .where(ErrorReportRow.status.in_(("open", "confirmed")), ErrorReportRow.due_on < today)
            .group_by(ErrorReportRow.resource_id)
        ).all()
    )
    rows = ctx.session.execute(
        select(ResourceRow, LakeVersionRow.created_at, UnitRow.name)
        .join(UnitRow, UnitRow.id == ResourceRow.provider_unit_id)
        .outerjoin(LakeCurrentRow, LakeCurrentRow.resource_id == ResourceRow.id)
        .outerjoin(LakeVersionRow, LakeVersionRow.id == LakeCurrentRow.version_id)
        .where(ResourceRow.status == "published", ResourceRow.share_type != "not_shared")
        .order_by(ResourceRow.code)
    ).all()
    out = []
    for resource, last_at, provider in rows:
        if last_at is None and resource.id not in open_reports:
            continue  # catalogued only: nothing to be fresh or wrong about yet
        fresh = freshness(UpdateCycle(resource.update_cycle), last_at, ctx.now)
        out.append(
            ResourceQuality(
                resource_id=resource.id,
                code=resource.code,
                name=resource.name,
                provider_name=provider,
                update_cycle=resource.update_cycle,
                last_version_at=last_at,
                age_days=round(fresh.age_days, 1) if fresh.age_days is not None else None,
                allowed_days=fresh.allowed_days,
                fresh=fresh.fresh,
                freshness=fresh.label_zh,
                open_reports=int(open_reports.get(resource.id, 0)),
                overdue_reports=int(overdue.get(resource.id, 0)),
            )
        )
    return out


@action(event=None, writes=False)
def exchange_stats(ctx: ActionContext, *, days: int = 30) -> ExchangeStats:
    """Exchange statistics over the last ``days`` days (counts, rates, freshness)."""
    ctx.authorize()
    until = ctx.now
    since = until - timedelta(days=max(1, min(days, 3660)))
    grouped = ctx.session.execute(
        select(
            ExchangeRecordRow.resource_id,
            ExchangeRecordRow.resource_code,
            ExchangeRecordRow.consumer_unit_id,
            ExchangeRecordRow.kind,
            ExchangeRecordRow.result,
            func.count().label("n"),
            func.sum(ExchangeRecordRow.rows).label("rows"),
            func.sum(ExchangeRecordRow.latency_ms).label("latency"),
        )
        .where(ExchangeRecordRow.at >= since, ExchangeRecordRow.at <= until)
        .group_by(
            ExchangeRecordRow.resource_id,
            ExchangeRecordRow.resource_code,
            ExchangeRecordRow.consumer_unit_id,
            ExchangeRecordRow.kind,
            ExchangeRecordRow.result,
        )
    ).all()
    resource_ids = {r.resource_id for r in grouped if r.resource_id}
    resources = {
        row.id: (row.code, row.name)
        for row in ctx.session.execute(
            select(ResourceRow.id, ResourceRow.code, ResourceRow.name).where(
                ResourceRow.id.in_(resource_ids)
            )
        ).all()
    }
    units = {
        k: ("", v)
        for k, v in unit_names(
            ctx.session, {r.consumer_unit_id for r in grouped if r.consumer_unit_id}
        ).items()
    }
    by_resource = _usage(list(grouped), "resource_id", resources)
    by_unit = _usage(list(grouped), "consumer_unit_id", units)
    answers, on_time = _answers(ctx, since)
    refusals = [
        Refusal(
            number=r.number,
            resource_code=r.resource_code,
            resource_name=r.resource_name,
            provider_name=unit_names(ctx.session, {r.provider_unit_id}).get(r.provider_unit_id, ""),
            requester_name=unit_names(ctx.session, {r.requester_unit_id}).get(
                r.requester_unit_id, ""
            ),
            answered_at=r.answered_at,
            reason=r.reason,
        )
        for r in ctx.session.execute(
            select(ShareRequestRow)
            .where(
                ShareRequestRow.status == RequestStatus.REFUSED.value,
                ShareRequestRow.submitted_at >= since,
            )
            .order_by(ShareRequestRow.answered_at.desc())
        ).scalars()
    ]
    resolved = list(
        ctx.session.execute(
            select(ErrorReportRow.created_at, ErrorReportRow.resolved_at).where(
                ErrorReportRow.status == "corrected", ErrorReportRow.resolved_at >= since
            )
        ).all()
    )
    fix_days = [(b - a).total_seconds() / 86400 for a, b in resolved if b is not None]
    quality = _quality(ctx)
    return ExchangeStats(
        since=since,
        until=until,
        calls=sum(u.calls for u in by_resource),
        downloads=sum(u.downloads for u in by_resource),
        rows=sum(u.rows for u in by_resource),
        refused=sum(u.refused for u in by_resource),
        by_resource=by_resource,
        by_unit=by_unit,
        answers=answers,
        on_time_rate=on_time,
        refusals=refusals,
        reports_open=sum(q.open_reports for q in quality),
        reports_resolved=len(fix_days),
        mean_days_to_fix=round(sum(fix_days) / len(fix_days), 1) if fix_days else None,
        quality=quality,
    )


class ExchangeRecordPublic(BaseModel):
    model_config = {"from_attributes": True}

    id: uuid.UUID
    at: datetime
    kind: str
    resource_code: str
    consumer_unit_id: uuid.UUID | None
    actor_name: str
    app_id: uuid.UUID | None
    fields: str
    rows: int
    grant_id: uuid.UUID | None
    request_id: uuid.UUID | None
    purpose: str
    result: str
    latency_ms: float


@action(event="sharing:records:read", writes=False)
def exchange_records(
    ctx: ActionContext, *, unit_id: uuid.UUID | None = None, limit: int = 200
) -> list[ExchangeRecordPublic]:
    """The exchange records themselves (交换记录), newest first: a unit's, or all."""
    ctx.authorize(unit_id=unit_id)
    query = select(ExchangeRecordRow).order_by(ExchangeRecordRow.at.desc())
    if unit_id is not None:
        query = query.where(
            (ExchangeRecordRow.consumer_unit_id == unit_id)
            | (ExchangeRecordRow.provider_unit_id == unit_id)
        )
    rows = list(ctx.session.execute(query.limit(min(limit, 5000))).scalars())
    ctx.detail(unit_id=unit_id, rows=len(rows))
    return [ExchangeRecordPublic.model_validate(r) for r in rows]
