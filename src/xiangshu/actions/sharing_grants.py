"""Grants: list what a unit holds and gives, revoke one, give one directly.

A grant given directly (``grant_create``) is how the sharing authority settles a case
outside a request, and how the open-data portal turns an approved 有条件开放
application into a permission for a registered user or application (holder kind
``user`` or ``app``, source ``open_application``): the lake then honours it through the
same :class:`GrantLookup`, with no second rule.
"""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select

from xiangshu.actions.context import ActionContext
from xiangshu.actions.registry import action
from xiangshu.actions.sharing_requests import facts_of
from xiangshu.domain.roles import Role
from xiangshu.domain.sharing.grants import GrantSource, HolderKind
from xiangshu.errors import Conflict, NotFound, PermissionDenied, Problem, invalid
from xiangshu.schemas.sharing import GrantCreate, GrantPublic
from xiangshu.storage.models import ApplicationRow, UnitRow, UserRow
from xiangshu.storage.models.sharing import GrantRow
from xiangshu.storage.sharing.requests import dumps, grant_public

GRANT_VIEWS = ("held", "given", "all")


@action(event=None, writes=False)
def grant_list(
    ctx: ActionContext, view: str = "held", *, state: str | None = None, limit: int = 500
) -> list[GrantPublic]:
    """Grants the actor's unit holds (``held``), gives as provider (``given``), or all."""
    ctx.authorize()
    actor = ctx.actor
    if view not in GRANT_VIEWS:
        raise invalid([Problem(f"view is one of {', '.join(GRANT_VIEWS)}", field="view")])
    query = select(GrantRow).order_by(GrantRow.created_at.desc())
    if view == "held":
        mine = [GrantRow.holder_unit_id == actor.unit_id, GrantRow.holder_user_id == actor.user_id]
        query = query.where(or_(*mine))
    elif view == "given":
        query = query.where(GrantRow.provider_unit_id == actor.unit_id)
    elif not (
        actor.is_system or actor.has(Role.SHARING_AUTHORITY, Role.PLATFORM_ADMIN, Role.AUDITOR)
    ):
        raise PermissionDenied("every grant is shown to the authority, administrators and auditors")
    rows = ctx.session.execute(query.limit(min(limit, 5000))).scalars()
    found = [grant_public(ctx.session, r, now=ctx.now, with_usage=True) for r in rows]
    if state:
        found = [g for g in found if g.state.value == state]
    return found


def _grant(ctx: ActionContext, grant_id: uuid.UUID) -> GrantRow:
    row = ctx.session.get(GrantRow, grant_id)
    if row is None:
        raise NotFound(f"no grant {grant_id}")
    return row


@action(event=None, writes=False)
def grant_show(ctx: ActionContext, grant_id: uuid.UUID) -> GrantPublic:
    """One grant with its use so far (calls and rows)."""
    row = _grant(ctx, grant_id)
    ctx.authorize(
        holder_unit_id=row.holder_unit_id,
        provider_unit_id=row.provider_unit_id,
        holder_user_id=row.holder_user_id,
    )
    return grant_public(ctx.session, row, now=ctx.now, with_usage=True)


@action(event="sharing:grant:revoke")
def grant_revoke(ctx: ActionContext, grant_id: uuid.UUID, reason: str) -> GrantPublic:
    """Revoke a grant with a reason: every read under it is refused from now on."""
    row = _grant(ctx, grant_id)
    ctx.authorize(provider_unit_id=row.provider_unit_id)
    if len(reason.strip()) < 4:
        raise invalid([Problem("say why the grant is revoked", field="reason")])
    if row.revoked_at is not None:
        raise Conflict("the grant is already revoked")
    row.revoked_at = ctx.now
    row.revoked_by = ctx.actor.name
    row.revoke_reason = reason.strip()
    ctx.target("grant", row.id)
    ctx.detail(reason=row.revoke_reason, holder_unit_id=row.holder_unit_id)
    return grant_public(ctx.session, row, now=ctx.now)


def _holder_problems(ctx: ActionContext, data: GrantCreate) -> list[Problem]:
    wanted = {
        HolderKind.UNIT: (data.holder_unit_id, UnitRow, "holder_unit_id"),
        HolderKind.USER: (data.holder_user_id, UserRow, "holder_user_id"),
        HolderKind.APP: (data.holder_app_id, ApplicationRow, "holder_app_id"),
    }
    given = [k for k, (value, _m, _f) in wanted.items() if value is not None]
    if given != [data.holder_kind]:
        return [Problem(f"name exactly one holder: the {data.holder_kind.value}", field="holder")]
    value, model, field = wanted[data.holder_kind]
    if ctx.session.get(model, value) is None:
        return [Problem(f"no {data.holder_kind.value} {value}", field=field)]
    return []


@action(event="sharing:grant:create")
def grant_create(ctx: ActionContext, data: GrantCreate) -> GrantPublic:
    """Give a grant directly (the authority, or the provider's steward): to a unit, or to a
    registered user or application of an approved open-data application."""
    facts = facts_of(ctx, data.resource)
    ctx.authorize(provider_unit_id=facts.provider_unit_id)
    problems = _holder_problems(ctx, data)
    unknown = sorted(set(data.fields) - facts.fields)
    if unknown:
        problems.append(Problem(f"no such fields: {', '.join(unknown)}", field="fields"))
    if not data.fields:
        problems.append(Problem("grant at least one field", field="fields"))
    if len(data.purpose.strip()) < 4:
        problems.append(Problem("state the purpose", field="purpose"))
    start = data.valid_from or ctx.now
    if data.valid_until.tzinfo is None or data.valid_until <= start:
        problems.append(
            Problem("the validity must end after it starts (with a time zone)", field="valid_until")
        )
    if data.source not in (GrantSource.ADMINISTRATIVE.value, GrantSource.OPEN_APPLICATION.value):
        problems.append(Problem("source is administrative or open_application", field="source"))
    if data.holder_kind is not HolderKind.UNIT and data.clear_values:
        problems.append(
            Problem("the public never receives personal data in clear", field="clear_values")
        )
    if problems:
        raise invalid(problems, "the grant cannot be given")
    row = GrantRow(
        resource_id=facts.resource_id,
        provider_unit_id=facts.provider_unit_id,
        holder_kind=data.holder_kind.value,
        holder_unit_id=data.holder_unit_id,
        holder_user_id=data.holder_user_id,
        holder_app_id=data.holder_app_id,
        fields=dumps(sorted(data.fields)),
        clear_values=data.clear_values,
        purpose=data.purpose.strip(),
        intended_use=data.intended_use.value,
        source=data.source,
        exchange_modes=dumps([m.value for m in data.exchange_modes]),
        valid_from=start,
        valid_until=data.valid_until,
        rows_per_day=data.rows_per_day or ctx.settings.sharing_default_rows_per_day,
        calls_per_minute=data.calls_per_minute or ctx.settings.sharing_default_calls_per_minute,
        created_at=ctx.now,
        created_by=ctx.actor.name,
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.target("grant", row.id)
    ctx.detail(
        resource=facts.code,
        holder_kind=data.holder_kind.value,
        fields=sorted(data.fields),
        source=data.source,
        valid_until=data.valid_until.isoformat(),
    )
    return grant_public(ctx.session, row, now=ctx.now)
