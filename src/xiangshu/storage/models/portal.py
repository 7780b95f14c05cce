"""The open-data portal (S06): usage counters, rate-limit windows, app quotas, reuses,
data requests, error reports and applications for conditional open data (有条件开放)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xiangshu.storage.models.base import Base, IdMixin


class UsageCountRow(Base):
    """Views, downloads and API calls of one dataset on one (Beijing) day, aggregated.

    Web workers count in memory and add their counts here every few seconds, so a page
    view never waits for a write (``storage/portal/usage.py``)."""

    __tablename__ = "portal_usage"

    resource_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # view, download, api
    count: Mapped[int] = mapped_column(BigInteger)


class RateWindowRow(Base):
    """Requests of one client (an app, a user, an address) in one minute (fixed window),
    shared by every web worker."""

    __tablename__ = "portal_rate"

    bucket: Mapped[str] = mapped_column(String(120), primary_key=True)
    window: Mapped[int] = mapped_column(BigInteger, primary_key=True, index=True)  # epoch minute
    count: Mapped[int] = mapped_column(Integer)


class AppQuotaRow(Base):
    """A per-app rate limit set by a platform administrator (else the node's default)."""

    __tablename__ = "portal_app_quota"

    app_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True
    )
    per_minute: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[datetime]


class ReuseRow(IdMixin, Base):
    """An application, visualisation or article made with open data (应用展示)."""

    __tablename__ = "portal_reuse"

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20))
    dataset_ids: Mapped[str] = mapped_column(Text)  # JSON list of resource IDs
    submitted_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    submitter_name: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending, published, rejected
    created_at: Mapped[datetime]
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None]
    review_note: Mapped[str] = mapped_column(Text, default="")


class DataRequestRow(IdMixin, Base):
    """A citizen's or developer's request for data (数据需求); a unit answers it."""

    __tablename__ = "portal_data_request"

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unit.id"), index=True)
    requested_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    requester_name: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), index=True)  # open, planned, answered, …
    created_at: Mapped[datetime]
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[str | None] = mapped_column(String(100))
    answered_at: Mapped[datetime | None]
    resource_id: Mapped[uuid.UUID | None]  # the dataset that answers it, if any


class ErrorReportRow(IdMixin, Base):
    """A public report of wrong or doubtful data in a dataset (纠错); the provider answers."""

    __tablename__ = "portal_error_report"

    resource_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_resource.id"), index=True)
    reported_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    reporter_name: Mapped[str] = mapped_column(String(100))
    field: Mapped[str | None] = mapped_column(String(63))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)  # open, confirmed, fixed, rejected
    created_at: Mapped[datetime]
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[str | None] = mapped_column(String(100))
    answered_at: Mapped[datetime | None]


class OpenApplicationRow(IdMixin, Base):
    """An application for conditional open data (有条件开放): purpose, fields, the accepted
    agreement, and the provider's decision. An approved, unexpired one is a grant."""

    __tablename__ = "portal_application"

    resource_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_resource.id"), index=True)
    applicant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    applicant_name: Mapped[str] = mapped_column(String(100))
    purpose: Mapped[str] = mapped_column(Text)
    fields: Mapped[str] = mapped_column(Text)  # JSON list
    agreement_version: Mapped[str] = mapped_column(String(20))
    agreed_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending, approved, rejected, …
    created_at: Mapped[datetime]
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_by_id: Mapped[uuid.UUID | None]
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    valid_until: Mapped[datetime | None]


__all__ = [
    "AppQuotaRow",
    "DataRequestRow",
    "ErrorReportRow",
    "OpenApplicationRow",
    "RateWindowRow",
    "ReuseRow",
    "UsageCountRow",
]
