"""Use cases of the resource catalog: classifications, writing resources, reading them.

Review (submit, return, publish, withdraw) is in ``catalog_review.py``, search in
``catalog_search.py``, the spreadsheet template in ``catalog_io.py``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import Any

import orjson
from pydantic import ValidationError
from sqlalchemy import select

from xiangshu.actions.context import ActionContext
from xiangshu.actions.registry import action
from xiangshu.domain.access import ResourceStatus
from xiangshu.domain.audit import canonical_json
from xiangshu.domain.catalog.classification import ClassNode
from xiangshu.domain.catalog.codes import ResourceCode
from xiangshu.domain.catalog.lifecycle import status_after_edit
from xiangshu.domain.catalog.metadata import ResourceMetadata, metadata_problems
from xiangshu.domain.units import UnitLevel
from xiangshu.errors import Conflict, NotFound, Problem, invalid
from xiangshu.reference.catalog import seed_classes, seed_classes_checksum
from xiangshu.schemas.catalog import (
    METADATA,
    ClassPublic,
    HistoryEntry,
    ResourceCreate,
    ResourcePublic,
)
from xiangshu.storage.catalog import (
    allocate_code,
    class_nodes,
    facts_of,
    metadata_of,
    next_change_seq,
    resource_by_reference,
    set_code,
    write_metadata,
)
from xiangshu.storage.models import ReferenceDataset, UnitRow
from xiangshu.storage.models.catalog import CatalogClassRow, ResourceHistoryRow, ResourceRow

BEIJING = timedelta(hours=8)
FIXED_AFTER_CREATE = ("provider_unit_id",)


# ---------------------------------------------------------------- classifications


@action(event="catalog:classes:load")
def classification_load(ctx: ActionContext) -> int:
    """Load (or refresh the names of) the seed classification trees shipped in the package."""
    ctx.authorize()
    existing = {r.code: r for r in ctx.session.execute(select(CatalogClassRow)).scalars()}
    seeds = sorted(seed_classes(), key=lambda n: n.level)
    for node in seeds:
        row = existing.get(node.code) or CatalogClassRow(code=node.code)
        row.category, row.item, row.subject, row.detail = (
            node.category,
            node.item,
            node.subject,
            node.detail,
        )
        row.name = node.name
        row.parent_code = node.parent_code
        ctx.session.add(row)
        ctx.session.flush()
    dataset = ctx.session.get(ReferenceDataset, "catalog_classes") or ReferenceDataset(
        name="catalog_classes"
    )
    dataset.version = "seed-1"
    dataset.checksum = seed_classes_checksum()
    dataset.loaded_at = ctx.now
    ctx.session.add(dataset)
    ctx.target("reference", "catalog_classes")
    ctx.detail(count=len(seeds), checksum=dataset.checksum)
    return len(seeds)


@action(event=None, writes=False)
def classification_list(ctx: ActionContext) -> list[ClassPublic]:
    """The classification trees (基础, 主题, 部门) with their 类/项/目/细目 levels."""
    ctx.authorize()
    return [
        ClassPublic(
            code=node.code,
            name=node.name,
            category=node.category,
            item=node.item,
            subject=node.subject,
            detail=node.detail,
            level=node.level,
            parent_code=node.parent_code,
            may_hold_resources=node.may_hold_resources,
        )
        for node in sorted(class_nodes(ctx.session).values(), key=lambda n: n.code)
    ]


# ---------------------------------------------------------------- shared helpers


def beijing_today(ctx: ActionContext) -> date:
    return (ctx.now + BEIJING).date()


def snapshot(meta: ResourceMetadata) -> dict[str, Any]:
    dumped: dict[str, Any] = METADATA.dump_python(meta, mode="json")
    return dumped


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record_history(
    ctx: ActionContext,
    row: ResourceRow,
    *,
    kind: str,
    seq: int,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    ctx.session.add(
        ResourceHistoryRow(
            resource_id=row.id,
            change_seq=seq,
            changed_at=ctx.now,
            actor_name=ctx.actor.name,
            actor_id=str(ctx.actor.user_id) if ctx.actor.user_id else None,
            kind=kind,
            status=row.status,
            changes=canonical_json(changes or {}),
            note=note,
        )
    )


def save_problems(
    ctx: ActionContext,
    meta: ResourceMetadata,
    nodes: dict[str, ClassNode],
    *,
    current: ResourceRow | None = None,
    known_codes: Collection[str] = (),
) -> list[Problem]:
    """Every rule a save breaks: the metadata rules and those that need the store."""
    problems = metadata_problems(meta, nodes.get(meta.class_code))
    if ctx.session.get(UnitRow, meta.provider_unit_id) is None:
        problems.append(Problem("no such provider unit", field="provider_unit_id"))
    same_name = select(ResourceRow.code).where(
        ResourceRow.provider_unit_id == meta.provider_unit_id,
        ResourceRow.name == meta.name.strip(),
    )
    if current is not None:
        same_name = same_name.where(ResourceRow.id != current.id)
    clash = ctx.session.execute(same_name).first()
    if clash is not None:
        problems.append(
            Problem(
                f"the provider already catalogs a resource of this name ({clash[0]})",
                field="name",
                value=meta.name,
            )
        )
    own_code = current.code if current else None
    for index, code in enumerate(meta.related_codes, start=1):
        if code == own_code:
            problems.append(Problem("a resource is not related to itself", field="related_codes"))
        elif code not in known_codes and resource_by_reference(ctx.session, code) is None:
            problems.append(
                Problem(f"no resource with code {code}", field=f"related_codes[{index}]")
            )
    return problems


def insert_resource(
    ctx: ActionContext,
    meta: ResourceMetadata,
    node: ClassNode,
    *,
    seq: int,
    code: ResourceCode | None = None,
    status: ResourceStatus = ResourceStatus.DRAFT,
) -> ResourceRow:
    unit = ctx.session.get(UnitRow, meta.provider_unit_id)
    assert unit is not None
    row = ResourceRow(
        status=status.value,
        created_at=ctx.now,
        created_by=ctx.actor.name,
        updated_at=ctx.now,
        review_note="",
        change_seq=seq,
    )
    set_code(row, code or allocate_code(ctx.session, node, unit.catalog_code))
    write_metadata(row, meta)
    ctx.session.add(row)
    ctx.session.flush()
    record_history(ctx, row, kind="create", seq=seq, changes=diff({}, snapshot(meta)))
    return row


def resource_public(ctx: ActionContext, row: ResourceRow) -> ResourcePublic:
    unit = ctx.session.get(UnitRow, row.provider_unit_id)
    assert unit is not None
    nodes = class_nodes(ctx.session)
    node = nodes[row.class_code]
    meta = metadata_of(row)
    return ResourcePublic(
        id=row.id,
        code=row.code,
        class_code=row.class_code,
        class_name=node.name,
        class_path=[nodes[c].name for c in node.path_codes if c in nodes],
        provider_name=unit.name,
        provider_code=unit.catalog_code,
        provider_credit_code=unit.credit_code,
        provider_level=UnitLevel(unit.level),
        provider_division_code=unit.division_code,
        status=ResourceStatus(row.status),
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        submitted_at=row.submitted_at,
        submitted_by=row.submitted_by,
        reviewed_at=row.reviewed_at,
        reviewed_by=row.reviewed_by,
        review_note=row.review_note,
        **{k: v for k, v in vars_of(meta).items() if k != "class_code"},
    )


def vars_of(meta: ResourceMetadata) -> dict[str, Any]:
    return {name: getattr(meta, name) for name in ResourceMetadata.__dataclass_fields__}


def found(ctx: ActionContext, reference: str) -> ResourceRow:
    row = resource_by_reference(ctx.session, reference)
    if row is None:
        raise NotFound(f"no resource {reference}")
    return row


# ---------------------------------------------------------------- writing


@action(event="catalog:resource:create")
def resource_create(ctx: ActionContext, data: ResourceCreate) -> ResourcePublic:
    """Catalog a new resource as a draft of its provider; the code is allocated here."""
    ctx.authorize(provider_unit_id=data.provider_unit_id)
    nodes = class_nodes(ctx.session)
    problems = save_problems(ctx, data, nodes)
    if problems:
        raise invalid(problems, f"resource {data.name or '(no name)'} cannot be saved")
    seq = next_change_seq(ctx.session)
    row = insert_resource(ctx, data, nodes[data.class_code], seq=seq)
    ctx.target("resource", row.id)
    ctx.detail(code=row.code, name=row.name, provider_unit_id=str(row.provider_unit_id))
    return resource_public(ctx, row)


def merged_metadata(current: ResourceMetadata, changes: dict[str, Any]) -> ResourceMetadata:
    """The current metadata with ``changes`` applied, validated as a whole."""
    base = snapshot(current)
    unknown = sorted(set(changes) - set(base))
    problems = [Problem("no such metadata field", field=key) for key in unknown]
    problems += [
        Problem("this field does not change after the resource is created", field=key)
        for key in FIXED_AFTER_CREATE
        if key in changes and str(changes[key]) != str(base[key])
    ]
    if problems:
        raise invalid(problems, "the changes cannot be applied")
    try:
        return METADATA.validate_python({**base, **changes})
    except ValidationError as error:
        raise invalid(
            [
                Problem(e["msg"], field=".".join(str(p) for p in e["loc"]) or None)
                for e in error.errors()
            ],
            "the changes are not valid",
        ) from error


@action(event="catalog:resource:update")
def resource_update(
    ctx: ActionContext, reference: str, changes: dict[str, Any], *, note: str = ""
) -> ResourcePublic:
    """Change a draft, a published or a withdrawn resource (which becomes a draft again)."""
    row = found(ctx, reference)
    ctx.authorize(provider_unit_id=row.provider_unit_id)
    current = metadata_of(row)
    status = ResourceStatus(row.status)
    after_status = status_after_edit(status)
    if after_status is None:
        raise Conflict(f"resource {row.code} is {status.label_zh}: it cannot change under review")
    meta = merged_metadata(current, changes)
    nodes = class_nodes(ctx.session)
    problems = save_problems(ctx, meta, nodes, current=row)
    if meta.class_code != current.class_code and status is not ResourceStatus.DRAFT:
        problems.append(
            Problem("only a draft may move to another classification", field="class_code")
        )
    if problems:
        raise invalid(problems, f"resource {row.code} cannot be saved")
    changed = diff(snapshot(current), snapshot(meta))
    if not changed and after_status is status:
        return resource_public(ctx, row)
    seq = next_change_seq(ctx.session)
    if meta.class_code != current.class_code:
        unit = ctx.session.get(UnitRow, row.provider_unit_id)
        assert unit is not None
        old_code = row.code
        set_code(row, allocate_code(ctx.session, nodes[meta.class_code], unit.catalog_code))
        changed["code"] = [old_code, row.code]
    write_metadata(row, meta)
    row.status = after_status.value
    row.updated_at = ctx.now
    row.change_seq = seq
    record_history(ctx, row, kind="update", seq=seq, changes=changed, note=note)
    ctx.target("resource", row.id)
    ctx.detail(code=row.code, changed=sorted(changed), status=row.status)
    return resource_public(ctx, row)


# ---------------------------------------------------------------- reading


@action(event=None, writes=False)
def resource_show(ctx: ActionContext, reference: str) -> ResourcePublic:
    """One resource's metadata, if the actor may see it."""
    row = found(ctx, reference)
    ctx.authorize(facts=facts_of(row))
    return resource_public(ctx, row)


@action(event=None, writes=False)
def resource_history(ctx: ActionContext, reference: str) -> list[HistoryEntry]:
    """Every recorded change of a resource's metadata, oldest first."""
    row = found(ctx, reference)
    ctx.authorize(facts=facts_of(row))
    rows = ctx.session.execute(
        select(ResourceHistoryRow)
        .where(ResourceHistoryRow.resource_id == row.id)
        .order_by(ResourceHistoryRow.change_seq)
    ).scalars()
    return [
        HistoryEntry(
            changed_at=h.changed_at,
            actor_name=h.actor_name,
            kind=h.kind,
            status=ResourceStatus(h.status),
            changes=orjson.loads(h.changes),
            note=h.note,
        )
        for h in rows
    ]
