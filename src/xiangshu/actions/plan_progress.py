"""Use cases for the division of labour: tasks, milestones, progress reports, reminders,
and the accountability list (问责清单)."""

from __future__ import annotations

import json
import uuid
from datetime import date

from sqlalchemy import select

from xiangshu.actions.context import ActionContext
from xiangshu.actions.plan_attachments import attachment_fields
from xiangshu.actions.registry import action
from xiangshu.domain.documents import Document, document_problems
from xiangshu.domain.plan.schedule import Period, due_date, period_of, periods
from xiangshu.domain.plan.status import Status
from xiangshu.errors import Conflict, NotFound, Problem, invalid
from xiangshu.schemas.plan import (
    AccountabilityItem,
    MilestoneCreate,
    MilestonePublic,
    ProgressReportCreate,
    ProgressReportPublic,
    ProjectPublic,
    ReminderPublic,
    TaskPublic,
    TaskUnitPublic,
)
from xiangshu.storage.models import UnitRow
from xiangshu.storage.models.plan import (
    EvaluationResultRow,
    EvaluationRow,
    MilestoneRow,
    PlanRow,
    ProgressReportRow,
    ProjectRow,
    ReminderRow,
    TaskRow,
)
from xiangshu.storage.plan import indicator_rows, plan_by_code, responsible_units, task_units


def _task(ctx: ActionContext, plan: PlanRow, number: str) -> TaskRow:
    row = ctx.session.execute(
        select(TaskRow).where(TaskRow.plan_id == plan.id, TaskRow.number == number)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"no task {number} in plan {plan.code}")
    return row


def _tasks_by_id(ctx: ActionContext, plan: PlanRow) -> dict[uuid.UUID, TaskRow]:
    rows = ctx.session.execute(select(TaskRow).where(TaskRow.plan_id == plan.id)).scalars()
    return {t.id: t for t in rows}


def _milestone_public(row: MilestoneRow, number: str) -> MilestonePublic:
    return MilestonePublic(
        id=row.id,
        task_number=number,
        kind=row.kind,
        year=row.year,
        due_date=row.due_date,
        title=row.title,
        notes=row.notes,
        done_at=row.done_at,
    )


@action(event=None, writes=False)
def task_list(ctx: ActionContext, code: str) -> list[TaskPublic]:
    """The division of labour with each task's units, latest progress and milestones."""
    ctx.authorize(public=ctx.settings.plan_public)
    plan = plan_by_code(ctx.session, code)
    tasks = ctx.session.execute(select(TaskRow).where(TaskRow.plan_id == plan.id)).scalars().all()
    units = task_units(ctx.session, plan.id)
    numbers = {t.id: t.number for t in tasks}
    milestones: dict[uuid.UUID, list[MilestonePublic]] = {}
    for m in ctx.session.execute(
        select(MilestoneRow).where(MilestoneRow.plan_id == plan.id).order_by(MilestoneRow.due_date)
    ).scalars():
        milestones.setdefault(m.task_id, []).append(_milestone_public(m, numbers[m.task_id]))
    latest: dict[uuid.UUID, ProgressReportRow] = {}
    for report in ctx.session.execute(
        select(ProgressReportRow)
        .where(ProgressReportRow.task_id.in_(list(numbers)))
        .order_by(ProgressReportRow.period, ProgressReportRow.submitted_at)
    ).scalars():
        latest[report.task_id] = report
    found = [
        TaskPublic(
            id=t.id,
            number=t.number,
            group_number=t.group_number,
            box=t.box,
            project_item=t.project_item,
            title=t.title,
            responsibility=t.responsibility,
            notes=t.notes,
            units=[
                TaskUnitPublic(
                    unit_id=link.unit_id, name=name, mention=link.mention, role=link.role
                )
                for link, name in units.get(t.id, [])
            ],
            latest_progress=latest[t.id].progress if t.id in latest else None,
            latest_period=latest[t.id].period if t.id in latest else None,
            milestones=milestones.get(t.id, []),
        )
        for t in tasks
    ]
    return sorted(found, key=lambda t: [int(p) for p in t.number.split(".")])


@action(event=None, writes=False)
def project_list(ctx: ActionContext, code: str) -> list[ProjectPublic]:
    """The key-project boxes (专栏) and their sub-projects."""
    ctx.authorize(public=ctx.settings.plan_public)
    plan = plan_by_code(ctx.session, code)
    rows = ctx.session.execute(
        select(ProjectRow).where(ProjectRow.plan_id == plan.id).order_by(ProjectRow.box)
    ).scalars()
    return [
        ProjectPublic(box=r.box, item=r.item, name=r.name, description=r.description, notes=r.notes)
        for r in rows
    ]


