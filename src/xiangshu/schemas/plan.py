"""Shapes of plans, indicators, observations, evaluations, tasks and progress reports."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from xiangshu.domain.plan.consistency import Finding
from xiangshu.domain.plan.drafts import SourceKind
from xiangshu.domain.plan.indicators import Qualifier, ValueStatus


class PlanSummary(BaseModel):
    id: uuid.UUID
    code: str
    title: str
    doc_number: str
    issuers: list[str]
    issue_date: date | None
    period_start: int
    period_end: int
    baseline_year: int
    indicator_count: int = 0
    task_count: int = 0


class PlanPublic(PlanSummary):
    goals: str
    notes: str
    report_cadence: str
    source: str


class IndicatorPublic(BaseModel):
    id: uuid.UUID
    plan_code: str
    number: str
    parent_number: str
    name: str
    unit: str
    nature: str
    direction: int
    form: str
    bound: str
    baseline_year: int
    baseline: float | None
    target_year: int
    target: float | None
    target_text: str
    stated_growth: float | None
    stated_change: float | None
    related_tasks: list[str]
    responsible_units: list[str] = Field(default_factory=list)
    responsible_unit_ids: list[uuid.UUID] = Field(default_factory=list)
    notes: str


class ObservationCreate(BaseModel):
    """A value for an indicator; a second value for the same period is a revision."""

    model_config = ConfigDict(str_strip_whitespace=True)

    indicator: str = Field(description="the indicator's number in the plan, e.g. 12 or 2.1")
    period_end: date
    value: float
    status: ValueStatus = ValueStatus.PROVISIONAL
    qualifier: Qualifier = Qualifier.EXACT
    source_kind: SourceKind = SourceKind.UNIT_REPORT
    source: str = Field(default="", description="the report or publication the value is from")
    resource: str = Field(
        default="", description="catalog resource ID or code, for values from the catalog"
    )
    query: str = Field(default="", description="the query over the resource giving the value")
    source_url: str = ""
    note: str = ""
    synthetic: bool = False
    attachment_name: str = ""
    attachment_sha256: str = ""
    reason: str = Field(default="", description="why a revision replaces the earlier value")


class ObservationPublic(BaseModel):
    id: uuid.UUID
    indicator_number: str
    period_end: date
    time: float
    value: float
    version: int
    is_current: bool
    status: str
    qualifier: str
    source_kind: str
    source: str
    source_url: str
    resource_id: uuid.UUID | None = None
    query: str = ""
    note: str
    synthetic: bool
    attachment_name: str
    attachment_sha256: str
    reason: str
    recorded_at: datetime
    recorded_by: str


class FindingPublic(BaseModel):
    number: str
    check: str
    severity: str
    message: str
    stated: float | None = None
    implied: float | None = None

    @classmethod
    def of(cls, finding: Finding) -> FindingPublic:
        return cls(
            number=finding.number,
            check=finding.check.value,
            severity=finding.severity.value,
            message=finding.message,
            stated=finding.stated,
            implied=finding.implied,
        )


class LoadReport(BaseModel):
    plan: PlanSummary
    created: bool
    indicators: int
    projects: int
    tasks: int
    milestones: int
    observations: int
    findings: list[FindingPublic]
    unlinked_mentions: list[str] = Field(
        default_factory=list, description="collective mentions kept as written (各有关部门 …)"
    )


class ObservationImportReport(BaseModel):
    recorded: int
    revised: int
    unchanged: int


class ResultPublic(BaseModel):
    indicator_id: uuid.UUID
    number: str
    name: str
    unit: str
    status: str
    reason: str
    detail: dict[str, Any]


class EvaluationPublic(BaseModel):
    id: uuid.UUID
    plan_code: str
    as_of_year: int
    run_at: datetime
    run_by: str
    rules: dict[str, Any]
    summary: dict[str, int]
    results: list[ResultPublic] = Field(default_factory=list)


class TaskUnitPublic(BaseModel):
    unit_id: uuid.UUID | None
    name: str  # the unit's short name
    mention: str  # as the division of labour names it (各市州政府 for each city government)
    role: str


class MilestonePublic(BaseModel):
    id: uuid.UUID
    task_number: str
    kind: str
    year: int
    due_date: date
    title: str
    notes: str
    done_at: date | None


class MilestoneCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    task: str
    year: int
    title: str = Field(min_length=1)
    due_date: date | None = None
    kind: str = Field(default="work_item", pattern="^(milestone|work_item)$")
    notes: str = ""


class TaskPublic(BaseModel):
    id: uuid.UUID
    number: str
    group_number: int
    box: int | None
    project_item: str
    title: str
    responsibility: str
    notes: str
    units: list[TaskUnitPublic]
    latest_progress: float | None = None
    latest_period: str | None = None
    milestones: list[MilestonePublic] = Field(default_factory=list)


class ProjectPublic(BaseModel):
    box: int
    item: str
    name: str
    description: str
    notes: str


class ProgressReportCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    task: str = Field(description="the task's number, e.g. 8.1")
    period: str = Field(description="2026Q3, 2026H2 or 2026 by the plan's cadence")
    progress: float = Field(ge=0, le=100, description="per cent of the task done")
    narrative: str = Field(min_length=1, description="what was done (工作进展)")
    problems: str = ""
    next_steps: str = ""
    unit_id: uuid.UUID | None = Field(
        default=None, description="the reporting unit; the reporter's own unit if empty"
    )
    attachment_name: str = ""
    attachment_sha256: str = ""


class ProgressReportPublic(BaseModel):
    id: uuid.UUID
    task_number: str
    task_title: str
    unit_id: uuid.UUID
    unit_name: str
    period: str
    due_date: date
    progress: float
    narrative: str
    problems: str
    next_steps: str
    attachment_name: str
    attachment_sha256: str = ""
    submitted_at: datetime
    submitted_by: str
    late: bool


class AccountabilityItem(BaseModel):
    """Something overdue or lagging, and who answers for it (问责清单)."""

    kind: str  # overdue_report, lagging_indicator, overdue_milestone
    subject: str  # task or indicator number and title
    unit_id: uuid.UUID | None
    unit_name: str
    period: str = ""
    due_date: date | None = None
    days_overdue: int = 0
    missing: int = 0  # reports missing for this unit and task (from the oldest period shown)
    status: str = ""
    synthetic: bool = False


class ReminderPublic(BaseModel):
    task_number: str
    unit_name: str
    period: str
    due_date: date
    kind: str
    sent_at: datetime
