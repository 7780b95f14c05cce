"""What a plan says about one indicator, and the observed values it is judged on."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum
from typing import Protocol


class TargetForm(StrEnum):
    """How the plan states the target; it decides the expected path."""

    LEVEL = "level"  # 达到某一水平
    GROWTH_RATE = "growth_rate"  # 年均增速 (%)
    PERCENTAGE_POINTS = "percentage_points"  # 累计变化（百分点）, written [Δ] or 〔Δ〕
    CUMULATIVE_FLOW = "cumulative_flow"  # 累计/新增 over the period
    CUMULATIVE_REDUCTION = "cumulative_reduction"  # 累计下降 (%)

    @property
    def label_zh(self) -> str:
        return {
            "level": "水平值",
            "growth_rate": "年均增速",
            "percentage_points": "累计百分点",
            "cumulative_flow": "累计流量",
            "cumulative_reduction": "累计下降率",
        }[self.value]

    @property
    def multiplicative(self) -> bool:
        """Progress is measured on the log scale (a geometric path)."""
        return self in (TargetForm.GROWTH_RATE, TargetForm.CUMULATIVE_REDUCTION)


class Direction(IntEnum):
    HIGHER = 1  # 越高越好
    LOWER = -1  # 越低越好

    @property
    def label_zh(self) -> str:
        return "越高越好" if self is Direction.HIGHER else "越低越好"


class Bound(StrEnum):
    """How the target value binds: exactly, or as a "more than" / "less than" bound.

    Chinese legal usage counts the number itself in 以上/以下 (民法典 第一千二百五十九条),
    so 超过/以上/≥ targets are met by the number itself.
    """

    EXACT = "exact"  # 达到
    AT_LEAST = "at_least"  # 以上, 超, >
    AT_MOST = "at_most"  # 以下, 控制在, <

    @property
    def label_zh(self) -> str:
        return {"exact": "达到", "at_least": "以上", "at_most": "以下"}[self.value]


class Nature(StrEnum):
    BINDING = "binding"  # 约束性
    EXPECTED = "expected"  # 预期性

    @property
    def label_zh(self) -> str:
        return "约束性" if self is Nature.BINDING else "预期性"


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """One main indicator of a plan, as the plan states it."""

    number: str
    name: str
    unit: str
    form: TargetForm
    baseline_year: float  # a year (2015) or, for a substituted base, a fractional time
    target_year: float
    baseline: float | None = None
    target: float | None = None
    direction: Direction = Direction.HIGHER
    nature: Nature = Nature.EXPECTED
    bound: Bound = Bound.EXACT
    stated_growth: float | None = None  # 年均增速 as printed, in %
    stated_change: float | None = None  # [Δ] as printed, in percentage points (or units)
    is_rate: bool = False  # the indicator *is* a growth rate: compare as a level, no CAGR

    @property
    def is_percentage(self) -> bool:
        return self.unit.strip() in ("%", "％")

    @property
    def years(self) -> float:
        return self.target_year - self.baseline_year

    @property
    def maintain(self) -> bool:
        """The target is the baseline itself (keep at 100%, for example)."""
        return (
            self.baseline is not None
            and self.target is not None
            and math.isclose(self.baseline, self.target)
        )


class SpecFields(Protocol):
    """Anything holding an indicator's fields under their stored names (a table row, a
    public shape): enumerations as their values, direction as +1/−1."""

    number: str
    name: str
    unit: str
    form: str
    baseline_year: int
    target_year: int
    baseline: float | None
    target: float | None
    direction: int
    nature: str
    bound: str
    stated_growth: float | None
    stated_change: float | None


def spec_from_fields(found: SpecFields) -> IndicatorSpec:
    return IndicatorSpec(
        number=found.number,
        name=found.name,
        unit=found.unit,
        form=TargetForm(found.form),
        baseline_year=found.baseline_year,
        target_year=found.target_year,
        baseline=found.baseline,
        target=found.target,
        direction=Direction(found.direction),
        nature=Nature(found.nature),
        bound=Bound(found.bound),
        stated_growth=found.stated_growth,
        stated_change=found.stated_change,
    )


class ValueStatus(StrEnum):
    PROVISIONAL = "provisional"  # 初步数
    FINAL = "final"  # 最终数
    REVISED = "revised"  # 修订数

    @property
    def label_zh(self) -> str:
        return {"provisional": "初步数", "final": "最终数", "revised": "修订数"}[self.value]


class Qualifier(StrEnum):
    """How exactly a value measures the indicator (public sources often hedge)."""

    EXACT = "exact"
    LOWER_BOUND = "lower_bound"  # 突破, 超过: the true value is at least this
    UPPER_BOUND = "upper_bound"
    PROXY = "proxy"  # a related measure standing in for the indicator
    ESTIMATE = "estimate"

    @property
    def label_zh(self) -> str:
        return {
            "exact": "确数",
            "lower_bound": "下限",
            "upper_bound": "上限",
            "proxy": "替代指标",
            "estimate": "估计数",
        }[self.value]


@dataclass(frozen=True, slots=True)
class Point:
    """An observed value at a moment; ``time`` is a fractional year (2015.0 = end of 2015)."""

    time: float
    value: float
    synthetic: bool = False
    qualifier: Qualifier = Qualifier.EXACT
    status: ValueStatus = ValueStatus.FINAL


def year_fraction(day: date) -> float:
    """Time of a period end on the plan's year axis: 31 December 2015 → 2015.0.

    A value at the end of February 2020 sits at 2019.16, not at 2020: plans are
    judged at year ends, and a value from early in a year is earlier evidence.
    """
    start = date(day.year, 1, 1)
    length = (date(day.year + 1, 1, 1) - start).days
    return day.year - 1 + ((day - start).days + 1) / length


def meets_target(spec: IndicatorSpec, value: float, *, target: float | None = None) -> bool:
    """Whether ``value`` satisfies the target, reading its bound and direction."""
    goal = spec.target if target is None else target
    if goal is None:
        return False
    tolerance = 1e-9 * max(1.0, abs(goal))
    bound = spec.bound
    if bound is Bound.EXACT:
        # "Reach x*": reaching it or passing it in the good direction counts.
        bound = Bound.AT_LEAST if spec.direction is Direction.HIGHER else Bound.AT_MOST
    if bound is Bound.AT_LEAST:
        return value >= goal - tolerance
    return value <= goal + tolerance
