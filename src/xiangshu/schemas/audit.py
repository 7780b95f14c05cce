"""Shapes of audit events and chain verification."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class AuditFilter(BaseModel):
    event_prefix: str | None = Field(default=None, description="e.g. `org:` or `identity:session`")
    actor_name: str | None = None
    target_id: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None


class AuditEventPublic(BaseModel):
    seq: int
    event: str
    occurred_at: datetime
    actor_kind: str
    actor_id: str | None
    actor_name: str
    unit_id: str | None
    target_kind: str | None
    target_id: str | None
    outcome: str
    origin: str | None
    details: dict[str, Any]
    hash: str


class AuditPage(BaseModel):
    events: list[AuditEventPublic]
    next_before: int | None = Field(
        default=None, description="pass as `before` to get the next (older) page"
    )


class ChainReport(BaseModel):
    ok: bool
    checked: int
    head_seq: int
    broken_seq: int | None = None
    reason: str | None = None
    detail: str | None = None
