"""plan monitoring: plans, indicators, projects, tasks, observations, evaluations, reports

Revision ID: p0001
Revises: f0001
Create Date: 2026-11-28 21:30:39.915880
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "p0001"
down_revision: str | Sequence[str] | None = "f0001"
branch_labels: str | Sequence[str] | None = ("plan",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "plan",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("doc_number", sa.String(length=100), nullable=False),
        sa.Column("issuers", sa.Text(), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("period_start", sa.Integer(), nullable=False),
        sa.Column("period_end", sa.Integer(), nullable=False),
        sa.Column("baseline_year", sa.Integer(), nullable=False),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("report_cadence", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan")),
        sa.UniqueConstraint("code", name=op.f("uq_plan_code")),
    )
    op.create_table(
        "plan_evaluation",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("as_of_year", sa.Integer(), nullable=False),
        sa.Column("run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_by", sa.String(length=100), nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_plan_evaluation_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_evaluation")),
    )
    with op.batch_alter_table("plan_evaluation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_evaluation_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_indicator",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("parent_number", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=30), nullable=False),
        sa.Column("nature", sa.String(length=20), nullable=False),
        sa.Column("direction", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=30), nullable=False),
        sa.Column("bound", sa.String(length=20), nullable=False),
        sa.Column("baseline_year", sa.Integer(), nullable=False),
        sa.Column("baseline", sa.Double(), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=False),
        sa.Column("target", sa.Double(), nullable=True),
        sa.Column("target_text", sa.String(length=200), nullable=False),
        sa.Column("stated_growth", sa.Double(), nullable=True),
        sa.Column("stated_change", sa.Double(), nullable=True),
        sa.Column("related_tasks", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_plan_indicator_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_indicator")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_plan_indicator_plan_id_number")),
    )
    with op.batch_alter_table("plan_indicator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_indicator_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_project",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("box", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_plan_project_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_project")),
    )
    with op.batch_alter_table("plan_project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_project_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_task",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("group_number", sa.Integer(), nullable=False),
        sa.Column("box", sa.Integer(), nullable=True),
        sa.Column("project_item", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("responsibility", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_plan_task_plan_id_plan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_task")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_plan_task_plan_id_number")),
    )
    with op.batch_alter_table("plan_task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_task_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_evaluation_result",
        sa.Column("evaluation_id", sa.Uuid(), nullable=False),
        sa.Column("indicator_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["plan_evaluation.id"],
            name=op.f("fk_plan_evaluation_result_evaluation_id_plan_evaluation"),
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["plan_indicator.id"],
            name=op.f("fk_plan_evaluation_result_indicator_id_plan_indicator"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_evaluation_result")),
    )
    with op.batch_alter_table("plan_evaluation_result", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_evaluation_result_evaluation_id"), ["evaluation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_plan_evaluation_result_indicator_id"), ["indicator_id"], unique=False
        )

    op.create_table(
        "plan_milestone",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("done_at", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_plan_milestone_plan_id_plan")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["plan_task.id"], name=op.f("fk_plan_milestone_task_id_plan_task")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_milestone")),
    )
    with op.batch_alter_table("plan_milestone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_milestone_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_milestone_task_id"), ["task_id"], unique=False)

    op.create_table(
        "plan_observation",
        sa.Column("indicator_id", sa.Uuid(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("qualifier", sa.String(length=20), nullable=False),
        sa.Column("source_kind", sa.String(length=30), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=True),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("attachment_name", sa.String(length=200), nullable=False),
        sa.Column("attachment_sha256", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["plan_indicator.id"],
            name=op.f("fk_plan_observation_indicator_id_plan_indicator"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_observation")),
        sa.UniqueConstraint(
            "indicator_id",
            "period_end",
            "version",
            name=op.f("uq_plan_observation_indicator_id_period_end_version"),
        ),
    )
    with op.batch_alter_table("plan_observation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_plan_observation_current", ["indicator_id", "is_current"], unique=False
        )

    op.create_table(
        "plan_progress_report",
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("progress", sa.Double(), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("attachment_name", sa.String(length=200), nullable=False),
        sa.Column("attachment_sha256", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.String(length=100), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["plan_task.id"], name=op.f("fk_plan_progress_report_task_id_plan_task")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_plan_progress_report_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_progress_report")),
        sa.UniqueConstraint(
            "task_id",
            "unit_id",
            "period",
            name=op.f("uq_plan_progress_report_task_id_unit_id_period"),
        ),
    )
    with op.batch_alter_table("plan_progress_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_progress_report_task_id"), ["task_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_plan_progress_report_unit_id"), ["unit_id"], unique=False
        )

    op.create_table(
        "plan_reminder",
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["plan_task.id"], name=op.f("fk_plan_reminder_task_id_plan_task")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_plan_reminder_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_reminder")),
    )
    with op.batch_alter_table("plan_reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_reminder_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_reminder_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "plan_task_unit",
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column("mention", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["plan_task.id"], name=op.f("fk_plan_task_unit_task_id_plan_task")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_plan_task_unit_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_task_unit")),
    )
    with op.batch_alter_table("plan_task_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_task_unit_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_task_unit_unit_id"), ["unit_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("plan_task_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_task_unit_unit_id"))
        batch_op.drop_index(batch_op.f("ix_plan_task_unit_task_id"))

    op.drop_table("plan_task_unit")
    with op.batch_alter_table("plan_reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_reminder_unit_id"))
        batch_op.drop_index(batch_op.f("ix_plan_reminder_task_id"))

    op.drop_table("plan_reminder")
    with op.batch_alter_table("plan_progress_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_progress_report_unit_id"))
        batch_op.drop_index(batch_op.f("ix_plan_progress_report_task_id"))

    op.drop_table("plan_progress_report")
    with op.batch_alter_table("plan_observation", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_observation_current")

    op.drop_table("plan_observation")
    with op.batch_alter_table("plan_milestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_milestone_task_id"))
        batch_op.drop_index(batch_op.f("ix_plan_milestone_plan_id"))

    op.drop_table("plan_milestone")
    with op.batch_alter_table("plan_evaluation_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_evaluation_result_indicator_id"))
        batch_op.drop_index(batch_op.f("ix_plan_evaluation_result_evaluation_id"))

    op.drop_table("plan_evaluation_result")
    with op.batch_alter_table("plan_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_task_plan_id"))

    op.drop_table("plan_task")
    with op.batch_alter_table("plan_project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_project_plan_id"))

    op.drop_table("plan_project")
    with op.batch_alter_table("plan_indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_indicator_plan_id"))

    op.drop_table("plan_indicator")
    with op.batch_alter_table("plan_evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_evaluation_plan_id"))

    op.drop_table("plan_evaluation")
    op.drop_table("plan")
