"""Sharing test data: a published conditional resource with records, and the people
around a request (plain helpers, not fixtures)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tests.catalog_fixtures import card_resource, open_statistics
from tests.helpers import actor_of, make_user

from xiangshu.actions.catalog import resource_create
from xiangshu.actions.catalog_review import resource_publish, resource_submit
from xiangshu.actions.lake_loads import records_ingest
from xiangshu.bootstrap import Node
from xiangshu.domain.access import ShareType
from xiangshu.domain.catalog.values import PlatformShareType
from xiangshu.domain.identifiers import make_id_number
from xiangshu.domain.roles import Actor, Role
from xiangshu.domain.sharing.requests import ExchangeMode, IntendedUse
from xiangshu.schemas.catalog import ResourcePublic
from xiangshu.schemas.sharing import RequestCreate

PROVIDER = "省人力资源社会保障厅"
REQUESTER = "省公安厅"
OTHER = "省教育厅"


@dataclass
class Cast:
    steward: Actor  # 省人力资源社会保障厅 data steward (provider)
    clerk: Actor  # 省公安厅 user (requester)
    other: Actor  # 省教育厅 user (nobody's party)
    authority: Actor  # 省数据局 共享主管部门
    admin: Actor  # 省数据局 平台管理员
    auditor: Actor


def cast(node: Node) -> Cast:
    return Cast(
        steward=actor_of(make_user(node, "rst.steward", PROVIDER, Role.DATA_STEWARD)),
        clerk=actor_of(make_user(node, "gat.clerk", REQUESTER, Role.UNIT_USER)),
        other=actor_of(make_user(node, "jyt.user", OTHER, Role.UNIT_USER)),
        authority=actor_of(
            make_user(node, "authority", "省数据局", Role.SHARING_AUTHORITY, Role.UNIT_USER)
        ),
        admin=actor_of(make_user(node, "admin1", "省数据局", Role.PLATFORM_ADMIN)),
        auditor=actor_of(make_user(node, "auditor1", "省数据局", Role.AUDITOR)),
    )


def people_ids(count: int = 5) -> list[str]:
    return [make_id_number("430102", date(1980, 1, 1) + timedelta(days=n), n) for n in range(count)]


def card_lines(ids: list[str], *, status: str = "正常") -> list[str]:
    lines = ["公民身份号码,姓名,社会保障卡号,发卡日期,卡状态"]
    lines += [
        f"{i},王{'一二三四五六七八九十'[n % 10]}明,KH{n:06d},2020-01-{1 + n % 28:02d},{status}"
        for n, i in enumerate(ids)
    ]
    return lines


def publish(node: Node, c: Cast, meta: Any) -> ResourcePublic:
    run = node.dispatcher.run
    draft = run(resource_create, c.steward, meta)
    run(resource_submit, c.steward, draft.code)
    run(resource_publish, c.admin, draft.code)
    return draft


def card(
    node: Node, c: Cast, tmp: Path, *, ids: list[str] | None = None, **changes: Any
) -> ResourcePublic:
    """社会保障卡持卡信息 (有条件共享, 接口 and 库表), published, with records loaded."""
    meta = card_resource(
        node,
        share_manner_types=(PlatformShareType.API, PlatformShareType.TABLE),
        **changes,
    )
    resource = publish(node, c, meta)
    load(node, c, resource, tmp, card_lines(ids or people_ids()))
    return resource


def load(
    node: Node,
    c: Cast,
    resource: ResourcePublic,
    tmp: Path,
    lines: list[str],
    mode: str = "replace",
) -> int:
    from xiangshu.domain.lake.loads import LoadMode

    source = tmp / f"load-{len(list(tmp.iterdir()))}.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = node.dispatcher.run(
        records_ingest, c.steward, resource.code, source, mode=LoadMode(mode)
    )
    assert report.version is not None, report
    return report.version


def unconditional_card(node: Node, c: Cast, tmp: Path) -> ResourcePublic:
    meta = dataclasses.replace(
        card_resource(node),
        name="社会保障卡基本信息",
        share_type=ShareType.UNCONDITIONAL,
        share_condition="",
    )
    resource = publish(node, c, meta)
    load(node, c, resource, tmp, card_lines(people_ids()))
    return resource


def statistics(node: Node, c: Cast) -> ResourcePublic:
    return publish(node, c, open_statistics(node))


def application(resource: ResourcePublic, **changes: Any) -> RequestCreate:
    values: dict[str, Any] = {
        "resource": resource.code,
        "purpose": "办理户籍业务时核验社会保障卡状态",
        "legal_basis": "《中华人民共和国社会保险法》第五十八条；本厅户籍管理职责",
        "fields": ["id_number", "name", "card_status"],
        "intended_use": IntendedUse.DATA_VERIFICATION,
        "valid_from": date(2026, 11, 27),
        "valid_until": date(2027, 11, 30),
        "exchange_mode": ExchangeMode.API,
        "expected_volume": "每日约 2000 次",
    }
    values.update(changes)
    return RequestCreate(**values)
