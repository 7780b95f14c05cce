"""Subscriptions (订阅): a consumer hears of each new version of a resource.

Each new version makes one notice per active subscription (``notifications_enqueue``,
run by the worker). A subscription with a callback URL gets it as a webhook POST
signed with the node's SM2 key, retried with backoff (``webhook_retry_minutes``); after
the last retry the notice is dead — listed, and replayable. Every subscription also
has a pull feed (``notification_feed``) for consumers that cannot receive webhooks.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import orjson
from sqlalchemy import func, select

from xiangshu.actions.context import ActionContext
from xiangshu.actions.lake_common import grant_of, resource_facts
from xiangshu.actions.registry import action
from xiangshu.domain.audit import canonical_json
from xiangshu.domain.roles import Role
from xiangshu.domain.sharing.webhooks import DeliveryOutcome, next_attempt
from xiangshu.errors import Conflict, NotFound, PermissionDenied, Problem, invalid
from xiangshu.schemas.sharing import NotificationPublic, SubscriptionCreate, SubscriptionPublic
from xiangshu.storage.lake.bookkeeping import current_version
from xiangshu.storage.models import LakeVersionRow
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.models.sharing import NotificationRow, SubscriptionRow
from xiangshu.storage.sharing.requests import unit_names

PENDING, DELIVERED, DEAD, FEED = "pending", "delivered", "dead", "feed"


def _url_problem(url: str | None) -> Problem | None:
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return Problem("the callback is an http(s) URL", field="callback_url", value=url[:100])
    return None


def subscription_public(ctx: ActionContext, row: SubscriptionRow) -> SubscriptionPublic:
    resource = ctx.session.get(ResourceRow, row.resource_id)
    counts = dict(
        ctx.session.execute(
            select(NotificationRow.status, func.count())
            .where(NotificationRow.subscription_id == row.id)
            .group_by(NotificationRow.status)
        ).all()
    )
    name = ""
    if row.subscriber_unit_id is not None:
        name = unit_names(ctx.session, {row.subscriber_unit_id}).get(row.subscriber_unit_id, "")
    return SubscriptionPublic(
        id=row.id,
        resource_id=row.resource_id,
        resource_code=resource.code if resource else "",
        resource_name=resource.name if resource else "",
        subscriber_unit_id=row.subscriber_unit_id,
        subscriber_name=name or row.created_by,
        callback_url=row.callback_url,
        created_at=row.created_at,
        cancelled_at=row.cancelled_at,
        last_version=row.last_version,
        pending=int(counts.get(PENDING, 0)),
        dead=int(counts.get(DEAD, 0)),
    )


def notification_public(row: NotificationRow) -> NotificationPublic:
    return NotificationPublic(
        id=row.id,
        subscription_id=row.subscription_id,
        seq=row.seq,
        resource_id=row.resource_id,
        version=row.version,
        created_at=row.created_at,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        last_status=row.last_status,
        delivered_at=row.delivered_at,
        payload=orjson.loads(row.payload),
    )


@action(event="sharing:subscription:create")
def subscription_create(ctx: ActionContext, data: SubscriptionCreate) -> SubscriptionPublic:
    """Subscribe to a resource's new versions (webhook and/or pull feed); readers only."""
    facts = resource_facts(ctx, ctx.session, data.resource)
    ctx.authorize(facts=facts, grant=grant_of(ctx, ctx.session, facts))
    problem = _url_problem(data.callback_url)
    if problem:
        raise invalid([problem])
    current = current_version(ctx.session, facts.resource_id)
    row = SubscriptionRow(
        resource_id=facts.resource_id,
        subscriber_unit_id=ctx.actor.unit_id,
        subscriber_user_id=ctx.actor.user_id,
        created_by=ctx.actor.name,
        callback_url=data.callback_url,
        created_at=ctx.now,
        last_version=current[1].number if current else 0,
        last_seq=0,
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.target("subscription", row.id)
    ctx.detail(resource=facts.code, callback_url=data.callback_url)
    return subscription_public(ctx, row)


def _subscription(ctx: ActionContext, subscription_id: uuid.UUID) -> SubscriptionRow:
    row = ctx.session.get(SubscriptionRow, subscription_id)
    if row is None:
        raise NotFound(f"no subscription {subscription_id}")
    return row


@action(event="sharing:subscription:cancel")
def subscription_cancel(ctx: ActionContext, subscription_id: uuid.UUID) -> SubscriptionPublic:
    """Cancel a subscription: no more notices; pending ones are dropped."""
    row = _subscription(ctx, subscription_id)
    ctx.authorize(subscriber_unit_id=row.subscriber_unit_id)
    if row.cancelled_at is not None:
        raise Conflict("the subscription is already cancelled")
    row.cancelled_at = ctx.now
    for notice in ctx.session.execute(
        select(NotificationRow).where(
            NotificationRow.subscription_id == row.id, NotificationRow.status == PENDING
        )
    ).scalars():
        notice.status = DEAD
        notice.last_error = "subscription cancelled"
        notice.next_attempt_at = None
    ctx.target("subscription", row.id)
    return subscription_public(ctx, row)


@action(event=None, writes=False)
def subscription_list(ctx: ActionContext, *, everyone: bool = False) -> list[SubscriptionPublic]:
    """The actor's unit's subscriptions (or every one, for administrators and auditors)."""
    ctx.authorize()
    query = select(SubscriptionRow).order_by(SubscriptionRow.created_at.desc())
    if everyone:
        if not (
            ctx.actor.is_system
            or ctx.actor.has(Role.PLATFORM_ADMIN, Role.AUDITOR, Role.SHARING_AUTHORITY)
        ):
            raise PermissionDenied("every subscription is shown to administrators and auditors")
    else:
        query = query.where(SubscriptionRow.subscriber_unit_id == ctx.actor.unit_id)
    return [subscription_public(ctx, r) for r in ctx.session.execute(query).scalars()]


@action(event=None, writes=False)
def notification_feed(
    ctx: ActionContext,
    subscription_id: uuid.UUID,
    *,
    after: int = 0,
    limit: int = 100,
    status: str | None = None,
) -> list[NotificationPublic]:
    """The pull feed: notices after position ``after`` (or only dead ones: status=dead)."""
    row = _subscription(ctx, subscription_id)
    ctx.authorize(subscriber_unit_id=row.subscriber_unit_id)
    query = select(NotificationRow).where(
        NotificationRow.subscription_id == row.id, NotificationRow.seq > after
    )
    if status:
        query = query.where(NotificationRow.status == status)
    rows = ctx.session.execute(query.order_by(NotificationRow.seq).limit(min(limit, 1000)))
    return [notification_public(n) for n in rows.scalars()]


@action(event="sharing:notification:replay")
def notification_replay(ctx: ActionContext, notification_id: uuid.UUID) -> NotificationPublic:
    """Send a dead notice again from the start of its retry schedule."""
    notice = ctx.session.get(NotificationRow, notification_id)
    if notice is None:
        raise NotFound(f"no notification {notification_id}")
    subscription = _subscription(ctx, notice.subscription_id)
    ctx.authorize(subscriber_unit_id=subscription.subscriber_unit_id)
    if notice.status != DEAD or subscription.callback_url is None:
        raise Conflict("only a dead webhook notice can be replayed")
    if subscription.cancelled_at is not None:
        raise Conflict("the subscription is cancelled")
    notice.status = PENDING
    notice.attempts = 0
    notice.next_attempt_at = ctx.now
    notice.claimed_until = None
    ctx.target("notification", notice.id)
    ctx.detail(version=notice.version, subscription=str(subscription.id))
    return notification_public(notice)


def _new_versions(ctx: ActionContext, row: SubscriptionRow) -> list[LakeVersionRow]:
    return list(
        ctx.session.execute(
            select(LakeVersionRow)
            .where(
                LakeVersionRow.resource_id == row.resource_id,
                LakeVersionRow.number > row.last_version,
            )
            .order_by(LakeVersionRow.number)
        ).scalars()
    )


@action(event="sharing:notifications:enqueue")
def notifications_enqueue(ctx: ActionContext) -> int:
    """Make one notice per new version per active subscription (the worker)."""
    ctx.authorize()
    made = 0
    subscriptions = ctx.session.execute(
        select(SubscriptionRow).where(SubscriptionRow.cancelled_at.is_(None))
    ).scalars()
    for row in subscriptions:
        resource = ctx.session.get(ResourceRow, row.resource_id)
        for version in _new_versions(ctx, row):
            row.last_seq += 1
            payload = {
                "event": "resource.version",
                "subscription_id": str(row.id),
                "seq": row.last_seq,
                "resource_id": str(row.resource_id),
                "resource_code": resource.code if resource else "",
                "resource_name": resource.name if resource else "",
                "version": version.number,
                "rows": version.row_count,
                "published_at": version.created_at.isoformat(),
                "changes": f"/api/v1/exchange/resources/{row.resource_id}/changes",
            }
            ctx.session.add(
                NotificationRow(
                    subscription_id=row.id,
                    seq=row.last_seq,
                    resource_id=row.resource_id,
                    version=version.number,
                    created_at=ctx.now,
                    payload=canonical_json(payload),
                    status=PENDING if row.callback_url else FEED,
                    attempts=0,
                    next_attempt_at=ctx.now if row.callback_url else None,
                )
            )
            row.last_version = version.number
            made += 1
    ctx.detail(notices=made)
    return made


@action(event="sharing:deliveries:claim")
def deliveries_claim(
    ctx: ActionContext, *, limit: int, lease_seconds: float
) -> list[tuple[uuid.UUID, str, bytes]]:
    """Take due webhook notices for delivery (the worker): (id, URL, signed body)."""
    ctx.authorize()
    due = ctx.session.execute(
        select(NotificationRow, SubscriptionRow.callback_url)
        .join(SubscriptionRow, SubscriptionRow.id == NotificationRow.subscription_id)
        .where(
            NotificationRow.status == PENDING,
            NotificationRow.next_attempt_at <= ctx.now,
            (NotificationRow.claimed_until.is_(None)) | (NotificationRow.claimed_until < ctx.now),
        )
        .order_by(NotificationRow.next_attempt_at)
        .limit(limit)
        .with_for_update(of=NotificationRow, skip_locked=True)
    ).all()
    claimed = []
    for notice, url in due:
        notice.claimed_until = ctx.now + timedelta(seconds=lease_seconds)
        claimed.append((notice.id, str(url), notice.payload.encode()))
    ctx.detail(claimed=len(claimed))
    return claimed


@action(event="sharing:delivery:attempt")
def delivery_finish(
    ctx: ActionContext, notification_id: uuid.UUID, outcome: DeliveryOutcome
) -> NotificationPublic:
    """Record one delivery attempt: delivered, or retried later, or dead after the last."""
    ctx.authorize()
    notice = ctx.session.get(NotificationRow, notification_id)
    if notice is None:
        raise NotFound(f"no notification {notification_id}")
    notice.attempts += 1
    notice.claimed_until = None
    notice.last_status = outcome.status
    notice.last_error = outcome.error[:1000]
    if outcome.ok:
        notice.status = DELIVERED
        notice.delivered_at = ctx.now
        notice.next_attempt_at = None
    else:
        retry_at: datetime | None = next_attempt(
            ctx.now, notice.attempts, ctx.settings.webhook_retries
        )
        notice.next_attempt_at = retry_at
        if retry_at is None:
            notice.status = DEAD
    ctx.target("notification", notice.id)
    ctx.detail(
        attempt=notice.attempts,
        ok=outcome.ok,
        status=outcome.status,
        error=outcome.error[:200],
        result=notice.status,
        seconds=round(outcome.seconds, 3),
    )
    return notification_public(notice)
