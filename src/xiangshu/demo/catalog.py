"""The demo catalog: ≥ 300 resources of Hunan's units, loaded through the template import.

Deterministic (no randomness: variety comes from each resource's position) and fast:
one import of the published catalog, one of the drafts, then a few submissions for
the review queue. Resources are realistic; records behind them are synthetic.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from xiangshu.actions.catalog_io import catalog_import
from xiangshu.actions.catalog_review import resource_submit
from xiangshu.actions.org import unit_list
from xiangshu.bootstrap import Node
from xiangshu.demo.catalog_items import items
from xiangshu.demo.catalog_specs import CITY, COUNTY, PROVINCIAL, Spec
from xiangshu.domain.access import OpenType, ShareType
from xiangshu.domain.catalog.metadata import Extension, ResourceMetadata
from xiangshu.domain.catalog.template import (
    ITEM_COLUMNS,
    ITEM_SHEET,
    RESOURCE_COLUMNS,
    RESOURCE_SHEET,
    ExportedResource,
    Provider,
    item_cells,
    resource_cells,
)
from xiangshu.domain.catalog.values import (
    FormatClass,
    PlatformShareType,
    ShareMannerClass,
    UpdateCycle,
)
from xiangshu.domain.roles import SYSTEM
from xiangshu.schemas.org import UnitPublic
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.spreadsheets import write_workbook

SHARE = {"U": ShareType.UNCONDITIONAL, "C": ShareType.CONDITIONAL, "N": ShareType.NOT_SHARED}
OPEN = {"O": OpenType.OPEN, "C": OpenType.CONDITIONAL, "-": OpenType.NOT_OPEN}
DATABASES = ("Oracle", "MySQL", "DM", "KingbaseES", "PostgreSQL")
FORMATS = {
    "api": (FormatClass.SERVICE, "REST", (PlatformShareType.API,)),
    "xlsx": (FormatClass.SPREADSHEET, "xlsx", (PlatformShareType.FILE,)),
    "pdf": (FormatClass.ELECTRONIC_FILE, "pdf", (PlatformShareType.FILE,)),
    "ofd": (FormatClass.ELECTRONIC_FILE, "OFD", (PlatformShareType.FILE,)),
}
CONDITION = "仅限因履行法定职责需要的政务部门，经共享平台申请并由提供方审核同意后共享"
BASIS = (
    "《中华人民共和国个人信息保护法》第二十八条、第三十四条：涉及敏感个人信息，法律法规未授权共享"
)
OPEN_CONDITION = "经开放平台实名注册、提出申请并签署数据利用协议后开放"
DRAFT_EVERY = 29  # every 29th resource stays a draft; every 31st waits for review
SUBMIT_EVERY = 31


def _units(node: Node) -> dict[str, UnitPublic]:
    return {u.short_name: u for u in node.dispatcher.run(unit_list, SYSTEM)}


def _fill(spec: Spec, placeholder: str, name: str) -> Spec:
    a, b, c, d, e, f, g, h, i = (text.replace(placeholder, name) for text in spec)
    return (a, b, c, d, e, f, g, h, i)


def _expand(units: dict[str, UnitPublic]) -> list[tuple[Spec, UnitPublic]]:
    found: list[tuple[Spec, UnitPublic]] = [(spec, units[spec[0]]) for spec in PROVINCIAL]
    cities = sorted(
        (u for u in units.values() if u.short_name.endswith("数据局")),
        key=lambda u: u.division_code,
    )
    for bureau in cities:
        if bureau.level.value != "city":
            continue
        city = bureau.short_name.removesuffix("数据局")
        gov = units[f"{city}人民政府"]
        for spec in CITY:
            unit = gov if spec[0] == "{gov}" else bureau
            found.append((_fill(spec, "{city}", city), unit))
    counties = sorted(
        (u for u in units.values() if u.level.value == "county"), key=lambda u: u.division_code
    )
    for number, unit in enumerate(counties):
        county = unit.short_name.removesuffix("人民政府")
        found.append((_fill(COUNTY[number % len(COUNTY)], "{county}", county), unit))
    return found


def _metadata(number: int, spec: Spec, unit: UnitPublic) -> ResourceMetadata:
    _, class_code, name, abstract, item_spec, share, open_, fmt, cycle = spec
    share_type = SHARE[share]
    if fmt == "db":
        format_class, format_type = FormatClass.DATABASE, DATABASES[number % len(DATABASES)]
        manner: tuple[PlatformShareType, ...] = (PlatformShareType.TABLE, PlatformShareType.API)
    else:
        format_class, format_type, manner = FORMATS[fmt]
    return ResourceMetadata(
        class_code=class_code,
        name=name,
        provider_unit_id=unit.id,
        provider_division=("信息中心", "政策法规处", "数据管理处", "")[number % 4],
        abstract=abstract,
        format_class=format_class,
        format_type=format_type,
        items=items(item_spec),
        share_type=share_type,
        share_condition=CONDITION if share_type is ShareType.CONDITIONAL else "",
        share_basis=BASIS if share_type is ShareType.NOT_SHARED else "",
        share_manner_class=ShareMannerClass.PLATFORM,
        share_manner_types=() if share_type is ShareType.NOT_SHARED else manner,
        open_type=OPEN[open_],
        open_condition=OPEN_CONDITION if open_ == "C" else "",
        update_cycle=UpdateCycle(cycle),
        update_cycle_note="按需更新" if cycle == "other" else "",
        published_on=date(2019 + number % 7, 1 + number % 12, 1 + number % 28),
        extension=Extension(metadata_maintainer=f"{unit.short_name}信息中心"),
    )


def _workbook(entries: list[tuple[ResourceMetadata, UnitPublic]]) -> bytes:
    resources: list[list[object]] = []
    item_rows: list[list[object]] = []
    for number, (meta, unit) in enumerate(entries, start=1):
        exported = ExportedResource(meta, "", "", Provider(unit.id, unit.name, unit.catalog_code))
        resources.append(resource_cells(number, exported))
        item_rows += item_cells(number, meta.name, meta.items)
    return write_workbook(
        [(RESOURCE_SHEET, RESOURCE_COLUMNS, resources), (ITEM_SHEET, ITEM_COLUMNS, item_rows)]
    )


def create_demo_catalog(node: Node) -> str:
    """Load the demo catalog once; a note for the demo's report."""
    with node.store.transaction(write=False) as session:
        if session.execute(select(func.count()).select_from(ResourceRow)).scalar_one():
            return "Demo catalog already loaded."
    entries = [
        (_metadata(n, spec, unit), unit) for n, (spec, unit) in enumerate(_expand(_units(node)))
    ]
    published = [e for n, e in enumerate(entries, 1) if n % DRAFT_EVERY and n % SUBMIT_EVERY]
    drafts = [e for n, e in enumerate(entries, 1) if not (n % DRAFT_EVERY and n % SUBMIT_EVERY)]
    run = node.dispatcher.run
    run(catalog_import, SYSTEM, _workbook(published), source="演示目录.xlsx", publish=True)
    report = run(catalog_import, SYSTEM, _workbook(drafts), source="演示目录-草稿.xlsx")
    for code in report.codes[::2]:
        run(resource_submit, SYSTEM, code, note="演示：待审核")
    return (
        f"Demo catalog: {len(published)} published resources, {len(drafts)} drafts "
        f"({len(report.codes[::2])} of them submitted for review)."
    )
