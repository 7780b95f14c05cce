"""portal: usage, rate windows, app quotas, reuses, data requests, error reports, applications

Revision ID: o0001
Revises: c0001, l0001 (a merge child: the portal reads the catalog and the lake)
Create Date: 2026-11-28 23:25:07.275473
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "o0001"
down_revision: str | Sequence[str] | None = ("c0001", "l0001")
branch_labels: str | Sequence[str] | None = ("portal",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "portal_rate",
        sa.Column("bucket", sa.String(length=120), nullable=False),
        sa.Column("window", sa.BigInteger(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "window", name=op.f("pk_portal_rate")),
    )
    with op.batch_alter_table("portal_rate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_portal_rate_window"), ["window"], unique=False)

    op.create_table(
        "portal_usage",
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("resource_id", "day", "kind", name=op.f("pk_portal_usage")),
    )
    op.create_table(
        "portal_application",
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("applicant_id", sa.Uuid(), nullable=False),
        sa.Column("applicant_name", sa.String(length=100), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("agreement_version", sa.String(length=20), nullable=False),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["applicant_id"],
            ["user_account.id"],
            name=op.f("fk_portal_application_applicant_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["catalog_resource.id"],
            name=op.f("fk_portal_application_resource_id_catalog_resource"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_application")),
    )
    with op.batch_alter_table("portal_application", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_portal_application_applicant_id"), ["applicant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_portal_application_resource_id"), ["resource_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_portal_application_status"), ["status"], unique=False)

    op.create_table(
        "portal_data_request",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column("requested_by_id", sa.Uuid(), nullable=False),
        sa.Column("requester_name", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.String(length=100), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resource_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_portal_data_request_requested_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_portal_data_request_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_data_request")),
    )
    with op.batch_alter_table("portal_data_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_portal_data_request_requested_by_id"), ["requested_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_portal_data_request_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_portal_data_request_unit_id"), ["unit_id"], unique=False
        )

    op.create_table(
        "portal_error_report",
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("reported_by_id", sa.Uuid(), nullable=False),
        sa.Column("reporter_name", sa.String(length=100), nullable=False),
        sa.Column("field", sa.String(length=63), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.String(length=100), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reported_by_id"],
            ["user_account.id"],
            name=op.f("fk_portal_error_report_reported_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["catalog_resource.id"],
            name=op.f("fk_portal_error_report_resource_id_catalog_resource"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_error_report")),
    )
    with op.batch_alter_table("portal_error_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_portal_error_report_reported_by_id"), ["reported_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_portal_error_report_resource_id"), ["resource_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_portal_error_report_status"), ["status"], unique=False)

    op.create_table(
        "portal_reuse",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("dataset_ids", sa.Text(), nullable=False),
        sa.Column("submitted_by_id", sa.Uuid(), nullable=False),
        sa.Column("submitter_name", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.String(length=100), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["user_account.id"],
            name=op.f("fk_portal_reuse_submitted_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_reuse")),
    )
    with op.batch_alter_table("portal_reuse", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_portal_reuse_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_portal_reuse_submitted_by_id"), ["submitted_by_id"], unique=False
        )

    op.create_table(
        "portal_app_quota",
        sa.Column("app_id", sa.Uuid(), nullable=False),
        sa.Column("per_minute", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.String(length=100), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_id"],
            ["application.id"],
            name=op.f("fk_portal_app_quota_app_id_application"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("app_id", name=op.f("pk_portal_app_quota")),
    )


def downgrade() -> None:
    op.drop_table("portal_app_quota")
    with op.batch_alter_table("portal_reuse", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portal_reuse_submitted_by_id"))
        batch_op.drop_index(batch_op.f("ix_portal_reuse_status"))

    op.drop_table("portal_reuse")
    with op.batch_alter_table("portal_error_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portal_error_report_status"))
        batch_op.drop_index(batch_op.f("ix_portal_error_report_resource_id"))
        batch_op.drop_index(batch_op.f("ix_portal_error_report_reported_by_id"))

    op.drop_table("portal_error_report")
    with op.batch_alter_table("portal_data_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portal_data_request_unit_id"))
        batch_op.drop_index(batch_op.f("ix_portal_data_request_status"))
        batch_op.drop_index(batch_op.f("ix_portal_data_request_requested_by_id"))

    op.drop_table("portal_data_request")
    with op.batch_alter_table("portal_application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portal_application_status"))
        batch_op.drop_index(batch_op.f("ix_portal_application_resource_id"))
        batch_op.drop_index(batch_op.f("ix_portal_application_applicant_id"))

    op.drop_table("portal_application")
    op.drop_table("portal_usage")
    with op.batch_alter_table("portal_rate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portal_rate_window"))

    op.drop_table("portal_rate")
