"""Import and export of the national catalog spreadsheet template (see
``domain/catalog/template.py``): all rows or none, every row's problems at once."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select

from xiangshu.actions.catalog import beijing_today, insert_resource, save_problems
from xiangshu.actions.context import ActionContext, AuditNote
from xiangshu.actions.registry import action
from xiangshu.domain.access import ResourceStatus
from xiangshu.domain.catalog.codes import ResourceCode
from xiangshu.domain.catalog.template import (
    ITEM_COLUMNS,
    ITEM_SHEET,
    RESOURCE_COLUMNS,
    RESOURCE_SHEET,
    ExportedResource,
    ParsedRow,
    Provider,
    item_cells,
    located,
    parse_items,
    parse_resource,
    resource_cells,
)
from xiangshu.errors import Problem, invalid
from xiangshu.policies.data_access import may_see_metadata
from xiangshu.schemas.catalog import CatalogImportReport
from xiangshu.storage.catalog import (
    class_nodes,
    code_taken,
    facts_of,
    metadata_of,
    next_change_seq,
)
from xiangshu.storage.models import UnitRow
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.spreadsheets import Row, read_sheets, write_workbook

REQUIRED_COLUMNS = ("序号", "信息资源分类", "信息资源名称", "信息资源提供方", "信息资源摘要")


def _providers(ctx: ActionContext) -> dict[str, Provider]:
    """Units by catalog code, full name and (when not repeated) short name."""
    found: dict[str, Provider] = {}
    repeated: set[str] = set()
    for unit in ctx.session.execute(select(UnitRow)).scalars():
        provider = Provider(unit.id, unit.name, unit.catalog_code)
        found[unit.catalog_code] = provider
        found[unit.name] = provider
        if unit.short_name in found:
            repeated.add(unit.short_name)
        found[unit.short_name] = provider
    for name in repeated:
        found.pop(name, None)
    return found


def _parse(ctx: ActionContext, sheets: dict[str, list[Row]], source: str) -> list[ParsedRow]:
    if RESOURCE_SHEET not in sheets:
        raise invalid([Problem(f"the workbook has no sheet {RESOURCE_SHEET}", file=source)])
    rows = sheets[RESOURCE_SHEET]
    header = set(rows[0][1]) if rows else set()
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing or not rows:
        message = f"missing column(s): {'、'.join(missing)}" if missing else "no resources"
        raise invalid([Problem(message, file=f"{source} {RESOURCE_SHEET}", row=1)])
    item_rows: dict[str, list[Row]] = defaultdict(list)
    for number, cells in sheets.get(ITEM_SHEET, []):
        item_rows[cells.get("资源序号", "")].append((number, cells))
    nodes = class_nodes(ctx.session)
    providers = _providers(ctx)
    parsed: list[ParsedRow] = []
    for number, cells in rows:
        items = None
        item_problems: list[Problem] = []
        if ITEM_SHEET in sheets:
            items, item_problems = parse_items(item_rows.pop(cells.get("序号", ""), []), source)
        result = parse_resource(
            number,
            cells,
            items,
            file=f"{source} {RESOURCE_SHEET}",
            nodes=nodes,
            find_provider=lambda code, name: providers.get(code) or providers.get(name),
        )
        result.problems += item_problems
        parsed.append(result)
    for resource_number, orphans in item_rows.items():
        parsed[0].problems.append(
            Problem(
                f"data items for 资源序号 {resource_number}, which is not in {RESOURCE_SHEET}",
                file=f"{source} {ITEM_SHEET}",
                row=orphans[0][0],
                field="资源序号",
            )
        )
    return parsed


def _file_problems(ctx: ActionContext, parsed: Sequence[ParsedRow], source: str) -> list[Problem]:
    """Problems across rows: repeated numbers, codes and names, codes already in use."""
    problems: list[Problem] = []
    nodes = class_nodes(ctx.session)
    file_codes = {p.code_text for p in parsed if p.code_text}
    seen: dict[tuple[str, str], int] = {}
    where = f"{source} {RESOURCE_SHEET}"
    for p in parsed:
        problems += p.problems
        for key, column in ((("序号", p.number), "序号"), (("code", p.code_text), "信息资源代码")):
            if key[1] and key in seen:
                problems.append(
                    Problem(f"repeats row {seen[key]}", field=column, row=p.row, file=where)
                )
            seen.setdefault(key, p.row)
        if p.meta is None:
            continue
        name_key = (str(p.meta.provider_unit_id), p.meta.name)
        if name_key in seen:
            problems.append(
                Problem(
                    f"repeats row {seen[name_key]}", field="信息资源名称", row=p.row, file=where
                )
            )
        seen.setdefault(name_key, p.row)
        found = save_problems(ctx, p.meta, nodes, known_codes=file_codes)
        problems += located(found, p.row, where)
        if p.sequence and code_taken(
            ctx.session, ResourceCode.of(nodes[p.meta.class_code], p.sequence)
        ):
            problems.append(
                Problem(
                    "this code is already in the catalog",
                    field="信息资源代码",
                    row=p.row,
                    file=where,
                )
            )
    return problems


@action(event="catalog:catalog:import")
def catalog_import(
    ctx: ActionContext, content: bytes, *, source: str, publish: bool = False
) -> CatalogImportReport:
    """Create every resource of a template file as drafts (or, for administrators loading
    an already reviewed catalog, as published) — all of them, or none."""
    parsed = _parse(ctx, read_sheets(content, file=source), source)
    ctx.authorize(
        provider_unit_ids=[p.meta.provider_unit_id for p in parsed if p.meta], publish=publish
    )
    problems = _file_problems(ctx, parsed, source)
    if problems:
        raise invalid(problems, f"{source}: nothing was imported")
    seq = next_change_seq(ctx.session)
    nodes = class_nodes(ctx.session)
    status = ResourceStatus.PUBLISHED if publish else ResourceStatus.DRAFT
    codes: list[str] = []
    for p in sorted(parsed, key=lambda p: p.sequence is None):  # given codes first
        assert p.meta is not None
        node = nodes[p.meta.class_code]
        code = ResourceCode.of(node, p.sequence) if p.sequence else None
        row = insert_resource(ctx, p.meta, node, seq=seq, code=code, status=status)
        if publish:
            row.reviewed_at, row.reviewed_by = ctx.now, ctx.actor.name
            row.review_note = f"导入已审核的目录：{source}"
            row.published_on = row.published_on or beijing_today(ctx)
        codes.append(row.code)
        ctx.also_record(
            AuditNote(
                event="catalog:resource:create",
                target_kind="resource",
                target_id=str(row.id),
                details={"code": row.code, "name": row.name, "source": source},
            )
        )
    ctx.target("file", source)
    ctx.detail(created=len(codes), status=status.value)
    return CatalogImportReport(created=len(codes), codes=codes)


@action(event="catalog:catalog:export")
def catalog_export(
    ctx: ActionContext,
    *,
    provider: uuid.UUID | None = None,
    include_unpublished: bool = False,
) -> bytes:
    """The catalog (or one provider's) as the template workbook: what the actor may see."""
    ctx.authorize()
    query = select(ResourceRow).order_by(ResourceRow.code)
    if provider is not None:
        query = query.where(ResourceRow.provider_unit_id == provider)
    if not include_unpublished:
        query = query.where(ResourceRow.status == ResourceStatus.PUBLISHED.value)
    nodes = class_nodes(ctx.session)
    units = {u.id: u for u in ctx.session.execute(select(UnitRow)).scalars()}
    resources: list[list[object]] = []
    items: list[list[object]] = []
    for row in ctx.session.execute(query.execution_options(yield_per=1000)).scalars():
        if not may_see_metadata(ctx.actor, facts_of(row)).allowed:
            continue
        unit = units[row.provider_unit_id]
        meta = metadata_of(row)
        number = len(resources) + 1
        exported = ExportedResource(
            meta=meta,
            code=row.code,
            class_name=nodes[row.class_code].name,
            provider=Provider(unit.id, unit.name, unit.catalog_code),
        )
        resources.append(resource_cells(number, exported))
        items += item_cells(number, meta.name, meta.items)
    ctx.target("catalog", str(provider) if provider else "all")
    ctx.detail(resources=len(resources), include_unpublished=include_unpublished)
    return write_workbook(
        [(RESOURCE_SHEET, RESOURCE_COLUMNS, resources), (ITEM_SHEET, ITEM_COLUMNS, items)]
    )
