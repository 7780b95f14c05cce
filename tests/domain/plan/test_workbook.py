"""Reading plan sheets: the shipped plan, and bad spreadsheets named cell by cell."""

from __future__ import annotations

import pytest

from xiangshu.domain.plan.responsibility import Role, format_responsibility, parse_responsibility
from xiangshu.domain.plan.workbook import Sheet, column_letter, parse_workbook
from xiangshu.errors import InvalidInput
from xiangshu.plan_files import shipped_plan

PLAN = [
    ["code", "t-1"], ["title", "测试规划"], ["period_start", "2021"],
    ["period_end", "2025"], ["baseline_year", "2020"],
]  # fmt: skip
IND_HEADER = ["序号 (number)", "指标名称", "单位", "目标形式", "基期值", "目标值", "目标年"]


def sheets(indicators: list[list[str]], **extra: Sheet) -> dict[str, Sheet]:
    found = {
        "plan": Sheet("plan", "t.xlsx", ["field", "value"], PLAN),
        "indicators": Sheet("indicators", "t.xlsx", IND_HEADER, indicators),
    }
    found.update(extra)
    return found


def test_the_shipped_plan_has_what_the_seed_has() -> None:
    plan = shipped_plan("hunan-13th-informatization")
    assert plan.header.doc_number == "湘网办发〔2018〕19号"
    numbers = [d.spec.number for d in plan.indicators]
    assert len([n for n in numbers if "." not in n]) == 17 and "2.1" in numbers
    boxes = {p.box for p in plan.projects if not p.item}
    assert boxes == set(range(1, 15))
    assert len({t.group for t in plan.tasks}) == 19
    assert sum(1 for p in plan.projects if p.item) == 61
    sixteen = next(d for d in plan.indicators if d.spec.number == "16")
    assert sixteen.spec.baseline is None and sixteen.spec.target == 80


def test_a_good_sheet_with_chinese_headers_and_words() -> None:
    draft = parse_workbook(sheets([["1", "覆盖率", "%", "累计百分点", "40", "60", ""]]), "t.xlsx")
    spec = draft.indicators[0].spec
    assert (spec.baseline, spec.target, spec.target_year, spec.form.value) == (
        40, 60, 2025, "percentage_points",
    )  # fmt: skip


def test_bad_cells_are_all_named_and_nothing_is_returned() -> None:
    rows = [
        ["1", "覆盖率", "%", "level", "四十", "60", ""],  # text in a numeric cell
        ["1", "重复", "%", "level", "40", "60", ""],  # duplicate number
        ["3", "倒置", "%", "level", "40", "60", "2019"],  # target year before the baseline
        ["4", "形式", "%", "spiral", "40", "60", ""],  # unknown form
    ]
    observations = Sheet(
        "observations", "t.xlsx", ["indicator", "year", "value"], [["9", "2022", "50"]]
    )
    with pytest.raises(InvalidInput) as caught:
        parse_workbook(sheets(rows, observations=observations), "t.xlsx")
    found = {(p.file, p.row, p.field) for p in caught.value.problems}
    assert ("t.xlsx[indicators]", 2, "baseline") in found
    assert ("t.xlsx[indicators]", 3, "number") in found
    assert ("t.xlsx[indicators]", 4, "target_year") in found
    assert ("t.xlsx[indicators]", 5, "form") in found
    assert ("t.xlsx[observations]", 2, "indicator") in found
    messages = " ".join(p.message for p in caught.value.problems)
    assert "cell E2: '四十' is not a number" in messages
    assert "cell G4" in messages and "already on row 2" in messages


def test_missing_sheets_and_columns() -> None:
    with pytest.raises(InvalidInput, match="missing sheet 'indicators'"):
        parse_workbook({"plan": Sheet("plan", "t.xlsx", ["field", "value"], PLAN)}, "t.xlsx")
    bare = Sheet("indicators", "t.xlsx", ["number", "unit"], [["1", "%"]])
    with pytest.raises(InvalidInput) as caught:
        parse_workbook({**sheets([]), "indicators": bare}, "t.xlsx")
    assert {p.field for p in caught.value.problems} == {"name", "form"}


def test_responsibility_wording() -> None:
    mentions = parse_responsibility("省工业和信息化厅牵头，省科技厅、省发展改革委等按职责分工负责")
    assert [(m.name, m.role) for m in mentions] == [
        ("省工业和信息化厅", Role.LEAD), ("省科技厅", Role.SUPPORT), ("省发展改革委", Role.SUPPORT),
    ]  # fmt: skip
    assert [m.role for m in parse_responsibility("省水利厅负责")] == [Role.LEAD]
    joint = parse_responsibility("省市场监管局、省药品监管局、省工业和信息化厅按职责分工负责")
    assert {m.role for m in joint} == {Role.JOINT} and len(joint) == 3
    assert format_responsibility(mentions) == (
        "省工业和信息化厅牵头，省科技厅、省发展改革委等按职责分工负责"
    )
    assert column_letter(0) == "A" and column_letter(26) == "AA"


def test_a_real_xlsx_with_bad_cells_names_sheet_cell_and_column(tmp_path: object) -> None:
    import io

    import xlsxwriter

    from xiangshu.plan_files import read_plan_bytes

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    plan = book.add_worksheet("plan")
    for r, (key, value) in enumerate([("field", "value"), *PLAN]):
        plan.write_string(r, 0, key)
        plan.write_string(r, 1, value)
    indicators = book.add_worksheet("indicators")
    header = ["序号 (number)", "指标名称 (name)", "目标形式 (form)", "基期值 (baseline)", "目标值"]
    for c, text in enumerate(header):
        indicators.write_string(0, c, text)
    indicators.write_row(1, 0, ["1", "覆盖率", "level", 40, "六十"])
    indicators.write_row(2, 0, ["1", "重复", "level", 40, 60])
    book.close()
    with pytest.raises(InvalidInput) as caught:
        read_plan_bytes(out.getvalue(), "bad.xlsx")
    found = {(p.file, p.row, p.field) for p in caught.value.problems}
    assert found == {("bad.xlsx[indicators]", 2, "target"), ("bad.xlsx[indicators]", 3, "number")}
    assert any("cell E2" in p.message for p in caught.value.problems)
