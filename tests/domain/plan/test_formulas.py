"""Every formula against values computed by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import math

import pytest

from xiangshu.domain.plan.formulas import (
    FormulaError,
    cagr,
    expected_value,
    planned_growth,
    task_progress,
    time_elapsed,
)
from xiangshu.domain.plan.indicators import (
    Bound,
    Direction,
    IndicatorSpec,
    TargetForm,
    meets_target,
    year_fraction,
)


def spec(
    form: TargetForm, baseline: float | None, target: float | None, **kw: object
) -> IndicatorSpec:
    return IndicatorSpec("x", "x", kw.pop("unit", "亿元"), form, 2015, 2020, baseline, target, **kw)  # type: ignore[arg-type]


def test_time_elapsed_is_the_share_of_the_period_gone() -> None:
    assert time_elapsed(2015, 2020, 2018) == pytest.approx(0.6)  # 3 of 5 years
    assert time_elapsed(2015, 2020, 2015) == 0
    with pytest.raises(FormulaError):
        time_elapsed(2020, 2015, 2018)


def test_cagr_by_hand() -> None:
    # 100 → 121 over two years is 10% a year.
    assert cagr(100, 121, 2) == pytest.approx(0.10)
    # Hunan's 网络零售额: 782.6 → 3000 over 5 years: (3000/782.6)^(1/5) − 1 = 30.83%.
    assert cagr(782.6, 3000, 5) == pytest.approx(0.30833, abs=1e-5)
    for start, end in ((0, 5), (5, 0), (-1, 2)):
        with pytest.raises(FormulaError):
            cagr(start, end, 3)


def test_level_and_percentage_points_follow_a_straight_line() -> None:
    # The 13th national plan's broadband 40 → 70 [30]: 2016 expectation 40 + 30/5 = 46.
    broadband = spec(TargetForm.PERCENTAGE_POINTS, 40, 70, unit="%")
    assert expected_value(broadband, 2016) == pytest.approx(46)
    assert task_progress(broadband, 46) == pytest.approx(0.2)
    assert task_progress(broadband, 55) == pytest.approx(0.5)  # 15 of 30 points
    level = spec(TargetForm.LEVEL, 68.17, 88)
    assert expected_value(level, 2018) == pytest.approx(68.17 + 19.83 * 0.6)


def test_growth_targets_follow_a_geometric_path() -> None:
    growth = spec(TargetForm.GROWTH_RATE, 100, 100 * 1.1**5)
    assert expected_value(growth, 2018) == pytest.approx(133.1)  # 100·1.1³
    # A series growing exactly 10% a year is at p = τ on the log scale …
    assert task_progress(growth, 133.1) == pytest.approx(0.6)
    # … while the linear ratio would wrongly say 0.542 (plan-monitoring.md).
    assert pytest.approx(0.542, abs=1e-3) == (133.1 - 100) / (100 * 1.1**5 - 100)
    assert planned_growth(growth) == pytest.approx(0.10)


def test_lower_is_better_and_cumulative_reduction() -> None:
    # Energy use per unit of GDP to fall 15% in 5 years: 1.0 → 0.85.
    cut = spec(TargetForm.CUMULATIVE_REDUCTION, 1.0, 0.85, direction=Direction.LOWER)
    # E(2018) = 1·0.85^0.6 = 0.9071
    assert expected_value(cut, 2018) == pytest.approx(0.85**0.6)
    # a value of 0.92: p = ln(0.92)/ln(0.85) = 0.5130
    assert task_progress(cut, 0.92) == pytest.approx(math.log(0.92) / math.log(0.85))
    # a rise is negative progress
    assert task_progress(cut, 1.02) < 0
    level_down = spec(TargetForm.LEVEL, 20, 10, direction=Direction.LOWER)
    assert task_progress(level_down, 16) == pytest.approx(0.4)  # 4 of 10 down
    assert meets_target(level_down, 9.5) and not meets_target(level_down, 10.5)


def test_zero_baseline_falls_back_to_the_linear_scale() -> None:
    fresh = spec(TargetForm.GROWTH_RATE, 0, 50)
    assert task_progress(fresh, 20) == pytest.approx(0.4)
    assert expected_value(fresh, 2017) == pytest.approx(20)


def test_cumulative_flow_is_a_running_total() -> None:
    flow = spec(TargetForm.CUMULATIVE_FLOW, None, 500)  # 新增 500 over the period
    assert expected_value(flow, 2017) == pytest.approx(200)
    assert task_progress(flow, 250) == pytest.approx(0.5)


def test_no_baseline_has_no_path() -> None:
    missing = spec(TargetForm.LEVEL, None, 80, unit="%")
    with pytest.raises(FormulaError):
        expected_value(missing, 2018)
    with pytest.raises(FormulaError):
        task_progress(missing, 60)


def test_bounds_count_the_number_itself() -> None:
    at_least = spec(TargetForm.LEVEL, 43, 70, bound=Bound.AT_LEAST, unit="%")
    assert meets_target(at_least, 70) and meets_target(at_least, 71)
    assert not meets_target(at_least, 69.9)
    at_most = spec(TargetForm.LEVEL, 10, 5, bound=Bound.AT_MOST, direction=Direction.LOWER)
    assert meets_target(at_most, 5) and not meets_target(at_most, 5.1)


def test_period_ends_sit_on_the_year_axis() -> None:
    from datetime import date

    assert year_fraction(date(2015, 12, 31)) == pytest.approx(2015.0)
    assert year_fraction(date(2020, 2, 29)) == pytest.approx(2019 + 60 / 366)
