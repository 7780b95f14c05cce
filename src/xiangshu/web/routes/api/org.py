"""/api/v1: the node, divisions and units."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from xiangshu.actions.org import (
    division_list,
    division_tree,
    node_show,
    unit_create,
    unit_list,
    unit_show,
    unit_update,
)
from xiangshu.domain.units import UnitLevel
from xiangshu.schemas.org import (
    DivisionNode,
    DivisionPublic,
    NodePublic,
    UnitCreate,
    UnitPublic,
    UnitUpdate,
)
from xiangshu.web.deps import ActorDep, NodeDep

router = APIRouter(tags=["node and units"])


@router.get("/node", response_model=NodePublic)
def get_node_identity(node: NodeDep, actor: ActorDep) -> NodePublic:
    """Which division this node serves."""
    return node.dispatcher.run(node_show, actor)


@router.get("/divisions", response_model=list[DivisionPublic])
def list_divisions(
    node: NodeDep, actor: ActorDep, include_retired: bool = False
) -> list[DivisionPublic]:
    """GB/T 2260 divisions known to the node; retired codes point at their successors."""
    return node.dispatcher.run(division_list, actor, include_retired=include_retired)


@router.get("/divisions/tree", response_model=DivisionNode)
def get_division_tree(node: NodeDep, actor: ActorDep, root: str | None = None) -> DivisionNode:
    """The division tree under the node (or ``root``) with unit counts."""
    return node.dispatcher.run(division_tree, actor, root=root)


@router.get("/units", response_model=list[UnitPublic])
def list_units(
    node: NodeDep, actor: ActorDep, division_code: str | None = None, level: UnitLevel | None = None
) -> list[UnitPublic]:
    """Government units, optionally of one division or level."""
    return node.dispatcher.run(
        unit_list, actor, division_code=division_code, level=level.value if level else None
    )


@router.get("/units/{reference}", response_model=UnitPublic)
def get_unit(node: NodeDep, actor: ActorDep, reference: str) -> UnitPublic:
    """One unit by ID, full name or short name."""
    return node.dispatcher.run(unit_show, actor, reference)


@router.post("/units", response_model=UnitPublic, status_code=201)
def create_unit(node: NodeDep, actor: ActorDep, data: UnitCreate) -> UnitPublic:
    """Create a unit (platform administrators)."""
    return node.dispatcher.run(unit_create, actor, data)


@router.patch("/units/{unit_id}", response_model=UnitPublic)
def update_unit(node: NodeDep, actor: ActorDep, unit_id: uuid.UUID, data: UnitUpdate) -> UnitPublic:
    """Rename a unit or change its parent (administrators, or the unit's data steward)."""
    return node.dispatcher.run(unit_update, actor, unit_id, data)
