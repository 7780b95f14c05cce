"""A small open-data catalog for the portal's tests (plain helpers, not fixtures).

- ``stats``: 宽带用户统计, 无条件开放, records of 14 cities × 3 months;
- ``air``: 空气质量监测, 有条件开放 (apply, agree, the provider approves), records;
- ``closed``: 企业纳税信息, 不予开放 but 无条件共享 (government users see it), records;
- ``draft``: an open resource never published.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.catalog_fixtures import open_statistics, unit_id
from tests.helpers import actor_of, make_user

from xiangshu.actions.catalog import resource_create
from xiangshu.actions.catalog_review import resource_publish, resource_submit
from xiangshu.actions.lake_loads import records_ingest
from xiangshu.bootstrap import Node
from xiangshu.domain.access import OpenType, ShareType
from xiangshu.domain.catalog.metadata import Extension
from xiangshu.domain.data_items import DataItem, DataItemType
from xiangshu.domain.roles import SYSTEM, Actor, Role

CITIES = (
    ("430100", "长沙市"), ("430200", "株洲市"), ("430300", "湘潭市"), ("430400", "衡阳市"),
    ("430500", "邵阳市"), ("430600", "岳阳市"), ("430700", "常德市"), ("430800", "张家界市"),
    ("430900", "益阳市"), ("431000", "郴州市"), ("431100", "永州市"), ("431200", "怀化市"),
    ("431300", "娄底市"), ("433100", "湘西土家族苗族自治州"),
)  # fmt: skip
PERIODS = ("2026-08", "2026-09", "2026-10")

BROADBAND_ITEMS = (
    DataItem("统计年月", "period", DataItemType.CHAR, 7, required=True, is_key=True,
             description="统计的年份和月份"),
    DataItem("行政区划代码", "division_code", DataItemType.CHAR, 6, required=True, is_key=True,
             description="市州的行政区划代码"),
    DataItem("市州", "city", DataItemType.CHAR, 20, description="市州名称"),
    DataItem("宽带用户数", "broadband_users", DataItemType.INTEGER, description="固定宽带用户数"),
)  # fmt: skip
AIR_ITEMS = (
    DataItem("监测日期", "day", DataItemType.DATE, required=True, is_key=True),
    DataItem("站点编码", "site", DataItemType.CHAR, 10, required=True, is_key=True),
    DataItem("空气质量指数", "aqi", DataItemType.INTEGER),
)
TAX_ITEMS = (
    DataItem("统一社会信用代码", "credit_code", DataItemType.CHAR, 18, required=True, is_key=True),
    DataItem("纳税额", "tax", DataItemType.NUMERIC, 14, scale=2),
)


@dataclass
class PortalCatalog:
    stats: str  # codes
    air: str
    closed: str
    draft: str
    stats_id: str
    air_id: str
    closed_id: str


def _publish(node: Node, meta: object) -> tuple[str, str]:
    run = node.dispatcher.run
    made = run(resource_create, SYSTEM, meta)
    run(resource_submit, SYSTEM, made.code)
    run(resource_publish, SYSTEM, made.code)
    return made.code, str(made.id)


def _load(node: Node, code: str, path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.write_text(
        "\n".join([",".join(header)] + [",".join(r) for r in rows]) + "\n", encoding="utf-8"
    )
    node.dispatcher.run(records_ingest, SYSTEM, code, path)


def broadband_rows() -> list[list[str]]:
    return [
        [period, code, name, str(100_000 + index * 1000 + month)]
        for month, period in enumerate(PERIODS)
        for index, (code, name) in enumerate(CITIES)
    ]


def portal_catalog(node: Node, tmp_path: Path) -> PortalCatalog:
    stats_code, stats_id = _publish(
        node,
        open_statistics(
            node,
            items=BROADBAND_ITEMS,
            provider_division="信息通信发展处",
            abstract="按市州统计的固定宽带和光纤接入用户数，每月更新，反映全省信息基础设施发展水平。",
            extension=Extension(keywords=("宽带", "通信")),
        ),
    )
    air_code, air_id = _publish(
        node,
        open_statistics(
            node,
            name="空气质量监测站点日数据",
            class_code="211001",
            provider_unit_id=unit_id(node, "省生态环境厅"),
            abstract="全省国控空气质量监测站点的每日空气质量指数。",
            items=AIR_ITEMS,
            open_type=OpenType.CONDITIONAL,
            open_condition="经实名注册、申请并签署数据利用协议后开放",
        ),
    )
    closed_code, closed_id = _publish(
        node,
        open_statistics(
            node,
            name="企业纳税信息",
            class_code="323004",
            provider_unit_id=unit_id(node, "省税务局"),
            abstract="企业纳税申报和缴纳税额。",
            items=TAX_ITEMS,
            open_type=OpenType.NOT_OPEN,
            share_type=ShareType.UNCONDITIONAL,
        ),
    )
    draft = node.dispatcher.run(
        resource_create,
        SYSTEM,
        open_statistics(node, name="移动通信基站统计（草稿）", items=BROADBAND_ITEMS),
    ).code
    header = [i.field for i in BROADBAND_ITEMS]
    _load(node, stats_code, tmp_path / "broadband.csv", header, broadband_rows())
    _load(
        node,
        air_code,
        tmp_path / "air.csv",
        ["day", "site", "aqi"],
        [
            [f"2026-10-{d:02d}", f"S{s:03d}", str(40 + d + s)]
            for d in range(1, 11)
            for s in range(3)
        ],
    )
    _load(
        node,
        closed_code,
        tmp_path / "tax.csv",
        ["credit_code", "tax"],
        [["91430100MA4L0000" + f"{n:02d}", f"{1000 + n}.50"] for n in range(5)],
    )
    return PortalCatalog(stats_code, air_code, closed_code, draft, stats_id, air_id, closed_id)


def developer(node: Node, name: str = "dev.one") -> Actor:
    return actor_of(make_user(node, name, None, Role.DEVELOPER))


def steward_of(node: Node, unit: str, name: str) -> Actor:
    return actor_of(make_user(node, name, unit, Role.DATA_STEWARD))


def government(node: Node, name: str = "gov.user", unit: str = "省人力资源社会保障厅") -> Actor:
    return actor_of(make_user(node, name, unit, Role.UNIT_USER))
