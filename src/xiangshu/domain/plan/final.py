"""Final evaluation at the end of the period: achieved or not, how much, how fast."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from xiangshu.domain.plan.formulas import FormulaError, cagr, task_progress
from xiangshu.domain.plan.indicators import (
    Direction,
    IndicatorSpec,
    Point,
    TargetForm,
    meets_target,
)
from xiangshu.domain.plan.status import running_total


class Outcome(StrEnum):
    ACHIEVED = "achieved"  # 已实现
    NOT_ACHIEVED = "not_achieved"  # 未实现
    NO_TARGET = "no_target"  # 无目标值，无法评价
    NO_DATA = "no_data"  # 无实际值

    @property
    def label_zh(self) -> str:
        return {
            "achieved": "已实现",
            "not_achieved": "未实现",
            "no_target": "无目标值",
            "no_data": "无实际值",
        }[self.value]


class GrowthComparison(StrEnum):
    ABOVE = "above"  # 快于规划增速
    MET = "met"  # 达到规划增速
    BELOW = "below"  # 慢于规划增速
    NOT_AVAILABLE = "not_available"

    @property
    def label_zh(self) -> str:
        return {
            "above": "快于规划增速",
            "met": "达到规划增速",
            "below": "慢于规划增速",
            "not_available": "—",
        }[self.value]


@dataclass(frozen=True, slots=True)
class FinalEvaluation:
    outcome: Outcome
    completion_ratio: float | None  # actual ÷ target (lower-is-better: target ÷ actual)
    change_completion: float | None  # share of the planned change done (p at the end)
    realised_growth: float | None
    planned_growth: float | None
    growth: GrowthComparison
    components: dict[str, Any] = field(default_factory=dict)


def final_evaluation(spec: IndicatorSpec, points: Sequence[Point]) -> FinalEvaluation:
    """Judge the value at (or nearest before) the target year against the target."""
    ordered = sorted(points, key=lambda p: p.time)
    planned = _planned(spec)
    if not ordered:
        return FinalEvaluation(
            Outcome.NO_DATA, None, None, None, planned, GrowthComparison.NOT_AVAILABLE
        )
    latest = ordered[-1]
    level = (
        running_total(spec, ordered) if spec.form is TargetForm.CUMULATIVE_FLOW else latest.value
    )
    components: dict[str, Any] = {
        "actual_time": latest.time,
        "actual": level,
        "target": spec.target,
        "bound": spec.bound.value,
        "direction": int(spec.direction),
        "synthetic": latest.synthetic,
    }
    realised = _realised(spec, latest)
    comparison = _compare(realised, planned)
    if spec.target is None:
        return FinalEvaluation(
            Outcome.NO_TARGET, None, None, realised, planned, comparison, components
        )
    outcome = Outcome.ACHIEVED if meets_target(spec, level) else Outcome.NOT_ACHIEVED
    ratio = _ratio(spec, level)
    try:
        change = task_progress(spec, level)
    except FormulaError:
        change = None
    components.update(completion_ratio=ratio, change_completion=change)
    return FinalEvaluation(outcome, ratio, change, realised, planned, comparison, components)


def _ratio(spec: IndicatorSpec, level: float) -> float | None:
    assert spec.target is not None
    if spec.direction is Direction.LOWER:
        return spec.target / level if level else None
    return level / spec.target if spec.target else None


def _planned(spec: IndicatorSpec) -> float | None:
    if spec.stated_growth is not None:
        return spec.stated_growth / 100.0
    if spec.form is TargetForm.GROWTH_RATE and spec.baseline and spec.target:
        try:
            return cagr(spec.baseline, spec.target, spec.years)
        except FormulaError:
            return None
    return None


_NO_GROWTH = (TargetForm.CUMULATIVE_FLOW, TargetForm.PERCENTAGE_POINTS)


def _realised(spec: IndicatorSpec, latest: Point) -> float | None:
    if spec.is_rate or spec.baseline is None or spec.form in _NO_GROWTH:
        return None
    try:
        return cagr(spec.baseline, latest.value, latest.time - spec.baseline_year)
    except FormulaError:
        return None


def _compare(realised: float | None, planned: float | None) -> GrowthComparison:
    if realised is None or planned is None:
        return GrowthComparison.NOT_AVAILABLE
    if abs(realised - planned) < 0.0005:  # equal to the tenth of a percent plans print
        return GrowthComparison.MET
    return GrowthComparison.ABOVE if realised > planned else GrowthComparison.BELOW
