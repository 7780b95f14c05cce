"""Small interfaces between features, implemented by whichever feature owns the data.

- :class:`ResourceDirectory` — the catalog tells others what a resource is
  (its :class:`ResourceFacts`): the lake, sharing and open data ask it.
- :class:`GrantLookup` — the sharing and open-data features tell readers whether
  an actor holds an approved grant for a resource.
- :class:`ExchangeLog` — the sharing feature keeps a record of every data exchange
  (交换记录, the records the 2025 sharing regulation requires); the dispatcher hands it
  each data-access action's outcome and latency, in that action's transaction.

Until a feature provides its implementation, the composition root uses the
empty ones below: no resources are known and nobody holds a grant (deny by default).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from xiangshu.domain.access import GrantFacts, ResourceFacts
from xiangshu.domain.roles import Actor


class ResourceDirectory(Protocol):
    def facts(self, session: Session, reference: str) -> ResourceFacts | None:
        """The resource with this ID or rendered code, or None."""
        ...


class GrantLookup(Protocol):
    def grant_for(
        self, session: Session, actor: Actor, resource_id: uuid.UUID
    ) -> GrantFacts | None:
        """The actor's (or its unit's) current grant for the resource, or None."""
        ...


class NoResources:
    def facts(self, session: Session, reference: str) -> ResourceFacts | None:
        return None


class NoGrants:
    def grant_for(
        self, session: Session, actor: Actor, resource_id: uuid.UUID
    ) -> GrantFacts | None:
        return None


class ExchangeLog(Protocol):
    def wants(self, event: str | None) -> bool:
        """Whether actions with this audit event are exchanges to record."""
        ...

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
        """Write one exchange record (in the caller's transaction)."""
        ...


class NoExchangeLog:
    def wants(self, event: str | None) -> bool:
        return False

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
        return None
