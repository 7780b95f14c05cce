"""The plan spreadsheet template: its sheets, their columns, and the words they accept.

Each column has an English key and a Chinese label; a header cell may hold
either, or both as ``序号 (number)``. Enumerations accept the key or the
Chinese label. ``docs/plan.md`` documents the template from these lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from xiangshu.domain.plan.indicators import (
    Bound,
    Direction,
    Nature,
    Qualifier,
    TargetForm,
    ValueStatus,
)


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label_zh: str
    required: bool = False
    help: str = ""


PLAN_FIELDS = (
    Column("code", "规划代码", True, "short identifier, letters, digits and dashes"),
    Column("title", "规划名称", True),
    Column("doc_number", "文号"),
    Column("issuers", "印发单位", help="separated by ；"),
    Column("issue_date", "印发日期", help="YYYY-MM-DD"),
    Column("period_start", "规划期起始年", True),
    Column("period_end", "规划期末年", True),
    Column("baseline_year", "基期年", True),
    Column("goals", "发展目标"),
    Column("report_cadence", "进展报送周期", help="quarterly, half_yearly, yearly or none"),
    Column("notes", "备注"),
)

SHEETS: dict[str, tuple[Column, ...]] = {
    "plan": (Column("field", "字段", True), Column("value", "内容", True)),
    "indicators": (
        Column("number", "序号", True, "1, 2, 2.1 …; unique"),
        Column("parent", "上级指标", help="number of the indicator this one is part of"),
        Column("name", "指标名称", True),
        Column("unit", "单位", help="% for shares"),
        Column("nature", "属性", help="expected 预期性 or binding 约束性"),
        Column("direction", "方向", help="higher 越高越好 or lower 越低越好"),
        Column(
            "form",
            "目标形式",
            True,
            "level 水平值, growth_rate 年均增速, percentage_points 累计百分点, "
            "cumulative_flow 累计流量, cumulative_reduction 累计下降率",
        ),
        Column("bound", "目标界限", help="exact 达到, at_least 以上, at_most 以下"),
        Column("baseline_year", "基期年", help="the plan's baseline year if empty"),
        Column("baseline", "基期值", help="empty or — when the plan gives none"),
        Column("target_year", "目标年", help="the plan's last year if empty"),
        Column("target", "目标值"),
        Column("target_text", "目标表述", help="the target as the plan words it"),
        Column("stated_growth", "年均增速(%)", help="as printed"),
        Column("stated_change", "累计变化", help="[Δ] as printed, in points"),
        Column("related_tasks", "相关任务", help="task numbers or groups, separated by ;"),
        Column("notes", "备注"),
    ),
    "projects": (
        Column("box", "专栏", True),
        Column("item", "子项目编号", help="empty for the box itself"),
        Column("name", "名称", True),
        Column("description", "内容"),
        Column("notes", "备注"),
    ),
    "tasks": (
        Column("number", "任务编号", True),
        Column("group", "分工方案序号", True),
        Column("box", "专栏"),
        Column("project", "子项目编号"),
        Column("title", "项目或措施名称", True),
        Column("responsibility", "责任单位", help="the annex's wording"),
        Column(
            "lead_units", "牵头单位", help="short names separated by 、 (instead of the wording)"
        ),
        Column("supporting_units", "配合单位", help="short names separated by 、"),
        Column("notes", "备注"),
    ),
    "milestones": (
        Column("task", "任务编号", True),
        Column("year", "年度", True),
        Column("due_date", "完成时限", help="YYYY-MM-DD; 31 December of the year if empty"),
        Column("title", "里程碑或年度工作", True),
        Column("notes", "备注"),
    ),
    "observations": (
        Column("indicator", "指标序号", True),
        Column("year", "年度", help="the year, if period_end is empty"),
        Column("period_end", "统计截止日期", help="YYYY-MM-DD"),
        Column("value", "数值", True),
        Column("status", "数据状态", help="provisional 初步数, final 最终数, revised 修订数"),
        Column("qualifier", "数值性质", help="exact, lower_bound, upper_bound, proxy, estimate"),
        Column(
            "source_kind",
            "来源类型",
            help="catalog_query, unit_report, public_source, plan_document, synthetic",
        ),
        Column("source", "来源", help="the report or the publication"),
        Column("resource", "目录资源", help="catalog resource ID or code (catalog_query values)"),
        Column("query", "查询", help="the query over the resource that gives the value"),
        Column("source_url", "来源链接"),
        Column("note", "说明", help="caveats"),
        Column("synthetic", "合成数据", help="true for made-up values"),
    ),
}

REQUIRED_SHEETS = ("plan", "indicators")

ENUM_WORDS: dict[str, dict[str, str]] = {
    "form": {
        **{f.value: f.value for f in TargetForm},
        **{f.label_zh: f.value for f in TargetForm},
    },
    "bound": {
        **{b.value: b.value for b in Bound},
        **{b.label_zh: b.value for b in Bound},
        "超过": "at_least",
        ">": "at_least",
        "≥": "at_least",
        "<": "at_most",
        "≤": "at_most",
    },
    "nature": {**{n.value: n.value for n in Nature}, **{n.label_zh: n.value for n in Nature}},
    "direction": {
        "higher": "higher",
        "lower": "lower",
        Direction.HIGHER.label_zh: "higher",
        Direction.LOWER.label_zh: "lower",
        "正向": "higher",
        "逆向": "lower",
    },
    "status": {
        **{s.value: s.value for s in ValueStatus},
        **{s.label_zh: s.value for s in ValueStatus},
    },
    "qualifier": {
        **{q.value: q.value for q in Qualifier},
        **{q.label_zh: q.value for q in Qualifier},
    },
}

CADENCES = ("quarterly", "half_yearly", "yearly", "none")
