"""Sharing pages: the requester's, provider's and authority's queues, a request with its
history and the answer forms, a new request, grants. Readable without JavaScript; forms
post with the CSRF token."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xiangshu.actions.catalog import resource_show
from xiangshu.actions.sharing_grants import grant_list, grant_revoke
from xiangshu.actions.sharing_queues import request_attach, request_list, request_show
from xiangshu.actions.sharing_requests import (
    request_create,
    request_decide,
    request_dispute,
    request_escalate,
    request_withdraw,
)
from xiangshu.domain.roles import Actor, Role
from xiangshu.domain.sharing.requests import ExchangeMode, IntendedUse, RequestStatus, Verdict
from xiangshu.domain.workdays import beijing_date
from xiangshu.errors import InvalidInput, XiangshuError
from xiangshu.schemas.sharing import DecisionIn, RequestCreate, RequestPublic
from xiangshu.web.deps import ActorDep, NodeDep, check_csrf
from xiangshu.web.pages import render
from xiangshu.web.uploads import document_of

router = APIRouter(prefix="/sharing")
VIEW_TITLES = {
    "mine": "Our requests",
    "provider": "Requests to us",
    "authority": "Overdue and escalated",
    "all": "All requests",
}


def oversees(actor: Actor) -> bool:
    return actor.has(Role.SHARING_AUTHORITY, Role.PLATFORM_ADMIN, Role.AUDITOR)


def _login(path: str) -> RedirectResponse:
    return RedirectResponse(f"/login?next={path}", status_code=303)


def tabs(actor: Actor) -> list[tuple[str, str]]:
    found = [("/sharing/requests?view=mine", "Our requests")]
    if actor.has(Role.DATA_STEWARD):
        found.append(("/sharing/requests?view=provider", "Requests to us"))
    if oversees(actor):
        found.append(("/sharing/requests?view=authority", "Overdue and escalated"))
    found += [
        ("/sharing/grants", "Grants"),
        ("/sharing/subscriptions", "Subscriptions"),
        ("/sharing/errors", "Error reports"),
        ("/sharing/stats", "Exchange statistics"),
    ]
    return found


@router.get("", response_class=HTMLResponse, response_model=None)
def home(actor: ActorDep) -> Response:
    if actor.is_public:
        return _login("/sharing")
    view = "provider" if actor.has(Role.DATA_STEWARD) else "mine"
    if actor.has(Role.SHARING_AUTHORITY):
        view = "authority"
    return RedirectResponse(f"/sharing/requests?view={view}", status_code=303)


@router.get("/requests", response_class=HTMLResponse, response_model=None)
def queue(
    request: Request, node: NodeDep, actor: ActorDep, view: str = "mine", status: str = ""
) -> Response:
    if actor.is_public:
        return _login(f"/sharing/requests?view={view}")
    found = node.dispatcher.run(request_list, actor, view, status=status or None)
    return render(
        request,
        "sharing_requests.html",
        {
            "queue": found,
            "view": view,
            "title": VIEW_TITLES.get(view, view),
            "tabs": tabs(actor),
            "statuses": list(RequestStatus),
            "status": status,
        },
        actor=actor,
    )


def _moves(actor: Actor, r: RequestPublic) -> list[str]:
    moves = []
    own = actor.acts_for(r.requester_unit_id)
    steward = actor.acts_for(r.provider_unit_id) and actor.has(Role.DATA_STEWARD)
    if r.status is RequestStatus.SUBMITTED and steward:
        moves.append("decide")
    if r.status is RequestStatus.ESCALATED and actor.has(Role.SHARING_AUTHORITY):
        moves.append("decide")
    if r.status is RequestStatus.SUBMITTED and actor.has(Role.SHARING_AUTHORITY):
        moves.append("escalate")
    if r.status.is_open and own:
        moves += ["withdraw", "attach"]
    if r.status in (RequestStatus.REFUSED, RequestStatus.PARTIALLY_APPROVED) and own:
        moves.append("dispute")
    return moves


def _detail(
    request: Request, node: Any, actor: Actor, reference: str, problem: str = "", status: int = 200
) -> HTMLResponse:
    found = node.dispatcher.run(request_show, actor, reference)
    return render(
        request,
        "sharing_request.html",
        {
            "r": found,
            "moves": _moves(actor, found),
            "problem": problem,
            "tabs": tabs(actor),
            "verdicts": list(Verdict),
        },
        actor=actor,
        status=status,
    )


@router.get("/requests/new", response_class=HTMLResponse, response_model=None)
def new_form(request: Request, node: NodeDep, actor: ActorDep, resource: str = "") -> Response:
    if actor.is_public:
        return _login(f"/sharing/requests/new?resource={resource}")
    return _new_page(request, node, actor, resource, None, {})


def _new_page(
    request: Request,
    node: Any,
    actor: Actor,
    resource: str,
    error: XiangshuError | None,
    values: dict[str, Any],
) -> HTMLResponse:
    found = node.dispatcher.run(resource_show, actor, resource) if resource else None
    today = beijing_date(node.services.clock.now())
    return render(
        request,
        "sharing_new.html",
        {
            "resource": found,
            "error": error,
            "values": values,
            "uses": list(IntendedUse),
            "modes": list(ExchangeMode),
            "today": today,
            "until": today + timedelta(days=365),
            "tabs": tabs(actor),
        },
        actor=actor,
        status=422 if error else 200,
    )


@router.post("/requests", response_class=HTMLResponse, response_model=None)
async def submit(request: Request, node: NodeDep, actor: ActorDep) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    resource = str(form.get("resource") or "")
    values = {k: form.getlist(k) if k == "fields" else form.get(k) for k in form}
    try:
        data = RequestCreate(
            resource=resource,
            purpose=str(form.get("purpose") or ""),
            legal_basis=str(form.get("legal_basis") or ""),
            fields=[str(f) for f in form.getlist("fields")],
            intended_use=IntendedUse(str(form.get("intended_use") or "work_reference")),
            intended_use_note=str(form.get("intended_use_note") or ""),
            valid_from=date.fromisoformat(str(form.get("valid_from"))),
            valid_until=date.fromisoformat(str(form.get("valid_until"))),
            exchange_mode=ExchangeMode(str(form.get("exchange_mode") or "api")),
            expected_volume=str(form.get("expected_volume") or ""),
            clear_values=form.get("clear_values") == "on",
            clear_reason=str(form.get("clear_reason") or ""),
        )
        made = node.dispatcher.run(request_create, actor, data)
        upload = form.get("attachment")
        document = document_of(upload) if isinstance(upload, UploadFile) else None
        if document is not None:
            node.dispatcher.run(request_attach, actor, made.id, document)
    except (InvalidInput, ValueError) as error:
        wrapped = error if isinstance(error, InvalidInput) else InvalidInput(str(error))
        return _new_page(request, node, actor, resource, wrapped, values)
    return RedirectResponse(f"/sharing/requests/{made.number}", status_code=303)


@router.get("/requests/{reference}", response_class=HTMLResponse)
def detail(request: Request, node: NodeDep, actor: ActorDep, reference: str) -> HTMLResponse:
    return _detail(request, node, actor, reference)


@router.post("/requests/{reference}/{move}", response_class=HTMLResponse, response_model=None)
async def act(
    request: Request, node: NodeDep, actor: ActorDep, reference: str, move: str
) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    found = node.dispatcher.run(request_show, actor, reference)
    run = node.dispatcher.run
    reason = str(form.get("reason") or "")
    try:
        if move == "decide":
            decision = DecisionIn(
                verdict=Verdict(str(form.get("verdict") or "approve")),
                fields=[str(f) for f in form.getlist("fields")],
                reason=reason,
            )
            run(request_decide, actor, found.id, decision)
        elif move == "withdraw":
            run(request_withdraw, actor, found.id, reason)
        elif move == "dispute":
            run(request_dispute, actor, found.id, reason)
        elif move == "escalate":
            run(request_escalate, actor, found.id, reason or "coordination")
        elif move == "attach":
            upload = form.get("attachment")
            document = document_of(upload) if isinstance(upload, UploadFile) else None
            if document is not None:
                run(request_attach, actor, found.id, document)
        else:
            return _detail(request, node, actor, reference, f"no step {move}", 404)
    except (InvalidInput, ValueError) as error:
        return _detail(request, node, actor, reference, str(error), 422)
    return RedirectResponse(f"/sharing/requests/{found.number}", status_code=303)


@router.get("/grants", response_class=HTMLResponse, response_model=None)
def grants(request: Request, node: NodeDep, actor: ActorDep, view: str = "held") -> Response:
    if actor.is_public:
        return _login("/sharing/grants")
    found = node.dispatcher.run(grant_list, actor, view)
    can_revoke = actor.has(Role.DATA_STEWARD, Role.SHARING_AUTHORITY)
    return render(
        request,
        "sharing_grants.html",
        {"grants": found, "view": view, "tabs": tabs(actor), "can_revoke": can_revoke},
        actor=actor,
    )


@router.post("/grants/{grant_id}/revoke", response_class=HTMLResponse, response_model=None)
def revoke(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    grant_id: uuid.UUID,
    csrf_token: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    view: Annotated[str, Form()] = "given",
) -> Response:
    check_csrf(request, csrf_token)
    node.dispatcher.run(grant_revoke, actor, grant_id, reason)
    return RedirectResponse(f"/sharing/grants?view={view}", status_code=303)
