"""Policies of the data lake: the provider's stewards load; readers follow the one data rule.

Reading records (pages, lookups, exports, the version list) is decided by
``may_read_data`` alone, so the lake cannot drift from sharing and open data.
Loading, rolling back and the quarantine (raw rejected rows, personal data in
clear) are the provider's own business: its data stewards (部门数据管理员) and
the node's operator.
"""

from __future__ import annotations

from xiangshu.domain.access import GrantFacts, ResourceFacts
from xiangshu.domain.roles import Actor, Role
from xiangshu.policies.common import system_or_admin
from xiangshu.policies.data_access import may_read_data
from xiangshu.policies.registry import Decision, allow, deny, login_required, policy


def _provider_steward(actor: Actor, facts: ResourceFacts) -> Decision:
    if actor.is_system:
        return allow("the node's own operator (CLI)")
    if actor.is_public:
        return login_required()
    if actor.acts_for(facts.provider_unit_id) and actor.has(Role.DATA_STEWARD):
        return allow("data steward of the provider")
    return deny("only the provider's data stewards (部门数据管理员) load and manage its data")


@policy
def records_ingest(actor: Actor, *, facts: ResourceFacts) -> Decision:
    return _provider_steward(actor, facts)


@policy
def version_rollback(actor: Actor, *, facts: ResourceFacts) -> Decision:
    return _provider_steward(actor, facts)


@policy
def quarantine_download(actor: Actor, *, facts: ResourceFacts) -> Decision:
    return _provider_steward(actor, facts)


@policy
def load_report_show(actor: Actor, *, facts: ResourceFacts) -> Decision:
    """Counts by field and reason, no values: the provider and platform administrators."""
    if actor.is_government and actor.acts_for(facts.provider_unit_id):
        return allow("the provider's own loads")
    return system_or_admin(actor)


@policy
def version_list(actor: Actor, *, facts: ResourceFacts, grant: GrantFacts | None) -> Decision:
    return may_read_data(actor, facts, grant).decision


@policy
def records_query(actor: Actor, *, facts: ResourceFacts, grant: GrantFacts | None) -> Decision:
    return may_read_data(actor, facts, grant).decision


@policy
def record_lookup(actor: Actor, *, facts: ResourceFacts, grant: GrantFacts | None) -> Decision:
    return may_read_data(actor, facts, grant).decision


@policy
def records_export(actor: Actor, *, facts: ResourceFacts, grant: GrantFacts | None) -> Decision:
    return may_read_data(actor, facts, grant).decision


@policy
def lake_clean(actor: Actor) -> Decision:
    return system_or_admin(actor)


@policy
def serving_reader_grant(actor: Actor) -> Decision:
    return (
        allow("set-up from the node's console")
        if actor.is_system
        else deny("database roles are set up from the node's console")
    )
