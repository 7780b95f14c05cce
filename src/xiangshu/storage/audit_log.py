"""Appending to and reading the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from xiangshu.domain.audit import AuditRecord, ChainHead, canonical_json
from xiangshu.domain.roles import Actor
from xiangshu.ids import new_id
from xiangshu.storage.models import AuditEventRow, AuditHeadRow

# Built once: an audited read pays for one small append, not for building statements.
_LOCK_HEAD = (
    select(AuditHeadRow.seq, AuditHeadRow.hash).where(AuditHeadRow.id == 1).with_for_update()
)
_EVENTS = cast(Table, AuditEventRow.__table__)
_HEAD = cast(Table, AuditHeadRow.__table__)
_INSERT_EVENT = insert(_EVENTS)
_MOVE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == 1)
    .values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))
)


def append_event(
    session: Session,
    *,
    event: str,
    actor: Actor,
    occurred_at: datetime,
    outcome: str = "ok",
    target_kind: str | None = None,
    target_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditRecord:
    """Chain one event onto the log, inside the caller's transaction.

    The head row is locked first, so concurrent transactions append one at a
    time and the chain never forks.
    """
    connection = session.connection()  # Core: the ORM adds nothing to three plain statements
    seq, prev_hash = connection.execute(_LOCK_HEAD).one()
    record = AuditRecord(
        seq=seq + 1,
        event=event,
        occurred_at=occurred_at,
        actor_kind=actor.kind.value,
        actor_id=str(actor.user_id or actor.app_id) if (actor.user_id or actor.app_id) else None,
        actor_name=actor.name,
        unit_id=str(actor.unit_id) if actor.unit_id else None,
        target_kind=target_kind,
        target_id=target_id,
        outcome=outcome,
        origin=actor.origin,
        details_json=canonical_json(details or {}),
        prev_hash=prev_hash,
    )
    record = replace(record, hash=record.computed_hash())
    connection.execute(
        _INSERT_EVENT,
        {
            "id": new_id(),
            "seq": record.seq,
            "event": record.event,
            "occurred_at": record.occurred_at,
            "actor_kind": record.actor_kind,
            "actor_id": record.actor_id,
            "actor_name": record.actor_name,
            "unit_id": record.unit_id,
            "target_kind": record.target_kind,
            "target_id": record.target_id,
            "outcome": record.outcome,
            "origin": record.origin,
            "details": record.details_json,
            "prev_hash": record.prev_hash,
            "hash": record.hash,
        },
    )
    connection.execute(_MOVE_HEAD, {"new_seq": record.seq, "new_hash": record.hash})
    return record


def as_record(row: AuditEventRow) -> AuditRecord:
    return AuditRecord(
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
        details_json=row.details,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def iter_records(session: Session, batch: int = 5000) -> Iterator[AuditRecord]:
    """Every event in sequence order, fetched in batches."""
    last = 0
    while True:
        rows = (
            session.execute(
                select(AuditEventRow)
                .where(AuditEventRow.seq > last)
                .order_by(AuditEventRow.seq)
                .limit(batch)
            )
            .scalars()
            .all()
        )
        if not rows:
            return
        for row in rows:
            yield as_record(row)
        last = rows[-1].seq


def chain_head(session: Session) -> ChainHead:
    head = session.get(AuditHeadRow, 1)
    if head is None:
        return ChainHead(0, "0" * 64)
    return ChainHead(head.seq, head.hash)


def filtered(
    *,
    event_prefix: str | None = None,
    actor_name: str | None = None,
    target_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    outcome: str | None = None,
) -> Select[AuditEventRow]:
    query = select(AuditEventRow)
    if event_prefix:
        query = query.where(AuditEventRow.event.startswith(event_prefix, autoescape=True))
    if actor_name:
        query = query.where(AuditEventRow.actor_name == actor_name)
    if target_id:
        query = query.where(AuditEventRow.target_id == target_id)
    if since:
        query = query.where(AuditEventRow.occurred_at >= since)
    if until:
        query = query.where(AuditEventRow.occurred_at < until)
    if outcome:
        query = query.where(AuditEventRow.outcome == outcome)
    return query
