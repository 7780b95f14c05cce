"""Use cases. Importing this package registers every action (and checks its policy)."""

from xiangshu.actions import audit, identity, org, plan, plan_data, plan_progress  # noqa: F401
from xiangshu.actions.dispatch import Dispatcher
from xiangshu.actions.registry import ACTIONS, action

__all__ = ["ACTIONS", "Dispatcher", "action"]
