"""The 12th-plan table's verdicts, the consistency check on the 13th plan, and forecasts."""

from __future__ import annotations

import pytest

from xiangshu.domain.plan.consistency import Check, Severity, check_indicator, half_unit
from xiangshu.domain.plan.final import GrowthComparison, Outcome, final_evaluation
from xiangshu.domain.plan.forecast import ForecastRules, Method, forecast
from xiangshu.domain.plan.indicators import (
    Bound,
    Direction,
    IndicatorSpec,
    Point,
    TargetForm,
    year_fraction,
)
from xiangshu.plan_files import shipped_plan

# What the 12th-plan table (表一 of the 13th plan) implies, row by row:
# achieved where the 2015 actual meets the 2015 target (">70" counts 70 itself);
# not achieved below it; no verdict without a target.
TWELFTH_OUTCOMES = {
    "1": Outcome.NOT_ACHIEVED,  # 68.17 < 80
    "2": Outcome.NOT_ACHIEVED,  # 3762 < 4000
    "3": Outcome.NO_TARGET,
    "4": Outcome.NO_TARGET,
    "5": Outcome.NOT_ACHIEVED,  # 889 < 1000
    "6": Outcome.ACHIEVED,  # 405 > 300
    "7": Outcome.ACHIEVED,  # 100 = 100
    "8": Outcome.NO_TARGET,
    "9": Outcome.NOT_ACHIEVED,  # 40 < 80
    "10": Outcome.NO_TARGET,
    "11": Outcome.ACHIEVED,  # 75 = 75
    "12": Outcome.NOT_ACHIEVED,  # 4300 < 5000
    "13": Outcome.ACHIEVED,  # 100 = 100
    "14": Outcome.ACHIEVED,  # 70 meets ">70" (以上 counts the number itself)
    "15": Outcome.NO_TARGET,
    "16": Outcome.NOT_ACHIEVED,  # 3800 < 4000
    "17": Outcome.ACHIEVED,  # 100 = 100
}


def test_the_twelfth_plan_table_gives_the_verdicts_it_implies() -> None:
    plan = shipped_plan("hunan-12th-informatization")
    actual = {o.indicator: o for o in plan.observations}
    results = {}
    for draft in plan.indicators:
        o = actual[draft.spec.number]
        results[draft.spec.number] = final_evaluation(
            draft.spec, [Point(year_fraction(o.period_end), o.value)]
        )
    assert {n: r.outcome for n, r in results.items()} == TWELFTH_OUTCOMES
    # completion ratios: actual ÷ target
    assert results["2"].completion_ratio == pytest.approx(3762 / 4000)
    assert results["6"].completion_ratio == pytest.approx(405 / 300)
    # realised against planned growth: 27 < 30, 4 < 6, 48 > 39
    assert results["2"].growth is GrowthComparison.BELOW
    assert results["2"].realised_growth == pytest.approx(0.27, abs=1e-4)
    assert results["5"].growth is GrowthComparison.BELOW
    assert results["6"].growth is GrowthComparison.ABOVE
    assert results["6"].realised_growth == pytest.approx(0.48, abs=1e-4)
    # [40] of the planned [80] points: half the change
    assert results["9"].change_completion == pytest.approx(0.5)


def test_final_evaluation_of_lower_is_better() -> None:
    cut = IndicatorSpec(
        "e", "e", "", TargetForm.CUMULATIVE_REDUCTION, 2015, 2020, 1.0, 0.85,
        direction=Direction.LOWER,
    )  # fmt: skip
    result = final_evaluation(cut, [Point(2020, 0.9)])
    assert result.outcome is Outcome.NOT_ACHIEVED
    assert result.completion_ratio == pytest.approx(0.85 / 0.9)
    assert final_evaluation(cut, []).outcome is Outcome.NO_DATA


def test_consistency_finds_indicator_12_and_the_missing_baselines() -> None:
    plan = shipped_plan("hunan-13th-informatization")
    findings = [f for d in plan.indicators for f in check_indicator(d.spec)]
    warnings = {(f.number, f.check) for f in findings if f.severity is Severity.WARNING}
    assert (("12", Check.GROWTH)) in warnings
    twelve = next(f for f in findings if f.number == "12" and f.check is Check.GROWTH)
    assert (twelve.stated, twelve.implied) == (28.3, pytest.approx(30.83, abs=0.01))
    assert {("16", Check.BASELINE), ("17", Check.BASELINE)} <= warnings
    # indicator 3 (734 → 3000 at "32%") is only loosely rounded: 32.5% implied
    assert ("3", Check.GROWTH) not in warnings
    assert any(f.number == "3" and f.severity is Severity.INFO for f in findings)
    # every printed [Δ] agrees with target − baseline
    assert not any(f.check is Check.CHANGE for f in findings)
    # nothing else disagrees
    assert warnings == {("12", Check.GROWTH), ("16", Check.BASELINE), ("17", Check.BASELINE)}


def test_consistency_on_made_up_rows() -> None:
    wrong = IndicatorSpec(
        "x", "x", "万户", TargetForm.PERCENTAGE_POINTS, 2015, 2020, 40, 130, stated_change=80
    )
    checks = {f.check for f in check_indicator(wrong)}
    assert {Check.CHANGE, Check.UNIT} <= checks
    backwards = IndicatorSpec("y", "y", "%", TargetForm.LEVEL, 2015, 2020, 50, 40)
    assert Check.DIRECTION in {f.check for f in check_indicator(backwards)}
    assert half_unit(28.3) == pytest.approx(0.05) and half_unit(22) == 0.5


def test_forecast_methods_median_and_chance() -> None:
    spec = IndicatorSpec("r", "r", "亿元", TargetForm.GROWTH_RATE, 2015, 2020, 782.6, 3000)
    points = [Point(2016, 1000), Point(2017, 1300), Point(2018, 1600)]
    found = forecast(spec, points)
    methods = {m.method: m for m in found.methods}
    assert set(methods) == {Method.ENDPOINT, Method.TREND, Method.RANDOM_WALK}
    # end-point CAGR from 782.6 (2015) to 1600 (2018), two more years: 1600·1.2692² = 2577.4
    assert methods[Method.ENDPOINT].point == pytest.approx(2577.35, abs=0.1)
    assert found.median == pytest.approx(sorted(m.point for m in found.methods)[1])
    assert found.spread == pytest.approx(
        max(m.point for m in found.methods) - min(m.point for m in found.methods)
    )
    assert found.p_meet is not None and 0 <= found.p_meet < 0.2  # far below 3000
    assert all(i.lower < m.point < i.upper for m in found.methods for i in m.intervals)
    assert "damped trend" in found.notes[0]
    assert forecast(spec, []).reason and not forecast(spec, []).available


def test_forecast_damped_trend_with_enough_points_and_shares_stay_in_range() -> None:
    spec = IndicatorSpec(
        "s", "s", "%", TargetForm.PERCENTAGE_POINTS, 2008, 2020, 40, 99, bound=Bound.AT_LEAST
    )
    values = [45, 52, 58, 65, 71, 76, 81, 85, 89]
    found = forecast(spec, [Point(2009 + i, v) for i, v in enumerate(values)], ForecastRules())
    methods = {m.method for m in found.methods}
    assert Method.DAMPED in methods
    for m in found.methods:
        assert 0 <= m.point <= 100
        assert all(0 <= i.lower <= i.upper <= 100 for i in m.intervals)
    again = forecast(spec, [Point(2009 + i, v) for i, v in enumerate(values)], ForecastRules())
    assert again.p_meet == found.p_meet  # the simulation is seeded
