"""Conditional open data end to end, contributions, developers, SQL over open data, and
the shared counters (usage, rate windows) — on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from pydantic import SecretStr
from tests.helpers import PASSWORD, count, events
from tests.portal_fixtures import (
    PortalCatalog,
    developer,
    government,
    portal_catalog,
    steward_of,
)

from xiangshu.actions.identity import app_create, session_create
from xiangshu.actions.portal_access import (
    developer_register,
    open_application_decide,
    open_application_list,
    open_application_submit,
)
from xiangshu.actions.portal_contrib import (
    data_request_answer,
    data_request_submit,
    public_error_report_answer,
    public_error_report_list,
    public_error_report_submit,
    reuse_list,
    reuse_review,
    reuse_submit,
)
from xiangshu.actions.portal_datasets import open_dataset_show
from xiangshu.actions.portal_records import open_records_search, open_records_sql
from xiangshu.actions.portal_stats import portal_score, usage_stats
from xiangshu.bootstrap import Node
from xiangshu.clock import FixedClock
from xiangshu.domain.portal.ckan_params import DatastoreQuery
from xiangshu.domain.roles import PUBLIC, SYSTEM, Actor, ActorKind, Role
from xiangshu.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from xiangshu.schemas.identity import AppCreate
from xiangshu.schemas.portal import (
    DataRequestAnswer,
    DataRequestCreate,
    Decision,
    DeveloperRegister,
    ErrorReportAnswer,
    ErrorReportCreate,
    OpenApplicationCreate,
    ReuseCreate,
)
from xiangshu.storage.models.portal import RateWindowRow, UsageCountRow
from xiangshu.storage.portal.ratelimit import RateLimiter
from xiangshu.storage.portal.usage import UsageCounter

PURPOSE = "研究全省空气质量的季节变化，用于高校课程教学。"


@pytest.fixture
def catalog(node: Node, tmp_path: Path) -> PortalCatalog:
    return portal_catalog(node, tmp_path)


def test_apply_agree_approve_then_read_in_person_and_through_an_app(
    node: Node, catalog: PortalCatalog, clock: FixedClock
) -> None:
    run = node.dispatcher.run
    dev = developer(node)
    query = DatastoreQuery(resource_id=catalog.air, limit=5)
    with pytest.raises(PermissionDenied, match="有条件"):
        run(open_records_search, dev, query)
    with pytest.raises(InvalidInput, match="agreement"):
        run(
            open_application_submit,
            dev,
            catalog.air,
            OpenApplicationCreate(purpose=PURPOSE, agree=False),
        )
    with pytest.raises(PermissionDenied, match="open to all"):
        run(
            open_application_submit,
            dev,
            catalog.stats,
            OpenApplicationCreate(purpose=PURPOSE, agree=True),
        )
    application = run(
        open_application_submit,
        dev,
        catalog.air,
        OpenApplicationCreate(purpose=PURPOSE, agree=True),
    )
    assert application.status == "pending" and application.fields == ["day", "site", "aqi"]
    with pytest.raises(Conflict):
        run(
            open_application_submit,
            dev,
            catalog.air,
            OpenApplicationCreate(purpose=PURPOSE, agree=True),
        )
    other_steward = steward_of(node, "省通信管理局", "txj.steward")
    with pytest.raises(PermissionDenied, match="provider"):
        run(open_application_decide, other_steward, application.id, Decision(approve=True))
    provider = steward_of(node, "省生态环境厅", "sthjt.steward")
    queue = run(open_application_list, provider, unit_id=provider.unit_id)
    assert [a.id for a in queue] == [application.id]
    decided = run(open_application_decide, provider, application.id, Decision(approve=True))
    assert decided.status == "approved" and decided.valid_until is not None

    page = run(open_records_search, dev, query)
    assert len(page.rows) == 5
    app = run(app_create, dev, dev.user_id, AppCreate(name="空气质量研究"))
    as_app = Actor(
        kind=ActorKind.APP, name=app.name, app_id=app.id, roles=frozenset({Role.DEVELOPER})
    )
    assert len(run(open_records_search, as_app, query).rows) == 5
    grant_ids = [e.details for e in events(node, "portal:records:query")]
    assert str(application.id) in grant_ids[-1]

    clock.advance(days=node.settings.portal_application_days + 1)
    with pytest.raises(PermissionDenied):
        run(open_records_search, dev, query)


def test_a_refusal_gives_reasons(node: Node, catalog: PortalCatalog) -> None:
    run = node.dispatcher.run
    dev = developer(node)
    application = run(
        open_application_submit,
        dev,
        catalog.air,
        OpenApplicationCreate(purpose=PURPOSE, agree=True),
    )
    provider = steward_of(node, "省生态环境厅", "sthjt.steward")
    with pytest.raises(InvalidInput, match="reasons"):
        run(open_application_decide, provider, application.id, Decision(approve=False))
    refused = run(
        open_application_decide,
        provider,
        application.id,
        Decision(approve=False, note="用途不明确"),
    )
    assert refused.status == "rejected"
    with pytest.raises(PermissionDenied):
        run(open_records_search, dev, DatastoreQuery(resource_id=catalog.air))
    page = run(open_dataset_show, dev, catalog.air)
    assert page.application is not None and page.application.decision_note == "用途不明确"


def test_sql_reads_open_tables_only_and_refuses_the_rest(
    node: Node, catalog: PortalCatalog
) -> None:
    run = node.dispatcher.run
    _fields, rows, truncated = run(
        open_records_sql,
        PUBLIC,
        f'SELECT period, SUM(broadband_users) AS users FROM "{catalog.stats_id}" '
        "GROUP BY period ORDER BY period",
    )
    assert [r[0] for r in rows] == ["2026-08", "2026-09", "2026-10"] and not truncated
    assert rows[0][1] == sum(100_000 + i * 1000 for i in range(14))
    gov = government(node)
    with pytest.raises(NotFound):  # a closed table joined in: refused whole, nothing read
        run(
            open_records_sql,
            gov,
            f'SELECT s.period FROM "{catalog.stats_id}" s JOIN "{catalog.closed_id}" t ON 1 = 1',
        )
    with pytest.raises(NotAuthenticated):  # conditional without an approved application
        run(open_records_sql, PUBLIC, f'SELECT aqi FROM "{catalog.air_id}"')
    for bad in (
        f'DELETE FROM "{catalog.stats_id}"',
        f'SELECT 1 FROM "{catalog.stats_id}"; DROP TABLE unit',
        "SELECT pg_sleep(5)",
        f'SELECT nope FROM "{catalog.stats_id}"',
        "SELECT * FROM sqlite_master",
        "SELECT * FROM information_schema.tables",
    ):
        with pytest.raises((InvalidInput, NotFound)):
            run(open_records_sql, PUBLIC, bad)
    assert events(node, "portal:records:sql")[0].outcome == "ok"


def test_sql_runs_as_the_read_only_role_once_it_is_set_up(
    node: Node, catalog: PortalCatalog
) -> None:
    from xiangshu.actions.lake_loads import serving_reader_grant

    if node.store.is_sqlite:
        pytest.skip("roles exist on PostgreSQL only; SQLite opens the file read-only")
    node.dispatcher.run(serving_reader_grant, SYSTEM, node.settings.portal_sql_role)
    _fields, rows, _ = node.dispatcher.run(
        open_records_sql, PUBLIC, f'SELECT COUNT(*) FROM "{catalog.stats_id}"'
    )
    assert rows == [(42,)] or rows == [[42]]


def test_sql_has_a_time_limit(node: Node, catalog: PortalCatalog) -> None:
    slow = (
        f'SELECT COUNT(*) FROM "{catalog.stats_id}" a, "{catalog.stats_id}" b, '
        f'"{catalog.stats_id}" c, "{catalog.stats_id}" d, "{catalog.stats_id}" e'
    )
    node.services.settings = node.settings.model_copy(update={"portal_sql_timeout_ms": 100})
    with pytest.raises(InvalidInput, match="too long"):
        node.dispatcher.run(open_records_sql, PUBLIC, slow)


def test_reuses_requests_and_reports_are_answered_by_the_right_people(
    node: Node, catalog: PortalCatalog
) -> None:
    run = node.dispatcher.run
    dev = developer(node)
    with pytest.raises(NotAuthenticated):
        run(
            reuse_submit,
            PUBLIC,
            ReuseCreate(
                title="宽带地图",
                description="各市州宽带用户的可视化。",
                url="https://example.org/map",
            ),
        )
    with pytest.raises(InvalidInput) as refused:
        run(
            reuse_submit,
            dev,
            ReuseCreate(
                title="宽带地图",
                description="各市州宽带用户的可视化。",
                url="ftp://x.org/aa",
                datasets=[catalog.closed],
            ),
        )
    assert {p.field for p in refused.value.problems} == {"url", "datasets[1]"}
    reuse = run(
        reuse_submit,
        dev,
        ReuseCreate(
            title="宽带地图",
            description="各市州宽带用户的可视化。",
            url="https://example.org/map",
            datasets=[catalog.stats],
        ),
    )
    assert run(reuse_list, PUBLIC) == []
    admin = government(node, "admin.one", "省数据局")
    with pytest.raises(PermissionDenied):
        run(reuse_review, admin, reuse.id, Decision(approve=True))
    run(reuse_review, SYSTEM, reuse.id, Decision(approve=True))
    shown = run(reuse_list, PUBLIC)
    assert [r.title for r in shown] == ["宽带地图"] and shown[0].datasets[0].name == "宽带用户统计"

    asked = run(
        data_request_submit,
        dev,
        DataRequestCreate(
            title="公交实时到站数据", description="希望开放公交车辆实时位置。", unit="省交通运输厅"
        ),
    )
    with pytest.raises(PermissionDenied):
        run(
            data_request_answer,
            steward_of(node, "省通信管理局", "txj.steward"),
            asked.id,
            DataRequestAnswer(status="planned", answer="已列入计划"),
        )
    answered = run(
        data_request_answer,
        steward_of(node, "省交通运输厅", "jtt.steward"),
        asked.id,
        DataRequestAnswer(status="planned", answer="已列入2027年开放计划"),
    )
    assert answered.status == "planned" and answered.answered_by == "jtt.steward"

    report = run(
        public_error_report_submit,
        dev,
        catalog.stats,
        ErrorReportCreate(description="长沙市 2026-09 用户数偏低", field="broadband_users"),
    )
    with pytest.raises(NotFound):
        run(
            public_error_report_submit,
            dev,
            catalog.closed,
            ErrorReportCreate(description="这个数据集不应可见"),
        )
    assert [r.status for r in run(public_error_report_list, PUBLIC)] == ["open"]
    with pytest.raises(PermissionDenied):
        run(
            public_error_report_answer,
            dev,
            report.id,
            ErrorReportAnswer(status="fixed", answer="x" * 3),
        )
    provider = steward_of(node, "省通信管理局", "txj.steward2")
    run(
        public_error_report_answer,
        provider,
        report.id,
        ErrorReportAnswer(status="fixed", answer="已核实更正"),
    )
    assert run(public_error_report_list, PUBLIC, status="fixed")[0].answer == "已核实更正"
    score = run(portal_score, PUBLIC)
    assert score.by_dimension["Platform"] is not None and 0 < score.overall <= 1


def test_a_developer_registers_once_and_signs_in(node: Node) -> None:
    run = node.dispatcher.run
    data = DeveloperRegister(
        username="maker", display_name="开发者", email="m@example.org", password=SecretStr(PASSWORD)
    )
    user = run(developer_register, PUBLIC, data)
    assert user.roles == [Role.DEVELOPER] and user.unit_id is None
    with pytest.raises(InvalidInput, match="taken"):
        run(developer_register, PUBLIC, data)
    weak = data.model_copy(update={"username": "maker2", "password": SecretStr("short")})
    with pytest.raises(InvalidInput) as raised:
        run(developer_register, PUBLIC, weak)
    assert raised.value.problems[0].field == "password"
    assert run(session_create, PUBLIC, "maker", PASSWORD).ok
    with pytest.raises(PermissionDenied):
        run(
            developer_register,
            developer(node, "already"),
            data.model_copy(update={"username": "x3x"}),
        )


def test_usage_is_counted_in_memory_and_added_up_by_flushes(
    node: Node, catalog: PortalCatalog, clock: FixedClock
) -> None:
    resource = uuid.UUID(catalog.stats_id)
    first = UsageCounter(node.store, flush_seconds=3600)
    second = UsageCounter(node.store, flush_seconds=3600)  # another web worker
    for _ in range(5):
        first.count(resource, "view", clock.now())
    second.count(resource, "view", clock.now(), 2)
    second.count(resource, "download", clock.now())
    assert count(node, UsageCountRow) == 0  # nothing written per view
    assert first.flush() == 1 and second.flush() == 2
    first.count(resource, "view", clock.now())
    first.flush()
    totals = node.dispatcher.run(usage_stats, PUBLIC)
    assert (totals.totals.views, totals.totals.downloads) == (8, 1)
    assert totals.by_dataset[0].name == "宽带用户统计"


def test_rate_windows_are_shared_by_workers_and_say_when_to_retry(node: Node) -> None:
    workers = [RateLimiter(node.store) for _ in range(3)]
    now = 1_800_000_010.0
    results = []
    lock = threading.Lock()

    def hit(limiter: RateLimiter) -> None:
        for _ in range(4):
            found = limiter.hit("ip:10.0.0.1", 10, now)
            with lock:
                results.append(found)

    # two threads per worker: a worker's concurrent counts share a transaction
    threads = [threading.Thread(target=hit, args=(w,)) for w in workers for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    allowed = [r for r in results if r.allowed]
    refused = [r for r in results if not r.allowed]
    assert len(allowed) == 10 and len(refused) == 14
    assert sorted(r.remaining for r in allowed) == list(range(10))  # each count seen once
    assert all(r.retry_after == 50 for r in refused)
    assert workers[0].hit("ip:10.0.0.1", 10, now + 60).allowed  # the next minute
    assert workers[0].hit("ip:10.0.0.2", 10, now).allowed  # another client
    assert count(node, RateWindowRow) <= 3
