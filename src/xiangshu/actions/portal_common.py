"""What the portal's actions share: finding an open dataset without revealing others."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from xiangshu.actions.context import ActionContext
from xiangshu.domain.access import ResourceFacts
from xiangshu.domain.roles import Actor
from xiangshu.errors import NotFound
from xiangshu.policies.portal import open_kinds, open_metadata
from xiangshu.storage.catalog import facts_of, resource_by_reference
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.portal.datasets import code_of, visible_condition


def not_found(reference: str) -> NotFound:
    """The same answer for a dataset that does not exist and one the actor may not see."""
    return NotFound(f'Resource "{reference[:100]}" was not found.')


def lookup_key(reference: str) -> str | None:
    """An ID as it is, a code (分类码/顺序码) or slug (the code with "-" for "/") as the
    code; None for what cannot be one."""
    text = reference.strip()
    if not text or len(text) > 100:
        return None
    try:
        uuid.UUID(text)
    except ValueError:
        return code_of(text)
    return text


def find_row(session: Session, reference: str) -> ResourceRow | None:
    """A resource by ID, code or slug."""
    key = lookup_key(reference)
    return resource_by_reference(session, key) if key else None


def open_row(ctx: ActionContext, reference: str) -> tuple[ResourceRow, ResourceFacts]:
    """The dataset if the actor may see it on the portal, else Not Found (nothing leaks)."""
    row = find_row(ctx.session, reference)
    if row is None:
        raise not_found(reference)
    facts = facts_of(row)
    if not open_metadata(ctx.actor, facts).allowed:
        raise not_found(reference)
    return row, facts


def open_facts(ctx: ActionContext, reference: str) -> ResourceFacts:
    """Facts of a dataset the actor may see on the portal, from the resource directory."""
    key = lookup_key(reference)
    facts = ctx.services.resources.facts(ctx.session, key) if key else None
    if facts is None or not open_metadata(ctx.actor, facts).allowed:
        raise not_found(reference)
    return facts


def visible_where(actor: Actor) -> sa.ColumnElement[bool]:
    """SQL for the datasets the actor sees on the portal (derived from the policy)."""
    return visible_condition(open_kinds(actor), actor.unit_id)
