"""共享申请: apply, answer (approve, approve some fields, refuse with reasons), withdraw,
dispute, escalate, remind — every step a history row and an audit event.

The answer is due N working days (``sharing_answer_working_days``) after submission on
the official calendar. An answer after the deadline but before escalation is accepted
and marked late (it counts against the provider's on-time rate); once escalated, only
the sharing authority decides.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

import orjson
from sqlalchemy import select

from xiangshu.actions.context import ActionContext
from xiangshu.actions.registry import action
from xiangshu.domain.access import ResourceFacts, ShareType
from xiangshu.domain.sharing.grants import GrantSource, HolderKind
from xiangshu.domain.sharing.requests import (
    RequestDraft,
    RequestStatus,
    Verdict,
    decision_problems,
    request_problems,
    status_after,
)
from xiangshu.domain.workdays import BEIJING, beijing_date
from xiangshu.errors import Conflict, NotFound, Problem, invalid
from xiangshu.schemas.sharing import DecisionIn, RequestCreate, RequestPublic
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.models.sharing import GrantRow, ShareRequestEventRow, ShareRequestRow
from xiangshu.storage.sharing.requests import dumps, json_list, next_number, request_public


def facts_of(ctx: ActionContext, reference: str) -> ResourceFacts:
    facts = ctx.services.resources.facts(ctx.session, reference)
    if facts is None:
        raise NotFound(f"no resource {reference}")
    return facts


def load_request(ctx: ActionContext, request_id: uuid.UUID) -> ShareRequestRow:
    row = ctx.session.get(ShareRequestRow, request_id)
    if row is None:
        raise NotFound(f"no request {request_id}")
    return row


def history(ctx: ActionContext, row: ShareRequestRow, kind: str, note: str = "") -> None:
    ctx.session.add(
        ShareRequestEventRow(
            request_id=row.id,
            at=ctx.now,
            actor_name=ctx.actor.name,
            actor_id=str(ctx.actor.user_id) if ctx.actor.user_id else None,
            kind=kind,
            status_after=row.status,
            note=note,
        )
    )


def public(ctx: ActionContext, row: ShareRequestRow, *, full: bool = True) -> RequestPublic:
    ctx.session.flush()
    return request_public(ctx.session, row, now=ctx.now, calendar=ctx.services.calendar, full=full)


def _manners(ctx: ActionContext, resource_id: uuid.UUID) -> list[str]:
    text = ctx.session.execute(
        select(ResourceRow.share_manner_types).where(ResourceRow.id == resource_id)
    ).scalar_one()
    return [str(v) for v in orjson.loads(text or "[]")]


def _availability(facts: ResourceFacts) -> Problem | None:
    if not facts.is_published:
        return Problem("the resource is not published in the catalog", field="resource")
    if facts.share_type is ShareType.UNCONDITIONAL:
        return Problem(
            "无条件共享: no request is needed; any government unit reads it directly "
            "(a grant is recorded on first use)",
            field="resource",
        )
    if facts.share_type is ShareType.NOT_SHARED:
        return Problem("不予共享: this resource is not shared", field="resource")
    return None


@action(event="sharing:request:submit")
def request_create(ctx: ActionContext, data: RequestCreate) -> RequestPublic:
    """Apply for fields of a conditionally shared resource (共享申请); the answer is due in
    N working days."""
    facts = facts_of(ctx, data.resource)
    ctx.authorize(provider_unit_id=facts.provider_unit_id)
    assert ctx.actor.unit_id is not None
    draft = RequestDraft(
        purpose=data.purpose,
        legal_basis=data.legal_basis,
        fields=tuple(data.fields),
        intended_use=data.intended_use,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        exchange_mode=data.exchange_mode,
        intended_use_note=data.intended_use_note,
        expected_volume=data.expected_volume,
        clear_values=data.clear_values,
        clear_reason=data.clear_reason,
        rows_per_day=data.rows_per_day,
        calls_per_minute=data.calls_per_minute,
    )
    today = beijing_date(ctx.now)
    problems = request_problems(
        draft,
        resource_fields=facts.fields,
        personal_fields=[i.field for i in facts.items if i.sensitivity.is_personal],
        manners=_manners(ctx, facts.resource_id),
        today=today,
    )
    unavailable = _availability(facts)
    if unavailable is not None:
        problems.insert(0, unavailable)
    if problems:
        raise invalid(problems, "the request cannot be submitted")
    pending = ctx.session.execute(
        select(ShareRequestRow.number).where(
            ShareRequestRow.resource_id == facts.resource_id,
            ShareRequestRow.requester_unit_id == ctx.actor.unit_id,
            ShareRequestRow.status.in_([s.value for s in RequestStatus if s.is_open]),
        )
    ).scalar()
    if pending:
        raise Conflict(f"your unit already has an open request for this resource ({pending})")
    due = ctx.services.calendar.add_working_days(today, ctx.settings.sharing_answer_working_days)
    row = ShareRequestRow(
        number=next_number(ctx.session, ShareRequestRow, "GX", ctx.now),
        resource_id=facts.resource_id,
        resource_code=facts.code,
        resource_name=facts.name,
        provider_unit_id=facts.provider_unit_id,
        requester_unit_id=ctx.actor.unit_id,
        requester_user_id=ctx.actor.user_id,
        requester_name=ctx.actor.name,
        purpose=draft.purpose,
        legal_basis=draft.legal_basis,
        fields=dumps(draft.fields),
        intended_use=draft.intended_use.value,
        intended_use_note=draft.intended_use_note,
        valid_from=draft.valid_from,
        valid_until=draft.valid_until,
        exchange_mode=draft.exchange_mode.value,
        expected_volume=draft.expected_volume,
        clear_values=draft.clear_values,
        clear_reason=draft.clear_reason,
        rows_per_day=draft.rows_per_day,
        calls_per_minute=draft.calls_per_minute,
        status=RequestStatus.SUBMITTED.value,
        submitted_at=ctx.now,
        due_on=due.day,
        due_provisional=due.provisional,
    )
    ctx.session.add(row)
    ctx.session.flush()
    history(ctx, row, "submit")
    ctx.target("request", row.id)
    ctx.detail(
        number=row.number,
        resource=facts.code,
        fields=list(draft.fields),
        purpose=draft.purpose,
        due_on=due.day.isoformat(),
        due_provisional=due.provisional,
    )
    return public(ctx, row)


def _grant_window(ctx: ActionContext, row: ShareRequestRow) -> tuple[datetime, datetime]:
    start = datetime.combine(row.valid_from, time(0), tzinfo=BEIJING)
    end = datetime.combine(row.valid_until + timedelta(days=1), time(0), tzinfo=BEIJING)
    return max(start, ctx.now), end


def _decision_problems(row: ShareRequestRow, data: DecisionIn, today: date) -> list[Problem]:
    asked = json_list(row.fields)
    problems = decision_problems(data.verdict, asked, data.fields, data.reason)
    if data.clear_values and not row.clear_values:
        problems.append(
            Problem("clear values were not asked for and cannot be granted", field="clear_values")
        )
    if data.verdict is not Verdict.REFUSE and row.valid_until < today:
        problems.append(
            Problem(
                "the validity asked for has already ended; refuse or ask for a new request",
                field="verdict",
            )
        )
    return problems


def _issue_grant(ctx: ActionContext, row: ShareRequestRow, data: DecisionIn) -> GrantRow:
    fields = data.fields if data.verdict is Verdict.APPROVE_PART else json_list(row.fields)
    start, end = _grant_window(ctx, row)
    grant = GrantRow(
        resource_id=row.resource_id,
        provider_unit_id=row.provider_unit_id,
        holder_kind=HolderKind.UNIT.value,
        holder_unit_id=row.requester_unit_id,
        fields=dumps(sorted(fields)),
        clear_values=row.clear_values if data.clear_values is None else data.clear_values,
        purpose=row.purpose,
        intended_use=row.intended_use,
        source=GrantSource.REQUEST.value,
        request_id=row.id,
        exchange_modes=dumps([row.exchange_mode]),
        valid_from=start,
        valid_until=end,
        rows_per_day=data.rows_per_day
        or row.rows_per_day
        or ctx.settings.sharing_default_rows_per_day,
        calls_per_minute=data.calls_per_minute
        or row.calls_per_minute
        or ctx.settings.sharing_default_calls_per_minute,
        created_at=ctx.now,
        created_by=ctx.actor.name,
    )
    ctx.session.add(grant)
    ctx.session.flush()
    return grant


def _retire_grant(ctx: ActionContext, row: ShareRequestRow, why: str) -> None:
    if row.grant_id is None:
        return
    grant = ctx.session.get(GrantRow, row.grant_id)
    if grant is not None and grant.revoked_at is None:
        grant.revoked_at = ctx.now
        grant.revoked_by = ctx.actor.name
        grant.revoke_reason = why


@action(event="sharing:request:decide")
def request_decide(ctx: ActionContext, request_id: uuid.UUID, data: DecisionIn) -> RequestPublic:
    """Answer a request: approve, approve some fields, or refuse with reasons (the provider's
    steward; the sharing authority once escalated). An approval issues the grant."""
    row = load_request(ctx, request_id)
    escalated = row.status == RequestStatus.ESCALATED.value
    ctx.authorize(provider_unit_id=row.provider_unit_id, escalated=escalated)
    if not RequestStatus(row.status).is_open:
        raise Conflict(
            f"request {row.number} is {RequestStatus(row.status).label_zh} and takes no answer"
        )
    today = beijing_date(ctx.now)
    problems = _decision_problems(row, data, today)
    if problems:
        raise invalid(problems, "the answer cannot be recorded")
    previous_grant = row.grant_id
    dispute_rejected = (
        escalated
        and data.verdict is Verdict.REFUSE
        and row.disputed_at is not None
        and previous_grant is not None
    )
    if dispute_rejected:
        row.status = RequestStatus.PARTIALLY_APPROVED.value
    else:
        row.status = status_after(data.verdict).value
        if data.verdict is not Verdict.REFUSE:
            _retire_grant(ctx, row, f"superseded by the decision on {row.number}")
            row.grant_id = _issue_grant(ctx, row, data).id
            row.granted_fields = dumps(
                sorted(data.fields)
                if data.verdict is Verdict.APPROVE_PART
                else json_list(row.fields)
            )
        else:
            row.granted_fields = dumps([])
    row.reason = data.reason
    row.answered_at = ctx.now
    row.answered_by = ctx.actor.name
    row.answered_role = "authority" if escalated else "provider"
    row.answered_late = not escalated and today > row.due_on
    history(ctx, row, "dispute_rejected" if dispute_rejected else data.verdict.value, data.reason)
    ctx.target("request", row.id)
    ctx.detail(
        number=row.number,
        verdict=data.verdict.value,
        granted=json_list(row.granted_fields),
        reason=data.reason,
        by=row.answered_role,
        late=row.answered_late,
        grant_id=str(row.grant_id) if row.grant_id else None,
    )
    return public(ctx, row)


@action(event="sharing:request:withdraw")
def request_withdraw(ctx: ActionContext, request_id: uuid.UUID, reason: str = "") -> RequestPublic:
    """The requester withdraws an open request."""
    row = load_request(ctx, request_id)
    ctx.authorize(requester_unit_id=row.requester_unit_id)
    if not RequestStatus(row.status).is_open:
        raise Conflict(f"request {row.number} is already answered or withdrawn")
    row.status = RequestStatus.WITHDRAWN.value
    history(ctx, row, "withdraw", reason)
    ctx.target("request", row.id)
    ctx.detail(number=row.number, reason=reason)
    return public(ctx, row)


@action(event="sharing:request:dispute")
def request_dispute(ctx: ActionContext, request_id: uuid.UUID, reason: str) -> RequestPublic:
    """The requester disputes a refusal or a partial approval: it goes to the authority."""
    row = load_request(ctx, request_id)
    ctx.authorize(requester_unit_id=row.requester_unit_id)
    if row.status not in (RequestStatus.REFUSED.value, RequestStatus.PARTIALLY_APPROVED.value):
        raise Conflict("only a refusal or a partial approval can be disputed")
    if len(reason.strip()) < 4:
        raise invalid([Problem("say what is disputed and why", field="reason")])
    row.status = RequestStatus.ESCALATED.value
    row.disputed_at = ctx.now
    row.dispute_reason = reason
    row.escalated_at = ctx.now
    row.escalation_reason = "dispute"
    history(ctx, row, "dispute", reason)
    ctx.target("request", row.id)
    ctx.detail(number=row.number, reason=reason)
    return public(ctx, row)


@action(event="sharing:request:escalate")
def request_escalate(ctx: ActionContext, request_id: uuid.UUID, reason: str) -> RequestPublic:
    """Hand an unanswered request to the sharing authority (overdue, or taken over)."""
    row = load_request(ctx, request_id)
    ctx.authorize()
    if row.status != RequestStatus.SUBMITTED.value:
        raise Conflict(f"request {row.number} is not waiting for the provider")
    row.status = RequestStatus.ESCALATED.value
    row.escalated_at = ctx.now
    row.escalation_reason = reason
    history(ctx, row, "escalate", reason)
    ctx.target("request", row.id)
    ctx.detail(number=row.number, reason=reason, due_on=row.due_on.isoformat())
    return public(ctx, row, full=False)


@action(event="sharing:request:remind")
def request_remind(ctx: ActionContext, request_id: uuid.UUID) -> RequestPublic:
    """Remind the provider that a request's answer is due soon (the worker)."""
    row = load_request(ctx, request_id)
    ctx.authorize()
    if row.status != RequestStatus.SUBMITTED.value or row.reminded_at is not None:
        raise Conflict(f"request {row.number} needs no reminder")
    row.reminded_at = ctx.now
    history(ctx, row, "remind", f"due {row.due_on.isoformat()}")
    ctx.target("request", row.id)
    ctx.detail(number=row.number, due_on=row.due_on.isoformat())
    return public(ctx, row, full=False)


@action(event="sharing:request:reschedule")
def request_reschedule(ctx: ActionContext, request_id: uuid.UUID) -> RequestPublic:
    """Count a provisional deadline again once the official calendar knows its year (worker)."""
    row = load_request(ctx, request_id)
    ctx.authorize()
    if not row.due_provisional or not RequestStatus(row.status).is_open:
        raise Conflict(f"request {row.number} has no provisional deadline to recount")
    due = ctx.services.calendar.add_working_days(
        beijing_date(row.submitted_at), ctx.settings.sharing_answer_working_days
    )
    if due.provisional:
        raise Conflict(f"the calendar still does not know every day up to {due.day}")
    before = row.due_on
    row.due_on, row.due_provisional = due.day, False
    history(ctx, row, "reschedule", f"{before.isoformat()} → {due.day.isoformat()}")
    ctx.target("request", row.id)
    ctx.detail(number=row.number, before=before.isoformat(), after=due.day.isoformat())
    return public(ctx, row, full=False)
