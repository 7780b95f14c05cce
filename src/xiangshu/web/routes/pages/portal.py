"""The open-data portal's main pages: home, search, a dataset (preview, chart, quality,
freshness, downloads, API example, reports, applications) and the terms of use.
Readable without JavaScript; charts are server-drawn SVG."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xiangshu.actions.portal_access import open_application_submit
from xiangshu.actions.portal_contrib import public_error_report_submit
from xiangshu.actions.portal_datasets import open_dataset_search, open_dataset_show, portal_home
from xiangshu.actions.portal_records import open_records_search, open_records_sql
from xiangshu.domain.portal.charts import bars, chart_plan, chart_sql
from xiangshu.domain.portal.ckan_params import DatastoreQuery
from xiangshu.domain.portal.hunan_map import canvas_size, hex_cells, shade
from xiangshu.errors import InvalidInput, XiangshuError
from xiangshu.schemas.portal import (
    DatasetPage,
    ErrorReportCreate,
    OpenApplicationCreate,
    OpenSearch,
)
from xiangshu.web.ckan.shapes import LICENSE_TITLE
from xiangshu.web.deps import ActorDep, NodeDep, check_csrf
from xiangshu.web.pages import render
from xiangshu.web.portal_runtime import count_use
from xiangshu.web.routes.pages import catalog as _catalog_pages  # noqa: F401  (registers vlabel)

router = APIRouter(prefix="/open")
FILTERS = ("class_code", "region", "provider", "open_type", "update_cycle", "format_class", "tag")
PREVIEW_ROWS = 10


def _link(query: OpenSearch, **changes: Any) -> str:
    values = {"q": query.q, "sort": query.sort, **{f: getattr(query, f) for f in FILTERS}}
    values.update(changes)
    kept = {
        k: str(getattr(v, "value", v))
        for k, v in values.items()
        if v not in (None, "") and not (k == "sort" and v == "relevance")
    }
    return "/open/datasets?" + urlencode(kept) if kept else "/open/datasets"


def city_map(by_city: list[Any]) -> dict[str, Any]:
    counts = {c.key: c.count for c in by_city}
    labels = {c.key: c.label for c in by_city}
    most = max(counts.values(), default=0)
    width, height = canvas_size()
    return {
        "cells": [
            {
                "code": cell.code,
                "points": cell.points,
                "cx": cell.cx,
                "cy": cell.cy,
                "count": counts.get(cell.code, 0),
                "label": labels.get(cell.code, cell.code),
                "shade": shade(counts.get(cell.code, 0), most),
            }
            for cell in hex_cells()
        ],
        "width": width,
        "height": height,
    }


@router.get("", response_class=HTMLResponse)
def home(request: Request, node: NodeDep, actor: ActorDep) -> HTMLResponse:
    found = node.dispatcher.run(portal_home, actor)
    return render(
        request, "open_home.html", {"home": found, "map": city_map(found.by_city)}, actor=actor
    )


@router.get("/datasets", response_class=HTMLResponse)
def search(
    request: Request, node: NodeDep, actor: ActorDep, query: Annotated[OpenSearch, Query()]
) -> HTMLResponse:
    result = node.dispatcher.run(open_dataset_search, actor, query)
    size = max(1, query.page_size)
    pages = max(1, -(-result.total // size))
    active = [(f, getattr(query, f)) for f in FILTERS if getattr(query, f) not in (None, "")]
    return render(
        request,
        "open_search.html",
        {
            "query": query,
            "result": result,
            "pages": pages,
            "active": active,
            "link": lambda **changes: _link(query, **changes),
        },
        actor=actor,
    )


def _preview(node: Any, actor: Any, page: DatasetPage) -> tuple[Any, str | None]:
    if not page.may_read:
        return None, None
    try:
        records = node.dispatcher.run(
            open_records_search,
            actor,
            DatastoreQuery(resource_id=str(page.card.id), limit=PREVIEW_ROWS, include_total=False),
        )
    except XiangshuError as error:
        return None, error.message
    return records, None


def _chart(node: Any, actor: Any, page: DatasetPage) -> dict[str, Any] | None:
    plan = chart_plan(page.items)
    if plan is None or not page.may_read:
        return None
    try:
        _fields, rows, _ = node.dispatcher.run(
            open_records_sql, actor, chart_sql(plan, str(page.card.id))
        )
    except XiangshuError:
        return None
    points = [(str(r[0]), float(r[1] or 0)) for r in rows if r[0] is not None]
    if len(points) < 2:
        return None
    return {"plan": plan, "bars": bars(points), "width": 640, "height": 220}


def _dataset_context(request: Request, node: Any, actor: Any, reference: str) -> dict[str, Any]:
    page = node.dispatcher.run(open_dataset_show, actor, reference)
    count_use(request, page.card.id, "view")
    preview, preview_problem = _preview(node, actor, page)
    base = str(request.base_url).rstrip("/")
    return {
        "d": page,
        "c": page.card,
        "preview": preview,
        "preview_problem": preview_problem,
        "chart": _chart(node, actor, page),
        "base": base,
        "problem": None,
        "notice": None,
    }


@router.get("/datasets/{reference}", response_class=HTMLResponse)
def dataset(request: Request, node: NodeDep, actor: ActorDep, reference: str) -> HTMLResponse:
    return render(
        request, "open_dataset.html", _dataset_context(request, node, actor, reference), actor=actor
    )


@router.post("/datasets/{reference}/report", response_model=None)
def report(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    reference: str,
    description: Annotated[str, Form()] = "",
    field: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    if actor.is_public:
        return RedirectResponse(f"/login?next=/open/datasets/{reference}", status_code=303)
    try:
        data = ErrorReportCreate(description=description, field=field or None)
        node.dispatcher.run(public_error_report_submit, actor, reference, data)
    except (InvalidInput, ValueError) as error:
        context = _dataset_context(request, node, actor, reference)
        context["problem"] = _message(error)
        return render(request, "open_dataset.html", context, status=422, actor=actor)
    return RedirectResponse(f"/open/datasets/{reference}?reported=1#reports", status_code=303)


@router.post("/datasets/{reference}/apply", response_model=None)
def apply(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    reference: str,
    purpose: Annotated[str, Form()] = "",
    agree: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    if actor.is_public:
        return RedirectResponse(f"/login?next=/open/datasets/{reference}", status_code=303)
    try:
        data = OpenApplicationCreate(purpose=purpose, agree=agree == "yes")
        node.dispatcher.run(open_application_submit, actor, reference, data)
    except (XiangshuError, ValueError) as error:
        context = _dataset_context(request, node, actor, reference)
        context["problem"] = _message(error)
        return render(request, "open_dataset.html", context, status=422, actor=actor)
    return RedirectResponse(f"/open/datasets/{reference}?applied=1#access", status_code=303)


def _message(error: Exception) -> str:
    if isinstance(error, XiangshuError):
        return "; ".join(p.message for p in error.problems) or error.message
    errors = getattr(error, "errors", None)
    if callable(errors):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors())
    return str(error)


@router.get("/terms", response_class=HTMLResponse)
def terms(request: Request, actor: ActorDep) -> HTMLResponse:
    return render(request, "open_terms.html", {"license_title": LICENSE_TITLE}, actor=actor)
