"""Reading template cells: every unreadable value is a problem naming sheet, row and column."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from xiangshu.domain.catalog.classification import ClassNode
from xiangshu.domain.catalog.template import (
    Provider,
    located,
    parse_items,
    parse_resource,
    short_items,
)
from xiangshu.domain.data_items import DataItem, DataItemType, Sensitivity, ValueCheck
from xiangshu.errors import Problem
from xiangshu.storage.spreadsheets import _cell_text

NODES = {"203001": ClassNode("2", "03", "001", "", "社会保险")}
PROVIDER = Provider(uuid.uuid4(), "湖南省人力资源和社会保障厅", "430000027")
ROW = {
    "序号": "1",
    "信息资源分类": "203001",
    "信息资源名称": "参保信息",
    "信息资源提供方代码": "430000027",
    "信息资源摘要": "摘要",
    "信息资源格式分类": "数据库",
    "信息资源格式类型": "MySQL",
    "信息项信息": "姓名(C,50)",
    "共享类型": "无条件共享",
    "共享方式分类": "共享平台",
    "共享方式类型": "库表；接口",
    "更新周期": "每月",
    "发布日期": "2024-05-06",
}


def parse(**cells: str):  # type: ignore[no-untyped-def]
    return parse_resource(
        5,
        {**ROW, **cells},
        None,
        file="f.xlsx 信息资源",
        nodes=NODES,
        find_provider=lambda code, name: PROVIDER if code == "430000027" else None,
    )


def test_a_good_row_reads_into_metadata() -> None:
    parsed = parse()
    assert parsed.problems == [] and parsed.meta is not None
    assert parsed.meta.published_on == date(2024, 5, 6)
    assert [t.value for t in parsed.meta.share_manner_types] == ["table", "api"]
    assert parsed.meta.items[0].field == "f01"


def test_every_bad_cell_is_named() -> None:
    parsed = parse(
        更新周期="每两天",
        发布日期="2024/13/40",
        共享方式类型="光盘",
        信息项信息="姓名[C]",
        是否向社会开放="是",
        信息资源代码="203002/1",
    )
    assert parsed.meta is None
    columns = {p.field for p in parsed.problems}
    assert columns == {
        "更新周期",
        "发布日期",
        "共享方式类型",
        "信息项信息",
        "开放类型",
        "信息资源代码",
    }
    assert all(p.row == 5 and p.file == "f.xlsx 信息资源" for p in parsed.problems)


def test_item_rows_read_labels_and_name_bad_cells() -> None:
    good = {
        "信息项名称": "公民身份号码",
        "字段名": "id_number",
        "数据类型": "C",
        "数据长度": "18",
        "必填": "是",
        "主键": "是",
        "敏感类别": "身份证件号码",
        "校验": "公民身份号码",
        "枚举值": "",
    }
    bad = dict(good, 数据类型="X", 数据长度="十八", 必填="也许", 敏感类别="机密")
    items, problems = parse_items([(2, good), (3, bad)], "f.xlsx")
    assert items[0] == DataItem(
        "公民身份号码",
        "id_number",
        DataItemType.CHAR,
        18,
        required=True,
        is_key=True,
        sensitivity=Sensitivity.ID_NUMBER,
        check=ValueCheck.ID_NUMBER,
    )
    assert {(p.row, p.field) for p in problems} == {
        (3, "数据类型"),
        (3, "数据长度"),
        (3, "必填"),
        (3, "敏感类别"),
    }
    assert short_items(items[:1]) == "公民身份号码(C,18)"


def test_rule_problems_point_at_columns() -> None:
    found = located(
        [Problem("x", field="share_condition"), Problem("y", field="items[2].length")], 7, "f"
    )
    assert [p.field for p in found] == ["共享条件", "信息项信息 items[2].length"]


def test_cells_become_text() -> None:
    assert _cell_text(18.0) == "18" and _cell_text(2.5) == "2.5"
    assert _cell_text(True) == "是" and _cell_text(None) == ""
    assert _cell_text(datetime(2024, 5, 6)) == "2024-05-06"
    assert _cell_text(date(2024, 5, 6)) == "2024-05-06"
    assert _cell_text(datetime(2024, 5, 6, 8, 30)) == "2024-05-06T08:30:00"
