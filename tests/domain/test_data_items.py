"""Rules for data item definitions (信息项)."""

from __future__ import annotations

from xiangshu.domain.data_items import (
    DataItem,
    DataItemType,
    Sensitivity,
    ValueCheck,
    data_item_problems,
    key_fields,
)

GOOD = [
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
    DataItem("姓名", "name", DataItemType.CHAR, 50, sensitivity=Sensitivity.NAME),
    DataItem("缴费金额", "amount", DataItemType.CURRENCY, 12, scale=2),
    DataItem("性别", "sex", DataItemType.CHAR, 1, enumeration=("1", "2")),
    DataItem("出生日期", "born", DataItemType.DATE),
]


def test_good_items_pass_and_keys_are_listed() -> None:
    assert data_item_problems(GOOD) == []
    assert key_fields(GOOD) == ["id_number"]
    assert DataItemType("Y").label_zh == "货币型"
    assert DataItemType.INTEGER.is_number and not DataItemType.DATE.is_number
    assert Sensitivity.MOBILE.is_personal and not Sensitivity.NONE.is_personal


def test_every_problem_is_reported() -> None:
    bad = [
        DataItem("", "Bad Field", DataItemType.CHAR),
        DataItem("金额", "amount", DataItemType.INTEGER, scale=2),
        DataItem("金额", "amount", DataItemType.DATE, check=ValueCheck.CREDIT_CODE),
        DataItem("代码", "code", DataItemType.CHAR, 4, pattern="([", enumeration=("a", "a")),
    ]
    fields = {p.field for p in data_item_problems(bad)}
    assert fields == {
        "data_items[1].name",
        "data_items[1].field",
        "data_items[1].length",
        "data_items[2].scale",
        "data_items[3].name",
        "data_items[3].field",
        "data_items[3].check",
        "data_items[4].pattern",
        "data_items[4].enumeration",
    }
    assert [p.field for p in data_item_problems([])] == ["data_items"]
