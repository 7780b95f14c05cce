"""Policies for users, sessions, API tokens and applications."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from xiangshu.domain.roles import Actor, Role
from xiangshu.policies.common import signed_in, system_or_admin
from xiangshu.policies.registry import Decision, allow, deny, login_required, policy

# What a unit's data steward may hand out inside their own unit.
STEWARD_GRANTABLE = frozenset({Role.UNIT_USER, Role.DATA_STEWARD})


def _manages_unit(actor: Actor, unit_id: uuid.UUID | None, roles: Iterable[Role]) -> Decision:
    """Administrators manage every account; a steward manages their own unit's users."""
    if actor.has(Role.DATA_STEWARD) and actor.acts_for(unit_id):
        wanted = set(roles)
        if wanted <= STEWARD_GRANTABLE:
            return allow("data steward of this unit")
        return deny("a data steward may only give the roles 部门用户 and 部门数据管理员")
    return system_or_admin(actor)


def _self_or_admin(actor: Actor, user_id: uuid.UUID) -> Decision:
    if actor.user_id is not None and actor.user_id == user_id:
        return allow("own account")
    return system_or_admin(actor)


@policy
def user_create(actor: Actor, *, unit_id: uuid.UUID | None, roles: frozenset[Role]) -> Decision:
    return _manages_unit(actor, unit_id, roles)


@policy
def user_set_roles(actor: Actor, *, unit_id: uuid.UUID | None, roles: frozenset[Role]) -> Decision:
    return _manages_unit(actor, unit_id, roles)


@policy
def user_deactivate(actor: Actor, *, unit_id: uuid.UUID | None) -> Decision:
    return _manages_unit(actor, unit_id, ())


@policy
def user_unlock(actor: Actor, *, unit_id: uuid.UUID | None) -> Decision:
    return _manages_unit(actor, unit_id, ())


@policy
def user_list(actor: Actor, *, unit_id: uuid.UUID | None) -> Decision:
    if actor.has(Role.AUDITOR):
        return allow("auditor")
    return _manages_unit(actor, unit_id, ())


@policy
def user_show(actor: Actor, *, user_id: uuid.UUID, unit_id: uuid.UUID | None) -> Decision:
    if actor.user_id == user_id:
        return allow("own account")
    return user_list(actor, unit_id=unit_id)


@policy
def user_set_password(actor: Actor, *, user_id: uuid.UUID) -> Decision:
    return _self_or_admin(actor, user_id)


@policy
def session_create(actor: Actor) -> Decision:
    return allow("anyone may try to sign in")


@policy
def session_revoke(actor: Actor) -> Decision:
    return signed_in(actor)


@policy
def token_create(actor: Actor, *, user_id: uuid.UUID) -> Decision:
    return _self_or_admin(actor, user_id)


@policy
def token_revoke(actor: Actor, *, user_id: uuid.UUID) -> Decision:
    return _self_or_admin(actor, user_id)


@policy
def token_list(actor: Actor, *, user_id: uuid.UUID) -> Decision:
    return _self_or_admin(actor, user_id)


@policy
def app_create(actor: Actor, *, owner_user_id: uuid.UUID) -> Decision:
    if actor.is_public:
        return login_required()
    return _self_or_admin(actor, owner_user_id)


@policy
def app_revoke(actor: Actor, *, owner_user_id: uuid.UUID) -> Decision:
    return _self_or_admin(actor, owner_user_id)


@policy
def app_list(actor: Actor, *, owner_user_id: uuid.UUID) -> Decision:
    return _self_or_admin(actor, owner_user_id)
