"""The statistics an authority reads: calls, downloads, on-time answers, refusals,
error reports and freshness — from what really happened."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from tests.catalog_fixtures import card_resource
from tests.sharing_fixtures import application, card, cast, people_ids, publish

from xiangshu.actions.lake_reads import records_query
from xiangshu.actions.sharing_errors import error_report_create
from xiangshu.actions.sharing_exchange import record_verify
from xiangshu.actions.sharing_requests import request_create, request_decide
from xiangshu.actions.sharing_stats import exchange_records, exchange_stats
from xiangshu.bootstrap import Node
from xiangshu.clock import FixedClock
from xiangshu.domain.lake.query import QuerySpec
from xiangshu.domain.roles import PUBLIC
from xiangshu.domain.sharing.requests import Verdict
from xiangshu.errors import NotAuthenticated, PermissionDenied
from xiangshu.schemas.sharing import DecisionIn, ErrorReportCreate


def test_statistics_count_what_happened(node: Node, tmp_path: Path, clock: FixedClock) -> None:
    run = node.dispatcher.run
    c = cast(node)
    ids = people_ids()
    resource = card(node, c, tmp_path, ids=ids)
    second = publish(node, c, dataclasses.replace(card_resource(node), name="社会保障卡补换信息"))
    on_time = run(request_create, c.clerk, application(resource))
    run(request_decide, c.steward, on_time.id, DecisionIn(verdict=Verdict.APPROVE))
    refused = run(request_create, c.other, application(resource))
    clock.advance(days=20)
    run(
        request_decide,
        c.steward,
        refused.id,
        DecisionIn(verdict=Verdict.REFUSE, reason="申请用途与本资源无关"),
    )
    run(records_query, c.clerk, resource.code, QuerySpec(limit=3))
    run(record_verify, c.clerk, resource.code, {"id_number": ids[0], "name": "王一明"})
    with pytest.raises(PermissionDenied):
        run(records_query, c.other, resource.code, QuerySpec())
    run(
        error_report_create,
        c.clerk,
        ErrorReportCreate(
            resource=resource.code,
            row_key=ids[1],
            field="card_status",
            claimed_value="注销",
            evidence="注销登记表",
        ),
    )

    stats = run(exchange_stats, c.authority, days=60)
    assert (stats.calls, stats.downloads, stats.rows, stats.refused) == (2, 0, 3, 1)
    usage = {u.code: u for u in stats.by_resource}[resource.code]
    assert (usage.calls, usage.units, usage.refused) == (2, 1, 1)
    rst = next(a for a in stats.answers if a.unit_id == c.steward.unit_id)
    assert (rst.answered, rst.on_time, rst.late, rst.on_time_rate) == (2, 1, 1, 0.5)
    assert [r.reason for r in stats.refusals] == ["申请用途与本资源无关"]
    quality = {q.code: q for q in stats.quality}
    assert quality[resource.code].open_reports == 1
    assert quality[resource.code].fresh is False  # 每日 resource, last loaded 20 days ago
    assert second.code not in quality  # catalogued, nothing loaded, no reports
    assert stats.reports_open == 1

    own = run(exchange_records, c.clerk, unit_id=c.clerk.unit_id)
    assert {r.kind for r in own} == {"query", "verify"}
    with pytest.raises(PermissionDenied):
        run(exchange_records, c.clerk, unit_id=c.steward.unit_id)
    with pytest.raises(NotAuthenticated):
        run(exchange_stats, PUBLIC)
