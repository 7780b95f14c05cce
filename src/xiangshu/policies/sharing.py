"""Policies of sharing and exchange (S03): who applies, who answers, who decides, who sees.

- A government unit's users (部门用户, 部门数据管理员) apply for a provider's resource and
  see their unit's requests; they never apply to their own unit.
- The provider's data stewards (部门数据管理员) answer submitted requests; once a request
  is escalated (overdue or disputed) only the sharing authority (共享主管部门) decides.
- Grants are revoked by the provider's stewards or the authority; the authority may
  also give a grant directly (coordination, or a public applicant's approved 有条件开放
  application).
- Reading data (verification, change feed, files) follows ``may_read_data`` alone.
- Auditors (审计员) and platform administrators read every request, grant and record.
"""

from __future__ import annotations

import uuid

from xiangshu.domain.access import GrantFacts, ResourceFacts
from xiangshu.domain.roles import Actor, Role
from xiangshu.policies.data_access import may_read_data
from xiangshu.policies.registry import Decision, allow, deny, login_required, policy


def _oversees(actor: Actor) -> bool:
    return actor.is_system or actor.has(Role.SHARING_AUTHORITY, Role.PLATFORM_ADMIN, Role.AUDITOR)


def _party(actor: Actor, *units: uuid.UUID | None) -> Decision:
    if actor.is_public:
        return login_required()
    if _oversees(actor):
        return allow("oversight (共享主管部门, 平台管理员, 审计员)")
    if any(actor.acts_for(unit) for unit in units if unit is not None):
        return allow("a party to it")
    return deny("only the requesting and providing units see this")


def _steward_of(actor: Actor, unit_id: uuid.UUID) -> bool:
    return actor.acts_for(unit_id) and actor.has(Role.DATA_STEWARD)


@policy
def request_create(actor: Actor, *, provider_unit_id: uuid.UUID) -> Decision:
    if actor.is_public:
        return login_required()
    if actor.kind.value != "user" or actor.unit_id is None:
        return deny("requests are made by a government unit's users")
    if not actor.has(Role.UNIT_USER, Role.DATA_STEWARD):
        return deny("only 部门用户 and 部门数据管理员 apply for data on behalf of their unit")
    if actor.acts_for(provider_unit_id):
        return deny("a unit does not apply for its own resources")
    return allow("a government unit's user")


@policy
def request_show(
    actor: Actor, *, requester_unit_id: uuid.UUID, provider_unit_id: uuid.UUID
) -> Decision:
    return _party(actor, requester_unit_id, provider_unit_id)


@policy
def request_list(actor: Actor) -> Decision:
    if actor.is_public:
        return login_required()
    return allow("each sees the queues of their unit and role")


@policy
def request_attach(actor: Actor, *, requester_unit_id: uuid.UUID) -> Decision:
    if actor.acts_for(requester_unit_id) and actor.kind.value == "user":
        return allow("the requesting unit")
    return _deny_or_login(actor, "only the requesting unit adds attachments")


@policy
def attachment_download(
    actor: Actor, *, requester_unit_id: uuid.UUID, provider_unit_id: uuid.UUID
) -> Decision:
    return _party(actor, requester_unit_id, provider_unit_id)


@policy
def request_withdraw(actor: Actor, *, requester_unit_id: uuid.UUID) -> Decision:
    if actor.acts_for(requester_unit_id) and actor.kind.value == "user":
        return allow("the requesting unit")
    return _deny_or_login(actor, "only the requesting unit withdraws its request")


@policy
def request_dispute(actor: Actor, *, requester_unit_id: uuid.UUID) -> Decision:
    if actor.acts_for(requester_unit_id) and actor.kind.value == "user":
        return allow("the requesting unit")
    return _deny_or_login(actor, "only the requesting unit disputes an answer")


@policy
def request_decide(actor: Actor, *, provider_unit_id: uuid.UUID, escalated: bool) -> Decision:
    if actor.is_public:
        return login_required()
    if escalated:
        if actor.has(Role.SHARING_AUTHORITY):
            return allow("共享主管部门 decides an escalated request")
        return deny("this request was escalated: the sharing authority (共享主管部门) decides it")
    if _steward_of(actor, provider_unit_id):
        return allow("data steward of the provider")
    return deny("the provider's data stewards (部门数据管理员) answer requests")


@policy
def request_escalate(actor: Actor) -> Decision:
    if actor.is_system:
        return allow("the node's worker escalates overdue requests")
    if actor.has(Role.SHARING_AUTHORITY):
        return allow("共享主管部门 takes a request over to coordinate it")
    return _deny_or_login(actor, "requests are escalated by the worker or the sharing authority")


@policy
def request_remind(actor: Actor) -> Decision:
    if actor.is_system:
        return allow("the node's worker")
    return deny("reminders are sent by the node's worker")


@policy
def grant_list(actor: Actor) -> Decision:
    if actor.is_public:
        return login_required()
    return allow("each sees the grants of their unit (held or given)")


@policy
def grant_show(
    actor: Actor,
    *,
    holder_unit_id: uuid.UUID | None,
    provider_unit_id: uuid.UUID,
    holder_user_id: uuid.UUID | None = None,
) -> Decision:
    if holder_user_id is not None and actor.user_id == holder_user_id:
        return allow("own grant")
    return _party(actor, holder_unit_id, provider_unit_id)


@policy
def grant_revoke(actor: Actor, *, provider_unit_id: uuid.UUID) -> Decision:
    if actor.is_system or actor.has(Role.SHARING_AUTHORITY):
        return allow("共享主管部门")
    if _steward_of(actor, provider_unit_id):
        return allow("data steward of the provider")
    return _deny_or_login(actor, "only the provider's data stewards or the authority revoke")


