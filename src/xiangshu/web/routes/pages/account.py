"""The signed-in user's page: API tokens and applications."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xiangshu.actions.identity import (
    app_create,
    app_list,
    app_revoke,
    token_create,
    token_list,
    token_revoke,
    user_show,
)
from xiangshu.domain.roles import Actor
from xiangshu.schemas.identity import AppCreate, TokenCreate
from xiangshu.web.deps import ActorDep, NodeDep, check_csrf
from xiangshu.web.pages import render

router = APIRouter(prefix="/account")


def _login_redirect(path: str) -> RedirectResponse:
    return RedirectResponse(f"/login?next={path}", status_code=303)


def _page(
    request: Request, node: Any, actor: Actor, issued: dict[str, Any] | None = None
) -> HTMLResponse:
    assert actor.user_id is not None
    run = node.dispatcher.run
    context = {
        "me": run(user_show, actor, actor.name),
        "tokens": run(token_list, actor, actor.user_id),
        "apps": run(app_list, actor, actor.user_id),
        "issued": issued or {},
    }
    return render(request, "account.html", context, actor=actor)


@router.get("", response_class=HTMLResponse, response_model=None)
def account(request: Request, node: NodeDep, actor: ActorDep) -> Response:
    if actor.user_id is None:
        return _login_redirect("/account")
    return _page(request, node, actor)


@router.post("/tokens", response_model=None)
def new_token(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    name: Annotated[str, Form()],
    days: Annotated[int, Form()] = 30,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    if actor.user_id is None:
        return _login_redirect("/account")
    issued = node.dispatcher.run(
        token_create, actor, actor.user_id, TokenCreate(name=name, days=days)
    )
    return _page(request, node, actor, {"token": issued.token})


@router.post("/tokens/{token_id}/revoke")
def drop_token(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    token_id: uuid.UUID,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    node.dispatcher.run(token_revoke, actor, token_id)
    return RedirectResponse("/account", status_code=303)


@router.post("/apps", response_model=None)
def new_app(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    name: Annotated[str, Form()],
    description: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    if actor.user_id is None:
        return _login_redirect("/account")
    issued = node.dispatcher.run(
        app_create, actor, actor.user_id, AppCreate(name=name, description=description)
    )
    return _page(request, node, actor, {"app_key": issued.app_key, "app_secret": issued.app_secret})


@router.post("/apps/{app_id}/revoke")
def drop_app(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    app_id: uuid.UUID,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    node.dispatcher.run(app_revoke, actor, app_id)
    return RedirectResponse("/account", status_code=303)
