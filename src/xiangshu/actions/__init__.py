"""Use cases. Importing this package registers every action (and checks its policy)."""

from xiangshu.actions import audit, catalog, catalog_review, identity, org  # noqa: F401
from xiangshu.actions.dispatch import Dispatcher
from xiangshu.actions.registry import ACTIONS, action

__all__ = ["ACTIONS", "Dispatcher", "action"]
