"""Grants in the metadata store, and the sharing feature's :class:`GrantLookup`.

Every lake read path (records, lookups, exports, versions) and every exchange path of
the sharing feature asks :meth:`SharingGrants.grant_for`; ``policies/data_access.py``
then decides on the answer alone.

A government unit that uses a 无条件共享 resource for the first time gets a grant
"on first use, recorded": its ID is derived from the unit and the resource
(:func:`auto_grant_id`), the lookup answers with it at once, and the exchange log
stores the grant row and its audit event in the transaction of the first successful
read (lookups never write: some run in read-only transactions).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import orjson
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from xiangshu.clock import Clock
from xiangshu.domain.access import GrantFacts, ResourceStatus, ShareType
from xiangshu.domain.roles import Actor
from xiangshu.domain.sharing.grants import GrantSource, HolderKind, Usage, limit_problem
from xiangshu.domain.workdays import BEIJING
from xiangshu.errors import RateLimited
from xiangshu.settings import Settings
from xiangshu.storage.models.catalog import DataItemRow, ResourceRow
from xiangshu.storage.models.sharing import ExchangeRecordRow, GrantRow

ALL_FIELDS = "*"
AUTO_GRANT_NAMESPACE = uuid.UUID("5f0b2c1e-7a4d-4c36-9a51-0d7e3b1c2a90")


def auto_grant_id(unit_id: uuid.UUID, resource_id: uuid.UUID, generation: int = 0) -> uuid.UUID:
    """The ID of a unit's grant for an unconditionally shared resource (stable, derived).

    ``generation`` counts the unit's earlier first-use grants of the resource that
    expired: the next use after an expiry makes the next grant, recorded again.
    """
    return uuid.uuid5(AUTO_GRANT_NAMESPACE, f"{unit_id}:{resource_id}:{generation}")


def holder_filter(actor: Actor) -> list[object]:
    """Grant rows that belong to this actor: its unit's, its own (user) or its app's."""
    conditions: list[object] = []
    if actor.unit_id is not None:
        conditions.append(GrantRow.holder_unit_id == actor.unit_id)
    if actor.user_id is not None:
        conditions.append(GrantRow.holder_user_id == actor.user_id)
    if actor.app_id is not None:
        conditions.append(GrantRow.holder_app_id == actor.app_id)
    return conditions


def active_grants(
    session: Session, actor: Actor, resource_id: uuid.UUID, now: datetime
) -> list[GrantRow]:
    conditions = holder_filter(actor)
    if not conditions:
        return []
    return list(
        session.execute(
            select(GrantRow)
            .where(
                GrantRow.resource_id == resource_id,
                or_(*conditions),  # type: ignore[arg-type]
                GrantRow.revoked_at.is_(None),
                GrantRow.valid_from <= now,
                GrantRow.valid_until > now,
            )
            .order_by(GrantRow.valid_until.desc())
        ).scalars()
    )


def resource_fields(session: Session, resource_id: uuid.UUID) -> frozenset[str]:
    return frozenset(
        session.execute(
            select(DataItemRow.field).where(DataItemRow.resource_id == resource_id)
        ).scalars()
    )


def grant_fields(session: Session, row: GrantRow) -> frozenset[str]:
    listed = frozenset(orjson.loads(row.fields))
    if ALL_FIELDS in listed:
        return resource_fields(session, row.resource_id)
    return listed


def beijing_day_start(now: datetime) -> datetime:
    local = now.astimezone(BEIJING)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def usage(session: Session, grant_id: uuid.UUID, now: datetime) -> Usage:
    calls = session.execute(
        select(func.count())
        .select_from(ExchangeRecordRow)
        .where(
            ExchangeRecordRow.grant_id == grant_id,
            ExchangeRecordRow.at > now - timedelta(minutes=1),
            ExchangeRecordRow.result != "rate_limited",
        )
    ).scalar_one()
    rows = session.execute(
        select(func.coalesce(func.sum(ExchangeRecordRow.rows), 0)).where(
            ExchangeRecordRow.grant_id == grant_id,
            ExchangeRecordRow.at >= beijing_day_start(now),
        )
    ).scalar_one()
    return Usage(calls_last_minute=int(calls), rows_today=int(rows))


class SharingGrants:
    """``actions.ports.GrantLookup`` over the grant table (and unconditional first use)."""

    def __init__(self, clock: Clock, settings: Settings) -> None:
        self.clock = clock
        self.settings = settings

    def grant_for(
        self, session: Session, actor: Actor, resource_id: uuid.UUID
    ) -> GrantFacts | None:
        if actor.is_system or actor.is_public:
            return None
        now = self.clock.now()
        rows = active_grants(session, actor, resource_id, now)
        chosen = _prefer(rows)
        resource = session.execute(
            select(ResourceRow.share_type, ResourceRow.status, ResourceRow.provider_unit_id).where(
                ResourceRow.id == resource_id
            )
        ).first()
        unconditional = (
            resource is not None
            and resource.share_type == ShareType.UNCONDITIONAL.value
            and resource.status == ResourceStatus.PUBLISHED.value
            and resource.provider_unit_id != actor.unit_id
        )
        if chosen is not None:
            facts = GrantFacts(
                resource_id=resource_id,
                fields=grant_fields(session, chosen),
                clear_values=chosen.clear_values,
                purpose=chosen.purpose,
                grant_id=chosen.id,
            )
            limits = (chosen.calls_per_minute, chosen.rows_per_day)
        else:
            ended = _ended(session, actor, resource_id, now, unconditional=unconditional)
            if ended is not None:
                return ended
            found = self._first_use(session, actor, resource_id) if unconditional else None
            if found is None:
                return None
            facts = found
            limits = (
                self.settings.sharing_default_calls_per_minute,
                self.settings.sharing_default_rows_per_day,
            )
        assert facts.grant_id is not None
        problem = limit_problem(usage(session, facts.grant_id, now), *limits)
        if problem:
            raise RateLimited(problem, details={"grant_id": str(facts.grant_id)})
        return facts

    def _first_use(
        self, session: Session, actor: Actor, resource_id: uuid.UUID
    ) -> GrantFacts | None:
        """A unit's grant-to-be for a 无条件共享 resource it has no current grant for."""
        if not actor.is_government or actor.unit_id is None:
            return None
        earlier = session.execute(
            select(func.count())
            .select_from(GrantRow)
            .where(
                GrantRow.holder_unit_id == actor.unit_id,
                GrantRow.resource_id == resource_id,
                GrantRow.source == GrantSource.UNCONDITIONAL.value,
            )
        ).scalar_one()
        return GrantFacts(
            resource_id=resource_id,
            fields=resource_fields(session, resource_id),
            clear_values=False,
            purpose=UNCONDITIONAL_PURPOSE,
            grant_id=auto_grant_id(actor.unit_id, resource_id, int(earlier)),
        )


