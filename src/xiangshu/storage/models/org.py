"""The node and the government units it serves."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from xiangshu.storage.models.base import Base, CreatedMixin, IdMixin


class NodeRow(IdMixin, CreatedMixin, Base):
    """This installation: which division it serves (one row)."""

    __tablename__ = "node"

    name: Mapped[str] = mapped_column(String(100))
    division_code: Mapped[str] = mapped_column(ForeignKey("division.code"))


class UnitRow(IdMixin, CreatedMixin, Base):
    __tablename__ = "unit"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    short_name: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(20), index=True)
    division_code: Mapped[str] = mapped_column(ForeignKey("division.code"), index=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unit.id"), index=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    catalog_code: Mapped[str] = mapped_column(String(9), unique=True)
    updated_at: Mapped[datetime | None]
