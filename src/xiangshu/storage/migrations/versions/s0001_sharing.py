"""sharing: requests, grants, exchange records, subscriptions, error reports

Revision ID: s0001
Revises: c0001, l0001 (a merge: it reads the catalog and the lake)
Create Date: 2026-11-28 23:27:16.529421
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "s0001"
down_revision: str | Sequence[str] | None = ("c0001", "l0001")
branch_labels: str | Sequence[str] | None = ("sharing",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exchange_record",
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("event", sa.String(length=100), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=True),
        sa.Column("resource_code", sa.String(length=50), nullable=False),
        sa.Column("provider_unit_id", sa.Uuid(), nullable=True),
        sa.Column("consumer_unit_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("app_id", sa.Uuid(), nullable=True),
        sa.Column("actor_name", sa.String(length=100), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("grant_id", sa.Uuid(), nullable=True),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("result", sa.String(length=30), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_record")),
    )
    with op.batch_alter_table("exchange_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exchange_record_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_exchange_record_consumer_unit_id"), ["consumer_unit_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_exchange_record_grant_id"), ["grant_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_exchange_record_provider_unit_id"), ["provider_unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_exchange_record_resource_id"), ["resource_id"], unique=False
        )

    op.create_table(
        "share_file_ticket",
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("grant_id", sa.Uuid(), nullable=True),
        sa.Column("holder_unit_id", sa.Uuid(), nullable=True),
        sa.Column("holder_user_id", sa.Uuid(), nullable=True),
        sa.Column("holder_app_id", sa.Uuid(), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("sm3", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("downloads", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_file_ticket")),
    )
    with op.batch_alter_table("share_file_ticket", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_share_file_ticket_resource_id"), ["resource_id"], unique=False
        )

    op.create_table(
        "share_error_report",
        sa.Column("number", sa.String(length=24), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("resource_code", sa.String(length=50), nullable=False),
        sa.Column("provider_unit_id", sa.Uuid(), nullable=False),
        sa.Column("reporter_unit_id", sa.Uuid(), nullable=True),
        sa.Column("reporter_user_id", sa.Uuid(), nullable=True),
        sa.Column("reporter_name", sa.String(length=100), nullable=False),
        sa.Column("field", sa.String(length=63), nullable=False),
        sa.Column("row_key_sealed", sa.Text(), nullable=False),
        sa.Column("claimed_value_sealed", sa.Text(), nullable=False),
        sa.Column("evidence_sealed", sa.Text(), nullable=False),
        sa.Column("reported_version", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("due_provisional", sa.Boolean(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.String(length=100), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("corrected_version", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_unit_id"],
            ["unit.id"],
            name=op.f("fk_share_error_report_provider_unit_id_unit"),
        ),
        sa.ForeignKeyConstraint(
            ["reporter_unit_id"],
            ["unit.id"],
            name=op.f("fk_share_error_report_reporter_unit_id_unit"),
        ),
        sa.ForeignKeyConstraint(
            ["reporter_user_id"],
            ["user_account.id"],
            name=op.f("fk_share_error_report_reporter_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["catalog_resource.id"],
            name=op.f("fk_share_error_report_resource_id_catalog_resource"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_error_report")),
        sa.UniqueConstraint("number", name=op.f("uq_share_error_report_number")),
    )
    with op.batch_alter_table("share_error_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_share_error_report_provider_unit_id"), ["provider_unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_share_error_report_reporter_unit_id"), ["reporter_unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_share_error_report_resource_id"), ["resource_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_share_error_report_status"), ["status"], unique=False)

    op.create_table(
        "share_request",
        sa.Column("number", sa.String(length=24), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("resource_code", sa.String(length=50), nullable=False),
        sa.Column("resource_name", sa.String(length=200), nullable=False),
        sa.Column("provider_unit_id", sa.Uuid(), nullable=False),
        sa.Column("requester_unit_id", sa.Uuid(), nullable=False),
        sa.Column("requester_user_id", sa.Uuid(), nullable=True),
        sa.Column("requester_name", sa.String(length=100), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("intended_use", sa.String(length=30), nullable=False),
        sa.Column("intended_use_note", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("exchange_mode", sa.String(length=10), nullable=False),
        sa.Column("expected_volume", sa.String(length=200), nullable=False),
        sa.Column("clear_values", sa.Boolean(), nullable=False),
        sa.Column("clear_reason", sa.Text(), nullable=False),
        sa.Column("rows_per_day", sa.BigInteger(), nullable=True),
        sa.Column("calls_per_minute", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("due_provisional", sa.Boolean(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalation_reason", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.String(length=100), nullable=True),
        sa.Column("answered_role", sa.String(length=20), nullable=True),
        sa.Column("answered_late", sa.Boolean(), nullable=False),
        sa.Column("granted_fields", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("grant_id", sa.Uuid(), nullable=True),
        sa.Column("disputed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dispute_reason", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_unit_id"], ["unit.id"], name=op.f("fk_share_request_provider_unit_id_unit")
        ),
        sa.ForeignKeyConstraint(
            ["requester_unit_id"], ["unit.id"], name=op.f("fk_share_request_requester_unit_id_unit")
        ),
        sa.ForeignKeyConstraint(
            ["requester_user_id"],
            ["user_account.id"],
            name=op.f("fk_share_request_requester_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["catalog_resource.id"],
            name=op.f("fk_share_request_resource_id_catalog_resource"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_request")),
        sa.UniqueConstraint("number", name=op.f("uq_share_request_number")),
    )
    with op.batch_alter_table("share_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_share_request_provider_unit_id"), ["provider_unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_share_request_requester_unit_id"), ["requester_unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_share_request_resource_id"), ["resource_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_share_request_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_share_request_submitted_at"), ["submitted_at"], unique=False
        )

    op.create_table(
        "share_subscription",
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("subscriber_unit_id", sa.Uuid(), nullable=True),
        sa.Column("subscriber_user_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("callback_url", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_version", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["catalog_resource.id"],
            name=op.f("fk_share_subscription_resource_id_catalog_resource"),
        ),
        sa.ForeignKeyConstraint(
            ["subscriber_unit_id"],
            ["unit.id"],
            name=op.f("fk_share_subscription_subscriber_unit_id_unit"),
        ),
        sa.ForeignKeyConstraint(
            ["subscriber_user_id"],
            ["user_account.id"],
            name=op.f("fk_share_subscription_subscriber_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_subscription")),
    )
    with op.batch_alter_table("share_subscription", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_share_subscription_resource_id"), ["resource_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_share_subscription_subscriber_unit_id"),
            ["subscriber_unit_id"],
            unique=False,
        )

    op.create_table(
        "share_attachment",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sm3", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["share_request.id"],
            name=op.f("fk_share_attachment_request_id_share_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_attachment")),
    )
    with op.batch_alter_table("share_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_share_attachment_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "share_grant",
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("provider_unit_id", sa.Uuid(), nullable=False),
        sa.Column("holder_kind", sa.String(length=10), nullable=False),
        sa.Column("holder_unit_id", sa.Uuid(), nullable=True),
        sa.Column("holder_user_id", sa.Uuid(), nullable=True),
        sa.Column("holder_app_id", sa.Uuid(), nullable=True),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("clear_values", sa.Boolean(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("intended_use", sa.String(length=30), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("exchange_modes", sa.String(length=60), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows_per_day", sa.BigInteger(), nullable=False),
        sa.Column("calls_per_minute", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=100), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_app_id"],
            ["application.id"],
            name=op.f("fk_share_grant_holder_app_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["holder_unit_id"], ["unit.id"], name=op.f("fk_share_grant_holder_unit_id_unit")
        ),
        sa.ForeignKeyConstraint(
            ["holder_user_id"],
            ["user_account.id"],
            name=op.f("fk_share_grant_holder_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_unit_id"], ["unit.id"], name=op.f("fk_share_grant_provider_unit_id_unit")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["share_request.id"],
            name=op.f("fk_share_grant_request_id_share_request"),
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["catalog_resource.id"],
            name=op.f("fk_share_grant_resource_id_catalog_resource"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_grant")),
    )
    with op.batch_alter_table("share_grant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_share_grant_holder_app_id"), ["holder_app_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_share_grant_holder_unit_id"), ["holder_unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_share_grant_holder_user_id"), ["holder_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_share_grant_provider_unit_id"), ["provider_unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_share_grant_resource_id"), ["resource_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_share_grant_valid_until"), ["valid_until"], unique=False
        )

    op.create_table(
        "share_notification",
        sa.Column("subscription_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["share_subscription.id"],
            name=op.f("fk_share_notification_subscription_id_share_subscription"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_notification")),
        sa.UniqueConstraint(
            "subscription_id", "seq", name=op.f("uq_share_notification_subscription_id_seq")
        ),
        sa.UniqueConstraint(
            "subscription_id", "version", name=op.f("uq_share_notification_subscription_id_version")
        ),
    )
    with op.batch_alter_table("share_notification", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_share_notification_next_attempt_at"), ["next_attempt_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_share_notification_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_share_notification_subscription_id"), ["subscription_id"], unique=False
        )

    op.create_table(
        "share_request_event",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_name", sa.String(length=100), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status_after", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["share_request.id"],
            name=op.f("fk_share_request_event_request_id_share_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_request_event")),
    )
    with op.batch_alter_table("share_request_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_share_request_event_request_id"), ["request_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("share_request_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_request_event_request_id"))

    op.drop_table("share_request_event")
    with op.batch_alter_table("share_notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_notification_subscription_id"))
        batch_op.drop_index(batch_op.f("ix_share_notification_status"))
        batch_op.drop_index(batch_op.f("ix_share_notification_next_attempt_at"))

    op.drop_table("share_notification")
    with op.batch_alter_table("share_grant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_grant_valid_until"))
        batch_op.drop_index(batch_op.f("ix_share_grant_resource_id"))
        batch_op.drop_index(batch_op.f("ix_share_grant_provider_unit_id"))
        batch_op.drop_index(batch_op.f("ix_share_grant_holder_user_id"))
        batch_op.drop_index(batch_op.f("ix_share_grant_holder_unit_id"))
        batch_op.drop_index(batch_op.f("ix_share_grant_holder_app_id"))

    op.drop_table("share_grant")
    with op.batch_alter_table("share_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_attachment_request_id"))

    op.drop_table("share_attachment")
    with op.batch_alter_table("share_subscription", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_subscription_subscriber_unit_id"))
        batch_op.drop_index(batch_op.f("ix_share_subscription_resource_id"))

    op.drop_table("share_subscription")
    with op.batch_alter_table("share_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_request_submitted_at"))
        batch_op.drop_index(batch_op.f("ix_share_request_status"))
        batch_op.drop_index(batch_op.f("ix_share_request_resource_id"))
        batch_op.drop_index(batch_op.f("ix_share_request_requester_unit_id"))
        batch_op.drop_index(batch_op.f("ix_share_request_provider_unit_id"))

    op.drop_table("share_request")
    with op.batch_alter_table("share_error_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_error_report_status"))
        batch_op.drop_index(batch_op.f("ix_share_error_report_resource_id"))
        batch_op.drop_index(batch_op.f("ix_share_error_report_reporter_unit_id"))
        batch_op.drop_index(batch_op.f("ix_share_error_report_provider_unit_id"))

    op.drop_table("share_error_report")
    with op.batch_alter_table("share_file_ticket", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_file_ticket_resource_id"))

    op.drop_table("share_file_ticket")
    with op.batch_alter_table("exchange_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_record_resource_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_record_provider_unit_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_record_grant_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_record_consumer_unit_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_record_at"))

    op.drop_table("exchange_record")
