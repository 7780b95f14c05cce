"""Policies: one pure function per action, of the same name, deciding on the actor
and the facts the action hands over. Deny by default: a policy allows only on an
explicit condition; an action finishing without consulting its policy fails."""

from xiangshu.policies.registry import POLICIES, Decision, allow, deny, policy

__all__ = ["POLICIES", "Decision", "allow", "deny", "policy"]

# Registration: every policy module is imported here, before any action is declared.
import xiangshu.policies.catalog
import xiangshu.policies.lake
import xiangshu.policies.plan
import xiangshu.policies.portal
import xiangshu.policies.sharing  # noqa: F401
from xiangshu.policies import audit, identity, org  # noqa: F401
