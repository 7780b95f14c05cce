"""Plan pages: the list, a plan's overview, an indicator, the division of labour and the
accountability list. Readable without JavaScript: tables and server-rendered SVG."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xiangshu.actions.plan import plan_check, plan_import, plan_list, plan_show
from xiangshu.actions.plan_data import observation_list, observation_record
from xiangshu.actions.plan_progress import (
    accountability_list,
    progress_report_list,
    progress_report_submit,
    project_list,
    reminder_list,
    task_list,
)
from xiangshu.domain.plan.drafts import SourceKind
from xiangshu.domain.plan.final import GrowthComparison, Outcome
from xiangshu.domain.plan.indicators import Bound, Nature, Qualifier, TargetForm, ValueStatus
from xiangshu.domain.plan.status import Status
from xiangshu.domain.roles import Actor, Role
from xiangshu.errors import InvalidInput, NotFound
from xiangshu.plan_report.build import build_view
from xiangshu.plan_report.views import unit_names
from xiangshu.schemas.plan import ObservationCreate, ProgressReportCreate, TaskPublic
from xiangshu.web.deps import ActorDep, NodeDep, check_csrf
from xiangshu.web.labels import N_
from xiangshu.web.pages import render
from xiangshu.web.uploads import document_of

router = APIRouter(prefix="/plans")

STATUS_EN = {
    Status.ACHIEVED_EARLY: N_("Achieved early"),
    Status.AHEAD: N_("Ahead of schedule"),
    Status.ON_TRACK: N_("On schedule"),
    Status.LAGGING: N_("Lagging"),
    Status.REGRESSING: N_("Moving away"),
    Status.ACHIEVED: N_("Achieved"),
    Status.NOT_ACHIEVED: N_("Not achieved"),
    Status.NO_DATA: N_("No data"),
    Status.NOT_ASSESSABLE: N_("Not assessable"),
}
KIND_EN = {
    "overdue_report": N_("Overdue progress report"),
    "overdue_milestone": N_("Overdue milestone"),
    "lagging_indicator": N_("Indicator lagging"),
}
COMPONENT_EN = {
    "form": N_("Form of the target"),
    "nature": N_("Binding or expected"),
    "direction": N_("Direction"),
    "bound": N_("Bound of the target"),
    "baseline_year": N_("Base year t0"),
    "baseline": N_("Base value x0"),
    "target_year": N_("Target year T"),
    "target": N_("Target value x*"),
    "latest_time": N_("Time of the latest value c"),
    "latest_value": N_("Latest value xc"),
    "latest_synthetic": N_("Latest value is synthetic"),
    "latest_qualifier": N_("Latest value is"),
    "level": N_("Level judged (running total for flows)"),
    "points": N_("Values known"),
    "synthetic_points": N_("of which synthetic"),
    "provisional_points": N_("of which provisional"),
    "hedged_points": N_("of which bounds, proxies or estimates"),
    "notes": N_("Notes"),
    "tau": N_("Time elapsed τ"),
    "expected": N_("Expected value E(c)"),
    "scale": N_("Scale of progress"),
    "progress": N_("Task progress p"),
    "planned_growth": N_("Planned annual growth"),
    "realised_growth": N_("Realised annual growth"),
    "threshold_on_track": N_("On schedule from p ≥"),
    "threshold_ahead": N_("Ahead from p ≥"),
}
LABELS = {
    "component_en": COMPONENT_EN,
    "status": {s.value: s.label_zh for s in Status},
    "status_en": {s.value: label for s, label in STATUS_EN.items()},
    "kind_en": KIND_EN,
    "form": {f.value: f.label_zh for f in TargetForm},
    "outcome": {o.value: o.label_zh for o in Outcome},
    "growth": {g.value: g.label_zh for g in GrowthComparison},
    "value_status": {v.value: v.label_zh for v in ValueStatus},
    "qualifier": {q.value: q.label_zh for q in Qualifier},
    "bound": {b.value: b.label_zh for b in Bound},
    "nature": {n.value: n.label_zh for n in Nature},
}


@router.get("", response_class=HTMLResponse)
def plans_page(request: Request, node: NodeDep, actor: ActorDep) -> HTMLResponse:
    plans = node.dispatcher.run(plan_list, actor)
    return render(request, "plans.html", {"plans": plans, "error": None}, actor=actor)


@router.post("", response_model=None)
async def upload_plan(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    file: Annotated[UploadFile, File()],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """A plan officer loads a workbook; every wrong cell is listed on the page."""
    check_csrf(request, csrf_token)
    data = await file.read()
    try:
        report = node.dispatcher.run(plan_import, actor, data, file.filename or "plan.xlsx")
    except InvalidInput as error:
        plans = node.dispatcher.run(plan_list, actor)
        context = {"plans": plans, "error": error}
        return render(request, "plans.html", context, status=422, actor=actor)
    return RedirectResponse(f"/plans/{report.plan.code}", status_code=303)


def _may_record(actor: Actor, unit_ids: list[uuid.UUID]) -> bool:
    """Whether to offer the value form (the action's policy still decides)."""
    if actor.has(Role.PLAN_OFFICER, Role.PLATFORM_ADMIN):
        return True
    return actor.is_government and actor.unit_id in unit_ids


def _internal(actor: Actor) -> bool:
    return actor.is_system or actor.is_government


@router.get("/{code}", response_class=HTMLResponse)
def plan_page(
    request: Request, node: NodeDep, actor: ActorDep, code: str, year: int | None = None
) -> HTMLResponse:
    run = node.dispatcher.run
    plan = run(plan_show, actor, code)
    view = build_view(node, actor, code, year)
    tasks = run(task_list, actor, code)
    overdue: dict[str, int] = defaultdict(int)
    if _internal(actor):
        for item in run(accountability_list, actor, code):
            if item.kind != "lagging_indicator":
                overdue[item.unit_name] += 1
    return render(
        request,
        "plan.html",
        {
            "plan": plan,
            "view": view,
            "findings": run(plan_check, actor, code),
            "by_unit": _tasks_by_unit(tasks),
            "tasks": tasks,
            "labels": LABELS,
            "year": year,
            "internal": _internal(actor),
            "overdue": overdue,
        },
        actor=actor,
    )


def _tasks_by_unit(tasks: list[TaskPublic]) -> list[tuple[str, list[TaskPublic]]]:
    """Tasks grouped by the units that lead or share them (supporting units left out)."""
    grouped: dict[str, list[TaskPublic]] = defaultdict(list)
    for task in tasks:
        for name in sorted({u.name for u in task.units if u.role != "support"}):
            grouped[name].append(task)
    return sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0]))


