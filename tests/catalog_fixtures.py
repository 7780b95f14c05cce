"""Catalog test data: a valid resource and ways to vary it (not fixtures, plain helpers)."""

from __future__ import annotations

import dataclasses
from typing import Any

from xiangshu.actions.org import unit_show
from xiangshu.bootstrap import Node
from xiangshu.domain.access import OpenType, ShareType
from xiangshu.domain.catalog.metadata import ResourceMetadata
from xiangshu.domain.catalog.values import (
    FormatClass,
    PlatformShareType,
    ShareMannerClass,
    UpdateCycle,
)
from xiangshu.domain.data_items import DataItem, DataItemType, Sensitivity, ValueCheck
from xiangshu.domain.roles import SYSTEM

CARD_ITEMS = (
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
    DataItem("姓名", "name", DataItemType.CHAR, 50, required=True, sensitivity=Sensitivity.NAME),
    DataItem("社会保障卡号", "card_number", DataItemType.CHAR, 20),
    DataItem("发卡日期", "issued_on", DataItemType.DATE),
    DataItem("卡状态", "card_status", DataItemType.CHAR, 2, enumeration=("正常", "挂失", "注销")),
)


def unit_id(node: Node, name: str) -> Any:
    return node.dispatcher.run(unit_show, SYSTEM, name).id


def card_resource(node: Node, **changes: Any) -> ResourceMetadata:
    """社会保障卡持卡信息 of 省人力资源社会保障厅: valid as it is."""
    meta = ResourceMetadata(
        class_code="203001",
        name="社会保障卡持卡信息",
        provider_unit_id=unit_id(node, "省人力资源社会保障厅"),
        provider_division="社会保障卡服务中心",
        abstract="全省社会保障卡持卡人员的身份、发卡和卡状态信息，用于社保待遇发放和身份核验。",
        format_class=FormatClass.DATABASE,
        format_type="MySQL",
        items=CARD_ITEMS,
        share_type=ShareType.CONDITIONAL,
        share_condition="用于社保待遇核验的部门，经审核后共享",
        share_manner_class=ShareMannerClass.PLATFORM,
        share_manner_types=(PlatformShareType.API,),
        update_cycle=UpdateCycle.DAILY,
    )
    return dataclasses.replace(meta, **changes)


def open_statistics(node: Node, **changes: Any) -> ResourceMetadata:
    """宽带用户统计 of 省通信管理局: open, no personal items."""
    meta = ResourceMetadata(
        class_code="217003",
        name="宽带用户统计",
        provider_unit_id=unit_id(node, "省通信管理局"),
        abstract="按市州统计的固定宽带和光纤接入用户数，反映信息基础设施发展水平。",
        format_class=FormatClass.SPREADSHEET,
        format_type="xlsx",
        items=(
            DataItem("统计年月", "period", DataItemType.CHAR, 7, required=True, is_key=True),
            DataItem("市州", "city", DataItemType.CHAR, 20, required=True, is_key=True),
            DataItem("宽带用户数", "broadband_users", DataItemType.INTEGER),
        ),
        share_type=ShareType.UNCONDITIONAL,
        share_manner_class=ShareMannerClass.PLATFORM,
        share_manner_types=(PlatformShareType.FILE,),
        open_type=OpenType.OPEN,
        update_cycle=UpdateCycle.MONTHLY,
    )
    return dataclasses.replace(meta, **changes)
