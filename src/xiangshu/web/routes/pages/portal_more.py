"""Providers, the Hunan map, statistics, the portal's self-score, and developers
(registration, apps with AppKey/AppSecret, rate limits)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import SecretStr, ValidationError

from xiangshu.actions.identity import app_create, app_list, session_create
from xiangshu.actions.portal_access import developer_register
from xiangshu.actions.portal_contrib import data_request_list
from xiangshu.actions.portal_datasets import open_dataset_search, portal_home
from xiangshu.actions.portal_stats import portal_score, usage_stats
from xiangshu.errors import NotFound, XiangshuError
from xiangshu.schemas.identity import AppCreate
from xiangshu.schemas.portal import DeveloperRegister, OpenSearch
from xiangshu.web.deps import SESSION_COOKIE, ActorDep, NodeDep, check_csrf
from xiangshu.web.pages import render
from xiangshu.web.portal_runtime import bucket_and_limit
from xiangshu.web.routes.pages.portal import city_map
from xiangshu.web.routes.pages.portal_community import problem_text

router = APIRouter(prefix="/open")


@router.get("/units", response_class=HTMLResponse)
def units(request: Request, node: NodeDep, actor: ActorDep) -> HTMLResponse:
    stats = node.dispatcher.run(usage_stats, actor)
    return render(request, "open_units.html", {"units": stats.by_unit}, actor=actor)


@router.get("/units/{slug}", response_class=HTMLResponse)
def unit(request: Request, node: NodeDep, actor: ActorDep, slug: str) -> HTMLResponse:
    stats = node.dispatcher.run(usage_stats, actor)
    found = next((u for u in stats.by_unit if slug in (u.slug, str(u.unit_id))), None)
    if found is None:
        raise NotFound(f"no provider {slug[:40]} with open datasets")
    datasets = node.dispatcher.run(
        open_dataset_search, actor, OpenSearch(provider=found.unit_id, sort="code", page_size=1000)
    )
    asked = node.dispatcher.run(data_request_list, actor, unit_id=found.unit_id)
    return render(
        request,
        "open_unit.html",
        {"unit": found, "datasets": [h.card for h in datasets.hits], "requests": asked},
        actor=actor,
    )


@router.get("/map", response_class=HTMLResponse)
def hunan_map(request: Request, node: NodeDep, actor: ActorDep) -> HTMLResponse:
    home = node.dispatcher.run(portal_home, actor, newest=0, most_used=0)
    return render(
        request, "open_map.html", {"map": city_map(home.by_city), "home": home}, actor=actor
    )


@router.get("/stats", response_class=HTMLResponse)
def stats(request: Request, node: NodeDep, actor: ActorDep) -> HTMLResponse:
    found = node.dispatcher.run(usage_stats, actor)
    most = max((d[1] + d[2] + d[3] for d in found.by_day), default=0)
    return render(request, "open_stats.html", {"stats": found, "most": most}, actor=actor)


@router.get("/score", response_class=HTMLResponse)
def score(request: Request, node: NodeDep, actor: ActorDep) -> HTMLResponse:
    found = node.dispatcher.run(portal_score, actor)
    return render(request, "open_score.html", {"score": found}, actor=actor)


# ---------------------------------------------------------------- developers


@router.get("/register", response_class=HTMLResponse)
def register_form(request: Request, actor: ActorDep) -> HTMLResponse:
    return render(request, "open_register.html", {"problem": None, "values": {}}, actor=actor)


@router.post("/register", response_model=None)
def register(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    username: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    values = {"username": username, "display_name": display_name, "email": email}
    try:
        data = DeveloperRegister(
            username=username.strip().lower(),
            display_name=display_name,
            email=email,
            password=SecretStr(password),
        )
        node.dispatcher.run(developer_register, actor, data)
    except (XiangshuError, ValidationError) as error:
        context = {"problem": problem_text(error), "values": values}
        return render(request, "open_register.html", context, status=422, actor=actor)
    signed = node.dispatcher.run(session_create, actor, data.username, password)
    response = RedirectResponse("/open/developer?welcome=1", status_code=303)
    if signed.ok and signed.session_token:
        response.set_cookie(
            SESSION_COOKIE,
            signed.session_token,
            max_age=node.settings.session_hours * 3600,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


def _developer_page(
    request: Request, node: Any, actor: Any, issued: dict[str, str] | None = None
) -> HTMLResponse:
    apps = node.dispatcher.run(app_list, actor, actor.user_id) if actor.user_id else []
    _bucket, limit = bucket_and_limit(request, actor)
    context = {
        "apps": apps,
        "issued": issued or {},
        "limit": limit,
        "app_limit": node.settings.portal_app_per_minute,
        "anonymous_limit": node.settings.portal_anonymous_per_minute,
        "base": str(request.base_url).rstrip("/"),
    }
    return render(request, "open_developer.html", context, actor=actor)


@router.get("/developer", response_class=HTMLResponse)
def developer(request: Request, node: NodeDep, actor: ActorDep) -> HTMLResponse:
    return _developer_page(request, node, actor)


@router.post("/developer/apps", response_model=None)
def new_app(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    name: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    if actor.user_id is None:
        return RedirectResponse("/login?next=/open/developer", status_code=303)
    issued = node.dispatcher.run(
        app_create, actor, actor.user_id, AppCreate(name=name, description=description)
    )
    return _developer_page(
        request, node, actor, {"app_key": issued.app_key, "app_secret": issued.app_secret}
    )
