"""Resources, readers and files the lake tests share."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

from tests.helpers import actor_of, make_user

from xiangshu.actions.org import unit_show
from xiangshu.actions.static_resources import StaticResources
from xiangshu.bootstrap import Node
from xiangshu.domain.access import OpenType, ResourceFacts, ResourceStatus, ShareType
from xiangshu.domain.data_items import DataItem, DataItemType, Sensitivity, ValueCheck
from xiangshu.domain.identifiers import make_id_number
from xiangshu.domain.roles import SYSTEM, Actor, Role

PROVIDER = "省公安厅"
READER = "省人力资源社会保障厅"

PEOPLE_ITEMS = (
    DataItem(
        "公民身份号码",
        "id_number",
        DataItemType.CHAR,
        18,
        required=True,
        is_key=True,
        sensitivity=Sensitivity.ID_NUMBER,
        check=ValueCheck.ID_NUMBER,
    ),
    DataItem("姓名", "name", DataItemType.CHAR, 30, required=True, sensitivity=Sensitivity.NAME),
    DataItem("性别", "sex", DataItemType.CHAR, 1, enumeration=("1", "2")),
    DataItem("出生日期", "birth_date", DataItemType.DATE),
    DataItem(
        "手机号码",
        "mobile",
        DataItemType.CHAR,
        11,
        pattern=r"1[3-9][0-9]{9}",
        sensitivity=Sensitivity.MOBILE,
    ),
    DataItem("户籍地行政区划", "division", DataItemType.CHAR, 6, check=ValueCheck.DIVISION_CODE),
    DataItem("月收入", "income", DataItemType.NUMERIC, 12, scale=2),
)


def people_facts(
    node: Node,
    *,
    share: ShareType = ShareType.UNCONDITIONAL,
    open_type: OpenType = OpenType.NOT_OPEN,
    items: tuple[DataItem, ...] = PEOPLE_ITEMS,
) -> ResourceFacts:
    provider = node.dispatcher.run(unit_show, SYSTEM, PROVIDER)
    return ResourceFacts(
        resource_id=uuid.uuid4(),
        code="10100101/000001",
        name="人口基础信息",
        provider_unit_id=provider.id,
        share_type=share,
        open_type=open_type,
        status=ResourceStatus.PUBLISHED,
        items=items,
    )


def register(node: Node, facts: ResourceFacts) -> ResourceFacts:
    directory = node.services.resources
    if not isinstance(directory, StaticResources):
        directory = StaticResources()
        node.services.resources = directory
    directory.add(facts)
    return facts


def reshare(node: Node, facts: ResourceFacts, **changes: object) -> ResourceFacts:
    return register(node, replace(facts, **changes))  # type: ignore[arg-type]


def steward(node: Node, unit: str = PROVIDER, name: str = "steward") -> Actor:
    return actor_of(make_user(node, name, unit, Role.DATA_STEWARD))


def reader(node: Node, unit: str = READER, name: str = "reader") -> Actor:
    return actor_of(make_user(node, name, unit, Role.UNIT_USER))


def person(number: int, *, division: str = "430102") -> list[str]:
    from datetime import date

    born = date(1970 + number % 40, 1 + number % 12, 1 + number % 28)
    id_number = make_id_number(division, born, number % 1000)
    sex = "1" if int(id_number[16]) % 2 else "2"
    return [
        id_number,
        f"张{'三四五六七八九'[number % 7]}{'明华'[number % 2]}",
        sex,
        born.isoformat(),
        f"138{number:08d}",
        division,
        f"{1000 + number}.50",
    ]


HEADER = ["id_number", "name", "sex", "birth_date", "mobile", "division", "income"]


def write_csv(
    path: Path,
    rows: list[list[str]],
    *,
    encoding: str = "utf-8",
    header: list[str] | None = None,
    line_end: str = "\n",
) -> Path:
    lines = [",".join(header or HEADER)] + [",".join(r) for r in rows]
    path.write_bytes((line_end.join(lines) + line_end).encode(encoding))
    return path
