"""Policies for plans, indicators, observations, evaluations, tasks and progress reports.

- A plan, its indicators, observations and evaluations are public documents
  when the node says so (``plan_public``); otherwise government users only.
- Plan officers (规划管理员) load plans, record values and run evaluations.
- A responsible unit's users report values for indicators their tasks pursue
  and submit progress reports for their own unit's tasks.
- Progress reports, reminders and the accountability list are internal.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from xiangshu.domain.access import ResourceFacts
from xiangshu.domain.roles import Actor, Role
from xiangshu.policies.data_access import may_see_metadata
from xiangshu.policies.registry import Decision, allow, deny, login_required, policy


def _officer(actor: Actor) -> Decision:
    if actor.is_system:
        return allow("the node's own operator (CLI)")
    if actor.is_public:
        return login_required()
    if actor.has(Role.PLAN_OFFICER):
        return allow("plan officer (规划管理员)")
    if actor.has(Role.PLATFORM_ADMIN):
        return allow("platform administrator")
    return deny("only a plan officer (规划管理员) may do this")


def _reader(actor: Actor, public: bool) -> Decision:
    if public or actor.is_system:
        return allow("the plan is a public document")
    if actor.is_public:
        return login_required()
    if actor.is_government:
        return allow("government user")
    return deny("plans on this node are open to government users only")


def _internal(actor: Actor) -> Decision:
    if actor.is_system:
        return allow("the node's own operator (CLI)")
    if actor.is_public:
        return login_required()
    if actor.is_government or actor.has(Role.PLAN_OFFICER):
        return allow("government user")
    return deny("progress reports are internal to government units")


def _responsible(actor: Actor, unit_ids: Collection[uuid.UUID]) -> Decision:
    decision = _officer(actor)
    if decision.allowed:
        return decision
    if actor.unit_id is not None and actor.unit_id in unit_ids and actor.is_government:
        return allow("a user of a responsible unit")
    return decision


@policy
def plan_load(actor: Actor) -> Decision:
    return _officer(actor)


@policy
def plan_list(actor: Actor, *, public: bool) -> Decision:
    return _reader(actor, public)


@policy
def plan_show(actor: Actor, *, public: bool) -> Decision:
    return _reader(actor, public)


@policy
def plan_check(actor: Actor, *, public: bool) -> Decision:
    return _reader(actor, public)


@policy
def indicator_list(actor: Actor, *, public: bool) -> Decision:
    return _reader(actor, public)


@policy
def indicator_show(actor: Actor, *, public: bool) -> Decision:
    return _reader(actor, public)


@policy
def observation_list(actor: Actor, *, public: bool) -> Decision:
    return _reader(actor, public)


@policy
def observation_record(
    actor: Actor,
    *,
    responsible_unit_ids: Collection[uuid.UUID],
    resource: ResourceFacts | None = None,
) -> Decision:
    """A value computed from a catalog resource may only cite a resource the actor sees."""
    if resource is not None:
        visible = may_see_metadata(actor, resource)
        if not visible.allowed:
            return visible
    return _responsible(actor, responsible_unit_ids)


@policy
def observation_import(actor: Actor) -> Decision:
    return _officer(actor)


@policy
def plan_evaluate(actor: Actor) -> Decision:
    return _officer(actor)


@policy
def evaluation_show(actor: Actor, *, public: bool) -> Decision:
    return _reader(actor, public)


@policy
def task_list(actor: Actor, *, public: bool) -> Decision:
    return _reader(actor, public)


@policy
def milestone_create(actor: Actor) -> Decision:
    return _officer(actor)


@policy
def milestone_complete(actor: Actor, *, responsible_unit_ids: Collection[uuid.UUID]) -> Decision:
    return _responsible(actor, responsible_unit_ids)


@policy
def progress_report_submit(
    actor: Actor, *, unit_id: uuid.UUID, task_unit_ids: Collection[uuid.UUID]
) -> Decision:
    if unit_id not in task_unit_ids:
        return deny("this unit is not responsible for the task")
    if actor.is_system:
        return allow("the node's own operator (CLI)")
    if actor.is_public:
        return login_required()
    if actor.acts_for(unit_id):
        return allow("a user of the responsible unit")
    if actor.has(Role.PLAN_OFFICER):
        return allow("plan officer recording a unit's report")
    return deny("only the responsible unit reports on its task")


@policy
def progress_report_list(actor: Actor) -> Decision:
    return _internal(actor)


@policy
def plan_attachment_download(actor: Actor) -> Decision:
    """The documents behind values and reports are internal, even on a public plan."""
    return _internal(actor)


@policy
def progress_reminders_send(actor: Actor) -> Decision:
    return _officer(actor)


@policy
def accountability_list(actor: Actor) -> Decision:
    return _internal(actor)


@policy
def project_list(actor: Actor, *, public: bool) -> Decision:
    return _reader(actor, public)


@policy
def plan_forecast(actor: Actor, *, public: bool) -> Decision:
    return _reader(actor, public)


@policy
def plan_import(actor: Actor) -> Decision:
    return _officer(actor)


@policy
def observation_upload(actor: Actor) -> Decision:
    return _officer(actor)


@policy
def reminder_list(actor: Actor) -> Decision:
    return _internal(actor)
