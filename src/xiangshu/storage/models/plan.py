"""Plans, their indicators, projects and tasks, observations, evaluations and reports."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xiangshu.storage.models.base import Base, CreatedMixin, IdMixin


class PlanRow(IdMixin, CreatedMixin, Base):
    __tablename__ = "plan"

    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    doc_number: Mapped[str] = mapped_column(String(100), default="")
    issuers: Mapped[str] = mapped_column(Text, default="")  # separated by ；
    issue_date: Mapped[date | None] = mapped_column(Date)
    period_start: Mapped[int]
    period_end: Mapped[int]
    baseline_year: Mapped[int]
    goals: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    report_cadence: Mapped[str] = mapped_column(String(20), default="quarterly")
    source: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime | None]


class IndicatorRow(IdMixin, Base):
    __tablename__ = "plan_indicator"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    parent_number: Mapped[str] = mapped_column(String(20), default="")
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(30), default="")
    nature: Mapped[str] = mapped_column(String(20))
    direction: Mapped[int]
    form: Mapped[str] = mapped_column(String(30))
    bound: Mapped[str] = mapped_column(String(20))
    baseline_year: Mapped[int]
    baseline: Mapped[float | None]
    target_year: Mapped[int]
    target: Mapped[float | None]
    target_text: Mapped[str] = mapped_column(String(200), default="")
    stated_growth: Mapped[float | None]
    stated_change: Mapped[float | None]
    related_tasks: Mapped[str] = mapped_column(String(300), default="")  # separated by ;
    notes: Mapped[str] = mapped_column(Text, default="")


class ProjectRow(IdMixin, Base):
    """A key-project box (专栏) or one of its sub-projects."""

    __tablename__ = "plan_project"

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan.id"), index=True)
    box: Mapped[int]
    item: Mapped[str] = mapped_column(String(20), default="")
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class TaskRow(IdMixin, Base):
    """A task of the division of labour (分工方案): a sub-project or a measure."""

    __tablename__ = "plan_task"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    group_number: Mapped[int]
    box: Mapped[int | None]
    project_item: Mapped[str] = mapped_column(String(20), default="")
    title: Mapped[str] = mapped_column(String(200))
    responsibility: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class TaskUnitRow(IdMixin, Base):
    """A unit named for a task, with its role; collective mentions keep no unit."""

    __tablename__ = "plan_task_unit"

    task_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_task.id"), index=True)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unit.id"), index=True)
    mention: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(default=0)  # the order the annex names them in


class MilestoneRow(IdMixin, CreatedMixin, Base):
    """A milestone or an item of an annual work plan (年度工作计划)."""

    __tablename__ = "plan_milestone"

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan.id"), index=True)
    task_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_task.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="milestone")
    year: Mapped[int]
    due_date: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[date | None] = mapped_column(Date)


class ObservationRow(IdMixin, Base):
    """One version of an observed value; revisions add versions, none is overwritten."""

    __tablename__ = "plan_observation"
    __table_args__ = (
        UniqueConstraint("indicator_id", "period_end", "version"),
        Index("ix_plan_observation_current", "indicator_id", "is_current"),
    )

    indicator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_indicator.id"))
    period_end: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(default=1)
    is_current: Mapped[bool] = mapped_column(default=True)
    value: Mapped[float]
    status: Mapped[str] = mapped_column(String(20))
    qualifier: Mapped[str] = mapped_column(String(20), default="exact")
    source_kind: Mapped[str] = mapped_column(String(30))
    source: Mapped[str] = mapped_column(Text, default="")
    # for values computed from the catalog: the resource (by ID, as the catalog gives it)
    # and the query over it, so that the value can be traced and recomputed
    resource_id: Mapped[uuid.UUID | None]
    query: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    synthetic: Mapped[bool] = mapped_column(default=False)
    attachment_name: Mapped[str] = mapped_column(String(200), default="")
    attachment_sha256: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(Text, default="")  # why this version replaced the last
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))


class EvaluationRow(IdMixin, Base):
    """One evaluation run of a plan at a year, with the rules it used."""

    __tablename__ = "plan_evaluation"

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan.id"), index=True)
    as_of_year: Mapped[int]
    run_at: Mapped[datetime]
    run_by: Mapped[str] = mapped_column(String(100))
    rules: Mapped[str] = mapped_column(Text)  # canonical JSON
    summary: Mapped[str] = mapped_column(Text)  # canonical JSON: counts by status


class EvaluationResultRow(IdMixin, Base):
    """An indicator's verdict in one evaluation, with every component behind it."""

    __tablename__ = "plan_evaluation_result"

    evaluation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_evaluation.id"), index=True)
    indicator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_indicator.id"), index=True)
    status: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text)  # canonical JSON: components, measures, forecast


class ProgressReportRow(IdMixin, Base):
    """A responsible unit's progress report on a task for one reporting period."""

    __tablename__ = "plan_progress_report"
    __table_args__ = (UniqueConstraint("task_id", "unit_id", "period"),)

    task_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_task.id"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), index=True)
    period: Mapped[str] = mapped_column(String(10))  # 2026Q3, 2026H2, 2026
    due_date: Mapped[date] = mapped_column(Date)
    progress: Mapped[float]  # per cent of the task done, as the unit judges it
    narrative: Mapped[str] = mapped_column(Text)
    problems: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    attachment_name: Mapped[str] = mapped_column(String(200), default="")
    attachment_sha256: Mapped[str] = mapped_column(String(64), default="")
    submitted_at: Mapped[datetime]
    submitted_by: Mapped[str] = mapped_column(String(100))


class ReminderRow(IdMixin, Base):
    """A reminder sent to a unit about a report due soon or overdue."""

    __tablename__ = "plan_reminder"

    task_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_task.id"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    due_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))  # due_soon or overdue
    sent_at: Mapped[datetime]
