"""What the catalog index holds of each resource, read from the metadata store."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from xiangshu.storage.catalog import class_nodes, extension_of
from xiangshu.storage.models import UnitRow
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.org import division_table


@dataclass(frozen=True, slots=True)
class IndexedResource:
    id: str
    code: str
    name: str
    abstract: str
    items_text: str  # data item names, fields and descriptions
    provider_text: str  # provider's full and short name, internal division
    keywords_text: str
    class_path: tuple[str, ...]  # classification codes from 类 down
    region_path: tuple[str, ...]  # division codes from the province down
    provider_id: str
    provider_name: str
    level: str
    share_type: str
    open_type: str
    format_class: str
    update_cycle: str
    status: str


def indexed_resources(session: Session, rows: Iterable[ResourceRow]) -> Iterator[IndexedResource]:
    units = {u.id: u for u in session.execute(select(UnitRow)).scalars()}
    divisions = division_table(session)
    nodes = class_nodes(session)
    for row in rows:
        unit = units[row.provider_unit_id]
        regions = [d.code for d in reversed(divisions.ancestors(unit.division_code))]
        node = nodes[row.class_code]
        yield IndexedResource(
            id=str(row.id),
            code=row.code,
            name=row.name,
            abstract=row.abstract,
            items_text=" ".join(f"{i.name} {i.field} {i.description}" for i in row.items),
            provider_text=f"{unit.name} {unit.short_name} {row.provider_division}",
            keywords_text=" ".join(extension_of(row.extension).keywords),
            class_path=node.path_codes,
            region_path=(*regions, unit.division_code),
            provider_id=str(unit.id),
            provider_name=unit.name,
            level=unit.level,
            share_type=row.share_type,
            open_type=row.open_type,
            format_class=row.format_class,
            update_cycle=row.update_cycle,
            status=row.status,
        )
