"""Small predicates the policies share."""

from __future__ import annotations

from xiangshu.domain.roles import Actor, Role
from xiangshu.policies.registry import Decision, allow, deny, login_required


def system_or_admin(actor: Actor) -> Decision:
    if actor.is_system:
        return allow("the node's own operator (CLI)")
    if actor.is_public:
        return login_required()
    if actor.has(Role.PLATFORM_ADMIN):
        return allow("platform administrator")
    return deny("only a platform administrator may do this")


def anyone(_actor: Actor) -> Decision:
    return allow("public information")


def signed_in(actor: Actor) -> Decision:
    if actor.is_public:
        return login_required()
    return allow("signed in")
