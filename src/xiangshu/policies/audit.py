"""Policies for the audit log.

Separation of duties (三员分立): auditors read the log; platform administrators
do not, so that the people whose actions are logged cannot browse or export it.
"""

from __future__ import annotations

from xiangshu.domain.roles import Actor, Role
from xiangshu.policies.registry import Decision, allow, deny, login_required, policy


def _auditor(actor: Actor) -> Decision:
    if actor.is_system:
        return allow("the node's own operator (CLI)")
    if actor.is_public:
        return login_required()
    if actor.has(Role.AUDITOR):
        return allow("auditor")
    return deny("only an auditor (审计员) may read the audit log")


@policy
def audit_list(actor: Actor) -> Decision:
    return _auditor(actor)


@policy
def audit_export(actor: Actor) -> Decision:
    return _auditor(actor)


@policy
def audit_verify(actor: Actor) -> Decision:
    return _auditor(actor)
