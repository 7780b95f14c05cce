"""/api/v1/audit: browse, export and verify the audit log (auditors)."""

from __future__ import annotations

import io
from datetime import datetime

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from xiangshu.actions.audit import audit_export, audit_list, audit_verify
from xiangshu.errors import Problem, invalid
from xiangshu.exports import AUDIT_FORMATS, write_audit_events
from xiangshu.schemas.audit import AuditFilter, AuditPage, ChainReport
from xiangshu.web.deps import ActorDep, NodeDep

router = APIRouter(prefix="/audit", tags=["audit"])


def audit_filter(
    event_prefix: str | None = None,
    actor_name: str | None = None,
    target_id: str | None = None,
    outcome: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> AuditFilter:
    return AuditFilter(
        event_prefix=event_prefix,
        actor_name=actor_name,
        target_id=target_id,
        outcome=outcome,
        since=since,
        until=until,
    )


@router.get("/events", response_model=AuditPage)
def list_events(
    node: NodeDep,
    actor: ActorDep,
    where: AuditFilter = Depends(audit_filter),  # noqa: B008 - FastAPI dependency
    limit: int = 50,
    before: int | None = None,
) -> AuditPage:
    """Newest events first; pass ``next_before`` back as ``before`` for older ones."""
    return node.dispatcher.run(audit_list, actor, where, limit=limit, before=before)


@router.get("/export")
def export_events(
    node: NodeDep,
    actor: ActorDep,
    where: AuditFilter = Depends(audit_filter),  # noqa: B008 - FastAPI dependency
    format: str = "csv",
) -> Response:
    """Matching events in sequence order, as CSV (UTF-8 with BOM, for Excel) or JSON Lines."""
    if format not in AUDIT_FORMATS:
        raise invalid([Problem("format is csv or jsonl", field="format", value=format)])
    events = node.dispatcher.run(audit_export, actor, where)
    buffer = io.StringIO()
    write_audit_events(events, buffer, format)
    if format == "jsonl":
        return Response(
            buffer.getvalue(),
            media_type="application/x-ndjson",
            headers={"Content-Disposition": 'attachment; filename="audit.jsonl"'},
        )
    return Response(
        "\ufeff" + buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )


@router.post("/verify", response_model=ChainReport)
def verify_chain(node: NodeDep, actor: ActorDep) -> ChainReport:
    """Recompute the SM3 chain and report the first broken link."""
    return node.dispatcher.run(audit_verify, actor)
