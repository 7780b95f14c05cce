"""catalog: classifications, resources, data items, history

Revision ID: c0001
Revises: f0001
Create Date: 2026-11-28 21:24:34.528847
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0001"
down_revision: str | Sequence[str] | None = "f0001"
branch_labels: str | Sequence[str] | None = ("catalog",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalog_class",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=1), nullable=False),
        sa.Column("item", sa.String(length=2), nullable=False),
        sa.Column("subject", sa.String(length=3), nullable=False),
        sa.Column("detail", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("parent_code", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_code"],
            ["catalog_class.code"],
            name=op.f("fk_catalog_class_parent_code_catalog_class"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_catalog_class")),
    )
    with op.batch_alter_table("catalog_class", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_class_parent_code"), ["parent_code"], unique=False
        )

    op.create_table(
        "catalog_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_head")),
    )
    op.create_table(
        "catalog_resource",
        sa.Column("code_category", sa.String(length=1), nullable=False),
        sa.Column("code_item", sa.String(length=2), nullable=False),
        sa.Column("code_subject", sa.String(length=3), nullable=False),
        sa.Column("code_detail", sa.String(length=6), nullable=False),
        sa.Column("code_sequence", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("class_code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("provider_unit_id", sa.Uuid(), nullable=False),
        sa.Column("provider_division", sa.String(length=100), nullable=False),
        sa.Column("abstract", sa.Text(), nullable=False),
        sa.Column("format_class", sa.String(length=20), nullable=False),
        sa.Column("format_type", sa.String(length=100), nullable=False),
        sa.Column("share_type", sa.String(length=20), nullable=False),
        sa.Column("share_condition", sa.Text(), nullable=False),
        sa.Column("share_basis", sa.Text(), nullable=False),
        sa.Column("share_manner_class", sa.String(length=20), nullable=False),
        sa.Column("share_manner_types", sa.String(length=100), nullable=False),
        sa.Column("open_type", sa.String(length=20), nullable=False),
        sa.Column("open_condition", sa.Text(), nullable=False),
        sa.Column("update_cycle", sa.String(length=20), nullable=False),
        sa.Column("update_cycle_note", sa.String(length=200), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("related_codes", sa.Text(), nullable=False),
        sa.Column("extension", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by_id", sa.Uuid(), nullable=True),
        sa.Column("submitted_by", sa.String(length=100), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.String(length=100), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_code"],
            ["catalog_class.code"],
            name=op.f("fk_catalog_resource_class_code_catalog_class"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_unit_id"],
            ["unit.id"],
            name=op.f("fk_catalog_resource_provider_unit_id_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_resource")),
        sa.UniqueConstraint("code", name=op.f("uq_catalog_resource_code")),
        sa.UniqueConstraint(
            "code_category",
            "code_item",
            "code_subject",
            "code_detail",
            "code_sequence",
            name="uq_catalog_resource_code_parts",
        ),
    )
    with op.batch_alter_table("catalog_resource", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_resource_change_seq"), ["change_seq"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_catalog_resource_class_code"), ["class_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_catalog_resource_name"), ["name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_catalog_resource_open_type"), ["open_type"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_catalog_resource_provider_unit_id"), ["provider_unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_catalog_resource_share_type"), ["share_type"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_catalog_resource_status"), ["status"], unique=False)

    op.create_table(
        "catalog_data_item",
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("field", sa.String(length=63), nullable=False),
        sa.Column("type", sa.String(length=1), nullable=False),
        sa.Column("length", sa.Integer(), nullable=True),
        sa.Column("scale", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("enumeration", sa.Text(), nullable=False),
        sa.Column("pattern", sa.String(length=500), nullable=True),
        sa.Column("is_key", sa.Boolean(), nullable=False),
        sa.Column("sensitivity", sa.String(length=20), nullable=False),
        sa.Column("check", sa.String(length=20), nullable=False),
        sa.Column("is_base_item", sa.Boolean(), nullable=False),
        sa.Column("extra", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["catalog_resource.id"],
            name=op.f("fk_catalog_data_item_resource_id_catalog_resource"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_data_item")),
        sa.UniqueConstraint(
            "resource_id", "field", name=op.f("uq_catalog_data_item_resource_id_field")
        ),
    )
    with op.batch_alter_table("catalog_data_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_data_item_resource_id"), ["resource_id"], unique=False
        )

    op.create_table(
        "catalog_history",
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_name", sa.String(length=100), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["catalog_resource.id"],
            name=op.f("fk_catalog_history_resource_id_catalog_resource"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_history")),
    )
    with op.batch_alter_table("catalog_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_history_resource_id"), ["resource_id"], unique=False
        )

    op.bulk_insert(
        sa.table("catalog_head", sa.column("id", sa.Integer()), sa.column("seq", sa.BigInteger())),
        [{"id": 1, "seq": 0}],
    )


def downgrade() -> None:
    with op.batch_alter_table("catalog_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_history_resource_id"))

    op.drop_table("catalog_history")
    with op.batch_alter_table("catalog_data_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_data_item_resource_id"))

    op.drop_table("catalog_data_item")
    with op.batch_alter_table("catalog_resource", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_resource_status"))
        batch_op.drop_index(batch_op.f("ix_catalog_resource_share_type"))
        batch_op.drop_index(batch_op.f("ix_catalog_resource_provider_unit_id"))
        batch_op.drop_index(batch_op.f("ix_catalog_resource_open_type"))
        batch_op.drop_index(batch_op.f("ix_catalog_resource_name"))
        batch_op.drop_index(batch_op.f("ix_catalog_resource_class_code"))
        batch_op.drop_index(batch_op.f("ix_catalog_resource_change_seq"))

    op.drop_table("catalog_resource")
    op.drop_table("catalog_head")
    with op.batch_alter_table("catalog_class", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_class_parent_code"))

    op.drop_table("catalog_class")
