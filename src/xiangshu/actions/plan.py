"""Use cases for plans: load one (shipped or imported), list, show, check its consistency."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from xiangshu.actions.context import ActionContext
from xiangshu.actions.registry import action
from xiangshu.domain.plan.consistency import check_indicator
from xiangshu.domain.plan.drafts import ObservationDraft, PlanDraft, TaskDraft
from xiangshu.domain.plan.indicators import IndicatorSpec
from xiangshu.domain.plan.responsibility import CITY_GOVERNMENTS
from xiangshu.errors import Conflict, Problem, invalid
from xiangshu.plan_files import read_plan_bytes
from xiangshu.schemas.plan import (
    FindingPublic,
    IndicatorPublic,
    LoadReport,
    PlanPublic,
    PlanSummary,
)
from xiangshu.storage.models import UnitRow
from xiangshu.storage.models.plan import (
    IndicatorRow,
    MilestoneRow,
    ObservationRow,
    PlanRow,
    ProjectRow,
    TaskRow,
    TaskUnitRow,
)
from xiangshu.storage.plan import (
    indicator_by_number,
    indicator_public,
    indicator_rows,
    plan_by_code,
    plan_public,
    plan_summary,
    responsible_units,
    spec_of,
)


def _unit_index(session: Session) -> tuple[dict[str, uuid.UUID], list[uuid.UUID]]:
    """Units by short and full name (provincial names first), and the city governments."""
    rows = session.execute(select(UnitRow).order_by(UnitRow.division_code)).scalars().all()
    index: dict[str, uuid.UUID] = {}
    for row in rows:
        index.setdefault(row.short_name, row.id)
        index.setdefault(row.name, row.id)
    cities = [r.id for r in rows if r.kind == "government" and r.level == "city"]
    return index, cities


def _links(
    task: TaskDraft, index: dict[str, uuid.UUID], cities: list[uuid.UUID], file: str
) -> tuple[list[tuple[uuid.UUID | None, str, str]], list[Problem], list[str]]:
    links: list[tuple[uuid.UUID | None, str, str]] = []
    problems: list[Problem] = []
    unlinked: list[str] = []
    for mention in task.mentions:
        if mention.name in CITY_GOVERNMENTS:
            links += [(city, mention.name, mention.role.value) for city in cities]
        elif mention.collective:
            links.append((None, mention.name, mention.role.value))
            unlinked.append(mention.name)
        elif mention.name in index:
            links.append((index[mention.name], mention.name, mention.role.value))
        else:
            problems.append(
                Problem(
                    f"no unit named {mention.name} on this node",
                    file=file,
                    row=task.row,
                    field="responsibility",
                    value=mention.name,
                )
            )
    return links, problems, unlinked


def findings_of(ctx: ActionContext, specs: Sequence[IndicatorSpec]) -> list[FindingPublic]:
    tolerance = ctx.settings.plan_growth_tolerance_pp
    return [
        FindingPublic.of(f)
        for spec in specs
        for f in check_indicator(spec, growth_tolerance=tolerance)
    ]


def add_observation(
    ctx: ActionContext,
    indicator_id: uuid.UUID,
    draft: ObservationDraft,
    *,
    version: int = 1,
    resource_id: uuid.UUID | None = None,
) -> ObservationRow:
    row = ObservationRow(
        indicator_id=indicator_id,
        period_end=draft.period_end,
        version=version,
        is_current=True,
        value=draft.value,
        status=str(draft.status),
        qualifier=str(draft.qualifier),
        source_kind=str(draft.source_kind),
        source=draft.source,
        source_url=draft.source_url,
        note=draft.note,
        synthetic=draft.synthetic,
        resource_id=resource_id,
        query=draft.query,
        recorded_at=ctx.now,
        recorded_by=ctx.actor.name,
    )
    ctx.session.add(row)
    return row


@action(event="plan:plan:load")
def plan_load(ctx: ActionContext, draft: PlanDraft) -> LoadReport:
    """Store a plan read from a file: all of it, or nothing if any unit is unknown.

    Consistency findings are reported, never refused: a plan is what was issued.
    """
    ctx.authorize()
    return store_plan(ctx, draft)


@action(event="plan:plan:load")
def plan_import(ctx: ActionContext, data: bytes, filename: str) -> LoadReport:
    """Load a plan from an uploaded workbook (read only once the policy has agreed)."""
    ctx.authorize()
    return store_plan(ctx, read_plan_bytes(data, filename))


def store_plan(ctx: ActionContext, draft: PlanDraft) -> LoadReport:
    session = ctx.session
    header = draft.header
    if session.execute(select(PlanRow.id).where(PlanRow.code == header.code)).first():
        raise Conflict(f"plan {header.code} is already loaded")
    index, cities = _unit_index(session)
    task_file = draft.sheets.get("tasks", draft.source)
    problems: list[Problem] = []
    unlinked: list[str] = []
    task_links = {}
    for task in draft.tasks:
        links, found, missing = _links(task, index, cities, task_file)
        task_links[task.number] = links
        problems += found
        unlinked += missing
    if problems:
        raise invalid(problems, f"{draft.source}: the plan was not loaded")
    plan = PlanRow(
        code=header.code,
        title=header.title,
        doc_number=header.doc_number,
        issuers="；".join(header.issuers),
        issue_date=header.issue_date,
        period_start=header.period_start,
        period_end=header.period_end,
        baseline_year=header.baseline_year,
        goals=header.goals,
        notes=header.notes,
        report_cadence=header.report_cadence,
        source=draft.source,
        created_at=ctx.now,
    )
    session.add(plan)
    session.flush()
    indicator_ids = {}
    for item in draft.indicators:
        spec = item.spec
        row = IndicatorRow(
            plan_id=plan.id,
            number=spec.number,
            parent_number=item.parent,
            position=item.position,
            name=spec.name,
            unit=spec.unit,
            nature=spec.nature.value,
            direction=int(spec.direction),
            form=spec.form.value,
            bound=spec.bound.value,
            baseline_year=int(spec.baseline_year),
            baseline=spec.baseline,
            target_year=int(spec.target_year),
            target=spec.target,
            target_text=item.target_text,
            stated_growth=spec.stated_growth,
            stated_change=spec.stated_change,
            related_tasks=";".join(item.related_tasks),
            notes=item.notes,
        )
        session.add(row)
        session.flush()
        indicator_ids[spec.number] = row.id
    for project in draft.projects:
        session.add(
            ProjectRow(
                plan_id=plan.id,
                box=project.box,
                item=project.item,
                name=project.name,
                description=project.description,
                notes=project.notes,
            )
        )
    task_ids = {}
    for task in draft.tasks:
        task_row = TaskRow(
            plan_id=plan.id,
            number=task.number,
            group_number=task.group,
            box=task.box,
            project_item=task.project,
            title=task.title,
            responsibility=task.responsibility,
            notes=task.notes,
        )
        session.add(task_row)
        session.flush()
        task_ids[task.number] = task_row.id
        for position, (unit_id, mention, role) in enumerate(task_links[task.number]):
            session.add(
                TaskUnitRow(
                    task_id=task_row.id,
                    unit_id=unit_id,
                    mention=mention,
                    role=role,
                    position=position,
                )
            )
    for milestone in draft.milestones:
        session.add(
            MilestoneRow(
                plan_id=plan.id,
                task_id=task_ids[milestone.task],
                kind="milestone",
                year=milestone.year,
                due_date=milestone.due_date,
                title=milestone.title,
                notes=milestone.notes,
                created_at=ctx.now,
            )
        )
    for observation in draft.observations:
        add_observation(ctx, indicator_ids[observation.indicator], observation)
    session.flush()
    findings = findings_of(ctx, [i.spec for i in draft.indicators])
    ctx.target("plan", plan.id)
    ctx.detail(
        code=plan.code,
        source=draft.source,
        indicators=len(draft.indicators),
        tasks=len(draft.tasks),
        observations=len(draft.observations),
        findings=len(findings),
    )
    return LoadReport(
        plan=plan_summary(session, plan),
        created=True,
        indicators=len(draft.indicators),
        projects=len(draft.projects),
        tasks=len(draft.tasks),
        milestones=len(draft.milestones),
        observations=len(draft.observations),
        findings=findings,
        unlinked_mentions=sorted(set(unlinked)),
    )


@action(event=None, writes=False)
def plan_list(ctx: ActionContext) -> list[PlanSummary]:
    """The plans loaded on this node, newest period first."""
    ctx.authorize(public=ctx.settings.plan_public)
    rows = ctx.session.execute(select(PlanRow).order_by(PlanRow.period_start.desc())).scalars()
    return [plan_summary(ctx.session, row) for row in rows]


@action(event=None, writes=False)
def plan_show(ctx: ActionContext, code: str) -> PlanPublic:
    """One plan: document, issuers, period, goals."""
    ctx.authorize(public=ctx.settings.plan_public)
    return plan_public(ctx.session, plan_by_code(ctx.session, code))


@action(event=None, writes=False)
def plan_check(ctx: ActionContext, code: str) -> list[FindingPublic]:
    """What in the plan's indicator table disagrees with itself."""
    ctx.authorize(public=ctx.settings.plan_public)
    plan = plan_by_code(ctx.session, code)
    return findings_of(ctx, [spec_of(r) for r in indicator_rows(ctx.session, plan.id)])


@action(event=None, writes=False)
def indicator_list(ctx: ActionContext, code: str) -> list[IndicatorPublic]:
    """A plan's main indicators as the plan states them, with their responsible units."""
    ctx.authorize(public=ctx.settings.plan_public)
    plan = plan_by_code(ctx.session, code)
    return [
        indicator_public(
            row, plan.code, responsible_units(ctx.session, plan.id, row.related_tasks.split(";"))
        )
        for row in indicator_rows(ctx.session, plan.id)
    ]


@action(event=None, writes=False)
def indicator_show(ctx: ActionContext, code: str, number: str) -> IndicatorPublic:
    """One indicator as the plan states it, with its responsible units."""
    ctx.authorize(public=ctx.settings.plan_public)
    plan = plan_by_code(ctx.session, code)
    row = indicator_by_number(ctx.session, plan, number)
    units = responsible_units(ctx.session, plan.id, [t for t in row.related_tasks.split(";") if t])
    return indicator_public(row, plan.code, units)
