"""The auditors' page: browse, filter, verify and export the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xiangshu.actions.audit import audit_list, audit_verify
from xiangshu.schemas.audit import AuditFilter
from xiangshu.web.deps import ActorDep, NodeDep, check_csrf
from xiangshu.web.pages import render

router = APIRouter(prefix="/audit")


@router.get("", response_class=HTMLResponse, response_model=None)
def audit_page(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    event: str = "",
    who: str = "",
    outcome: str = "",
    before: int | None = None,
) -> Response:
    if actor.is_public:
        return RedirectResponse("/login?next=/audit", status_code=303)
    where = AuditFilter(event_prefix=event or None, actor_name=who or None, outcome=outcome or None)
    page = node.dispatcher.run(audit_list, actor, where, limit=50, before=before)
    query = {"event": event, "who": who, "outcome": outcome}
    return render(
        request, "audit.html", {"page": page, "query": query, "report": None}, actor=actor
    )


@router.post("/verify", response_class=HTMLResponse)
def verify(
    request: Request, node: NodeDep, actor: ActorDep, csrf_token: Annotated[str, Form()] = ""
) -> HTMLResponse:
    check_csrf(request, csrf_token)
    report = node.dispatcher.run(audit_verify, actor)
    page = node.dispatcher.run(audit_list, actor, AuditFilter(), limit=50)
    query = {"event": "", "who": "", "outcome": ""}
    return render(
        request, "audit.html", {"page": page, "query": query, "report": report}, actor=actor
    )
