"""Use cases for reading, exporting and verifying the audit log."""

from __future__ import annotations

import orjson

from xiangshu.actions.context import ActionContext
from xiangshu.actions.registry import action
from xiangshu.domain.audit import first_broken_link
from xiangshu.errors import Problem, invalid
from xiangshu.schemas.audit import AuditEventPublic, AuditFilter, AuditPage, ChainReport
from xiangshu.storage.audit_log import chain_head, filtered, iter_records
from xiangshu.storage.models import AuditEventRow

MAX_PAGE = 500
MAX_EXPORT = 1_000_000


def _public(row: AuditEventRow) -> AuditEventPublic:
    return AuditEventPublic(
        seq=row.seq,
        event=row.event,
        occurred_at=row.occurred_at,
        actor_kind=row.actor_kind,
        actor_id=row.actor_id,
        actor_name=row.actor_name,
        unit_id=row.unit_id,
        target_kind=row.target_kind,
        target_id=row.target_id,
        outcome=row.outcome,
        origin=row.origin,
        details=orjson.loads(row.details),
        hash=row.hash,
    )


def _query(where: AuditFilter):  # type: ignore[no-untyped-def]
    return filtered(**where.model_dump())


@action(event="audit:events:read", writes=False)
def audit_list(
    ctx: ActionContext, where: AuditFilter, *, limit: int = 50, before: int | None = None
) -> AuditPage:
    """Newest first, paged by sequence number."""
    ctx.authorize()
    if not 1 <= limit <= MAX_PAGE:
        raise invalid([Problem(f"limit must be between 1 and {MAX_PAGE}", field="limit")])
    query = _query(where).order_by(AuditEventRow.seq.desc()).limit(limit + 1)
    if before is not None:
        query = query.where(AuditEventRow.seq < before)
    rows = ctx.session.execute(query).scalars().all()
    events = [_public(r) for r in rows[:limit]]
    ctx.detail(filter=where.model_dump(mode="json", exclude_none=True), returned=len(events))
    return AuditPage(
        events=events, next_before=events[-1].seq if len(rows) > limit and events else None
    )


@action(event="audit:events:export", writes=False)
def audit_export(ctx: ActionContext, where: AuditFilter) -> list[AuditEventPublic]:
    """Every matching event in sequence order (for CSV or JSON Lines files)."""
    ctx.authorize()
    rows = ctx.session.execute(
        _query(where).order_by(AuditEventRow.seq).limit(MAX_EXPORT)
    ).scalars()
    events = [_public(r) for r in rows]
    ctx.detail(filter=where.model_dump(mode="json", exclude_none=True), exported=len(events))
    return events


@action(event="audit:chain:verify", writes=False)
def audit_verify(ctx: ActionContext) -> ChainReport:
    """Recompute every link of the chain and report the first broken one."""
    ctx.authorize()
    head = chain_head(ctx.session)
    checked, broken = first_broken_link(iter_records(ctx.session), head)
    report = ChainReport(
        ok=broken is None,
        checked=checked,
        head_seq=head.seq,
        broken_seq=broken.seq if broken else None,
        reason=broken.reason if broken else None,
        detail=broken.detail if broken else None,
    )
    ctx.note.outcome = "ok" if report.ok else "broken"
    ctx.detail(**report.model_dump(exclude_none=True))
    return report
