"""Statuses, Open SDG's ratio and ESCAP's gap, against hand-computed values; and the
property that a series exactly on the planned path is on schedule at every year."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiangshu.domain.plan.formulas import expected_value
from xiangshu.domain.plan.indicators import (
    Bound,
    Direction,
    IndicatorSpec,
    Nature,
    Point,
    TargetForm,
)
from xiangshu.domain.plan.measures import EscapGap, SdgProgress, escap_gap, sdg_progress
from xiangshu.domain.plan.status import Status, StatusRules, ndrc_status

BROADBAND = IndicatorSpec(
    "6", "固定宽带家庭普及率", "%", TargetForm.PERCENTAGE_POINTS, 2015, 2020, 43, 70,
    bound=Bound.AT_LEAST, stated_change=27,
)  # fmt: skip
RETAIL = IndicatorSpec(
    "12", "网络零售额", "亿元", TargetForm.GROWTH_RATE, 2015, 2020, 782.6, 3000, stated_growth=28.3
)


@pytest.mark.parametrize(
    ("value", "status"),
    [
        # τ(2018) = 0.6; p = (x − 43)/27.  Ahead from p ≥ 0.7 → x ≥ 61.9
        (62.0, Status.AHEAD),
        # on schedule from 0.95·0.6 = 0.57 → x ≥ 58.39
        (58.5, Status.ON_TRACK),
        (58.3, Status.LAGGING),
        (43.0, Status.LAGGING),  # p = 0: lagging, not moving away
        (42.0, Status.REGRESSING),
        (70.0, Status.ACHIEVED_EARLY),
    ],
)
def test_ndrc_status_of_a_share(value: float, status: Status) -> None:
    verdict = ndrc_status(BROADBAND, [Point(2018, value)])
    assert verdict.status is status, verdict
    assert verdict.components["tau"] == pytest.approx(0.6) if "tau" in verdict.components else True


def test_binding_indicators_get_no_tolerance() -> None:
    binding = IndicatorSpec(
        "b", "b", "%", TargetForm.PERCENTAGE_POINTS, 2015, 2020, 43, 70, nature=Nature.BINDING
    )
    # p = (58.5 − 43)/27 = 0.574: on schedule for an expected indicator, lagging if binding.
    assert ndrc_status(BROADBAND, [Point(2018, 58.5)]).status is Status.ON_TRACK
    verdict = ndrc_status(binding, [Point(2018, 58.5)])
    assert verdict.status is Status.LAGGING
    assert verdict.components["threshold_on_track"] == pytest.approx(0.6)


def test_growth_status_uses_the_log_scale_and_keeps_every_component() -> None:
    # 1600 in 2018: p = ln(1600/782.6)/ln(3000/782.6) = 0.5322 < 0.57 → lagging
    verdict = ndrc_status(RETAIL, [Point(2016, 1000), Point(2018, 1600)])
    assert verdict.status is Status.LAGGING
    c = verdict.components
    assert c["progress"] == pytest.approx(math.log(1600 / 782.6) / math.log(3000 / 782.6))
    assert c["expected"] == pytest.approx(782.6 * (3000 / 782.6) ** 0.6)
    assert c["planned_growth"] == pytest.approx(0.30833, abs=1e-5)
    assert c["realised_growth"] == pytest.approx((1600 / 782.6) ** (1 / 3) - 1)
    assert c["scale"] == "log" and c["points"] == 2


def test_lower_is_better_status() -> None:
    cut = IndicatorSpec(
        "e", "能耗", "吨标准煤/万元", TargetForm.CUMULATIVE_REDUCTION, 2015, 2020, 1.0, 0.85,
        direction=Direction.LOWER,
    )  # fmt: skip
    # p = ln(0.90)/ln(0.85) = 0.648: between 0.57 and 0.7
    assert ndrc_status(cut, [Point(2018, 0.90)]).status is Status.ON_TRACK
    # p = ln(0.88)/ln(0.85) = 0.787 ≥ 0.7
    assert ndrc_status(cut, [Point(2018, 0.88)]).status is Status.AHEAD
    assert ndrc_status(cut, [Point(2018, 1.01)]).status is Status.REGRESSING
    assert ndrc_status(cut, [Point(2018, 0.84)]).status is Status.ACHIEVED_EARLY


def test_no_baseline_uses_the_first_observation_and_says_so() -> None:
    online = IndicatorSpec(
        "16", "基本公共服务事项网上办理率", "%", TargetForm.LEVEL, 2015, 2020, None, 80,
        bound=Bound.AT_LEAST,
    )  # fmt: skip
    assert ndrc_status(online, [Point(2017, 40)]).status is Status.NOT_ASSESSABLE
    verdict = ndrc_status(online, [Point(2017, 40), Point(2018, 55)])
    # base 40 at 2017: τ = 1/3, p = 15/40 = 0.375 → on schedule
    assert verdict.status is Status.ON_TRACK
    assert verdict.components["tau"] == pytest.approx(1 / 3)
    assert "first observation" in verdict.components["notes"][0]
    assert ndrc_status(online, []).status is Status.NO_DATA


def test_after_the_target_year_the_verdict_is_final() -> None:
    assert ndrc_status(BROADBAND, [Point(2020, 69)]).status is Status.NOT_ACHIEVED
    assert ndrc_status(BROADBAND, [Point(2020, 71)]).status is Status.ACHIEVED


def test_zero_baseline_growth_is_judged_linearly() -> None:
    fresh = IndicatorSpec("z", "z", "个", TargetForm.GROWTH_RATE, 2015, 2020, 0, 50)
    verdict = ndrc_status(fresh, [Point(2018, 30)])
    assert verdict.status is Status.ON_TRACK and verdict.components["scale"] == "linear"
    assert any("linear" in note for note in verdict.components["notes"])


def test_open_sdg_ratio_by_hand() -> None:
    # realised CAGR 2015→2018: (1600/782.6)^(1/3) − 1 = 26.92%; required 30.83%;
    # R = 0.2692 / 0.3083 = 0.873 → moderate progress
    measure = sdg_progress(RETAIL, [Point(2018, 1600)])
    assert measure.category is SdgProgress.MODERATE
    assert measure.value == pytest.approx(0.8731, abs=1e-4)
    assert sdg_progress(RETAIL, [Point(2018, 3100)]).category is SdgProgress.ACHIEVED
    assert sdg_progress(RETAIL, [Point(2018, 700)]).category is SdgProgress.DETERIORATION
    no_target = IndicatorSpec("n", "n", "万", TargetForm.LEVEL, 2015, 2020, 100, None)
    # P = (101/100)^(1/3) − 1 = 0.33% a year: limited (below 0.5%)
    assert sdg_progress(no_target, [Point(2018, 101)]).category is SdgProgress.LIMITED
    assert sdg_progress(no_target, [Point(2018, 110)]).category is SdgProgress.SUBSTANTIAL


def test_open_sdg_replaces_a_zero_base() -> None:
    fresh = IndicatorSpec("z", "z", "个", TargetForm.LEVEL, 2015, 2020, 0, 50)
    measure = sdg_progress(fresh, [Point(2018, 30)])
    assert measure.components["base"] == 0 and measure.value is not None
    # (30/0.001)^(1/3) vs (50/0.001)^(1/5): R = 30.07 / 7.70 → substantial
    assert measure.category is SdgProgress.SUBSTANTIAL


def test_escap_gap_by_hand() -> None:
    # x̂2020 = 1600·1.2692² = 2577.4; G = (3000 − 2577.4)/(3000 − 782.6) = 0.1906 → accelerate
    measure = escap_gap(RETAIL, [Point(2018, 1600)])
    assert measure.category is EscapGap.ACCELERATE
    assert measure.value == pytest.approx(0.1906, abs=1e-4)
    assert escap_gap(RETAIL, [Point(2018, 2200)]).category is EscapGap.MAINTAIN
    assert escap_gap(RETAIL, [Point(2018, 700)]).category is EscapGap.REVERSE


FORMS = st.sampled_from(
    [TargetForm.LEVEL, TargetForm.GROWTH_RATE, TargetForm.PERCENTAGE_POINTS,
     TargetForm.CUMULATIVE_REDUCTION]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    form=FORMS,
    baseline=st.floats(1, 1e5),
    ratio=st.floats(0.2, 5).filter(lambda r: abs(r - 1) > 0.01),
    start=st.integers(1990, 2030),
    length=st.integers(2, 15),
    nature=st.sampled_from(list(Nature)),
    bound=st.sampled_from(list(Bound)),
)
def test_a_series_on_the_planned_path_is_on_schedule_every_year(
    form: TargetForm,
    baseline: float,
    ratio: float,
    start: int,
    length: int,
    nature: Nature,
    bound: Bound,
) -> None:
    target = baseline * ratio
    direction = Direction.HIGHER if ratio > 1 else Direction.LOWER
    if bound is Bound.AT_LEAST and direction is Direction.LOWER:
        bound = Bound.AT_MOST
    if bound is Bound.AT_MOST and direction is Direction.HIGHER:
        bound = Bound.AT_LEAST
    spec = IndicatorSpec(
        "p", "p", "", form, start, start + length, baseline, target,
        direction=direction, nature=nature, bound=bound,
    )  # fmt: skip
    points: list[Point] = []
    for year in range(start + 1, start + length + 1):
        points.append(Point(year, expected_value(spec, year)))
        status = ndrc_status(spec, points, StatusRules()).status
        expected = Status.ACHIEVED if year == start + length else Status.ON_TRACK
        assert status is expected, (year, points[-1], ndrc_status(spec, points))
