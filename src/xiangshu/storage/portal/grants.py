"""Approved applications for conditional open data (有条件开放) as grants.

``OpenDataGrants`` implements ``actions.ports.GrantLookup``: it first asks the lookup it
wraps (the sharing feature's grants for government units, or ``NoGrants``), then looks
for the actor's own approved, unexpired application for the resource — the actor
being a signed-in user, or an application (AppKey) whose owner applied. The answer is
a :class:`GrantFacts` with the fields the provider approved, never personal values in
clear (open data carries no personal items; ``clear_values`` stays false).

Joining with sharing at merge time: build it as ``OpenDataGrants(inner=<sharing's
lookup>)`` in ``bootstrap.build_node``; nothing else changes.
"""

from __future__ import annotations

import uuid
from typing import Protocol

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from xiangshu.clock import Clock, SystemClock
from xiangshu.domain.access import GrantFacts
from xiangshu.domain.roles import Actor
from xiangshu.storage.models import ApplicationRow
from xiangshu.storage.models.portal import OpenApplicationRow

APPROVED = "approved"


class GrantSource(Protocol):  # the shape of ``actions.ports.GrantLookup``
    def grant_for(
        self, session: Session, actor: Actor, resource_id: uuid.UUID
    ) -> GrantFacts | None: ...


def applicant_of(session: Session, actor: Actor) -> uuid.UUID | None:
    """The user an actor applies as: the user, or the owner of the calling app."""
    if actor.user_id is not None:
        return actor.user_id
    if actor.app_id is not None:
        row = session.get(ApplicationRow, actor.app_id)
        if row is not None and row.revoked_at is None:
            return row.owner_user_id
    return None


class OpenDataGrants:
    def __init__(self, inner: GrantSource | None = None, clock: Clock | None = None) -> None:
        self.inner = inner
        self.clock = clock or SystemClock()

    def grant_for(
        self, session: Session, actor: Actor, resource_id: uuid.UUID
    ) -> GrantFacts | None:
        if self.inner is not None:
            found = self.inner.grant_for(session, actor, resource_id)
            if found is not None:
                return found
        applicant = applicant_of(session, actor)
        if applicant is None:
            return None
        now = self.clock.now()
        row = (
            session.execute(
                select(OpenApplicationRow)
                .where(
                    OpenApplicationRow.resource_id == resource_id,
                    OpenApplicationRow.applicant_id == applicant,
                    OpenApplicationRow.status == APPROVED,
                )
                .order_by(OpenApplicationRow.decided_at.desc())
            )
            .scalars()
            .first()
        )
        if row is None or (row.valid_until is not None and row.valid_until <= now):
            return None
        return GrantFacts(
            resource_id=resource_id,
            fields=frozenset(orjson.loads(row.fields)),
            clear_values=False,
            purpose=row.purpose,
            grant_id=row.id,
        )
