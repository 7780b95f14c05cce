"""Bringing a node into being: schema, reference data, node identity, seed units.

Used by ``xiangshu init`` and ``xiangshu demo``; each step is an action, so
each is policy-checked and audited like any other change.
"""

from __future__ import annotations

from dataclasses import dataclass

from xiangshu.actions.catalog import classification_load
from xiangshu.actions.org import divisions_load, node_init, unit_import
from xiangshu.bootstrap import Node
from xiangshu.domain.roles import SYSTEM
from xiangshu.reference import unit_seeds
from xiangshu.schemas.org import ImportReport, NodePublic, UnitImportRow
from xiangshu.storage import migrate
from xiangshu.storage.org import node_row

DEFAULT_NODE_NAME = "湖南省政务数据共享与开放平台"
DEFAULT_DIVISION = "430000"


@dataclass(frozen=True)
class InitReport:
    node: NodePublic | None
    divisions: int
    units: ImportReport | None
    already_initialised: bool


def seed_unit_rows() -> list[UnitImportRow]:
    return [
        UnitImportRow(
            name=s.name,
            short_name=s.short_name,
            kind=s.kind,
            division_code=s.division_code,
            parent=s.parent,
            credit_code=s.credit_code,
            catalog_code=s.catalog_code,
        )
        for s in unit_seeds()
    ]


def initialise(
    node: Node,
    *,
    name: str = DEFAULT_NODE_NAME,
    division_code: str = DEFAULT_DIVISION,
    seed_units: bool = True,
) -> InitReport:
    """Migrate, load divisions, record the node identity and (optionally) the seed units."""
    migrate.upgrade(node.store)
    run = node.dispatcher.run
    count = run(divisions_load, SYSTEM)
    run(classification_load, SYSTEM)
    with node.store.transaction(write=False) as session:
        existing = node_row(session) is not None
    created = None if existing else run(node_init, SYSTEM, name=name, division_code=division_code)
    units = (
        run(unit_import, SYSTEM, seed_unit_rows(), source="units-hunan.csv", skip_existing=True)
        if seed_units
        else None
    )
    return InitReport(node=created, divisions=count, units=units, already_initialised=existing)
