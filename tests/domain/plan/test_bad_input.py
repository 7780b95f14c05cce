"""Every kind of wrong cell in every sheet, named; and files that are not what they say."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from xiangshu.domain.plan.formulas import (
    FormulaError,
    expected_value,
    planned_growth,
    task_progress,
)
from xiangshu.domain.plan.indicators import IndicatorSpec, TargetForm
from xiangshu.domain.plan.workbook import Sheet, parse_observations, parse_workbook
from xiangshu.errors import InvalidInput
from xiangshu.plan_files import observation_sheet, read_plan, read_plan_bytes, sheets_from_folder

GOOD_INDICATORS = Sheet(
    "indicators", "t.xlsx", ["number", "name", "form", "baseline", "target"],
    [["1", "覆盖率", "level", "40", "60"]],
)  # fmt: skip


def problems_of(sheets: dict[str, Sheet]) -> set[tuple[str | None, int | None, str | None]]:
    with pytest.raises(InvalidInput) as caught:
        parse_workbook(sheets, "t.xlsx")
    return {(p.file, p.row, p.field) for p in caught.value.problems}


def test_plan_sheet_cells() -> None:
    plan = Sheet(
        "plan", "t.xlsx", ["field", "value"],
        [["code", "bad code!"], ["title", "x"], ["period_start", "二〇二一"],
         ["period_end", "2020"], ["baseline_year", "2019"], ["issue_date", "2021/03/01"],
         ["report_cadence", "monthly"], ["colour", "red"]],
    )  # fmt: skip
    found = problems_of({"plan": plan, "indicators": GOOD_INDICATORS})
    rows = {row for _, row, _ in found}
    assert {2, 4, 7, 8, 9} <= rows  # code, period_start, issue date, cadence, unknown field
    ends_first = Sheet(
        "plan", "t.xlsx", ["field", "value"],
        [["code", "t"], ["title", "x"], ["period_start", "2021"], ["period_end", "2019"],
         ["baseline_year", "2020"]],
    )  # fmt: skip
    assert ("t.xlsx[plan]", None, "period_end") in problems_of(
        {"plan": ends_first, "indicators": GOOD_INDICATORS}
    )


PLAN = Sheet(
    "plan", "t.xlsx", ["field", "value"],
    [["code", "t-1"], ["title", "x"], ["period_start", "2021"], ["period_end", "2025"],
     ["baseline_year", "2020"]],
)  # fmt: skip


def test_projects_tasks_milestones_and_values() -> None:
    sheets = {
        "plan": PLAN,
        "indicators": Sheet(
            "indicators", "t.xlsx",
            ["number", "name", "form", "target", "parent", "related_tasks", "bound", "nature"],
            [["1", "覆盖率", "level", "60", "9", "7.7", "above", "mandatory"]],
        ),
        "projects": Sheet("projects", "t.xlsx", ["box", "name"], [["一", "工程"], ["", "x"]]),
        "tasks": Sheet(
            "tasks", "t.xlsx", ["number", "group", "title", "responsibility"],
            [["1.1", "1", "任务", ""], ["1.1", "1", "任务", "省水利厅负责"],
             ["1.2", "", "任务", "省水利厅负责"]],
        ),
        "milestones": Sheet(
            "milestones", "t.xlsx", ["task", "year", "title", "due_date"],
            [["9.9", "2022", "上线", ""], ["1.1", "", "上线", "2022-13-01"]],
        ),
        "observations": Sheet(
            "observations", "t.xlsx",
            ["indicator", "value", "source_kind", "synthetic", "status", "qualifier"],
            [["1", "5", "rumour", "maybe", "draft", "guess"]],
        ),
    }  # fmt: skip
    found = {(f.split("[")[1].rstrip("]"), row, field) for f, row, field in problems_of(sheets)}
    assert {
        ("indicators", 2, "parent"), ("indicators", 2, "related_tasks"),
        ("indicators", 2, "bound"), ("indicators", 2, "nature"),
        ("projects", 2, "box"), ("projects", 3, "box"),
        ("tasks", 2, "responsibility"), ("tasks", 3, "number"), ("tasks", 4, "group"),
        ("milestones", 2, "task"), ("milestones", 3, "year"), ("milestones", 3, "due_date"),
        ("observations", 2, "source_kind"), ("observations", 2, "synthetic"),
        ("observations", 2, "status"), ("observations", 2, "qualifier"),
        ("observations", 2, "period_end"),
    } <= found  # fmt: skip


def test_cumulative_reduction_derives_its_target() -> None:
    sheets = {
        "plan": PLAN,
        "indicators": Sheet(
            "indicators", "t.xlsx",
            ["number", "name", "form", "baseline", "stated_change", "direction"],
            [["1", "能耗", "累计下降率", "1.0", "15", "越低越好"]],
        ),
    }  # fmt: skip
    spec = parse_workbook(sheets, "t.xlsx").indicators[0].spec
    assert spec.target == pytest.approx(0.85) and spec.direction == -1


def test_files_that_are_not_what_they_say(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not a readable workbook"):
        read_plan_bytes(b"not a zip", "plan.xlsx")
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "plan.csv").write_bytes(
        "field,value\ncode,gb\ntitle,国标编码\nperiod_start,2021\nperiod_end,2025\n"
        "baseline_year,2020\n".encode("gb18030")
    )
    (folder / "indicators.csv").write_bytes(
        "number,name,form,target\n1,覆盖率,level,60\n".encode("gb18030")
    )
    assert set(sheets_from_folder(folder)) == {"plan", "indicators"}
    assert read_plan(folder).header.title == "国标编码"  # GB18030 files are read too
    with pytest.raises(InvalidInput, match="neither UTF-8 nor GB18030"):
        observation_sheet(b"\x81\x30\xff\xfe\x00\x81", "values.csv")
    values = observation_sheet(b"indicator,year,value\n1,2021,5\n", "values.csv")
    assert parse_observations(values)[0].value == 5
    with pytest.raises(InvalidInput, match="missing column"):
        parse_observations(observation_sheet(b"indicator,year\n1,2021\n", "values.csv"))
    out = io.BytesIO()
    from xiangshu.plan_files import write_template

    write_template(out)
    assert parse_observations(observation_sheet(out.getvalue(), "t.xlsx")) == ()  # empty sheet


def test_formula_errors_say_why() -> None:
    flow = IndicatorSpec("f", "f", "个", TargetForm.CUMULATIVE_FLOW, 2020, 2025, None, None)
    with pytest.raises(FormulaError, match="total"):
        expected_value(flow, 2022)
    with pytest.raises(FormulaError, match="non-zero total"):
        task_progress(flow, 3)
    keep = IndicatorSpec("k", "k", "%", TargetForm.LEVEL, 2020, 2025, 100, 100)
    with pytest.raises(FormulaError, match="keeps the baseline"):
        task_progress(keep, 99)
    growth = IndicatorSpec("g", "g", "亿元", TargetForm.GROWTH_RATE, 2020, 2025, 100, 200)
    with pytest.raises(FormulaError, match="non-positive"):
        task_progress(growth, 0)
    printed = IndicatorSpec(
        "p", "p", "亿元", TargetForm.GROWTH_RATE, 2020, 2025, None, None, stated_growth=8
    )
    assert planned_growth(printed) == pytest.approx(0.08)
    with pytest.raises(FormulaError):
        planned_growth(IndicatorSpec("n", "n", "", TargetForm.GROWTH_RATE, 2020, 2025))
