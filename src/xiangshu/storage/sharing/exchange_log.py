"""交换记录: one row per data exchange, written by the dispatcher through this log.

Which actions are exchanges is listed here (:data:`EXCHANGE_EVENTS`): reading pages,
key lookups, exports, verifications (核验), change-feed pages (库表) and file
downloads (文件). A successful read is recorded in its own transaction, with the
fields and rows it returned; a refused or failed one in the refusal's (or its own)
transaction, with the error code as result. Reads by the node itself (console) and
by the provider of its own data are not exchanges and are not recorded here (the
audit log has them).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xiangshu.domain.access import ShareType
from xiangshu.domain.roles import Actor
from xiangshu.domain.sharing.grants import GrantSource
from xiangshu.settings import Settings
from xiangshu.storage.audit_log import append_event
from xiangshu.storage.catalog import resource_by_reference
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.models.sharing import ExchangeRecordRow, GrantRow
from xiangshu.storage.sharing.grants import auto_grant_id, new_auto_grant

EXCHANGE_EVENTS = {
    "lake:records:query": "query",
    "lake:record:lookup": "lookup",
    "lake:records:export": "export",
    "sharing:record:verify": "verify",
    "sharing:changes:read": "changes",
    "sharing:file:download": "download",
}


def _uuid(text: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text))
    except (TypeError, ValueError):
        return None


class SharingExchangeLog:
    """``actions.ports.ExchangeLog`` writing :class:`ExchangeRecordRow` rows."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def wants(self, event: str | None) -> bool:
        return event in EXCHANGE_EVENTS

    def record(
        self,
        session: Session,
        *,
        actor: Actor,
        event: str,
        at: datetime,
        outcome: str,
        latency_ms: float,
        target_id: str | None,
        reference: str | None,
        details: dict[str, Any],
    ) -> None:
        if actor.is_system:
            return
        resource = self._resource(session, target_id, reference)
        provider = resource.provider_unit_id if resource is not None else None
        if outcome == "ok" and provider is not None and actor.unit_id == provider:
            return
        grant = self._grant(session, actor, resource, details, at, outcome)
        session.add(
            ExchangeRecordRow(
                at=at,
                kind=EXCHANGE_EVENTS.get(event, event),
                event=event,
                resource_id=resource.id if resource is not None else None,
                resource_code=resource.code if resource is not None else (reference or "")[:50],
                provider_unit_id=provider,
                consumer_unit_id=actor.unit_id,
                user_id=actor.user_id,
                app_id=actor.app_id,
                actor_name=actor.name,
                fields=orjson.dumps(list(details.get("fields") or [])).decode(),
                rows=int(details.get("rows") or 0),
                grant_id=grant.id if grant is not None else None,
                request_id=grant.request_id if grant is not None else None,
                purpose=str(details.get("purpose") or (grant.purpose if grant else "")),
                result=outcome,
                latency_ms=round(latency_ms, 3),
            )
        )

    @staticmethod
    def _resource(
        session: Session, target_id: str | None, reference: str | None
    ) -> ResourceRow | None:
        found = _uuid(target_id)
        if found is not None:
            row = session.get(ResourceRow, found)
            if row is not None:
                return row
        return resource_by_reference(session, reference) if reference else None

    def _grant(
        self,
        session: Session,
        actor: Actor,
        resource: ResourceRow | None,
        details: dict[str, Any],
        at: datetime,
        outcome: str,
    ) -> GrantRow | None:
        grant_id = _uuid(details.get("grant_id"))
        if grant_id is None:
            return None
        row = session.get(GrantRow, grant_id)
        if row is not None or outcome != "ok" or resource is None or actor.unit_id is None:
            return row
        if resource.share_type != ShareType.UNCONDITIONAL.value:
            return None
        # First use of an unconditionally shared resource: the grant the lookup promised.
        earlier = session.execute(
            select(func.count())
            .select_from(GrantRow)
            .where(
                GrantRow.holder_unit_id == actor.unit_id,
                GrantRow.resource_id == resource.id,
                GrantRow.source == GrantSource.UNCONDITIONAL.value,
            )
        ).scalar_one()
        if auto_grant_id(actor.unit_id, resource.id, int(earlier)) != grant_id:
            return None
        row = new_auto_grant(
            grant_id,
            unit_id=actor.unit_id,
            resource=resource,
            now=at,
            days=self.settings.sharing_auto_grant_days,
            calls_per_minute=self.settings.sharing_default_calls_per_minute,
            rows_per_day=self.settings.sharing_default_rows_per_day,
        )
        session.add(row)
        session.flush()
        append_event(
            session,
            event="sharing:grant:create",
            actor=actor,
            occurred_at=at,
            target_kind="grant",
            target_id=str(grant_id),
            details={
                "source": "unconditional",
                "resource": resource.code,
                "holder_unit_id": str(actor.unit_id),
                "valid_until": row.valid_until.isoformat(),
            },
        )
        return row


def exchange_fields(row: ExchangeRecordRow) -> list[str]:
    return list(orjson.loads(row.fields))


def records_of_grant(session: Session, grant_id: uuid.UUID) -> list[ExchangeRecordRow]:
    return list(
        session.execute(
            select(ExchangeRecordRow)
            .where(ExchangeRecordRow.grant_id == grant_id)
            .order_by(ExchangeRecordRow.at)
        ).scalars()
    )