@action(event="plan:milestone:create")
def milestone_create(ctx: ActionContext, code: str, data: MilestoneCreate) -> MilestonePublic:
    """Add a milestone or an item of an annual work plan (年度工作计划) to a task."""
    ctx.authorize()
    plan = plan_by_code(ctx.session, code)
    task = _task(ctx, plan, data.task)
    if not plan.period_start <= data.year <= plan.period_end + 5:
        raise invalid([Problem(f"{data.year} is outside the plan's years", field="year")])
    row = MilestoneRow(
        plan_id=plan.id,
        task_id=task.id,
        kind=data.kind,
        year=data.year,
        due_date=data.due_date or date(data.year, 12, 31),
        title=data.title,
        notes=data.notes,
        created_at=ctx.now,
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.target("milestone", row.id)
    ctx.detail(plan=code, task=task.number, year=data.year, kind=data.kind)
    return _milestone_public(row, task.number)


@action(event="plan:milestone:complete")
def milestone_complete(
    ctx: ActionContext, milestone_id: uuid.UUID, done_on: date | None = None
) -> MilestonePublic:
    """Mark a milestone or work item done (plan officers or a responsible unit)."""
    row = ctx.session.get(MilestoneRow, milestone_id)
    if row is None:
        raise NotFound(f"no milestone {milestone_id}")
    task = ctx.session.get(TaskRow, row.task_id)
    assert task is not None
    links = task_units(ctx.session, task.plan_id).get(task.id, [])
    ctx.authorize(responsible_unit_ids=[link.unit_id for link, _ in links if link.unit_id])
    if row.done_at is not None:
        raise Conflict(f"milestone already done on {row.done_at}")
    row.done_at = done_on or ctx.now.date()
    ctx.target("milestone", row.id)
    ctx.detail(task=task.number, done_at=str(row.done_at))
    return _milestone_public(row, task.number)


@action(event="plan:progress_report:submit")
def progress_report_submit(
    ctx: ActionContext,
    code: str,
    data: ProgressReportCreate,
    attachment: Document | None = None,
) -> ProgressReportPublic:
    """A responsible unit reports on its task for one period (once per period), with its
    document when one is attached."""
    plan = plan_by_code(ctx.session, code)
    task = _task(ctx, plan, data.task)
    links = task_units(ctx.session, plan.id).get(task.id, [])
    unit_id = data.unit_id or ctx.actor.unit_id
    task_unit_ids = {link.unit_id for link, _ in links if link.unit_id}
    if unit_id is None:
        raise invalid([Problem("name the reporting unit", field="unit_id")])
    ctx.authorize(unit_id=unit_id, task_unit_ids=task_unit_ids)
    period = period_of(data.period, plan.report_cadence)
    if period is None:
        raise invalid(
            [Problem(f"{data.period} is not a {plan.report_cadence} period", field="period")]
        )
    clash = ctx.session.execute(
        select(ProgressReportRow.id).where(
            ProgressReportRow.task_id == task.id,
            ProgressReportRow.unit_id == unit_id,
            ProgressReportRow.period == data.period,
        )
    ).first()
    if clash:
        raise Conflict(f"this unit has already reported on task {task.number} for {data.period}")
    if attachment:
        problems = document_problems(attachment)
        if problems:
            raise invalid(problems, "the report was not recorded: its attachment is refused")
    name, digest = attachment_fields(ctx, attachment, data.attachment_name, data.attachment_sha256)
    row = ProgressReportRow(
        task_id=task.id,
        unit_id=unit_id,
        period=data.period,
        due_date=due_date(period, ctx.settings.plan_report_due_working_days),
        progress=data.progress,
        narrative=data.narrative,
        problems=data.problems,
        next_steps=data.next_steps,
        attachment_name=name,
        attachment_sha256=digest,
        submitted_at=ctx.now,
        submitted_by=ctx.actor.name,
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.target("progress_report", row.id)
    ctx.detail(plan=code, task=task.number, unit_id=str(unit_id), period=data.period)
    return _report_public(ctx, row, task)


def _report_public(
    ctx: ActionContext, row: ProgressReportRow, task: TaskRow
) -> ProgressReportPublic:
    unit = ctx.session.get(UnitRow, row.unit_id)
    return ProgressReportPublic(
        id=row.id,
        task_number=task.number,
        task_title=task.title,
        unit_id=row.unit_id,
        unit_name=unit.short_name if unit else "",
        period=row.period,
        due_date=row.due_date,
        progress=row.progress,
        narrative=row.narrative,
        problems=row.problems,
        next_steps=row.next_steps,
        attachment_name=row.attachment_name,
        attachment_sha256=row.attachment_sha256,
        submitted_at=row.submitted_at,
        submitted_by=row.submitted_by,
        late=row.submitted_at.date() > row.due_date,
    )


@action(event="plan:progress_report:read", writes=False)
def progress_report_list(
    ctx: ActionContext, code: str, *, unit_id: uuid.UUID | None = None
) -> list[ProgressReportPublic]:
    """Units' progress reports on the plan's tasks (of one unit, if given), newest first."""
    ctx.authorize()
    plan = plan_by_code(ctx.session, code)
    tasks = _tasks_by_id(ctx, plan)
    query = select(ProgressReportRow).where(ProgressReportRow.task_id.in_(list(tasks)))
    if unit_id is not None:
        query = query.where(ProgressReportRow.unit_id == unit_id)
    rows = ctx.session.execute(query.order_by(ProgressReportRow.submitted_at.desc())).scalars()
    found = [_report_public(ctx, r, tasks[r.task_id]) for r in rows]
    ctx.target("plan", plan.id)
    ctx.detail(unit_id=str(unit_id) if unit_id else None, rows=len(found))
    return found


def _due_periods(plan: PlanRow, today: date, working_days: int) -> list[tuple[Period, date]]:
    """Reporting periods that have ended by ``today``, with their deadlines: from the
    period in which the plan was issued (nobody reports on a plan not yet issued)."""
    last_year = min(plan.period_end, today.year)
    issued = plan.issue_date or date(plan.period_start, 1, 1)
    found = []
    for period in periods(plan.report_cadence, plan.period_start, last_year):
        if period.end >= issued and period.end < today:
            found.append((period, due_date(period, working_days)))
    return found


def _missing_reports(
    ctx: ActionContext, plan: PlanRow, today: date
) -> list[tuple[TaskRow, uuid.UUID, str, Period, date]]:
    """(task, unit, unit name, period, deadline) for every report not yet submitted."""
    tasks = ctx.session.execute(select(TaskRow).where(TaskRow.plan_id == plan.id)).scalars().all()
    units = task_units(ctx.session, plan.id)
    submitted = {
        (r.task_id, r.unit_id, r.period)
        for r in ctx.session.execute(
            select(ProgressReportRow).where(ProgressReportRow.task_id.in_([t.id for t in tasks]))
        ).scalars()
    }
    due = _due_periods(plan, today, ctx.settings.plan_report_due_working_days)
    missing = []
    for task in tasks:
        leads = [
            (link.unit_id, n)
            for link, n in units.get(task.id, [])
            if link.unit_id and link.role != "support"
        ]
        for unit_id, name in leads:
            assert unit_id is not None
            for period, deadline in due:
                if (task.id, unit_id, period.label) not in submitted:
                    missing.append((task, unit_id, name, period, deadline))
    return missing


@action(event="plan:reminder:send")
def progress_reminders_send(
    ctx: ActionContext, code: str, today: date | None = None
) -> list[ReminderPublic]:
    """Remind responsible units of progress reports due soon or overdue, each once.

    Once per unit, task, period and kind (due soon, overdue).
    """
    ctx.authorize()
    plan = plan_by_code(ctx.session, code)
    day = today or ctx.now.date()
    window = ctx.settings.plan_reminder_days
    sent_before = {
        (r.task_id, r.unit_id, r.period, r.kind)
        for r in ctx.session.execute(select(ReminderRow)).scalars()
    }
    sent = []
    for task, unit_id, name, period, deadline in _missing_reports(ctx, plan, day):
        kind = "overdue" if deadline < day else "due_soon"
        if kind == "due_soon" and (deadline - day).days > window:
            continue
        if (task.id, unit_id, period.label, kind) in sent_before:
            continue
        ctx.session.add(
            ReminderRow(
                task_id=task.id,
                unit_id=unit_id,
                period=period.label,
                due_date=deadline,
                kind=kind,
                sent_at=ctx.now,
            )
        )
        sent.append(
            ReminderPublic(
                task_number=task.number,
                unit_name=name,
                period=period.label,
                due_date=deadline,
                kind=kind,
                sent_at=ctx.now,
            )
        )
    ctx.target("plan", plan.id)
    ctx.detail(today=str(day), sent=len(sent))
    return sent


@action(event="plan:accountability:read", writes=False)
def accountability_list(
    ctx: ActionContext, code: str, today: date | None = None
) -> list[AccountabilityItem]:
    """The accountability list: what is overdue or lagging, and who answers for it."""
    ctx.authorize()
    plan = plan_by_code(ctx.session, code)
    day = today or ctx.now.date()
    overdue: dict[tuple[str, uuid.UUID], AccountabilityItem] = {}
    for task, unit_id, name, period, deadline in _missing_reports(ctx, plan, day):
        if deadline >= day:
            continue
        key = (task.number, unit_id)
        if key in overdue:  # one line per unit and task: the oldest missing report
            overdue[key].missing += 1
            continue
        overdue[key] = AccountabilityItem(
            kind="overdue_report",
            subject=f"{task.number} {task.title}",
            unit_id=unit_id,
            unit_name=name,
            period=period.label,
            due_date=deadline,
            days_overdue=(day - deadline).days,
            missing=1,
        )
    items = list(overdue.values())
    tasks = _tasks_by_id(ctx, plan)
    units = task_units(ctx.session, plan.id)
    for m in ctx.session.execute(
        select(MilestoneRow).where(
            MilestoneRow.plan_id == plan.id,
            MilestoneRow.done_at.is_(None),
            MilestoneRow.due_date < day,
        )
    ).scalars():
        task = tasks[m.task_id]
        for link, name in units.get(task.id, []):
            if link.role != "support":
                items.append(
                    AccountabilityItem(
                        kind="overdue_milestone",
                        subject=f"{task.number} {m.title}",
                        unit_id=link.unit_id,
                        unit_name=name,
                        due_date=m.due_date,
                        days_overdue=(day - m.due_date).days,
                    )
                )
    items += _lagging(ctx, plan)
    ctx.target("plan", plan.id)
    ctx.detail(today=str(day), items=len(items))
    return sorted(items, key=lambda i: (i.kind, -i.days_overdue, i.unit_name))


def _lagging(ctx: ActionContext, plan: PlanRow) -> list[AccountabilityItem]:
    """Indicators whose latest evaluation is lagging, moving away or not achieved."""
    run = ctx.session.execute(
        select(EvaluationRow)
        .where(EvaluationRow.plan_id == plan.id)
        .order_by(EvaluationRow.run_at.desc(), EvaluationRow.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if run is None:
        return []
    rows = {r.id: r for r in indicator_rows(ctx.session, plan.id)}
    items = []
    for result in ctx.session.execute(
        select(EvaluationResultRow).where(EvaluationResultRow.evaluation_id == run.id)
    ).scalars():
        if not Status(result.status).is_concern:
            continue
        row = rows[result.indicator_id]
        synthetic = bool(json.loads(result.detail)["components"].get("latest_synthetic"))
        units = responsible_units(
            ctx.session, plan.id, [t for t in row.related_tasks.split(";") if t]
        )
        for unit_id, name in units or [(None, "（未指定责任单位）")]:
            items.append(
                AccountabilityItem(
                    kind="lagging_indicator",
                    subject=f"{row.number} {row.name}",
                    unit_id=unit_id,
                    unit_name=name,
                    period=str(run.as_of_year),
                    status=result.status,
                    synthetic=synthetic,
                )
            )
    return items


@action(event="plan:reminder:read", writes=False)
def reminder_list(
    ctx: ActionContext, code: str, *, unit_id: uuid.UUID | None = None
) -> list[ReminderPublic]:
    """Reminders sent (to one unit, if given), newest first."""
    ctx.authorize()
    plan = plan_by_code(ctx.session, code)
    tasks = _tasks_by_id(ctx, plan)
    query = select(ReminderRow, UnitRow.short_name).join(UnitRow, UnitRow.id == ReminderRow.unit_id)
    query = query.where(ReminderRow.task_id.in_(list(tasks)))
    if unit_id is not None:
        query = query.where(ReminderRow.unit_id == unit_id)
    rows = ctx.session.execute(query.order_by(ReminderRow.sent_at.desc(), ReminderRow.due_date))
    found = [
        ReminderPublic(
            task_number=tasks[r.task_id].number,
            unit_name=name,
            period=r.period,
            due_date=r.due_date,
            kind=r.kind,
            sent_at=r.sent_at,
        )
        for r, name in rows
    ]
    ctx.target("plan", plan.id)
    ctx.detail(unit_id=str(unit_id) if unit_id else None, rows=len(found))
    return found
