"""Reference data: GB/T 2260 divisions and the versions loaded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from xiangshu.storage.models.base import Base


class ReferenceDataset(Base):
    """Which version of a reference list is loaded (e.g. GB/T 2260 as of 2024-12-31)."""

    __tablename__ = "reference_dataset"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    version: Mapped[str] = mapped_column(String(50))
    checksum: Mapped[str] = mapped_column(String(64))  # SM3 of the shipped files
    loaded_at: Mapped[datetime]


class DivisionRow(Base):
    __tablename__ = "division"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    level: Mapped[str] = mapped_column(String(20))
    parent_code: Mapped[str | None] = mapped_column(String(6), index=True)
    retired_in: Mapped[int | None]
    successor_code: Mapped[str | None] = mapped_column(ForeignKey("division.code"))
    established_in: Mapped[int | None]
