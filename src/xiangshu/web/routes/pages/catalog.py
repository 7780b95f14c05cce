"""Catalog pages: search with facets, a resource's page (metadata, data items, history,
review), and the template import form. Readable without JavaScript."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xiangshu.actions.catalog import resource_history, resource_show
from xiangshu.actions.catalog_io import catalog_import
from xiangshu.actions.catalog_review import (
    resource_publish,
    resource_return,
    resource_submit,
    resource_withdraw,
)
from xiangshu.actions.catalog_search import resource_search
from xiangshu.domain.access import ResourceStatus
from xiangshu.domain.roles import Actor, Role
from xiangshu.errors import InvalidInput, NotFound
from xiangshu.schemas.catalog import ResourcePublic, SearchQuery
from xiangshu.web.catalog_labels import FILTER_TITLES, vlabel
from xiangshu.web.deps import ActorDep, NodeDep, check_csrf
from xiangshu.web.pages import environment, render

router = APIRouter(prefix="/catalog")
environment().globals["vlabel"] = vlabel
FILTERS = (
    "class_code",
    "provider",
    "region",
    "level",
    "share_type",
    "open_type",
    "format_class",
    "update_cycle",
    "status",
)
MOVES: dict[str, Any] = {
    "submit": resource_submit,
    "return": resource_return,
    "publish": resource_publish,
    "withdraw": resource_withdraw,
}


def _link(query: SearchQuery, **changes: Any) -> str:
    values = {"q": query.q, **{f: getattr(query, f) for f in FILTERS}, **changes}
    kept = {k: str(v) for k, v in values.items() if v not in (None, "")}
    return "/catalog?" + urlencode(kept) if kept else "/catalog"


@router.get("", response_class=HTMLResponse)
def search_page(
    request: Request, node: NodeDep, actor: ActorDep, query: Annotated[SearchQuery, Query()]
) -> HTMLResponse:
    result = node.dispatcher.run(resource_search, actor, query)
    pages = max(1, -(-result.total // query.page_size))
    active = [(f, getattr(query, f)) for f in FILTERS if getattr(query, f) is not None]
    return render(
        request,
        "catalog.html",
        {
            "query": query,
            "result": result,
            "pages": pages,
            "active": active,
            "titles": FILTER_TITLES,
            "link": lambda **changes: _link(query, **changes),
        },
        actor=actor,
    )


def _moves_for(actor: Actor, resource: ResourcePublic) -> list[str]:
    """The review buttons worth showing (the actions decide for themselves anyway)."""
    if actor.is_public:
        return []
    own = actor.acts_for(resource.provider_unit_id) and actor.has(Role.DATA_STEWARD)
    admin = actor.has(Role.PLATFORM_ADMIN)
    status = resource.status
    moves = []
    if status is ResourceStatus.DRAFT and (own or admin):
        moves.append("submit")
    if status is ResourceStatus.SUBMITTED and admin:
        moves += ["publish", "return"]
    if status is ResourceStatus.PUBLISHED and (own or admin):
        moves.append("withdraw")
    return moves


def _resource_page(
    request: Request, node: Any, actor: Actor, reference: str, problem: str = ""
) -> HTMLResponse:
    run = node.dispatcher.run
    resource = run(resource_show, actor, reference)
    return render(
        request,
        "resource.html",
        {
            "r": resource,
            "history": list(reversed(run(resource_history, actor, reference))),
            "moves": _moves_for(actor, resource),
            "problem": problem,
        },
        actor=actor,
    )


@router.get("/resources/{reference:path}", response_class=HTMLResponse)
def resource_page(request: Request, node: NodeDep, actor: ActorDep, reference: str) -> HTMLResponse:
    return _resource_page(request, node, actor, reference)


@router.post("/review/{move}/{reference:path}", response_class=HTMLResponse, response_model=None)
def review(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    move: str,
    reference: str,
    csrf_token: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    fn = MOVES.get(move)
    if fn is None:
        raise NotFound(f"no review step {move}")
    try:
        node.dispatcher.run(fn, actor, reference, note=note)
    except InvalidInput as error:
        return _resource_page(request, node, actor, reference, problem=str(error))
    return RedirectResponse(f"/catalog/resources/{reference}", status_code=303)


@router.get("/import", response_class=HTMLResponse, response_model=None)
def import_form(request: Request, actor: ActorDep) -> Response:
    if actor.is_public:
        return RedirectResponse("/login?next=/catalog/import", status_code=303)
    return render(request, "catalog_import.html", {"error": None, "report": None}, actor=actor)


@router.post("/import", response_class=HTMLResponse)
def import_upload(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    file: Annotated[UploadFile, File()],
    csrf_token: Annotated[str, Form()] = "",
) -> HTMLResponse:
    check_csrf(request, csrf_token)
    source = file.filename or "upload.xlsx"
    try:
        report = node.dispatcher.run(catalog_import, actor, file.file.read(), source=source)
    except InvalidInput as error:
        return render(
            request,
            "catalog_import.html",
            {"error": error, "report": None},
            status=422,
            actor=actor,
        )
    return render(request, "catalog_import.html", {"error": None, "report": report}, actor=actor)
