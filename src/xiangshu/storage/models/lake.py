"""The lake's bookkeeping in the metadata store: loads, versions, the current version.

The records themselves live in Parquet files and the serving store; these rows
say which files exist, which one is current, and what each load found.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xiangshu.storage.models.base import Base


class LakeLoadRow(Base):
    """One load of a file into a resource, published or not (数据装载记录)."""

    __tablename__ = "lake_load"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    resource_id: Mapped[uuid.UUID] = mapped_column(index=True)
    created_at: Mapped[datetime]
    actor_name: Mapped[str] = mapped_column(String(100))
    actor_unit_id: Mapped[uuid.UUID | None]
    source_name: Mapped[str] = mapped_column(String(255))
    source_format: Mapped[str] = mapped_column(String(20))
    source_encoding: Mapped[str | None] = mapped_column(String(40))
    source_bytes: Mapped[int] = mapped_column(BigInteger)
    source_sm3: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(10))
    strict: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(20))
    rows_read: Mapped[int] = mapped_column(BigInteger)
    rows_valid: Mapped[int] = mapped_column(BigInteger)
    rows_rejected: Mapped[int] = mapped_column(BigInteger)
    has_quarantine: Mapped[bool] = mapped_column(Boolean)
    report: Mapped[str] = mapped_column(Text)  # canonical JSON: tallies, absent fields, timings


class LakeVersionRow(Base):
    """An immutable version of a resource's records (数据版本)."""

    __tablename__ = "lake_version"
    __table_args__ = (UniqueConstraint("resource_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # the load's ID
    resource_id: Mapped[uuid.UUID] = mapped_column(index=True)
    number: Mapped[int] = mapped_column(Integer)
    load_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lake_load.id"))
    base_version_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime]
    mode: Mapped[str] = mapped_column(String(10))
    row_count: Mapped[int] = mapped_column(BigInteger)
    data_file: Mapped[str] = mapped_column(String(255))
    data_bytes: Mapped[int] = mapped_column(BigInteger)
    data_sm3: Mapped[str] = mapped_column(String(64))
    items: Mapped[str] = mapped_column(Text)  # the data items the version was validated against


class LakeCurrentRow(Base):
    """Which version of a resource readers see; switched in one transaction."""

    __tablename__ = "lake_current"

    resource_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lake_version.id"))
    switched_at: Mapped[datetime]
    switched_by: Mapped[str] = mapped_column(String(100))
    row_count: Mapped[int] = mapped_column(BigInteger)  # stored, never recounted per request
