"""Shapes of sharing and exchange: requests, decisions, grants, exchange answers."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from xiangshu.domain.sharing.grants import GrantState, HolderKind
from xiangshu.domain.sharing.requests import ExchangeMode, IntendedUse, RequestStatus, Verdict


class RequestCreate(BaseModel):
    """共享申请 as the requester fills it in."""

    model_config = ConfigDict(str_strip_whitespace=True)

    resource: str = Field(description="the resource's ID or code (信息资源代码)")
    purpose: str = Field(max_length=2000, description="申请用途")
    legal_basis: str = Field(max_length=2000, description="申请依据: law, regulation or duty")
    fields: list[str] = Field(description="the data items asked for, by field name")
    intended_use: IntendedUse
    intended_use_note: str = Field(default="", max_length=500)
    valid_from: date
    valid_until: date
    exchange_mode: ExchangeMode
    expected_volume: str = Field(default="", max_length=200)
    clear_values: bool = Field(default=False, description="personal data asked for in clear")
    clear_reason: str = Field(default="", max_length=1000)
    rows_per_day: int | None = None
    calls_per_minute: int | None = None


class DecisionIn(BaseModel):
    """An answer to a request: approve, approve some fields, or refuse with reasons."""

    model_config = ConfigDict(str_strip_whitespace=True)

    verdict: Verdict
    fields: list[str] = Field(default_factory=list, description="for approve_part")
    reason: str = Field(default="", max_length=2000)
    clear_values: bool | None = Field(
        default=None, description="allow personal data in clear (only if asked for)"
    )
    rows_per_day: int | None = Field(default=None, ge=1)
    calls_per_minute: int | None = Field(default=None, ge=1)


class NoteIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    reason: str = Field(default="", max_length=2000)


class RequestEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    actor_name: str
    kind: str
    status_after: RequestStatus
    note: str


class AttachmentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    media_type: str
    size: int
    sm3: str
    created_at: datetime
    created_by: str


class RequestPublic(BaseModel):
    id: uuid.UUID
    number: str
    resource_id: uuid.UUID
    resource_code: str
    resource_name: str
    provider_unit_id: uuid.UUID
    provider_name: str
    requester_unit_id: uuid.UUID
    requester_unit_name: str
    requester_name: str
    purpose: str
    legal_basis: str
    fields: list[str]
    intended_use: IntendedUse
    intended_use_note: str
    valid_from: date
    valid_until: date
    exchange_mode: ExchangeMode
    expected_volume: str
    clear_values: bool
    clear_reason: str
    rows_per_day: int | None
    calls_per_minute: int | None
    status: RequestStatus
    submitted_at: datetime
    due_on: date
    due_provisional: bool
    overdue: bool
    working_days_left: int | None
    reminded_at: datetime | None
    escalated_at: datetime | None
    escalation_reason: str
    answered_at: datetime | None
    answered_by: str | None
    answered_role: str | None
    answered_late: bool
    granted_fields: list[str]
    reason: str
    grant_id: uuid.UUID | None
    disputed_at: datetime | None
    dispute_reason: str
    history: list[RequestEventPublic] = Field(default_factory=list)
    attachments: list[AttachmentPublic] = Field(default_factory=list)


class RequestQueue(BaseModel):
    view: str  # mine / provider / authority / all
    requests: list[RequestPublic]
    total: int


class GrantCreate(BaseModel):
    """A grant given directly (by the authority or the provider's steward)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    resource: str
    holder_kind: HolderKind = HolderKind.UNIT
    holder_unit_id: uuid.UUID | None = None
    holder_user_id: uuid.UUID | None = None
    holder_app_id: uuid.UUID | None = None
    fields: list[str]
    clear_values: bool = False
    purpose: str = Field(max_length=2000)
    intended_use: IntendedUse = IntendedUse.BUSINESS_COLLABORATION
    exchange_modes: list[ExchangeMode] = Field(default_factory=lambda: [ExchangeMode.API])
    valid_from: datetime | None = None
    valid_until: datetime
    rows_per_day: int | None = Field(default=None, ge=1)
    calls_per_minute: int | None = Field(default=None, ge=1)
    source: str = "administrative"  # or open_application (the portal)


class GrantPublic(BaseModel):
    id: uuid.UUID
    resource_id: uuid.UUID
    resource_code: str
    resource_name: str
    provider_unit_id: uuid.UUID
    provider_name: str
    holder_kind: HolderKind
    holder_unit_id: uuid.UUID | None
    holder_name: str
    holder_user_id: uuid.UUID | None
    holder_app_id: uuid.UUID | None
    fields: list[str]
    clear_values: bool
    purpose: str
    intended_use: IntendedUse
    source: str
    request_id: uuid.UUID | None
    request_number: str | None = None
    exchange_modes: list[ExchangeMode]
    valid_from: datetime
    valid_until: datetime
    rows_per_day: int
    calls_per_minute: int
    state: GrantState
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    revoked_by: str | None
    revoke_reason: str
    calls: int = 0
    rows: int = 0


class VerifyIn(BaseModel):
    """核验: the values to check, by field; the key fields must be among them."""

    values: dict[str, str]


class VerifyResult(BaseModel):
    resource_id: uuid.UUID
    match: bool  # 一致 / 不一致
    checked_fields: list[str]
    version: int


class FileTicketPublic(BaseModel):
    id: uuid.UUID
    resource_id: uuid.UUID
    file_name: str
    media_type: str
    size: int
    rows: int
    sm3: str
    expires_at: datetime
    url: str  # path with expiry and HMAC-SM3 signature


class ChangesPage(BaseModel):
    """A page of the 库表 change feed: inserts, updates and deletes since the cursor."""

    resource_id: uuid.UUID
    from_version: int
    to_version: int
    key: str  # "_key": key values joined, or their keyed pseudonym when masked
    fields: list[str]
    types: dict[str, str]  # field → data type letter (信息项数据类型: C, N, D, …)
    masked: list[str]
    changes: list[dict[str, Any]]  # each {"op": insert|update|delete, "_key": …, fields…}
    cursor: str  # give it back to continue
    done: bool  # nothing more until the next version


class SubscriptionCreate(BaseModel):
    resource: str
    callback_url: str | None = Field(default=None, max_length=500)


class SubscriptionPublic(BaseModel):
    id: uuid.UUID
    resource_id: uuid.UUID
    resource_code: str
    resource_name: str
    subscriber_unit_id: uuid.UUID | None
    subscriber_name: str
    callback_url: str | None
    created_at: datetime
    cancelled_at: datetime | None
    last_version: int
    pending: int = 0
    dead: int = 0


class NotificationPublic(BaseModel):
    id: uuid.UUID
    subscription_id: uuid.UUID
    seq: int
    resource_id: uuid.UUID
    version: int
    created_at: datetime
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str
    last_status: int | None
    delivered_at: datetime | None
    payload: dict[str, Any]


class ErrorReportCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    resource: str
    row_key: str = Field(max_length=500, description="the record's key (composite: joined by ,)")
    field: str
    claimed_value: str = Field(max_length=2000, description="what the value should be")
    evidence: str = Field(max_length=4000, description="依据: documents, certificates, checks")


class ErrorAnswerIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    status: str = Field(description="confirmed, corrected or rejected")
    reason: str = Field(default="", max_length=2000)
    corrected_version: int | None = None


class ErrorReportPublic(BaseModel):
    id: uuid.UUID
    number: str
    resource_id: uuid.UUID
    resource_code: str
    resource_name: str
    provider_unit_id: uuid.UUID
    provider_name: str
    reporter_unit_id: uuid.UUID | None
    reporter_name: str
    field: str
    row_key: str
    claimed_value: str
    evidence: str
    reported_version: int | None
    status: str
    created_at: datetime
    due_on: date
    due_provisional: bool
    overdue: bool
    answered_at: datetime | None
    answered_by: str | None
    reason: str
    corrected_version: int | None
    resolved_at: datetime | None