@router.get("/{code}/indicators/{number}", response_class=HTMLResponse)
def indicator_page(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    code: str,
    number: str,
    year: int | None = None,
    saved: str = "",
) -> HTMLResponse:
    run = node.dispatcher.run
    view = build_view(node, actor, code, year)
    found = next((v for v in view.indicators if v.indicator.number == number), None)
    if found is None:
        raise NotFound(f"no indicator {number} in plan {code}")
    history = run(observation_list, actor, code, number, history=True)
    return render(
        request,
        "plan_indicator.html",
        {
            "plan": run(plan_show, actor, code),
            "v": found,
            "history": history,
            "evaluation": view.evaluation,
            "labels": LABELS,
            "saved": saved,
            "may_record": _may_record(actor, found.indicator.responsible_unit_ids),
            "internal": _internal(actor),  # documents behind values are internal
            "today": node.services.clock.now().date(),
        },
        actor=actor,
    )


@router.get("/{code}/tasks", response_class=HTMLResponse, response_model=None)
def tasks_page(
    request: Request, node: NodeDep, actor: ActorDep, code: str, saved: str = ""
) -> Response:
    run = node.dispatcher.run
    tasks = run(task_list, actor, code)
    mine = [t for t in tasks if any(u.unit_id == actor.unit_id for u in t.units)]
    reports = run(progress_report_list, actor, code) if _internal(actor) else []
    reminders = (
        run(reminder_list, actor, code, unit_id=actor.unit_id) if actor.unit_id is not None else []
    )
    return render(
        request,
        "plan_tasks.html",
        {
            "plan": run(plan_show, actor, code),
            "tasks": tasks,
            "projects": run(project_list, actor, code),
            "mine": mine if actor.unit_id else [],
            "reports": reports,
            "reminders": reminders,
            "unit_names": unit_names,
            "saved": saved,
            "error": None,
        },
        actor=actor,
    )


@router.post("/{code}/indicators/{number}/values", response_model=None)
def record_value(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    code: str,
    number: str,
    period_end: Annotated[date, Form()],
    value: Annotated[float, Form()],
    status: Annotated[ValueStatus, Form()] = ValueStatus.PROVISIONAL,
    source: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    attachment: Annotated[UploadFile | None, File()] = None,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """A plan officer or a responsible unit records a value reported by the unit, with
    the unit's document when one is attached."""
    check_csrf(request, csrf_token)
    if actor.is_public:
        return RedirectResponse(f"/login?next=/plans/{code}/indicators/{number}", status_code=303)
    data = ObservationCreate(
        indicator=number,
        period_end=period_end,
        value=value,
        status=status,
        source_kind=SourceKind.UNIT_REPORT,
        source=source,
        note=note,
        reason=reason,
    )
    node.dispatcher.run(observation_record, actor, code, data, document_of(attachment))
    return RedirectResponse(f"/plans/{code}/indicators/{number}?saved=1", status_code=303)


@router.post("/{code}/progress-reports", response_model=None)
def submit_report(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    code: str,
    task: Annotated[str, Form()],
    period: Annotated[str, Form()],
    progress: Annotated[float, Form()],
    narrative: Annotated[str, Form()],
    problems: Annotated[str, Form()] = "",
    next_steps: Annotated[str, Form()] = "",
    attachment: Annotated[UploadFile | None, File()] = None,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    if actor.is_public:
        return RedirectResponse(f"/login?next=/plans/{code}/tasks", status_code=303)
    data = ProgressReportCreate(
        task=task,
        period=period,
        progress=progress,
        narrative=narrative,
        problems=problems,
        next_steps=next_steps,
    )
    node.dispatcher.run(progress_report_submit, actor, code, data, document_of(attachment))
    return RedirectResponse(f"/plans/{code}/tasks?saved={task}", status_code=303)


@router.get("/{code}/accountability", response_class=HTMLResponse, response_model=None)
def accountability_page(request: Request, node: NodeDep, actor: ActorDep, code: str) -> Response:
    if actor.is_public:
        return RedirectResponse(f"/login?next=/plans/{code}/accountability", status_code=303)
    run = node.dispatcher.run
    items = run(accountability_list, actor, code)
    by_unit: dict[str, int] = defaultdict(int)
    for item in items:
        by_unit[item.unit_name] += 1
    return render(
        request,
        "plan_accountability.html",
        {
            "plan": run(plan_show, actor, code),
            "items": items,
            "by_unit": sorted(by_unit.items(), key=lambda kv: -kv[1]),
            "labels": LABELS,
        },
        actor=actor,
    )
