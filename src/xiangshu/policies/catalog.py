"""Policies of the resource catalog (政务信息资源目录).

- stewards (部门数据管理员) write, submit and withdraw their own unit's resources;
  platform administrators may act for any unit;
- reviewers are the node's platform administrators (the data authority that runs the
  catalog); nobody reviews a submission of their own (four eyes);
- who sees a resource's metadata is decided by ``may_see_metadata`` alone, for pages,
  listings, search results, facet counts and exports alike.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from xiangshu.domain.access import OpenType, ResourceFacts, ResourceStatus, ShareType
from xiangshu.domain.roles import Actor, Role
from xiangshu.policies.common import anyone, system_or_admin
from xiangshu.policies.data_access import may_see_metadata
from xiangshu.policies.registry import Decision, allow, deny, login_required, policy


def _steward_of(actor: Actor, unit_id: uuid.UUID) -> Decision:
    if actor.is_system:
        return allow("the node's own operator (CLI)")
    if actor.is_public:
        return login_required()
    if actor.has(Role.PLATFORM_ADMIN):
        return allow("platform administrator")
    if actor.has(Role.DATA_STEWARD) and actor.acts_for(unit_id):
        return allow("data steward of the provider")
    return deny("only the provider's data steward or a platform administrator may do this")


def _reviewer(actor: Actor, submitted_by_id: uuid.UUID | None) -> Decision:
    decision = system_or_admin(actor)
    if not decision.allowed or actor.is_system:
        return decision
    if submitted_by_id is not None and actor.user_id == submitted_by_id:
        return deny("a reviewer does not review their own submission")
    return allow("platform administrator reviewing another's submission")


@policy
def classification_list(actor: Actor) -> Decision:
    return anyone(actor)


@policy
def classification_load(actor: Actor) -> Decision:
    return system_or_admin(actor)


@policy
def resource_create(actor: Actor, *, provider_unit_id: uuid.UUID) -> Decision:
    return _steward_of(actor, provider_unit_id)


@policy
def resource_update(actor: Actor, *, provider_unit_id: uuid.UUID) -> Decision:
    return _steward_of(actor, provider_unit_id)


@policy
def resource_submit(actor: Actor, *, provider_unit_id: uuid.UUID) -> Decision:
    return _steward_of(actor, provider_unit_id)


@policy
def resource_withdraw(actor: Actor, *, provider_unit_id: uuid.UUID) -> Decision:
    return _steward_of(actor, provider_unit_id)


@policy
def resource_return(actor: Actor, *, submitted_by_id: uuid.UUID | None) -> Decision:
    return _reviewer(actor, submitted_by_id)


@policy
def resource_publish(actor: Actor, *, submitted_by_id: uuid.UUID | None) -> Decision:
    return _reviewer(actor, submitted_by_id)


@policy
def resource_show(actor: Actor, *, facts: ResourceFacts) -> Decision:
    return may_see_metadata(actor, facts)


@policy
def resource_history(actor: Actor, *, facts: ResourceFacts) -> Decision:
    return may_see_metadata(actor, facts)


@policy
def resource_search(actor: Actor) -> Decision:
    """Anyone may search; results and facet counts hold only what ``may_see_metadata``
    lets the actor see (the index filter is derived from it)."""
    return anyone(actor)


@policy
def catalog_export(actor: Actor) -> Decision:
    """Anyone may export; the file holds only the resources the actor may see."""
    return anyone(actor)


@policy
def catalog_import(
    actor: Actor, *, provider_unit_ids: Iterable[uuid.UUID], publish: bool = False
) -> Decision:
    """Stewards import their own unit's resources as drafts. Loading an already reviewed
    catalog as published skips review, so only administrators may do it."""
    if publish:
        return system_or_admin(actor)
    decision = system_or_admin(actor)
    for unit_id in set(provider_unit_ids):
        decision = _steward_of(actor, unit_id)
        if not decision.allowed:
            return decision
    return decision


@policy
def catalog_reindex(actor: Actor) -> Decision:
    return system_or_admin(actor)


@dataclass(frozen=True, slots=True)
class VisibleKind:
    """A kind of resource an actor may see: a status, whether it is the actor's own unit's,
    and its open and share types (None meaning any)."""

    status: ResourceStatus
    own: bool | None = None
    open_type: OpenType | None = None
    share_type: ShareType | None = None


def visible_kinds(actor: Actor) -> list[VisibleKind]:
    """Every kind of resource ``may_see_metadata`` lets the actor see, found by asking it.

    Search filters its index by these, so listings, results and facet counts follow the
    one rule without restating it. The rule decides on a resource's status, provider,
    open type and share type; ``tests/actions/test_catalog_search.py`` checks every
    search result against the rule itself.
    """
    stranger = uuid.UUID(int=0) if actor.unit_id != uuid.UUID(int=0) else uuid.UUID(int=1)
    owners = [(False, stranger)] + ([(True, actor.unit_id)] if actor.unit_id else [])
    kinds: list[VisibleKind] = []
    for status in ResourceStatus:
        allowed_by_owner: dict[bool | None, list[tuple[OpenType, ShareType]]] = {
            own: [
                (open_type, share_type)
                for open_type in OpenType
                for share_type in ShareType
                if may_see_metadata(
                    actor,
                    ResourceFacts(
                        uuid.UUID(int=2), "", "", provider, share_type, open_type, status
                    ),
                ).allowed
            ]
            for own, provider in owners
        }
        if len({tuple(a) for a in allowed_by_owner.values()}) == 1:  # owner makes no difference
            allowed_by_owner = {None: allowed_by_owner[False]}
        for own, allowed in allowed_by_owner.items():
            if len(allowed) == len(OpenType) * len(ShareType):
                kinds.append(VisibleKind(status, own))
            else:
                kinds += [VisibleKind(status, own, o, s) for o, s in allowed]
    return kinds
