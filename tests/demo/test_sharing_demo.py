"""The demo's month of sharing ends with requests in every state and real statistics."""

from __future__ import annotations

from xiangshu.actions.sharing_queues import request_list
from xiangshu.actions.sharing_stats import exchange_stats
from xiangshu.actions.sharing_subscriptions import notification_feed, subscription_list
from xiangshu.bootstrap import Node
from xiangshu.demo.catalog import create_demo_catalog
from xiangshu.demo.lake import load_demo_lake
from xiangshu.demo.people import create_demo_accounts
from xiangshu.demo.sharing import load_demo_sharing
from xiangshu.domain.roles import SYSTEM
from xiangshu.domain.sharing.requests import RequestStatus


def test_the_demo_replays_a_month_of_sharing(sqlite_node: Node) -> None:
    node = sqlite_node
    create_demo_accounts(node)
    create_demo_catalog(node)
    load_demo_lake(node, people_rows=300, other_rows=50)
    note = load_demo_sharing(node)
    assert "Demo sharing" in note
    states = {r.status for r in node.dispatcher.run(request_list, SYSTEM, "all").requests}
    assert states == {
        RequestStatus.APPROVED,
        RequestStatus.PARTIALLY_APPROVED,
        RequestStatus.REFUSED,
        RequestStatus.ESCALATED,
        RequestStatus.SUBMITTED,
        RequestStatus.WITHDRAWN,
    }
    stats = node.dispatcher.run(exchange_stats, SYSTEM)
    assert stats.calls > 10 and stats.refused >= 1 and stats.reports_open == 2
    assert stats.on_time_rate is not None and stats.refusals
    hooks = [
        s for s in node.dispatcher.run(subscription_list, SYSTEM, everyone=True) if s.callback_url
    ]
    assert hooks and hooks[0].dead == 1
    dead = node.dispatcher.run(notification_feed, SYSTEM, hooks[0].id, status="dead")
    assert dead[0].attempts == 6
    assert load_demo_sharing(node) == "Demo sharing: already there."
