"""The resource catalog: classifications, resources, their data items and history."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xiangshu.storage.models.base import Base, IdMixin


class CatalogClassRow(Base):
    """A node of a classification tree (类/项/目/细目); ``code`` is rendered from the parts."""

    __tablename__ = "catalog_class"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    category: Mapped[str] = mapped_column(String(1))
    item: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(3))
    detail: Mapped[str] = mapped_column(String(6))
    name: Mapped[str] = mapped_column(String(100))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("catalog_class.code"), index=True)


class CatalogHeadRow(Base):
    """One row: the catalog's change counter. Each catalog change takes the next number
    while holding this row, so numbers follow commit order (the search index catches up
    by them)."""

    __tablename__ = "catalog_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)


class ResourceRow(IdMixin, Base):
    __tablename__ = "catalog_resource"
    __table_args__ = (
        UniqueConstraint(
            "code_category",
            "code_item",
            "code_subject",
            "code_detail",
            "code_sequence",
            name="uq_catalog_resource_code_parts",
        ),
    )

    # 信息资源代码, stored as parts; ``code`` is rendered from them for lookups only.
    code_category: Mapped[str] = mapped_column(String(1))
    code_item: Mapped[str] = mapped_column(String(2))
    code_subject: Mapped[str] = mapped_column(String(3))
    code_detail: Mapped[str] = mapped_column(String(6))
    code_sequence: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(50), unique=True)
    class_code: Mapped[str] = mapped_column(ForeignKey("catalog_class.code"), index=True)

    name: Mapped[str] = mapped_column(String(200), index=True)
    provider_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), index=True)
    provider_division: Mapped[str] = mapped_column(String(100))
    abstract: Mapped[str] = mapped_column(Text)
    format_class: Mapped[str] = mapped_column(String(20))
    format_type: Mapped[str] = mapped_column(String(100))
    share_type: Mapped[str] = mapped_column(String(20), index=True)
    share_condition: Mapped[str] = mapped_column(Text)
    share_basis: Mapped[str] = mapped_column(Text)
    share_manner_class: Mapped[str] = mapped_column(String(20))
    share_manner_types: Mapped[str] = mapped_column(String(100))  # JSON list
    open_type: Mapped[str] = mapped_column(String(20), index=True)
    open_condition: Mapped[str] = mapped_column(Text)
    update_cycle: Mapped[str] = mapped_column(String(20))
    update_cycle_note: Mapped[str] = mapped_column(String(200))
    published_on: Mapped[date | None]
    related_codes: Mapped[str] = mapped_column(Text)  # JSON list
    extension: Mapped[str] = mapped_column(Text)  # JSON object (GB/T 21063.3 extras)

    status: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[uuid.UUID | None]
    submitted_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None]
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    review_note: Mapped[str] = mapped_column(Text, default="")
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True)

    items: Mapped[list[DataItemRow]] = relationship(
        back_populates="resource",
        order_by="DataItemRow.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class DataItemRow(IdMixin, Base):
    """信息项: one column of a resource (see ``domain/data_items.py``)."""

    __tablename__ = "catalog_data_item"
    __table_args__ = (UniqueConstraint("resource_id", "field"),)

    resource_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("catalog_resource.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    field: Mapped[str] = mapped_column(String(63))
    type: Mapped[str] = mapped_column(String(1))
    length: Mapped[int | None]
    scale: Mapped[int | None]
    description: Mapped[str] = mapped_column(Text)
    required: Mapped[bool]
    enumeration: Mapped[str] = mapped_column(Text)  # JSON list
    pattern: Mapped[str | None] = mapped_column(String(500))
    is_key: Mapped[bool]
    sensitivity: Mapped[str] = mapped_column(String(20))
    check: Mapped[str] = mapped_column(String(20))
    is_base_item: Mapped[bool]
    extra: Mapped[str] = mapped_column(Text)  # JSON object

    resource: Mapped[ResourceRow] = relationship(back_populates="items")


class ResourceHistoryRow(IdMixin, Base):
    """Every change of a resource's metadata or status, with who, when and what."""

    __tablename__ = "catalog_history"

    resource_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("catalog_resource.id", ondelete="CASCADE"), index=True
    )
    change_seq: Mapped[int] = mapped_column(BigInteger)
    changed_at: Mapped[datetime]
    actor_name: Mapped[str] = mapped_column(String(100))
    actor_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(20))  # create, update, submit, return, …
    status: Mapped[str] = mapped_column(String(20))  # status after the change
    changes: Mapped[str] = mapped_column(Text)  # JSON {field: [before, after]}
    note: Mapped[str] = mapped_column(Text)
