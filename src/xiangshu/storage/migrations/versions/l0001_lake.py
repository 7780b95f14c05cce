"""lake: loads, versions and the current version of each resource

Revision ID: l0001
Revises: f0001
Create Date: 2026-11-28 21:28:56.877109
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "l0001"
down_revision: str | Sequence[str] | None = "f0001"
branch_labels: str | Sequence[str] | None = ("lake",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lake_load",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_name", sa.String(length=100), nullable=False),
        sa.Column("actor_unit_id", sa.Uuid(), nullable=True),
        sa.Column("source_name", sa.String(length=255), nullable=False),
        sa.Column("source_format", sa.String(length=20), nullable=False),
        sa.Column("source_encoding", sa.String(length=40), nullable=True),
        sa.Column("source_bytes", sa.BigInteger(), nullable=False),
        sa.Column("source_sm3", sa.String(length=64), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("strict", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rows_read", sa.BigInteger(), nullable=False),
        sa.Column("rows_valid", sa.BigInteger(), nullable=False),
        sa.Column("rows_rejected", sa.BigInteger(), nullable=False),
        sa.Column("has_quarantine", sa.Boolean(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lake_load")),
    )
    with op.batch_alter_table("lake_load", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lake_load_resource_id"), ["resource_id"], unique=False)

    op.create_table(
        "lake_version",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Uuid(), nullable=False),
        sa.Column("base_version_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("row_count", sa.BigInteger(), nullable=False),
        sa.Column("data_file", sa.String(length=255), nullable=False),
        sa.Column("data_bytes", sa.BigInteger(), nullable=False),
        sa.Column("data_sm3", sa.String(length=64), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["load_id"], ["lake_load.id"], name=op.f("fk_lake_version_load_id_lake_load")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lake_version")),
        sa.UniqueConstraint(
            "resource_id", "number", name=op.f("uq_lake_version_resource_id_number")
        ),
    )
    with op.batch_alter_table("lake_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lake_version_resource_id"), ["resource_id"], unique=False
        )

    op.create_table(
        "lake_current",
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("switched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("switched_by", sa.String(length=100), nullable=False),
        sa.Column("row_count", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["lake_version.id"],
            name=op.f("fk_lake_current_version_id_lake_version"),
        ),
        sa.PrimaryKeyConstraint("resource_id", name=op.f("pk_lake_current")),
    )


def downgrade() -> None:
    op.drop_table("lake_current")
    with op.batch_alter_table("lake_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lake_version_resource_id"))

    op.drop_table("lake_version")
    with op.batch_alter_table("lake_load", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lake_load_resource_id"))

    op.drop_table("lake_load")