@policy
def grant_create(actor: Actor, *, provider_unit_id: uuid.UUID) -> Decision:
    """A grant given directly, without a request (coordination, an open-data application)."""
    if actor.is_system or actor.has(Role.SHARING_AUTHORITY):
        return allow("共享主管部门")
    if _steward_of(actor, provider_unit_id):
        return allow("data steward of the provider")
    return _deny_or_login(actor, "only the provider's data stewards or the authority give grants")


@policy
def record_verify(actor: Actor, *, facts: ResourceFacts, grant: GrantFacts | None) -> Decision:
    return may_read_data(actor, facts, grant).decision


@policy
def changes_read(actor: Actor, *, facts: ResourceFacts, grant: GrantFacts | None) -> Decision:
    return may_read_data(actor, facts, grant).decision


@policy
def file_ticket_create(actor: Actor, *, facts: ResourceFacts, grant: GrantFacts | None) -> Decision:
    return may_read_data(actor, facts, grant).decision


@policy
def file_download(
    actor: Actor, *, holder_matches: bool, facts: ResourceFacts, grant: GrantFacts | None
) -> Decision:
    if not holder_matches:
        return _deny_or_login(actor, "this download link was made for another unit")
    return may_read_data(actor, facts, grant).decision


@policy
def subscription_create(
    actor: Actor, *, facts: ResourceFacts, grant: GrantFacts | None
) -> Decision:
    """Only a reader of the resource may subscribe to its new versions."""
    return may_read_data(actor, facts, grant).decision


@policy
def subscription_cancel(actor: Actor, *, subscriber_unit_id: uuid.UUID | None) -> Decision:
    if actor.acts_for(subscriber_unit_id) or actor.is_system or actor.has(Role.PLATFORM_ADMIN):
        return allow("the subscriber")
    return _deny_or_login(actor, "only the subscribing unit cancels its subscription")


@policy
def subscription_list(actor: Actor) -> Decision:
    if actor.is_public:
        return login_required()
    return allow("each sees their unit's subscriptions")


@policy
def notification_feed(actor: Actor, *, subscriber_unit_id: uuid.UUID | None) -> Decision:
    if actor.acts_for(subscriber_unit_id) or _oversees(actor):
        return allow("the subscriber")
    return _deny_or_login(actor, "only the subscribing unit reads its notices")


@policy
def notification_replay(actor: Actor, *, subscriber_unit_id: uuid.UUID | None) -> Decision:
    if actor.acts_for(subscriber_unit_id) or actor.is_system or actor.has(Role.PLATFORM_ADMIN):
        return allow("the subscriber or the node's operator")
    return _deny_or_login(actor, "only the subscribing unit or an administrator replays")


@policy
def notifications_enqueue(actor: Actor) -> Decision:
    return _worker(actor)


@policy
def deliveries_claim(actor: Actor) -> Decision:
    return _worker(actor)


@policy
def delivery_finish(actor: Actor) -> Decision:
    return _worker(actor)


@policy
def error_report_create(
    actor: Actor, *, facts: ResourceFacts, grant: GrantFacts | None
) -> Decision:
    """Whoever may read the resource may report a wrong value in it."""
    if actor.acts_for(facts.provider_unit_id):
        return deny("the provider corrects its own data directly")
    return may_read_data(actor, facts, grant).decision


@policy
def error_report_show(
    actor: Actor, *, reporter_unit_id: uuid.UUID | None, provider_unit_id: uuid.UUID
) -> Decision:
    return _party(actor, reporter_unit_id, provider_unit_id)


@policy
def error_report_list(actor: Actor) -> Decision:
    if actor.is_public:
        return login_required()
    return allow("each sees the reports of their unit")


@policy
def error_report_answer(actor: Actor, *, provider_unit_id: uuid.UUID) -> Decision:
    if _steward_of(actor, provider_unit_id):
        return allow("data steward of the provider")
    return _deny_or_login(actor, "the provider's data stewards answer error reports")


@policy
def exchange_stats(actor: Actor) -> Decision:
    if actor.is_public:
        return login_required()
    if _oversees(actor) or actor.is_government:
        return allow("government users see the exchange statistics")
    return deny("exchange statistics are for government users")


@policy
def exchange_records(actor: Actor, *, unit_id: uuid.UUID | None) -> Decision:
    """The records themselves: a unit's own (as consumer or provider) or oversight."""
    if actor.is_public:
        return login_required()
    if _oversees(actor):
        return allow("oversight")
    if unit_id is not None and actor.acts_for(unit_id):
        return allow("own unit's records")
    return deny("a unit sees its own exchange records; the authority and auditors see all")


def _worker(actor: Actor) -> Decision:
    if actor.is_system:
        return allow("the node's worker")
    return deny("background work is done by the node's worker")


def _deny_or_login(actor: Actor, reason: str) -> Decision:
    if actor.is_public:
        return login_required()
    return deny(reason)


@policy
def changes_prepare(actor: Actor, *, facts: ResourceFacts, grant: GrantFacts | None) -> Decision:
    return may_read_data(actor, facts, grant).decision


@policy
def exchange_refusal_record(actor: Actor) -> Decision:
    """Recording a refused call is allowed for whoever made it (it only writes the record)."""
    return allow("a refused exchange call is recorded")


@policy
def keys_status(actor: Actor) -> Decision:
    if actor.is_system:
        return allow("the node's console")
    return deny("keys are managed from the node's console")


@policy
def keys_reencrypt(actor: Actor) -> Decision:
    if actor.is_system:
        return allow("the node's console")
    return deny("keys are managed from the node's console")


@policy
def request_reschedule(actor: Actor) -> Decision:
    if actor.is_system:
        return allow("the node's worker")
    return deny("deadlines are recounted by the node's worker")
