"""What an action sees: its transaction, the actor, the node's services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from xiangshu.actions.ports import (
    ExchangeLog,
    GrantLookup,
    NoExchangeLog,
    NoGrants,
    NoResources,
    ResourceDirectory,
)
from xiangshu.clock import Clock
from xiangshu.crypto.keys import KeyRing, SigningKeys
from xiangshu.crypto.passwords import PasswordHasher
from xiangshu.domain.roles import Actor
from xiangshu.domain.workdays import WorkingCalendar
from xiangshu.errors import NotAuthenticated, PermissionDenied
from xiangshu.policies.registry import Decision
from xiangshu.settings import Settings

if TYPE_CHECKING:
    from xiangshu.actions.registry import ActionSpec
    from xiangshu.storage.lake.service import Lake
    from xiangshu.storage.search.catalog_index import CatalogIndex


@dataclass
class Services:
    """Everything an action may use besides its transaction; built by the composition root."""

    settings: Settings
    clock: Clock
    passwords: PasswordHasher
    keys: KeyRing
    resources: ResourceDirectory = field(default_factory=NoResources)
    grants: GrantLookup = field(default_factory=NoGrants)
    exchange_log: ExchangeLog = field(default_factory=NoExchangeLog)
    signing: SigningKeys | None = None  # the node's SM2 keys (webhooks, receipts)
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar.official)
    catalog_index: CatalogIndex | None = None  # the catalog's search index (derived data)
    lake: Lake | None = None


@dataclass
class AuditNote:
    """An audit event an action asks the dispatcher to write in its transaction."""

    event: str
    target_kind: str | None = None
    target_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    outcome: str = "ok"


class ActionContext:
    def __init__(
        self, spec: ActionSpec, session: Session, actor: Actor, services: Services
    ) -> None:
        self.spec = spec
        self.session = session
        self.actor = actor
        self.services = services
        self.now: datetime = services.clock.now()
        self.decision: Decision | None = None
        self.note = AuditNote(event=spec.event or "")
        self.extra_notes: list[AuditNote] = []

    @property
    def settings(self) -> Settings:
        return self.services.settings

    def authorize(self, **facts: Any) -> None:
        """Ask this action's policy; raise if it says no. Every action must call this."""
        decision = self.spec.policy(self.actor, **facts)
        self.decision = decision
        if not decision.allowed:
            error = NotAuthenticated if decision.needs_login else PermissionDenied
            raise error(decision.reason, details={"action": self.spec.name})

    def target(self, kind: str, target_id: object) -> None:
        """Say what the action's audit event is about."""
        self.note.target_kind = kind
        self.note.target_id = str(target_id)

    def detail(self, **values: Any) -> None:
        """Add facts to the action's audit event."""
        self.note.details.update(values)

    def also_record(self, note: AuditNote) -> None:
        """Record one more event in this transaction (e.g. each row of a batch)."""
        self.extra_notes.append(note)