def _ended(
    session: Session, actor: Actor, resource_id: uuid.UUID, now: datetime, *, unconditional: bool
) -> GrantFacts | None:
    """Why the holder's latest grant no longer holds, when that should refuse the read.

    A revoked grant refuses even a 无条件共享 resource (the provider or the authority
    stopped this unit); an expired one refuses a conditional resource with its date
    (a first-use grant of an unconditional resource is simply renewed).
    """
    conditions = holder_filter(actor)
    if not conditions:
        return None
    latest = session.execute(
        select(GrantRow)
        .where(GrantRow.resource_id == resource_id, or_(*conditions))  # type: ignore[arg-type]
        .order_by(GrantRow.created_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    if latest is None:
        return None
    if latest.revoked_at is not None and latest.revoked_at <= now:
        ended = (
            f"the grant was revoked on {latest.revoked_at.astimezone(BEIJING):%Y-%m-%d}"
            f"{': ' + latest.revoke_reason if latest.revoke_reason else ''}"
        )
    elif latest.valid_until <= now and not unconditional:
        ended = (
            f"the grant expired on {latest.valid_until.astimezone(BEIJING):%Y-%m-%d}; "
            "apply again (重新申请)"
        )
    else:
        return None
    return GrantFacts(resource_id=resource_id, fields=frozenset(), grant_id=latest.id, ended=ended)


UNCONDITIONAL_PURPOSE = "无条件共享：按本单位履职需要使用"


def _prefer(rows: list[GrantRow]) -> GrantRow | None:
    """The grant that decides: one from a request or the authority before a first-use one."""
    if not rows:
        return None
    ranked = sorted(
        rows,
        key=lambda r: (r.source == GrantSource.UNCONDITIONAL.value, -r.valid_until.timestamp()),
    )
    return ranked[0]


def new_auto_grant(
    grant_id: uuid.UUID,
    *,
    unit_id: uuid.UUID,
    resource: ResourceRow,
    now: datetime,
    days: int,
    calls_per_minute: int,
    rows_per_day: int,
) -> GrantRow:
    return GrantRow(
        id=grant_id,
        resource_id=resource.id,
        provider_unit_id=resource.provider_unit_id,
        holder_kind=HolderKind.UNIT.value,
        holder_unit_id=unit_id,
        fields=orjson.dumps([ALL_FIELDS]).decode(),
        clear_values=False,
        purpose=UNCONDITIONAL_PURPOSE,
        intended_use="work_reference",
        source=GrantSource.UNCONDITIONAL.value,
        exchange_modes=orjson.dumps(["api", "file", "table"]).decode(),
        valid_from=now,
        valid_until=now + timedelta(days=days),
        rows_per_day=rows_per_day,
        calls_per_minute=calls_per_minute,
        created_at=now,
        created_by="system (无条件共享 first use)",
    )
