"""Pages where the public and the units meet: reuses (应用展示), data requests (数据需求),
error reports (纠错) and applications for conditional open data (有条件开放)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from xiangshu.actions.portal_access import open_application_decide, open_application_list
from xiangshu.actions.portal_contrib import (
    data_request_answer,
    data_request_list,
    data_request_submit,
    public_error_report_answer,
    public_error_report_list,
    reuse_list,
    reuse_review,
    reuse_submit,
)
from xiangshu.domain.roles import Actor, Role
from xiangshu.errors import XiangshuError
from xiangshu.schemas.portal import (
    DataRequestAnswer,
    DataRequestCreate,
    Decision,
    ErrorReportAnswer,
    ReuseCreate,
)
from xiangshu.web.deps import ActorDep, NodeDep, check_csrf
from xiangshu.web.pages import render

router = APIRouter(prefix="/open")


def problem_text(error: Exception) -> str:
    if isinstance(error, XiangshuError):
        return "; ".join(p.message for p in error.problems) or error.message
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
    return str(error)


def _is_admin(actor: Actor) -> bool:
    return actor.has(Role.PLATFORM_ADMIN)


# ---------------------------------------------------------------- reuses


def _reuses_page(
    request: Request, node: Any, actor: Actor, problem: str | None = None, status: int = 200
) -> HTMLResponse:
    admin = _is_admin(actor)
    reuses = node.dispatcher.run(reuse_list, actor, include_pending=admin)
    return render(
        request,
        "open_reuses.html",
        {"reuses": reuses, "admin": admin, "problem": problem},
        status=status,
        actor=actor,
    )


@router.get("/reuses", response_class=HTMLResponse)
def reuses(request: Request, node: NodeDep, actor: ActorDep) -> HTMLResponse:
    return _reuses_page(request, node, actor)


@router.post("/reuses", response_model=None)
def submit_reuse(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    title: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "application",
    datasets: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    if actor.is_public:
        return RedirectResponse("/login?next=/open/reuses", status_code=303)
    try:
        data = ReuseCreate(
            title=title,
            description=description,
            url=url,
            kind=kind,
            datasets=[d for d in datasets.replace("，", ",").split(",") if d.strip()],
        )
        node.dispatcher.run(reuse_submit, actor, data)
    except (XiangshuError, ValidationError) as error:
        return _reuses_page(request, node, actor, problem_text(error), 422)
    return RedirectResponse("/open/reuses?submitted=1", status_code=303)


@router.post("/reuses/{reuse_id}/review", response_model=None)
def review_reuse(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    reuse_id: uuid.UUID,
    approve: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    try:
        node.dispatcher.run(
            reuse_review, actor, reuse_id, Decision(approve=approve == "yes", note=note)
        )
    except XiangshuError as error:
        return _reuses_page(request, node, actor, problem_text(error), 422)
    return RedirectResponse("/open/reuses", status_code=303)


# ---------------------------------------------------------------- data requests


def _requests_page(
    request: Request, node: Any, actor: Actor, problem: str | None = None, status: int = 200
) -> HTMLResponse:
    found = node.dispatcher.run(data_request_list, actor)
    return render(
        request,
        "open_requests.html",
        {"requests": found, "problem": problem, "admin": _is_admin(actor)},
        status=status,
        actor=actor,
    )


@router.get("/requests", response_class=HTMLResponse)
def requests_page(request: Request, node: NodeDep, actor: ActorDep) -> HTMLResponse:
    return _requests_page(request, node, actor)


@router.post("/requests", response_model=None)
def submit_request(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    title: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    unit: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    if actor.is_public:
        return RedirectResponse("/login?next=/open/requests", status_code=303)
    try:
        data = DataRequestCreate(title=title, description=description, unit=unit or None)
        node.dispatcher.run(data_request_submit, actor, data)
    except (XiangshuError, ValidationError) as error:
        return _requests_page(request, node, actor, problem_text(error), 422)
    return RedirectResponse("/open/requests?submitted=1", status_code=303)


@router.post("/requests/{request_id}/answer", response_model=None)
def answer_request(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    request_id: uuid.UUID,
    status: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
    dataset: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    try:
        data = DataRequestAnswer(status=status, answer=answer, dataset=dataset or None)
        node.dispatcher.run(data_request_answer, actor, request_id, data)
    except (XiangshuError, ValidationError) as error:
        return _requests_page(request, node, actor, problem_text(error), 422)
    return RedirectResponse("/open/requests", status_code=303)


# ---------------------------------------------------------------- error reports


@router.get("/reports", response_class=HTMLResponse)
def reports(
    request: Request, node: NodeDep, actor: ActorDep, status: str | None = None
) -> HTMLResponse:
    wanted = status if status in ("open", "confirmed", "fixed", "rejected") else None
    found = node.dispatcher.run(public_error_report_list, actor, status=wanted)
    return render(request, "open_reports.html", {"reports": found, "status": wanted}, actor=actor)


@router.post("/reports/{report_id}/answer", response_model=None)
def answer_report(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    report_id: uuid.UUID,
    status: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    data = ErrorReportAnswer(status=status, answer=answer)
    node.dispatcher.run(public_error_report_answer, actor, report_id, data)
    return RedirectResponse("/open/reports", status_code=303)


# ---------------------------------------------------------------- applications


@router.get("/applications", response_class=HTMLResponse, response_model=None)
def applications(request: Request, node: NodeDep, actor: ActorDep) -> Response:
    if actor.user_id is None:
        return RedirectResponse("/login?next=/open/applications", status_code=303)
    mine = node.dispatcher.run(open_application_list, actor, applicant_id=actor.user_id)
    to_decide = []
    if actor.unit_id is not None and actor.has(Role.DATA_STEWARD):
        to_decide = node.dispatcher.run(open_application_list, actor, unit_id=actor.unit_id)
    return render(
        request,
        "open_applications.html",
        {"mine": mine, "to_decide": to_decide},
        actor=actor,
    )


@router.post("/applications/{application_id}/decide", response_model=None)
def decide(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    application_id: uuid.UUID,
    approve: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    decision = Decision(approve=approve == "yes", note=note)
    node.dispatcher.run(open_application_decide, actor, application_id, decision)
    return RedirectResponse("/open/applications", status_code=303)
