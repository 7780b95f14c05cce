"""What pages and reports show for a plan: one view per indicator, built from the
stored evaluation (so that what is shown is what was decided, component by component)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from xiangshu.domain.plan.drafts import SourceKind
from xiangshu.domain.plan.forecast import Method
from xiangshu.domain.plan.indicators import (
    IndicatorSpec,
    Qualifier,
    spec_from_fields,
    year_fraction,
)
from xiangshu.domain.plan.measures import EscapGap, SdgProgress
from xiangshu.domain.plan.responsibility import CITY_GOVERNMENTS
from xiangshu.domain.plan.status import STATUS_ORDER, Status
from xiangshu.plan_report.charts import ChartData, ChartPoint, indicator_chart, sparkline
from xiangshu.schemas.plan import (
    EvaluationPublic,
    IndicatorPublic,
    ObservationPublic,
    ResultPublic,
    TaskPublic,
)


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def reason_zh(status: str, reason: str, c: dict[str, Any]) -> str:
    """The verdict's reason in Chinese, from the stored components."""
    latest, target = c.get("level"), c.get("target")
    p, tau = c.get("progress"), c.get("tau")
    base_note = (
        "（规划无基期值，以首个实际值为基期）"
        if c.get("notes") and "first" in str(c.get("notes"))
        else ""
    )
    if status in ("achieved", "achieved_early") and latest is not None:
        return f"最新值 {latest:g} 已达到目标值 {target:g}"
    if status == "not_achieved" and latest is not None:
        return f"目标年已到，最新值 {latest:g} 未达到目标值 {target:g}"
    if status == "no_data":
        return "尚无实际值"
    if p is None or tau is None:
        if status == "regressing":
            return "目标为保持基期水平，最新值低于目标"
        if target is None:
            return "规划未给出目标值"
        return "缺少基期值，且实际值不足两个，无法计算进度" if "baseline" in reason else reason
    lower, upper = c.get("threshold_on_track", tau), c.get("threshold_ahead", tau)
    rule = "τ（约束性指标，无容差）" if c.get("nature") == "binding" else "容差下限"
    text = {
        "ahead": f"任务进度 p = {_pct(p)}，不低于 τ + ε = {_pct(upper)}",
        "on_track": f"任务进度 p = {_pct(p)}，不低于{rule} {_pct(lower)}，时间进度 τ = {_pct(tau)}",
        "lagging": f"任务进度 p = {_pct(p)}，低于{rule} {_pct(lower)}（时间进度 τ = {_pct(tau)}）",
        "regressing": f"任务进度 p = {_pct(p)} < 0，向偏离目标的方向变化",
    }.get(status, reason)
    return text + base_note


# The measures' and forecasts' fixed reasons (domain/plan), in Chinese; reasons made of
# a formula and its value ("R = 0.812") read the same in both languages.
PHRASES_ZH = {
    "the indicator is itself a rate: compared as a level, no growth rates": (
        "指标本身为比率，按水平值比较，不计算增长率"
    ),
    "a cumulative flow has no growth rate of its own": "累计量指标无自身增长率",
    "no observed value": "尚无实际值",
    "needs two years of data": "需要至少两年的数据",
    "the current value meets the target": "当前值已达到目标值",
    "base and current differ in sign": "基期值与当前值符号不同",
    "no target": "规划未给出目标值",
    "the target keeps the base: no gap to close": "目标为保持基期水平，无差距可缩小",
    "needs at least two values (baseline included)": "需要至少两个数值（含基期值）",
    "the target year is already observed": "目标年已有实际值",
    "the target year must come after the baseline year": "目标年须晚于基期年",
    "a growth rate needs a positive number of years": "计算增长率需要正的年数",
    "no growth rate from or to zero": "零值无法计算增长率",
    "no growth rate across a change of sign": "符号变化时无法计算增长率",
    "neither a baseline and target nor a stated growth rate": "既无基期值和目标值，也无规划增长率",
    "a cumulative flow needs its total": "累计量指标需要规划总量",
    "the expected path needs a baseline and a target": "预期路径需要基期值和目标值",
    "a cumulative flow needs a non-zero total": "累计量指标的规划总量不能为零",
    "progress needs a baseline and a target": "计算进度需要基期值和目标值",
}


def phrase_zh(reason: str | None) -> str:
    """A measure's or forecast's reason in Chinese where it is one of the fixed phrases."""
    if not reason:
        return ""
    return PHRASES_ZH.get(reason, reason)


