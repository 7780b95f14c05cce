"""Sign-in and sign-out pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xiangshu.actions.identity import session_create, session_revoke
from xiangshu.web.deps import SESSION_COOKIE, ActorDep, NodeDep, check_csrf
from xiangshu.web.labels import N_
from xiangshu.web.pages import render

router = APIRouter()

FAILURE_MESSAGES = {
    "wrong_credentials": N_("The user name or password is wrong."),
    "locked": N_("Too many wrong passwords: this account is locked until %(until)s (UTC)."),
    "inactive": N_("This account is deactivated."),
}


def safe_next(target: str | None) -> str:
    """Only local paths: never redirect a signed-in user to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, actor: ActorDep, next: str | None = None) -> HTMLResponse:
    return render(request, "login.html", {"next": safe_next(next), "failure": None}, actor=actor)


@router.post("/login", response_model=None)
def login(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    check_csrf(request, csrf_token)
    result = node.dispatcher.run(session_create, actor, username, password)
    if not result.ok or not result.session_token:
        until = f"{result.locked_until:%Y-%m-%d %H:%M}" if result.locked_until else ""
        failure = (result.reason or "wrong_credentials", until)
        context = {
            "next": safe_next(next),
            "failure": failure,
            "username": username,
            "messages": FAILURE_MESSAGES,
        }
        return render(request, "login.html", context, status=401, actor=actor)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        result.session_token,
        max_age=node.settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout(
    request: Request, node: NodeDep, actor: ActorDep, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(request, csrf_token)
    token = request.cookies.get(SESSION_COOKIE)
    if token and not actor.is_public:
        node.dispatcher.run(session_revoke, actor, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
