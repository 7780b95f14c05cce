"""The home page and the unit pages."""

from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from xiangshu.actions.org import division_tree, node_show, unit_list, unit_show
from xiangshu.domain.units import UnitLevel
from xiangshu.web.deps import ActorDep, NodeDep
from xiangshu.web.pages import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, node: NodeDep, actor: ActorDep) -> HTMLResponse:
    run = node.dispatcher.run
    units = run(unit_list, actor)
    by_level: dict[str, int] = defaultdict(int)
    for unit in units:
        by_level[unit.level.value] += 1
    provincial = [u for u in units if u.level is UnitLevel.PROVINCE]
    return render(
        request,
        "home.html",
        {
            "node": run(node_show, actor),
            "tree": run(division_tree, actor),
            "unit_total": len(units),
            "by_level": by_level,
            "provincial_units": provincial,
        },
        actor=actor,
    )


@router.get("/units", response_class=HTMLResponse)
def units_page(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    division: str | None = None,
    level: str | None = None,
) -> HTMLResponse:
    run = node.dispatcher.run
    units = run(unit_list, actor, division_code=division or None, level=level or None)
    names = {u.id: u.short_name for u in run(unit_list, actor)}
    return render(
        request,
        "units.html",
        {"units": units, "parent_names": names, "division": division or "", "level": level or ""},
        actor=actor,
    )


@router.get("/units/{reference}", response_class=HTMLResponse)
def unit_page(request: Request, node: NodeDep, actor: ActorDep, reference: str) -> HTMLResponse:
    run = node.dispatcher.run
    unit = run(unit_show, actor, reference)
    parent = run(unit_show, actor, str(unit.parent_id)) if unit.parent_id else None
    children = [u for u in run(unit_list, actor) if u.parent_id == unit.id]
    return render(
        request, "unit.html", {"unit": unit, "parent": parent, "children": children}, actor=actor
    )
