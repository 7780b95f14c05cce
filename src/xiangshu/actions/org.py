"""Use cases for the node, its reference divisions and its government units."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from xiangshu.actions.context import ActionContext, AuditNote
from xiangshu.actions.registry import action
from xiangshu.domain.divisions import DivisionLevel, DivisionTable
from xiangshu.domain.units import UnitDraft, UnitKind, level_for, unit_problems
from xiangshu.errors import ConfigurationError, Conflict, NotFound, Problem, invalid
from xiangshu.reference import division_release
from xiangshu.schemas.org import (
    DivisionNode,
    DivisionPublic,
    ImportReport,
    NodePublic,
    UnitCreate,
    UnitImportRow,
    UnitPublic,
    UnitUpdate,
)
from xiangshu.storage.models import DivisionRow, NodeRow, ReferenceDataset, UnitRow
from xiangshu.storage.org import (
    division_table,
    node_row,
    unit_by_reference,
    unit_counts_by_division,
)


@action(event="reference:divisions:load")
def divisions_load(ctx: ActionContext) -> int:
    """Load (or refresh) the GB/T 2260 divisions shipped in the package."""
    ctx.authorize()
    release = division_release()
    existing = {r.code: r for r in ctx.session.execute(select(DivisionRow)).scalars()}
    # Current divisions first, so that retired codes can point at their successors.
    for division in sorted(release.divisions, key=lambda d: d.successor_code is not None):
        row = existing.get(division.code) or DivisionRow(code=division.code)
        row.name = division.name
        row.level = division.level.value
        row.parent_code = division.parent_code
        row.retired_in = division.retired_in
        row.successor_code = division.successor_code
        row.established_in = division.established_in
        ctx.session.add(row)
        ctx.session.flush()
    dataset = ctx.session.get(ReferenceDataset, "gbt2260") or ReferenceDataset(name="gbt2260")
    dataset.version = release.version
    dataset.checksum = release.checksum
    dataset.loaded_at = ctx.now
    ctx.session.add(dataset)
    ctx.target("reference", "gbt2260")
    ctx.detail(version=release.version, checksum=release.checksum, count=len(release.divisions))
    return len(release.divisions)


@action(event=None, writes=False)
def division_list(ctx: ActionContext, *, include_retired: bool = False) -> list[DivisionPublic]:
    """The divisions the node knows, optionally with retired codes."""
    ctx.authorize()
    return [
        DivisionPublic(
            code=d.code,
            name=d.name,
            level=d.level.value,
            parent_code=d.parent_code,
            retired_in=d.retired_in,
            successor_code=d.successor_code,
        )
        for d in sorted(division_table(ctx.session), key=lambda d: d.code)
        if include_retired or d.is_current
    ]


@action(event="node:node:init")
def node_init(ctx: ActionContext, *, name: str, division_code: str) -> NodePublic:
    """Say which division this installation serves (once)."""
    ctx.authorize()
    if node_row(ctx.session) is not None:
        raise Conflict("this node is already initialised")
    table = division_table(ctx.session)
    division = table.get(division_code)
    if division is None or not division.is_current:
        raise invalid([Problem(f"unknown division code {division_code}", field="division_code")])
    if not name.strip():
        raise invalid([Problem("the node needs a name", field="name")])
    node = NodeRow(name=name.strip(), division_code=division_code, created_at=ctx.now)
    ctx.session.add(node)
    ctx.session.flush()
    ctx.target("node", node.id)
    ctx.detail(name=node.name, division_code=division_code)
    return _node_public(node, table)


@action(event=None, writes=False)
def node_show(ctx: ActionContext) -> NodePublic:
    """Which division this node serves."""
    ctx.authorize()
    node = node_row(ctx.session)
    if node is None:
        raise ConfigurationError("this node is not initialised; run `xiangshu init`")
    return _node_public(node, division_table(ctx.session))


def _node_public(node: NodeRow, table: DivisionTable) -> NodePublic:
    division = table.get(node.division_code)
    assert division is not None
    return NodePublic(
        id=node.id,
        name=node.name,
        division_code=node.division_code,
        division_name=division.name,
        level=level_for(division.level),
        created_at=node.created_at,
    )


def _draft(data: UnitCreate, parent: UnitRow | None) -> UnitDraft:
    return UnitDraft(
        name=data.name,
        short_name=data.short_name,
        kind=data.kind,
        division_code=data.division_code,
        credit_code=data.credit_code,
        catalog_code=data.catalog_code,
        parent_division_code=parent.division_code if parent else None,
    )


def _uniqueness_problems(session: Session, data: UnitCreate) -> list[Problem]:
    problems = []
    checks = (
        ("name", UnitRow.name, data.name),
        ("credit_code", UnitRow.credit_code, data.credit_code),
        ("catalog_code", UnitRow.catalog_code, data.catalog_code),
    )
    for field, column, value in checks:
        clash = session.execute(select(UnitRow.name).where(column == value)).scalar_one_or_none()
        if clash is not None:
            problems.append(Problem(f"already used by unit {clash}", field=field, value=value))
    return problems


def _insert_unit(ctx: ActionContext, data: UnitCreate, table: DivisionTable) -> UnitRow:
    parent = ctx.session.get(UnitRow, data.parent_id) if data.parent_id else None
    problems = unit_problems(_draft(data, parent), table)
    if data.parent_id and parent is None:
        problems.append(Problem(f"no unit with id {data.parent_id}", field="parent_id"))
    problems += _uniqueness_problems(ctx.session, data)
    if problems:
        raise invalid(problems, f"unit {data.name or '(no name)'} cannot be saved")
    division = table.get(data.division_code)
    assert division is not None
    row = UnitRow(
        name=data.name,
        short_name=data.short_name,
        kind=data.kind.value,
        level=level_for(division.level).value,
        division_code=data.division_code,
        parent_id=data.parent_id,
        credit_code=data.credit_code,
        catalog_code=data.catalog_code,
        created_at=ctx.now,
    )
    ctx.session.add(row)
    ctx.session.flush()
    return row


@action(event="org:unit:create")
def unit_create(ctx: ActionContext, data: UnitCreate) -> UnitPublic:
    """Create a government unit after checking every rule at once."""
    ctx.authorize()
    row = _insert_unit(ctx, data, division_table(ctx.session))
    ctx.target("unit", row.id)
    ctx.detail(**data.model_dump(mode="json"))
    return UnitPublic.model_validate(row)


@action(event="org:unit:import")
def unit_import(
    ctx: ActionContext, rows: Sequence[UnitImportRow], *, source: str, skip_existing: bool = False
) -> ImportReport:
    """Create many units from a file: all of them, or none if any row is wrong."""
    ctx.authorize()
    table = division_table(ctx.session)
    problems: list[Problem] = []
    created = skipped = 0
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        if (
            skip_existing
            and ctx.session.execute(
                select(UnitRow.id).where(UnitRow.credit_code == row.credit_code)
            ).first()
        ):
            skipped += 1
            continue
        parent = unit_by_reference(ctx.session, row.parent) if row.parent else None
        if row.parent and parent is None:
            problems.append(
                Problem(f"no unit named {row.parent}", field="parent", row=number, file=source)
            )
            continue
        try:
            kind = UnitKind(row.kind)
        except ValueError:
            problems.append(
                Problem(f"unknown unit kind {row.kind}", field="kind", row=number, file=source)
            )
            continue
        data = UnitCreate(
            name=row.name,
            short_name=row.short_name,
            kind=kind,
            division_code=row.division_code,
            parent_id=parent.id if parent else None,
            credit_code=row.credit_code,
            catalog_code=row.catalog_code,
        )
        try:
            with ctx.session.begin_nested():
                unit = _insert_unit(ctx, data, table)
            created += 1
            ctx.also_record(
                AuditNote(
                    event="org:unit:create",
                    target_kind="unit",
                    target_id=str(unit.id),
                    details={"name": unit.name, "credit_code": unit.credit_code, "source": source},
                )
            )
        except Exception as error:  # collect every row's problems, then refuse them all
            found = getattr(error, "problems", ())
            if not found:
                raise
            problems += [
                Problem(p.message, field=p.field, value=p.value, row=number, file=source)
                for p in found
            ]
    if problems:
        raise invalid(problems, f"{source}: no units were imported")
    ctx.target("file", source)
    ctx.detail(created=created, skipped_existing=skipped)
    return ImportReport(created=created, skipped_existing=skipped)


@action(event="org:unit:update")
def unit_update(ctx: ActionContext, unit_id: uuid.UUID, data: UnitUpdate) -> UnitPublic:
    """Rename a unit or change its parent; keeps the before and after in the event."""
    row = ctx.session.get(UnitRow, unit_id)
    ctx.authorize(unit_id=unit_id)
    if row is None:
        raise NotFound(f"no unit with id {unit_id}")
    changes = data.model_dump(exclude_unset=True)
    before = {key: getattr(row, key) for key in changes}
    merged = UnitCreate(
        name=changes.get("name") or row.name,
        short_name=changes.get("short_name") or row.short_name,
        kind=UnitKind(row.kind),
        division_code=row.division_code,
        parent_id=changes.get("parent_id", row.parent_id),
        credit_code=row.credit_code,
        catalog_code=row.catalog_code,
    )
    parent = ctx.session.get(UnitRow, merged.parent_id) if merged.parent_id else None
    problems = unit_problems(_draft(merged, parent), division_table(ctx.session))
    if merged.parent_id == unit_id:
        problems.append(Problem("a unit cannot be its own parent", field="parent_id"))
    if "name" in changes and changes["name"] != row.name:
        clash = ctx.session.execute(select(UnitRow.id).where(UnitRow.name == merged.name)).first()
        if clash:
            problems.append(
                Problem("already used by another unit", field="name", value=merged.name)
            )
    if problems:
        raise invalid(problems, f"unit {row.name} cannot be changed")
    for key, value in changes.items():
        setattr(row, key, value)
    row.updated_at = ctx.now
    ctx.target("unit", row.id)
    ctx.detail(
        before={k: str(v) for k, v in before.items()}, after={k: str(v) for k, v in changes.items()}
    )
    return UnitPublic.model_validate(row)


@action(event=None, writes=False)
def unit_list(
    ctx: ActionContext, *, division_code: str | None = None, level: str | None = None
) -> list[UnitPublic]:
    """Government units, optionally of one division or level."""
    ctx.authorize()
    query = select(UnitRow).order_by(UnitRow.division_code, UnitRow.catalog_code)
    if division_code:
        query = query.where(UnitRow.division_code == division_code)
    if level:
        query = query.where(UnitRow.level == level)
    return [UnitPublic.model_validate(r) for r in ctx.session.execute(query).scalars()]


@action(event=None, writes=False)
def unit_show(ctx: ActionContext, reference: str) -> UnitPublic:
    """One unit by ID, full name or short name."""
    ctx.authorize()
    row = unit_by_reference(ctx.session, reference)
    if row is None:
        raise NotFound(f"no unit {reference}")
    return UnitPublic.model_validate(row)


@action(event=None, writes=False)
def division_tree(ctx: ActionContext, *, root: str | None = None) -> DivisionNode:
    """The node's division and everything under it, with unit counts."""
    ctx.authorize()
    table = division_table(ctx.session)
    node = node_row(ctx.session)
    start = root or (node.division_code if node else None)
    if start is None:
        provinces = [d for d in table if d.level is DivisionLevel.PROVINCE and d.is_current]
        if not provinces:
            raise ConfigurationError("no divisions loaded; run `xiangshu init`")
        start = provinces[0].code
    division = table.get(start)
    if division is None:
        raise NotFound(f"unknown division code {start}")
    counts = unit_counts_by_division(ctx.session)

    def build(code: str) -> DivisionNode:
        d = table.get(code)
        assert d is not None
        return DivisionNode(
            code=d.code,
            name=d.name,
            level=d.level.value,
            unit_count=counts.get(d.code, 0),
            children=[build(child.code) for child in table.children(d.code)],
        )

    return build(division.code)
