"""Policies for the node, divisions and units."""

from __future__ import annotations

import uuid

from xiangshu.domain.roles import Actor, Role
from xiangshu.policies.common import anyone, system_or_admin
from xiangshu.policies.registry import Decision, allow, deny, policy


@policy
def node_init(actor: Actor) -> Decision:
    return (
        allow("set-up from the node's console")
        if actor.is_system
        else deny("a node is initialised from its console (xiangshu init)")
    )


@policy
def node_show(actor: Actor) -> Decision:
    return anyone(actor)


@policy
def divisions_load(actor: Actor) -> Decision:
    return system_or_admin(actor)


@policy
def division_list(actor: Actor) -> Decision:
    return anyone(actor)


@policy
def unit_create(actor: Actor) -> Decision:
    return system_or_admin(actor)


@policy
def unit_import(actor: Actor) -> Decision:
    return system_or_admin(actor)


@policy
def unit_update(actor: Actor, *, unit_id: uuid.UUID) -> Decision:
    if actor.has(Role.DATA_STEWARD) and actor.acts_for(unit_id):
        return allow("data steward of this unit")
    return system_or_admin(actor)


@policy
def unit_list(actor: Actor) -> Decision:
    return anyone(actor)


@policy
def unit_show(actor: Actor) -> Decision:
    return anyone(actor)


@policy
def division_tree(actor: Actor) -> Decision:
    return anyone(actor)
