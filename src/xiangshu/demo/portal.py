"""The open-data portal's demo content (合成数据, labelled as such).

- records for the province's open datasets that have none yet: statistics by city
  and year (统计年度 × 行政区划代码) get plausible series — ten years, the 14 cities,
  each city a steady share growing a few per cent a year — so the charts mean
  something; other open datasets get rows made from their own data items;
- a developer account (``developer``) with an app, an application for a 有条件开放
  dataset waiting for its provider (``fgw.steward``), reuses, data requests and error
  reports, some answered; two weeks of views, downloads and API calls.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from pydantic import SecretStr

from xiangshu.actions.identity import app_create
from xiangshu.actions.lake_loads import records_ingest
from xiangshu.actions.portal_access import developer_register, open_application_submit
from xiangshu.actions.portal_contrib import (
    data_request_answer,
    data_request_submit,
    public_error_report_answer,
    public_error_report_submit,
    reuse_review,
    reuse_submit,
)
from xiangshu.bootstrap import Node
from xiangshu.demo.people import DEMO_PASSWORD
from xiangshu.demo.synthetic_records import RecordMaker
from xiangshu.domain.access import ResourceFacts
from xiangshu.domain.data_items import DataItem, DataItemType
from xiangshu.domain.roles import PUBLIC, SYSTEM, Actor, ActorKind, Role
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
from xiangshu.storage.identity import roles_of, user_by_name
from xiangshu.storage.lake.bookkeeping import current_version
from xiangshu.storage.models import UnitRow
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.models.portal import ReuseRow
from xiangshu.storage.portal.usage import UsageCounter

CITIES = (
    ("430100", "长沙市", 1.00), ("430200", "株洲市", 0.33), ("430300", "湘潭市", 0.25),
    ("430400", "衡阳市", 0.38), ("430500", "邵阳市", 0.27), ("430600", "岳阳市", 0.45),
    ("430700", "常德市", 0.38), ("430800", "张家界市", 0.06), ("430900", "益阳市", 0.19),
    ("431000", "郴州市", 0.29), ("431100", "永州市", 0.22), ("431200", "怀化市", 0.18),
    ("431300", "娄底市", 0.17), ("433100", "湘西土家族苗族自治州", 0.07),
)  # fmt: skip
YEARS = range(2016, 2026)
OTHER_ROWS = 300
RATES = frozenset({"growth", "rate", "coverage"})
NUMERIC = (DataItemType.NUMERIC, DataItemType.CURRENCY, DataItemType.INTEGER)


def _is_series(items: Sequence[DataItem]) -> bool:
    keys = [i.field for i in items if i.is_key]
    return keys == ["year", "division_code"]


def _value(item: DataItem, weight: float, year: int, rng: random.Random) -> str:
    scale = (
        item.scale if item.scale is not None else (0 if item.type is DataItemType.INTEGER else 2)
    )
    whole = (item.length or 16) - scale
    if whole <= 3 or item.field in RATES:  # a rate or a share (覆盖率, 增速): no quantity
        share = "rate" in item.field or "coverage" in item.field
        value = 60 + 35 * rng.random() if share else 4 + 5 * rng.random()
    else:
        base = 10 ** min(whole - 2, 5) * (1 + (sum(map(ord, item.field)) % 7))
        value = base * weight * 1.06 ** (year - YEARS[0]) * (0.95 + 0.1 * rng.random())
    return str(round(value)) if scale == 0 else f"{value:.{scale}f}"


def series_rows(items: Sequence[DataItem], seed: int = 2026) -> list[list[str]]:
    rng = random.Random(seed)  # noqa: S311 - synthetic demo values
    rows = []
    for year in YEARS:
        for code, name, weight in CITIES:
            values: dict[str, str] = {"year": str(year), "division_code": code}
            for item in items:
                if item.field in values:
                    continue
                if item.field == "division_name":
                    values[item.field] = name
                elif item.type in NUMERIC:
                    values[item.field] = _value(item, weight, year, rng)
                else:
                    values[item.field] = ""
            rows.append([values[i.field] for i in items])
    return rows


def _dated(items: Sequence[DataItem]) -> bool:
    """Keyed by a date or time (monitoring data): RecordMaker cannot make such keys."""
    return any(i.is_key and i.type in (DataItemType.DATE, DataItemType.DATETIME) for i in items)


def dated_rows(items: Sequence[DataItem], count: int, seed: int = 2026) -> list[list[str]]:
    """Daily (or hourly) readings of ten stations, sites or goods: keys unique by
    (day, station); values plausible for their types."""
    rng = random.Random(seed)  # noqa: S311 - synthetic demo values
    start = datetime(2026, 1, 1)
    rows = []
    for n in range(count):
        when = start + timedelta(days=n // 10)
        row = []
        for item in items:
            if item.type is DataItemType.DATE:
                row.append(when.date().isoformat())
            elif item.type is DataItemType.DATETIME:
                row.append(when.isoformat(sep=" "))
            elif item.is_key:
                row.append(f"{item.field[:2].upper()}{n % 10:03d}")
            elif item.type is DataItemType.INTEGER:
                row.append(str(rng.randrange(20, 200)))
            elif item.type in NUMERIC:
                scale = item.scale if item.scale is not None else 2
                row.append(f"{rng.uniform(1, 90):.{scale}f}")
            else:
                row.append(f"{item.name}（合成）{n % 7}"[: item.length or 50])
        rows.append(row)
    return rows


def _open_without_records(node: Node) -> list[ResourceFacts]:
    with node.store.transaction(write=False) as session:
        rows = session.execute(
            sa.select(ResourceRow)
            .join(UnitRow, UnitRow.id == ResourceRow.provider_unit_id)
            .where(
                ResourceRow.status == "published",
                ResourceRow.open_type.in_(("open", "conditional")),
                UnitRow.level == "province",
            )
            .order_by(ResourceRow.code)
        ).scalars()
        found = []
        for row in rows:
            if current_version(session, row.id) is not None:
                continue
            facts = node.services.resources.facts(session, str(row.id))
            if facts is not None and facts.items:
                found.append(facts)
        return found


def load_open_records(node: Node) -> list[str]:
    maker = RecordMaker(2027)
    folder = node.settings.data_dir / "synthetic"
    folder.mkdir(parents=True, exist_ok=True)
    loaded = []
    for facts in _open_without_records(node):
        if _is_series(facts.items):
            rows = series_rows(facts.items)
        elif _dated(facts.items):
            rows = dated_rows(facts.items, OTHER_ROWS)
        else:
            rows = list(maker.rows(facts.items, OTHER_ROWS))
        source = folder / f"open-{facts.code.replace('/', '-')}.csv"
        with source.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([i.field for i in facts.items])
            writer.writerows(rows)
        node.dispatcher.run(
            records_ingest, SYSTEM, facts.code, source, source_name=f"{facts.name}（合成数据）.csv"
        )
        source.unlink()
        loaded.append(facts.name)
    return loaded


def _actor(node: Node, username: str) -> Actor | None:
    with node.store.transaction(write=False) as session:
        row = user_by_name(session, username)
        if row is None:
            return None
        return Actor(
            kind=ActorKind.USER,
            name=row.username,
            user_id=row.id,
            unit_id=row.unit_id,
            roles=roles_of(session, row.id),
            origin="demo",
        )


def _code_of(
    node: Node, name: str | None = None, *, conditional_of: str | None = None
) -> str | None:
    """A published provincial dataset by name, or the first 有条件开放 one of a unit."""
    query = (
        sa.select(ResourceRow.code)
        .join(UnitRow, UnitRow.id == ResourceRow.provider_unit_id)
        .where(ResourceRow.status == "published", UnitRow.level == "province")
        .order_by(ResourceRow.code)
    )
    if name is not None:
        query = query.where(ResourceRow.name == name)
    if conditional_of is not None:
        query = query.where(
            UnitRow.short_name == conditional_of, ResourceRow.open_type == "conditional"
        )
    with node.store.transaction(write=False) as session:
        found = session.execute(query).first()
        return str(found[0]) if found else None


def _contributions(node: Node, developer: Actor) -> None:
    run = node.dispatcher.run
    codes = {
        name: _code_of(node, name)
        for name in (
            "地区生产总值统计",
            "宽带用户统计",
            "空气质量监测数据",
            "重要商品价格监测数据",
            "法定传染病报告统计",
            "A级旅游景区信息",
        )
    }
    reuses = (
        (
            "湖南经济地图",
            "按市州展示地区生产总值和增速的交互地图，数据每季度随开放平台更新。",
            "https://example.org/hunan-gdp",
            "visualization",
            ["地区生产总值统计"],
        ),
        (
            "宽带进村追踪",
            "对比各市州宽带和光纤用户增长，观察信息基础设施建设进度。",
            "https://example.org/broadband",
            "article",
            ["宽带用户统计"],
        ),
        (
            "湘游助手",
            "汇集 A 级旅游景区信息的出行小程序，支持按市州筛选景区。",
            "https://example.org/xiangyou",
            "application",
            ["A级旅游景区信息"],
        ),
        (
            "菜价早知道",
            "基于重要商品价格监测数据的价格走势提醒。",
            "https://example.org/prices",
            "application",
            ["重要商品价格监测数据"],
        ),
    )
    for index, (title, description, url, kind, names) in enumerate(reuses):
        used = [codes[n] for n in names if codes.get(n)]
        made = run(
            reuse_submit,
            developer,
            ReuseCreate(
                title=title,
                description=description,
                url=url,
                kind=kind,
                datasets=[c for c in used if c],
            ),
        )
        if index < 3:
            run(reuse_review, SYSTEM, made.id, Decision(approve=True))
    asked = run(
        data_request_submit,
        developer,
        DataRequestCreate(
            title="公交车辆实时位置",
            description="希望开放长沙市公交车辆实时位置和到站预测，用于出行应用。",
            unit="省交通运输厅",
        ),
    )
    run(
        data_request_answer,
        SYSTEM,
        asked.id,
        DataRequestAnswer(status="planned", answer="已列入2027年开放计划，先开放线路和站点信息。"),
    )
    run(
        data_request_submit,
        developer,
        DataRequestCreate(
            title="历年高考录取分数线",
            description="希望按年度、批次开放全省普通高校录取分数线。",
            unit="省教育厅",
        ),
    )
    if codes.get("重要商品价格监测数据"):
        steward = _actor(node, "fgw.steward")
        report = run(
            public_error_report_submit,
            developer,
            str(codes["重要商品价格监测数据"]),
            ErrorReportCreate(
                description="部分监测点的价格单位不一致（元/斤与元/公斤混用）。", field="price"
            ),
        )
        if steward is not None:
            run(
                public_error_report_answer,
                steward,
                report.id,
                ErrorReportAnswer(
                    status="confirmed", answer="已核实，将在下次更新中统一为元/公斤。"
                ),
            )
    if codes.get("宽带用户统计"):
        run(
            public_error_report_submit,
            developer,
            str(codes["宽带用户统计"]),
            ErrorReportCreate(
                description="张家界市2019年光纤用户数明显低于前后年份，请核实。", field="fibre"
            ),
        )
    conditional = _code_of(node, conditional_of="省发展改革委")
    if conditional:
        run(
            open_application_submit,
            developer,
            conditional,
            OpenApplicationCreate(
                purpose="高校公共卫生课程教学：分析全省法定传染病发病的季节规律。", agree=True
            ),
        )


def _usage(node: Node) -> None:
    """Two weeks of counted use (demo figures), as the web workers would have added them."""
    rng = random.Random(7)  # noqa: S311 - synthetic demo values
    counter = UsageCounter(node.store, flush_seconds=3600)
    now = node.services.clock.now()
    with node.store.transaction(write=False) as session:
        ids = list(
            session.execute(
                sa.select(ResourceRow.id).where(
                    ResourceRow.status == "published", ResourceRow.open_type == "open"
                )
            ).scalars()
        )
    for days in range(14):
        moment = now - timedelta(days=days)
        for resource_id in rng.sample(ids, min(len(ids), 25)):
            counter.count(resource_id, "view", moment, rng.randrange(3, 60))
            counter.count(resource_id, "download", moment, rng.randrange(0, 8))
            counter.count(resource_id, "api", moment, rng.randrange(0, 120))
    counter.flush()


def load_portal_demo(node: Node) -> str:
    """Records for open datasets, a developer, contributions and use; a note."""
    loaded = load_open_records(node)
    developer = _actor(node, "developer")
    if developer is None:
        node.dispatcher.run(
            developer_register,
            PUBLIC,
            DeveloperRegister(
                username="developer",
                display_name="开发者（演示）",
                email="developer@example.org",
                password=SecretStr(DEMO_PASSWORD),
            ),
        )
        developer = _actor(node, "developer")
        assert developer is not None
        assert Role.DEVELOPER in developer.roles
        assert developer.user_id is not None
        node.dispatcher.run(app_create, developer, developer.user_id, AppCreate(name="湘游助手"))
        with node.store.transaction(write=False) as session:
            fresh = (
                session.execute(sa.select(sa.func.count()).select_from(ReuseRow)).scalar_one() == 0
            )
        if fresh:
            _contributions(node, developer)
            _usage(node)
    return (
        f"Open-data portal: records for {len(loaded)} open datasets (synthetic); developer "
        "account `developer` with an app, reuses, data requests, error reports, an application "
        "waiting for fgw.steward, two weeks of use (demo figures)."
    )
