"""Sharing pages, continued: subscriptions with their dead letters (replay), error reports
(纠错) with the provider's answer, and the exchange statistics."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xiangshu.actions.sharing_errors import (
    error_report_answer,
    error_report_create,
    error_report_list,
    error_report_show,
)
from xiangshu.actions.sharing_stats import exchange_stats
from xiangshu.actions.sharing_subscriptions import (
    notification_feed,
    notification_replay,
    subscription_cancel,
    subscription_create,
    subscription_list,
)
from xiangshu.domain.roles import Role
from xiangshu.errors import InvalidInput
from xiangshu.schemas.sharing import ErrorAnswerIn, ErrorReportCreate, SubscriptionCreate
from xiangshu.web.deps import ActorDep, NodeDep, check_csrf
from xiangshu.web.pages import render
from xiangshu.web.routes.pages.sharing import _login, oversees, tabs

router = APIRouter(prefix="/sharing")


@router.get("/subscriptions", response_class=HTMLResponse, response_model=None)
def subscriptions(request: Request, node: NodeDep, actor: ActorDep, problem: str = "") -> Response:
    if actor.is_public:
        return _login("/sharing/subscriptions")
    run = node.dispatcher.run
    found = run(subscription_list, actor, everyone=oversees(actor) and not actor.unit_id)
    notices = {s.id: run(notification_feed, actor, s.id, limit=20) for s in found}
    dead = {s.id: run(notification_feed, actor, s.id, status="dead") for s in found}
    return render(
        request,
        "sharing_subscriptions.html",
        {
            "subscriptions": found,
            "notices": notices,
            "dead": dead,
            "tabs": tabs(actor),
            "problem": problem,
        },
        actor=actor,
    )


@router.post("/subscriptions", response_class=HTMLResponse, response_model=None)
def subscribe(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    csrf_token: Annotated[str, Form()] = "",
    resource: Annotated[str, Form()] = "",
    callback_url: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    try:
        node.dispatcher.run(
            subscription_create,
            actor,
            SubscriptionCreate(resource=resource, callback_url=callback_url.strip() or None),
        )
    except InvalidInput as error:
        return subscriptions(request, node, actor, problem=str(error))
    return RedirectResponse("/sharing/subscriptions", status_code=303)


@router.post("/subscriptions/{subscription_id}/cancel", response_model=None)
def cancel(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    subscription_id: uuid.UUID,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    node.dispatcher.run(subscription_cancel, actor, subscription_id)
    return RedirectResponse("/sharing/subscriptions", status_code=303)


@router.post("/notifications/{notification_id}/replay", response_model=None)
def replay(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    notification_id: uuid.UUID,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    node.dispatcher.run(notification_replay, actor, notification_id)
    return RedirectResponse("/sharing/subscriptions", status_code=303)


@router.get("/errors", response_class=HTMLResponse, response_model=None)
def errors(
    request: Request, node: NodeDep, actor: ActorDep, view: str = "", problem: str = ""
) -> Response:
    if actor.is_public:
        return _login("/sharing/errors")
    view = view or ("provider" if actor.has(Role.DATA_STEWARD) else "mine")
    found = node.dispatcher.run(error_report_list, actor, view)
    return render(
        request,
        "sharing_errors.html",
        {
            "reports": found,
            "view": view,
            "tabs": tabs(actor),
            "problem": problem,
            "oversight": oversees(actor),
        },
        actor=actor,
    )


@router.post("/errors", response_class=HTMLResponse, response_model=None)
def report(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    csrf_token: Annotated[str, Form()] = "",
    resource: Annotated[str, Form()] = "",
    row_key: Annotated[str, Form()] = "",
    field: Annotated[str, Form()] = "",
    claimed_value: Annotated[str, Form()] = "",
    evidence: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    try:
        made = node.dispatcher.run(
            error_report_create,
            actor,
            ErrorReportCreate(
                resource=resource,
                row_key=row_key,
                field=field,
                claimed_value=claimed_value,
                evidence=evidence,
            ),
        )
    except InvalidInput as error:
        return errors(request, node, actor, "mine", problem=str(error))
    return RedirectResponse(f"/sharing/errors/{made.number}", status_code=303)


@router.get("/errors/{reference}", response_class=HTMLResponse)
def error_detail(
    request: Request, node: NodeDep, actor: ActorDep, reference: str, problem: str = ""
) -> HTMLResponse:
    found = node.dispatcher.run(error_report_show, actor, reference)
    answers = actor.acts_for(found.provider_unit_id) and actor.has(Role.DATA_STEWARD)
    return render(
        request,
        "sharing_error.html",
        {
            "e": found,
            "answers": answers and found.status in ("open", "confirmed"),
            "tabs": tabs(actor),
            "problem": problem,
        },
        actor=actor,
    )


@router.post("/errors/{reference}/answer", response_class=HTMLResponse, response_model=None)
def answer(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    reference: str,
    csrf_token: Annotated[str, Form()] = "",
    status: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    corrected_version: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    version = int(corrected_version) if corrected_version.strip().isdigit() else None
    try:
        node.dispatcher.run(
            error_report_answer,
            actor,
            reference,
            ErrorAnswerIn(status=status, reason=reason, corrected_version=version),
        )
    except InvalidInput as error:
        return error_detail(request, node, actor, reference, problem=str(error))
    return RedirectResponse(f"/sharing/errors/{reference}", status_code=303)


@router.get("/stats", response_class=HTMLResponse, response_model=None)
def stats(request: Request, node: NodeDep, actor: ActorDep, days: int = 30) -> Response:
    if actor.is_public:
        return _login("/sharing/stats")
    found = node.dispatcher.run(exchange_stats, actor, days=days)
    return render(
        request, "sharing_stats.html", {"s": found, "days": days, "tabs": tabs(actor)}, actor=actor
    )
