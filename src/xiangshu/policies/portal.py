"""Policies of the open-data portal (S06) and the APIs it speaks (CKAN, DCAT, Data Package).

The portal shows open data only: a dataset is on the portal when ``may_see_metadata``
lets the actor see it **and** it is open (无条件开放 or 有条件开放); its records are read
when ``may_read_data`` allows it as well (for 有条件开放: an approved application, a
grant). Nothing here widens either rule; the portal only narrows them to open data.
Contributions (reuses, data requests, error reports, applications) need an account;
the provider's data stewards answer for their unit (谁提供谁负责).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from xiangshu.domain.access import GrantFacts, OpenType, ResourceFacts, ResourceStatus, ShareType
from xiangshu.domain.roles import Actor, Role
from xiangshu.policies.catalog import VisibleKind
from xiangshu.policies.common import anyone, signed_in, system_or_admin
from xiangshu.policies.data_access import may_read_data, may_see_metadata
from xiangshu.policies.registry import Decision, allow, deny, login_required, policy


def open_metadata(actor: Actor, facts: ResourceFacts) -> Decision:
    """May the actor see this dataset on the portal?"""
    if facts.open_type is OpenType.NOT_OPEN:
        return deny("this resource is not open data (不予开放)")
    decision = may_see_metadata(actor, facts)
    if not decision.allowed:
        return decision
    if not facts.is_published:
        return deny("the portal shows published datasets only")
    return decision


def open_data(actor: Actor, facts: ResourceFacts, grant: GrantFacts | None) -> Decision:
    """May the actor read this dataset's records through the portal's APIs?"""
    seen = open_metadata(actor, facts)
    if not seen.allowed:
        return seen
    decision = may_read_data(actor, facts, grant).decision
    if decision.allowed or decision.needs_login or facts.open_type is not OpenType.CONDITIONAL:
        return decision
    return deny(
        "有条件开放: apply online, accept the agreement and wait for the provider's approval"
    )


def _user(actor: Actor) -> Decision:
    if actor.is_public:
        return login_required()
    if actor.user_id is None:
        return deny("sign in as a person (an app cannot do this)")
    return allow("signed-in user")


def _steward_of(actor: Actor, unit_id: uuid.UUID | None) -> Decision:
    if actor.is_system:
        return allow("the node's own operator (CLI)")
    if actor.is_public:
        return login_required()
    if unit_id is not None and actor.acts_for(unit_id) and actor.has(Role.DATA_STEWARD):
        return allow("data steward of the unit")
    if actor.has(Role.PLATFORM_ADMIN):
        return allow("platform administrator")
    return deny("only the unit's data stewards or a platform administrator may answer")


# ---------------------------------------------------------------- reading


@policy
def portal_home(actor: Actor) -> Decision:
    """Anyone; every count and list covers only datasets ``open_metadata`` shows."""
    return anyone(actor)


@policy
def open_dataset_search(actor: Actor) -> Decision:
    """Anyone; results and facet counts hold only what ``open_metadata`` lets them see."""
    return anyone(actor)


@policy
def open_providers(actor: Actor) -> Decision:
    """Anyone; units are public, and datasets are counted over those ``open_metadata``
    shows."""
    return anyone(actor)


@policy
def open_tags(actor: Actor) -> Decision:
    """Anyone; keywords are counted over the datasets ``open_metadata`` shows."""
    return anyone(actor)


@policy
def open_dataset_show(actor: Actor, *, facts: ResourceFacts) -> Decision:
    return open_metadata(actor, facts)


@policy
def open_records_search(
    actor: Actor, *, facts: ResourceFacts, grant: GrantFacts | None
) -> Decision:
    return open_data(actor, facts, grant)


@policy
def open_records_export(
    actor: Actor, *, facts: ResourceFacts, grant: GrantFacts | None
) -> Decision:
    return open_data(actor, facts, grant)


@policy
def open_records_sql(
    actor: Actor,
    *,
    tables: Sequence[tuple[ResourceFacts, GrantFacts | None]],
) -> Decision:
    """Every table of the statement must be readable, or none is read."""
    if not tables:
        return deny("the statement reads no dataset")
    for facts, grant in tables:
        decision = open_data(actor, facts, grant)
        if not decision.allowed:
            return decision
    return allow("every dataset of the statement is open to the caller")


@policy
def usage_stats(actor: Actor) -> Decision:
    """Anyone: counts are aggregated over open datasets only."""
    return anyone(actor)


@policy
def portal_score(actor: Actor) -> Decision:
    return anyone(actor)


# ---------------------------------------------------------------- developers


@policy
def developer_register(actor: Actor) -> Decision:
    if actor.is_public:
        return allow("anyone may register as a developer")
    return deny("you are signed in already")


@policy
def app_quota_set(actor: Actor) -> Decision:
    return system_or_admin(actor)


# ---------------------------------------------------------------- contributions


@policy
def reuse_submit(actor: Actor) -> Decision:
    return _user(actor)


@policy
def reuse_review(actor: Actor) -> Decision:
    return system_or_admin(actor)


@policy
def reuse_list(actor: Actor, *, include_pending: bool) -> Decision:
    if include_pending:
        return system_or_admin(actor)
    return anyone(actor)


@policy
def data_request_submit(actor: Actor) -> Decision:
    return _user(actor)


@policy
def data_request_answer(actor: Actor, *, unit_id: uuid.UUID | None) -> Decision:
    return _steward_of(actor, unit_id)


@policy
def data_request_list(actor: Actor) -> Decision:
    """Anyone: the board is public (requests and answers)."""
    return anyone(actor)


@policy
def public_error_report_submit(actor: Actor, *, facts: ResourceFacts) -> Decision:
    seen = open_metadata(actor, facts)
    if not seen.allowed:
        return seen
    return _user(actor)


@policy
def public_error_report_answer(actor: Actor, *, facts: ResourceFacts) -> Decision:
    return _steward_of(actor, facts.provider_unit_id)


@policy
def public_error_report_list(actor: Actor) -> Decision:
    """Anyone: reports of datasets the actor may see on the portal are public."""
    return anyone(actor)


@policy
def open_application_submit(actor: Actor, *, facts: ResourceFacts) -> Decision:
    seen = open_metadata(actor, facts)
    if not seen.allowed:
        return seen
    if facts.open_type is not OpenType.CONDITIONAL:
        return deny("only 有条件开放 datasets take applications; this one is open to all")
    return _user(actor)


@policy
def open_application_decide(actor: Actor, *, facts: ResourceFacts) -> Decision:
    """The provider decides (谁提供谁负责): its data stewards, or the node's operator."""
    if actor.is_system:
        return allow("the node's own operator (CLI)")
    if actor.is_public:
        return login_required()
    if actor.acts_for(facts.provider_unit_id) and actor.has(Role.DATA_STEWARD):
        return allow("data steward of the provider")
    return deny("only the provider's data stewards decide on applications")