def chart_points(
    observations: list[ObservationPublic], as_of: int | None = None
) -> list[ChartPoint]:
    return [
        ChartPoint(
            time=year_fraction(o.period_end),
            value=o.value,
            synthetic=o.synthetic,
            hedged=o.qualifier != Qualifier.EXACT.value,
        )
        for o in observations
        if o.is_current and (as_of is None or o.period_end.year <= as_of)
    ]


@dataclass
class IndicatorView:
    indicator: IndicatorPublic
    spec: IndicatorSpec
    observations: list[ObservationPublic]
    result: ResultPublic | None
    as_of: int | None

    @property
    def status(self) -> str:
        return self.result.status if self.result else "no_data"

    @property
    def status_label(self) -> str:
        return Status(self.status).label_zh

    @property
    def reason(self) -> str:
        if self.result is None:
            return "尚未评估"
        return reason_zh(self.status, self.result.reason, self.components)

    @property
    def detail(self) -> dict[str, Any]:
        return self.result.detail if self.result else {}

    @property
    def components(self) -> dict[str, Any]:
        found: dict[str, Any] = self.detail.get("components", {})
        return found

    @property
    def forecast(self) -> dict[str, Any]:
        found: dict[str, Any] = self.detail.get("forecast") or {}
        return found

    @property
    def has_synthetic(self) -> bool:
        return any(o.synthetic for o in self.observations if o.is_current)

    @property
    def latest(self) -> ObservationPublic | None:
        current = [o for o in self.observations if o.is_current]
        if self.as_of is not None:
            current = [o for o in current if o.period_end.year <= self.as_of]
        return current[-1] if current else None

    @property
    def sdg_label(self) -> str:
        category = (self.detail.get("sdg") or {}).get("category")
        return SdgProgress(category).label_zh if category else ""

    @property
    def escap_label(self) -> str:
        category = (self.detail.get("escap") or {}).get("category")
        return EscapGap(category).label_zh if category else ""

    @property
    def sdg_reason(self) -> str:
        return phrase_zh((self.detail.get("sdg") or {}).get("reason"))

    @property
    def escap_reason(self) -> str:
        return phrase_zh((self.detail.get("escap") or {}).get("reason"))

    @property
    def forecast_reason(self) -> str:
        return phrase_zh(self.forecast.get("reason"))

    def method_label(self, method: str) -> str:
        return Method(method).label_zh

    def source_label(self, kind: str) -> str:
        return SourceKind(kind).label_zh

    def chart(self, *, ascii_only: bool = False) -> str:
        return indicator_chart(
            ChartData(
                spec=self.spec,
                points=chart_points(self.observations, self.as_of),
                cone=self.forecast.get("cone", []),
                status=self.status,
                status_label=self.status_label,
            ),
            ascii_only=ascii_only,
            title=f"{self.indicator.number} {self.indicator.name}",
        )

    def spark(self) -> str:
        return sparkline(chart_points(self.observations, self.as_of), self.spec)


@dataclass
class PlanView:
    evaluation: EvaluationPublic | None
    indicators: list[IndicatorView] = field(default_factory=list)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(status, 中文, count) in NDRC's order, only the statuses that occur."""
        found = Counter(v.status for v in self.indicators)
        return [(s.value, s.label_zh, found[s.value]) for s in STATUS_ORDER if found[s.value]]

    @property
    def concerns(self) -> list[IndicatorView]:
        return [v for v in self.indicators if Status(v.status).is_concern]

    @property
    def synthetic_count(self) -> int:
        return sum(v.has_synthetic for v in self.indicators)


def plan_view(
    indicators: list[IndicatorPublic],
    observations: list[ObservationPublic],
    evaluation: EvaluationPublic | None,
) -> PlanView:
    by_number: dict[str, list[ObservationPublic]] = {}
    for o in observations:
        by_number.setdefault(o.indicator_number, []).append(o)
    results = {r.number: r for r in evaluation.results} if evaluation else {}
    return PlanView(
        evaluation=evaluation,
        indicators=[
            IndicatorView(
                indicator=i,
                spec=spec_from_fields(i),
                observations=by_number.get(i.number, []),
                result=results.get(i.number),
                as_of=evaluation.as_of_year if evaluation else None,
            )
            for i in indicators
        ],
    )


def unit_names(task: TaskPublic, *, support: bool) -> str:
    """The task's units in the annex's order; each city government folds back into the
    annex's 各市州政府."""
    names: list[str] = []
    for unit in task.units:
        if (unit.role == "support") != support:
            continue
        name = unit.mention if unit.mention in CITY_GOVERNMENTS else unit.name
        if name not in names:
            names.append(name)
    return "、".join(names)
