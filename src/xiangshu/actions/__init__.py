"""Use cases. Importing this package registers every action (and checks its policy)."""

import xiangshu.actions.catalog
import xiangshu.actions.catalog_io
import xiangshu.actions.catalog_review
import xiangshu.actions.catalog_search
import xiangshu.actions.lake_loads
import xiangshu.actions.lake_reads
import xiangshu.actions.plan
import xiangshu.actions.plan_attachments
import xiangshu.actions.plan_data
import xiangshu.actions.plan_progress
import xiangshu.actions.portal_access
import xiangshu.actions.portal_contrib
import xiangshu.actions.portal_datasets
import xiangshu.actions.portal_records
import xiangshu.actions.portal_stats
import xiangshu.actions.sharing  # noqa: F401  (registers the sharing actions)
from xiangshu.actions import audit, identity, org  # noqa: F401  (registration)
from xiangshu.actions.dispatch import Dispatcher
from xiangshu.actions.registry import ACTIONS, action

__all__ = ["ACTIONS", "Dispatcher", "action"]
