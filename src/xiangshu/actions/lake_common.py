"""What the lake's actions share: finding the resource, its grant, its version."""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlalchemy.orm import Session

from xiangshu.actions.context import ActionContext
from xiangshu.domain.access import GrantFacts, ResourceFacts
from xiangshu.domain.data_items import DataItem, Sensitivity
from xiangshu.errors import ConfigurationError, NotFound
from xiangshu.reference import province_codes
from xiangshu.schemas.lake import FieldPublic
from xiangshu.storage.lake.bookkeeping import items_from_json
from xiangshu.storage.lake.service import Lake
from xiangshu.storage.models import LakeVersionRow
from xiangshu.storage.org import division_table


def lake_of(ctx: ActionContext) -> Lake:
    lake = ctx.services.lake
    if lake is None:
        raise ConfigurationError("this node has no data lake configured")
    return lake


def resource_facts(ctx: ActionContext, session: Session, reference: str) -> ResourceFacts:
    facts = ctx.services.resources.facts(session, reference)
    if facts is None:
        raise NotFound(f"no resource {reference}")
    return facts


def grant_of(ctx: ActionContext, session: Session, facts: ResourceFacts) -> GrantFacts | None:
    return ctx.services.grants.grant_for(session, ctx.actor, facts.resource_id)


def known_divisions(session: Session) -> frozenset[str]:
    """Every 行政区划代码 a record may carry: the node's divisions and all provinces."""
    return frozenset(d.code for d in division_table(session)) | frozenset(province_codes())


def version_items(version: LakeVersionRow, facts: ResourceFacts) -> tuple[DataItem, ...]:
    """The version's own items, personal wherever either it or the catalog says so."""
    now = {i.field: i for i in facts.items}
    out = []
    for stored in items_from_json(version.items):
        current = now.get(stored.field)
        if (
            current is not None
            and current.sensitivity.is_personal
            and stored.sensitivity is Sensitivity.NONE
        ):
            stored = replace(stored, sensitivity=current.sensitivity)  # noqa: PLW2901
        out.append(stored)
    return tuple(out)


def field_list(
    items: tuple[DataItem, ...], fields: tuple[str, ...], masked: frozenset[str]
) -> list[FieldPublic]:
    by_field = {i.field: i for i in items}
    return [
        FieldPublic(field=f, name=by_field[f].name, type=by_field[f].type.value, masked=f in masked)
        for f in fields
    ]


def target_resource(ctx: ActionContext, resource_id: uuid.UUID) -> None:
    ctx.target("resource", resource_id)