@policy
def open_application_list(
    actor: Actor, *, applicant_id: uuid.UUID | None, unit_id: uuid.UUID | None
) -> Decision:
    if applicant_id is not None and actor.user_id == applicant_id:
        return allow("own applications")
    if unit_id is not None:
        return _steward_of(actor, unit_id)
    if actor.is_public:
        return login_required()
    return system_or_admin(actor)


def open_kinds(actor: Actor) -> list[VisibleKind]:
    """Every kind of resource ``open_metadata`` lets the actor see, found by asking it
    (status × the actor's own unit or another × open type × share type). Search and the
    portal's lists filter by these, so they follow the rule without restating it."""
    stranger = uuid.UUID(int=0) if actor.unit_id != uuid.UUID(int=0) else uuid.UUID(int=1)
    owners = [(False, stranger)] + ([(True, actor.unit_id)] if actor.unit_id else [])
    kinds: list[VisibleKind] = []
    for status in ResourceStatus:
        for open_type in OpenType:
            for share_type in ShareType:
                allowed = {
                    own: open_metadata(
                        actor,
                        ResourceFacts(
                            uuid.UUID(int=2), "", "", provider, share_type, open_type, status
                        ),
                    ).allowed
                    for own, provider in owners
                }
                if all(allowed.values()):
                    kinds.append(VisibleKind(status, None, open_type, share_type))
                else:
                    kinds += [
                        VisibleKind(status, own, open_type, share_type)
                        for own, ok in allowed.items()
                        if ok
                    ]
    return kinds


__all__ = ["open_data", "open_kinds", "open_metadata", "signed_in"]
