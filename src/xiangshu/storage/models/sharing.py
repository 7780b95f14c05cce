"""Sharing and exchange: requests and their history, grants, exchange records,
subscriptions and their notifications, error reports, file tickets.

Lists (fields, modes) are canonical JSON text. Personal values a consumer reports
(row keys, claimed values, evidence) are sealed with SM4-GCM (``*_sealed`` columns).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xiangshu.storage.models.base import Base, IdMixin


class ShareRequestRow(IdMixin, Base):
    """共享申请: a unit asks a provider for fields of a conditionally shared resource."""

    __tablename__ = "share_request"

    number: Mapped[str] = mapped_column(String(24), unique=True)
    resource_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_resource.id"), index=True)
    resource_code: Mapped[str] = mapped_column(String(50))
    resource_name: Mapped[str] = mapped_column(String(200))
    provider_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), index=True)
    requester_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), index=True)
    requester_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    requester_name: Mapped[str] = mapped_column(String(100))
    purpose: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    fields: Mapped[str] = mapped_column(Text)  # JSON list
    intended_use: Mapped[str] = mapped_column(String(30))
    intended_use_note: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[date]
    valid_until: Mapped[date]
    exchange_mode: Mapped[str] = mapped_column(String(10))
    expected_volume: Mapped[str] = mapped_column(String(200))
    clear_values: Mapped[bool]
    clear_reason: Mapped[str] = mapped_column(Text)
    rows_per_day: Mapped[int | None] = mapped_column(BigInteger)
    calls_per_minute: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)
    submitted_at: Mapped[datetime] = mapped_column(index=True)
    due_on: Mapped[date]
    due_provisional: Mapped[bool]
    reminded_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    escalation_reason: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[str | None] = mapped_column(String(100))
    answered_role: Mapped[str | None] = mapped_column(String(20))  # provider / authority
    answered_late: Mapped[bool] = mapped_column(default=False)
    granted_fields: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    reason: Mapped[str] = mapped_column(Text, default="")  # refusal / partial reasons
    grant_id: Mapped[uuid.UUID | None]
    disputed_at: Mapped[datetime | None]
    dispute_reason: Mapped[str] = mapped_column(Text, default="")


class ShareRequestEventRow(IdMixin, Base):
    """One step of a request's history (submit, remind, escalate, answer, dispute …)."""

    __tablename__ = "share_request_event"

    request_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("share_request.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime]
    actor_name: Mapped[str] = mapped_column(String(100))
    actor_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(20))
    status_after: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")


class ShareAttachmentRow(IdMixin, Base):
    """A file attached to a request (公函, 依据文件); stored by its SM3 under the data dir."""

    __tablename__ = "share_attachment"

    request_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("share_request.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sm3: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))


class GrantRow(IdMixin, Base):
    """授权: fields of a resource, for a purpose and a time, held by a unit, user or app."""

    __tablename__ = "share_grant"

    resource_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_resource.id"), index=True)
    provider_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), index=True)
    holder_kind: Mapped[str] = mapped_column(String(10))
    holder_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unit.id"), index=True)
    holder_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id"), index=True
    )
    holder_app_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("application.id"), index=True
    )
    fields: Mapped[str] = mapped_column(Text)  # JSON list; ["*"] = every field, now and later
    clear_values: Mapped[bool]
    purpose: Mapped[str] = mapped_column(Text)
    intended_use: Mapped[str] = mapped_column(String(30))
    source: Mapped[str] = mapped_column(String(20))
    request_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("share_request.id"))
    exchange_modes: Mapped[str] = mapped_column(String(60))  # JSON list
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime] = mapped_column(index=True)
    rows_per_day: Mapped[int] = mapped_column(BigInteger)
    calls_per_minute: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(String(100))
    revoke_reason: Mapped[str] = mapped_column(Text, default="")


class ExchangeRecordRow(IdMixin, Base):
    """交换记录: one call or transfer, as the 2025 sharing regulation requires them kept."""

    __tablename__ = "exchange_record"

    at: Mapped[datetime] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20))  # query, lookup, export, verify, changes, file
    event: Mapped[str] = mapped_column(String(100))
    resource_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    resource_code: Mapped[str] = mapped_column(String(50))
    provider_unit_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    consumer_unit_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    user_id: Mapped[uuid.UUID | None]
    app_id: Mapped[uuid.UUID | None]
    actor_name: Mapped[str] = mapped_column(String(100))
    fields: Mapped[str] = mapped_column(Text)  # JSON list of the fields returned
    rows: Mapped[int] = mapped_column(BigInteger)
    grant_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    request_id: Mapped[uuid.UUID | None]
    purpose: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(String(30))  # ok or the error code
    latency_ms: Mapped[float] = mapped_column(Float)


class SubscriptionRow(IdMixin, Base):
    """A consumer's subscription to a resource's new versions (webhook and/or pull feed)."""

    __tablename__ = "share_subscription"

    resource_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_resource.id"), index=True)
    subscriber_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unit.id"), index=True)
    subscriber_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    created_by: Mapped[str] = mapped_column(String(100))
    callback_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
    last_version: Mapped[int] = mapped_column(Integer)  # newest version already notified
    last_seq: Mapped[int] = mapped_column(BigInteger)  # feed position of the newest notice


class NotificationRow(IdMixin, Base):
    """One notice of a new version to one subscription; delivered, retried or dead."""

    __tablename__ = "share_notification"
    __table_args__ = (
        UniqueConstraint("subscription_id", "seq"),
        UniqueConstraint("subscription_id", "version"),
    )

    subscription_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("share_subscription.id"), index=True
    )
    seq: Mapped[int] = mapped_column(BigInteger)
    resource_id: Mapped[uuid.UUID]
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON, the body that is signed
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending delivered dead feed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_status: Mapped[int | None] = mapped_column(Integer)
    delivered_at: Mapped[datetime | None]


class ErrorReportRow(IdMixin, Base):
    """纠错: a consumer says a value is wrong; the provider confirms, corrects or rejects."""

    __tablename__ = "share_error_report"

    number: Mapped[str] = mapped_column(String(24), unique=True)
    resource_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_resource.id"), index=True)
    resource_code: Mapped[str] = mapped_column(String(50))
    provider_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), index=True)
    reporter_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unit.id"), index=True)
    reporter_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    reporter_name: Mapped[str] = mapped_column(String(100))
    field: Mapped[str] = mapped_column(String(63))
    row_key_sealed: Mapped[str] = mapped_column(Text)
    claimed_value_sealed: Mapped[str] = mapped_column(Text)
    evidence_sealed: Mapped[str] = mapped_column(Text)
    reported_version: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime]
    due_on: Mapped[date]
    due_provisional: Mapped[bool]
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text, default="")
    corrected_version: Mapped[int | None] = mapped_column(Integer)
    resolved_at: Mapped[datetime | None]


class FileTicketRow(IdMixin, Base):
    """文件 exchange: an exported file behind a signed, expiring download link."""

    __tablename__ = "share_file_ticket"

    resource_id: Mapped[uuid.UUID] = mapped_column(index=True)
    grant_id: Mapped[uuid.UUID | None]
    holder_unit_id: Mapped[uuid.UUID | None]
    holder_user_id: Mapped[uuid.UUID | None]
    holder_app_id: Mapped[uuid.UUID | None]
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    rows: Mapped[int] = mapped_column(BigInteger)
    sm3: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime]
    downloads: Mapped[int] = mapped_column(Integer, default=0)
