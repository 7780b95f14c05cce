"""Getting at open data: developer accounts, per-app rate limits, and applications for
conditional open data (有条件开放: online application, agreement, the provider's approval).

An approved application is read as a grant by ``storage/portal/grants.OpenDataGrants``
(the ``GrantLookup`` of ``Services.grants``), so ``may_read_data`` lets the applicant —
in person, or through any of their apps — read the approved fields until it expires.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa

from xiangshu.actions.context import ActionContext
from xiangshu.actions.portal_common import open_row
from xiangshu.actions.registry import action
from xiangshu.domain.audit import canonical_json
from xiangshu.domain.credentials import password_problem
from xiangshu.domain.roles import Role
from xiangshu.errors import Conflict, NotFound, Problem, invalid
from xiangshu.schemas.identity import UserPublic
from xiangshu.schemas.portal import (
    AppQuotaSet,
    Decision,
    DeveloperRegister,
    OpenApplicationCreate,
    OpenApplicationPublic,
)
from xiangshu.storage.catalog import facts_of
from xiangshu.storage.identity import set_roles, user_by_name, user_public
from xiangshu.storage.models import ApplicationRow, UserRow
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.models.portal import AppQuotaRow, OpenApplicationRow
from xiangshu.storage.portal.contributions import application_public

PENDING = "pending"


# ---------------------------------------------------------------- developers


@action(event="portal:developer:register")
def developer_register(ctx: ActionContext, data: DeveloperRegister) -> UserPublic:
    """A member of the public opens a developer account (开发者): no unit, the one role."""
    ctx.authorize()
    problems = []
    weak = password_problem(
        data.password.get_secret_value(),
        username=data.username,
        min_length=ctx.settings.password_min_length,
    )
    if weak:
        problems.append(Problem(weak, field="password"))
    if user_by_name(ctx.session, data.username) is not None:
        problems.append(Problem("this user name is taken", field="username", value=data.username))
    if problems:
        raise invalid(problems, "the account cannot be opened")
    row = UserRow(
        username=data.username.lower(),
        display_name=data.display_name,
        unit_id=None,
        email=data.email,
        password_hash=ctx.services.passwords.hash(data.password.get_secret_value()),
        password_changed_at=ctx.now,
        created_at=ctx.now,
    )
    ctx.session.add(row)
    ctx.session.flush()
    set_roles(ctx.session, row.id, frozenset({Role.DEVELOPER}))
    ctx.target("user", row.id)
    ctx.detail(username=row.username, origin=ctx.actor.origin)
    return user_public(ctx.session, row)


@action(event="portal:app:set_quota")
def app_quota_set(ctx: ActionContext, app_id: uuid.UUID, data: AppQuotaSet) -> int:
    """Give one application its own requests-per-minute limit (0: the node's default)."""
    ctx.authorize()
    if ctx.session.get(ApplicationRow, app_id) is None:
        raise NotFound(f"no application {app_id}")
    row = ctx.session.get(AppQuotaRow, app_id)
    if data.per_minute == 0:
        if row is not None:
            ctx.session.delete(row)
    else:
        row = row or AppQuotaRow(app_id=app_id)
        row.per_minute = data.per_minute
        row.set_by = ctx.actor.name
        row.set_at = ctx.now
        ctx.session.add(row)
    ctx.target("app", app_id)
    ctx.detail(per_minute=data.per_minute)
    return data.per_minute


# ---------------------------------------------------------------- conditional open data


@action(event="portal:application:submit")
def open_application_submit(
    ctx: ActionContext, reference: str, data: OpenApplicationCreate
) -> OpenApplicationPublic:
    """Apply for a 有条件开放 dataset: purpose, fields, and acceptance of the agreement."""
    row, facts = open_row(ctx, reference)
    ctx.authorize(facts=facts)
    assert ctx.actor.user_id is not None
    problems: list[Problem] = []
    if not data.agree:
        problems.append(Problem("accept the data use agreement to apply", field="agree"))
    open_fields = [i.field for i in facts.items if not i.sensitivity.is_personal]
    unknown = [f for f in data.fields if f not in open_fields]
    problems += [Problem("no such open data item", field="fields", value=f) for f in unknown]
    if problems:
        raise invalid(problems, "the application cannot be submitted")
    waiting = ctx.session.execute(
        sa.select(OpenApplicationRow.id).where(
            OpenApplicationRow.resource_id == row.id,
            OpenApplicationRow.applicant_id == ctx.actor.user_id,
            OpenApplicationRow.status == PENDING,
        )
    ).first()
    if waiting is not None:
        raise Conflict("you have an application for this dataset waiting for a decision")
    application = OpenApplicationRow(
        resource_id=row.id,
        applicant_id=ctx.actor.user_id,
        applicant_name=ctx.actor.name,
        purpose=data.purpose,
        fields=canonical_json(list(data.fields) or open_fields),
        agreement_version=ctx.settings.portal_agreement_version,
        agreed_at=ctx.now,
        status=PENDING,
        created_at=ctx.now,
        decision_note="",
    )
    ctx.session.add(application)
    ctx.session.flush()
    ctx.target("open_application", application.id)
    ctx.detail(resource_id=str(row.id), agreement=application.agreement_version)
    return application_public(ctx.session, application)


@action(event="portal:application:decide")
def open_application_decide(
    ctx: ActionContext, application_id: uuid.UUID, decision: Decision
) -> OpenApplicationPublic:
    """The provider approves (for ``portal_application_days``) or refuses with reasons."""
    application = ctx.session.get(OpenApplicationRow, application_id)
    if application is None:
        raise NotFound(f"no application {application_id}")
    resource = ctx.session.get(ResourceRow, application.resource_id)
    assert resource is not None
    ctx.authorize(facts=facts_of(resource))
    if application.status != PENDING:
        raise Conflict(f"this application is {application.status} already")
    if not decision.approve and not decision.note.strip():
        raise invalid([Problem("a refusal gives its reasons", field="note")])
    application.status = "approved" if decision.approve else "rejected"
    application.decided_by = ctx.actor.name
    application.decided_by_id = ctx.actor.user_id
    application.decided_at = ctx.now
    application.decision_note = decision.note
    if decision.approve:
        application.valid_until = ctx.now + timedelta(days=ctx.settings.portal_application_days)
    ctx.target("open_application", application.id)
    ctx.detail(status=application.status, resource_id=str(resource.id))
    return application_public(ctx.session, application)


@action(event=None, writes=False)
def open_application_list(
    ctx: ActionContext,
    *,
    applicant_id: uuid.UUID | None = None,
    unit_id: uuid.UUID | None = None,
) -> list[OpenApplicationPublic]:
    """An applicant's own applications, or those for a provider's datasets."""
    ctx.authorize(applicant_id=applicant_id, unit_id=unit_id)
    query = sa.select(OpenApplicationRow).order_by(OpenApplicationRow.created_at.desc())
    if applicant_id is not None:
        query = query.where(OpenApplicationRow.applicant_id == applicant_id)
    if unit_id is not None:
        query = query.join(ResourceRow, ResourceRow.id == OpenApplicationRow.resource_id).where(
            ResourceRow.provider_unit_id == unit_id
        )
    return [application_public(ctx.session, r) for r in ctx.session.execute(query).scalars()]
