"""Sharing and exchange (S03): importing this module registers every sharing action."""

from xiangshu.actions import (  # noqa: F401  (registration)
    keys,
    sharing_errors,
    sharing_exchange,
    sharing_files,
    sharing_grants,
    sharing_queues,
    sharing_requests,
    sharing_stats,
    sharing_subscriptions,
)
