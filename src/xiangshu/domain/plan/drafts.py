"""A plan as read from a file, checked and ready to store (no database identities yet)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from xiangshu.domain.plan.indicators import IndicatorSpec, Qualifier, ValueStatus
from xiangshu.domain.plan.responsibility import Mention


class SourceKind(StrEnum):
    """Where an observed value comes from."""

    CATALOG_QUERY = "catalog_query"  # a catalog resource and a query over it
    UNIT_REPORT = "unit_report"  # reported by the responsible unit, with an attachment
    PUBLIC_SOURCE = "public_source"  # a published article or release
    PLAN_DOCUMENT = "plan_document"  # the plan (or a later plan) itself
    SYNTHETIC = "synthetic"  # made up for the demo: labelled wherever it shows

    @property
    def label_zh(self) -> str:
        return {
            "catalog_query": "目录资源查询",
            "unit_report": "责任单位报送",
            "public_source": "公开资料",
            "plan_document": "规划文本",
            "synthetic": "合成数据（演示）",
        }[self.value]


@dataclass(frozen=True, slots=True)
class PlanHeader:
    code: str
    title: str
    doc_number: str = ""
    issuers: tuple[str, ...] = ()
    issue_date: date | None = None
    period_start: int = 0
    period_end: int = 0
    baseline_year: int = 0
    goals: str = ""
    notes: str = ""
    report_cadence: str = "quarterly"  # quarterly, half_yearly, yearly or none


@dataclass(frozen=True, slots=True)
class IndicatorDraft:
    spec: IndicatorSpec
    parent: str = ""
    target_text: str = ""
    related_tasks: tuple[str, ...] = ()
    notes: str = ""
    position: int = 0


@dataclass(frozen=True, slots=True)
class ProjectDraft:
    box: int
    item: str  # "" for the box itself, "1.2" for a sub-project
    name: str
    description: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class TaskDraft:
    number: str
    group: int
    title: str
    box: int | None = None
    project: str = ""
    responsibility: str = ""
    mentions: tuple[Mention, ...] = ()
    notes: str = ""
    row: int = 0  # where it came from, to name the cell of a unit that is not found


@dataclass(frozen=True, slots=True)
class MilestoneDraft:
    task: str
    year: int
    due_date: date
    title: str
    notes: str = ""


@dataclass(frozen=True, slots=True)
class ObservationDraft:
    indicator: str
    period_end: date
    value: float
    status: ValueStatus = ValueStatus.FINAL
    qualifier: Qualifier = Qualifier.EXACT
    source_kind: SourceKind = SourceKind.PUBLIC_SOURCE
    source: str = ""
    source_url: str = ""
    note: str = ""
    synthetic: bool = False
    resource: str = ""  # a catalog resource's ID or code, for catalog_query values
    query: str = ""
    row: int = 0


@dataclass(frozen=True, slots=True)
class PlanDraft:
    header: PlanHeader
    indicators: tuple[IndicatorDraft, ...]
    projects: tuple[ProjectDraft, ...] = ()
    tasks: tuple[TaskDraft, ...] = ()
    milestones: tuple[MilestoneDraft, ...] = ()
    observations: tuple[ObservationDraft, ...] = ()
    source: str = ""
    sheets: dict[str, str] = field(default_factory=dict)  # sheet name → the file it came from
