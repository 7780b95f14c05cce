"""The review life cycle of catalog resources: submit, return, publish, withdraw.

See ``domain/catalog/lifecycle.py`` for the moves and who makes them.
"""

from __future__ import annotations

from xiangshu.actions.catalog import (
    beijing_today,
    found,
    record_history,
    resource_public,
    save_problems,
)
from xiangshu.actions.context import ActionContext
from xiangshu.actions.registry import action
from xiangshu.domain.access import ResourceStatus
from xiangshu.domain.catalog.lifecycle import NEEDS_NOTE, Transition, next_status
from xiangshu.errors import Conflict, Problem, invalid
from xiangshu.schemas.catalog import ResourcePublic
from xiangshu.storage.catalog import class_nodes, metadata_of, next_change_seq
from xiangshu.storage.models.catalog import ResourceRow


def _move(ctx: ActionContext, row: ResourceRow, move: Transition, note: str) -> ResourcePublic:
    """Apply a life-cycle move to a resource whose policy has already allowed it."""
    status = ResourceStatus(row.status)
    target = next_status(status, move)
    if target is None:
        raise Conflict(
            f"resource {row.code} is {status.label_zh}: it cannot be {move.label_zh}",
            details={"status": status.value, "move": move.value},
        )
    if move in NEEDS_NOTE and not note.strip():
        raise invalid([Problem(f"{move.label_zh} needs a reason", field="note")])
    if move in (Transition.SUBMIT, Transition.PUBLISH):
        # Rules are checked again: related resources may have gone, rules may be stricter.
        problems = save_problems(ctx, metadata_of(row), class_nodes(ctx.session), current=row)
        if problems:
            raise invalid(problems, f"resource {row.code} breaks the catalog's rules")
    seq = next_change_seq(ctx.session)
    changes: dict[str, list[object]] = {"status": [status.value, target.value]}
    if move is Transition.SUBMIT:
        row.submitted_at = ctx.now
        row.submitted_by = ctx.actor.name
        row.submitted_by_id = ctx.actor.user_id
        row.review_note = ""
    elif move in (Transition.PUBLISH, Transition.RETURN):
        row.reviewed_at = ctx.now
        row.reviewed_by = ctx.actor.name
        row.review_note = note.strip()
        if move is Transition.PUBLISH and row.published_on is None:
            row.published_on = beijing_today(ctx)
            changes["published_on"] = [None, row.published_on.isoformat()]
    row.status = target.value
    row.updated_at = ctx.now
    row.change_seq = seq
    record_history(ctx, row, kind=move.value, seq=seq, changes=changes, note=note.strip())
    ctx.target("resource", row.id)
    ctx.detail(code=row.code, status=target.value, note=note.strip())
    return resource_public(ctx, row)


@action(event="catalog:resource:submit")
def resource_submit(ctx: ActionContext, reference: str, *, note: str = "") -> ResourcePublic:
    """Submit a draft for review (provider's data steward)."""
    row = found(ctx, reference)
    ctx.authorize(provider_unit_id=row.provider_unit_id)
    return _move(ctx, row, Transition.SUBMIT, note)


@action(event="catalog:resource:return")
def resource_return(ctx: ActionContext, reference: str, *, note: str) -> ResourcePublic:
    """Return a submitted resource to its provider with a note (reviewer)."""
    row = found(ctx, reference)
    ctx.authorize(submitted_by_id=row.submitted_by_id)
    return _move(ctx, row, Transition.RETURN, note)


@action(event="catalog:resource:publish")
def resource_publish(ctx: ActionContext, reference: str, *, note: str = "") -> ResourcePublic:
    """Publish a submitted resource; the reviewer must not be its submitter."""
    row = found(ctx, reference)
    ctx.authorize(submitted_by_id=row.submitted_by_id)
    return _move(ctx, row, Transition.PUBLISH, note)


@action(event="catalog:resource:withdraw")
def resource_withdraw(ctx: ActionContext, reference: str, *, note: str) -> ResourcePublic:
    """Withdraw a published resource from the catalog, with a reason."""
    row = found(ctx, reference)
    ctx.authorize(provider_unit_id=row.provider_unit_id)
    return _move(ctx, row, Transition.WITHDRAW, note)
