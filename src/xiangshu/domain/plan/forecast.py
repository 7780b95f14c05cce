"""Forecasts of an indicator to its target year, and the chance of meeting the target.

Short annual series favour very simple models (Hyndman, FPP §13.7): at least
three methods that fit the target's form, their median and spread, prediction
intervals, and P(target met) as the mean over the methods that give a
predictive distribution. See docs/plan.md, "Forecasts".
"""

from __future__ import annotations

import math
import statistics
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from scipy import stats

from xiangshu.domain.plan.indicators import (
    Bound,
    Direction,
    IndicatorSpec,
    Point,
    TargetForm,
)

LEVELS = (0.80, 0.95)


class Method(StrEnum):
    ENDPOINT = "endpoint"  # end-point CAGR (or average change on the linear scale)
    TREND = "trend"  # OLS trend: log-linear or linear
    RANDOM_WALK = "random_walk_drift"
    DAMPED = "damped_trend"  # ETS(A,Ad,N)

    @property
    def label_zh(self) -> str:
        return {
            "endpoint": "端点增速外推",
            "trend": "趋势回归",
            "random_walk_drift": "带漂移随机游走",
            "damped_trend": "阻尼趋势",
        }[self.value]


@dataclass(frozen=True, slots=True)
class Interval:
    level: float
    lower: float
    upper: float


@dataclass(frozen=True, slots=True)
class ConeStep:
    time: float
    median: float
    intervals: tuple[Interval, ...]


@dataclass(frozen=True, slots=True)
class MethodForecast:
    method: Method
    scale: str  # "log" or "linear"
    point: float
    intervals: tuple[Interval, ...] = ()
    p_meet: float | None = None
    path: tuple[ConeStep, ...] = ()


@dataclass(frozen=True, slots=True)
class ForecastRules:
    damped_min_points: int = 7  # ETS(A,Ad,N) only from this many annual points
    simulations: int = 2000  # paths simulated for the damped trend's intervals
    seed: int = 20160101  # the simulation's seed, so that runs repeat exactly


@dataclass(frozen=True, slots=True)
class Forecast:
    target_year: float
    methods: tuple[MethodForecast, ...] = ()
    median: float | None = None
    spread: float | None = None  # max − min of the methods' point forecasts
    p_meet: float | None = None
    cone: tuple[ConeStep, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    reason: str = ""

    @property
    def available(self) -> bool:
        return bool(self.methods)


def series_for(spec: IndicatorSpec, points: Sequence[Point]) -> list[tuple[float, float]]:
    """(time, value) pairs to forecast: the baseline first, then the observations.

    Cumulative flows are forecast as their running total from the baseline year.
    """
    ordered = sorted(points, key=lambda p: p.time)
    if spec.form is TargetForm.CUMULATIVE_FLOW:
        total, series = 0.0, [(float(spec.baseline_year), 0.0)]
        for p in ordered:
            if p.time > spec.baseline_year:
                total += p.value
                series.append((p.time, total))
        return series
    series = [(p.time, p.value) for p in ordered]
    if spec.baseline is not None and not any(
        math.isclose(t, spec.baseline_year) for t, _ in series
    ):
        series.insert(0, (float(spec.baseline_year), spec.baseline))
    return series


def log_scale_fits(spec: IndicatorSpec, values: Sequence[float]) -> bool:
    """Multiplicative growth on the log scale; shares, [Δ] and rates on the linear one."""
    if spec.is_rate or spec.is_percentage or spec.form is TargetForm.PERCENTAGE_POINTS:
        return False
    if spec.form is TargetForm.CUMULATIVE_FLOW:
        return False
    return all(v > 0 for v in values) and (spec.target is None or spec.target > 0)


def forecast(
    spec: IndicatorSpec, points: Sequence[Point], rules: ForecastRules = ForecastRules()
) -> Forecast:
    series = series_for(spec, points)
    horizon_end = float(spec.target_year)
    if len(series) < 2:
        return Forecast(horizon_end, reason="needs at least two values (baseline included)")
    times = np.array([t for t, _ in series])
    values = np.array([v for _, v in series])
    if times[-1] >= horizon_end:
        return Forecast(horizon_end, reason="the target year is already observed")
    log = log_scale_fits(spec, values.tolist())
    y = np.log(values) if log else values
    goal = _goal(spec, log)
    steps = _steps(times[-1], horizon_end)
    scale = "log" if log else "linear"
    found = [
        _endpoint(times, y, steps, scale),
        _trend(times, y, steps, scale, goal),
        _random_walk(times, y, steps, scale, goal),
    ]
    notes = []
    if len(series) >= rules.damped_min_points:
        damped = _damped(times, y, steps, scale, rules, goal)
        if isinstance(damped, str):
            notes.append(damped)
        else:
            found.append(damped)
    else:
        notes.append(
            f"damped trend needs {rules.damped_min_points} points; the series has {len(series)}"
        )
    return _combine(horizon_end, [_back(m, log, spec) for m in found], tuple(notes))


@dataclass(frozen=True, slots=True)
class _Goal:
    """The target on the fitting scale, and whether meeting it means being above it."""

    value: float
    above: bool

    def chance(self, below: float) -> float:
        """P(met) from P(value < target)."""
        return 1.0 - below if self.above else below


def _goal(spec: IndicatorSpec, log: bool) -> _Goal | None:
    if spec.target is None:
        return None
    above = spec.bound is Bound.AT_LEAST or (
        spec.bound is Bound.EXACT and spec.direction is Direction.HIGHER
    )
    return _Goal(math.log(spec.target) if log else spec.target, above)


def _steps(last: float, end: float) -> list[float]:
    """The years from the one after the last value to the target year."""
    return [float(year) for year in range(math.floor(last) + 1, math.floor(end) + 1)]


def _endpoint(t: np.ndarray, y: np.ndarray, steps: list[float], scale: str) -> MethodForecast:
    slope = (y[-1] - y[0]) / (t[-1] - t[0])
    path = tuple(ConeStep(s, float(y[-1] + slope * (s - t[-1])), ()) for s in steps)
    return MethodForecast(Method.ENDPOINT, scale, path[-1].median, (), None, path)


def _trend(
    t: np.ndarray, y: np.ndarray, steps: list[float], scale: str, goal: _Goal | None
) -> MethodForecast:
    n = len(t)
    slope, intercept = np.polyfit(t, y, 1)
    centre = t.mean()
    sxx = float(((t - centre) ** 2).sum())
    df = n - 2
    residual_sd = float(np.sqrt(((y - (intercept + slope * t)) ** 2).sum() / df)) if df > 0 else 0.0
    path, se = [], 0.0
    for s in steps:
        mean = float(intercept + slope * s)
        if df > 0 and residual_sd > 0:
            se = residual_sd * math.sqrt(1 + 1 / n + (s - centre) ** 2 / sxx)
            path.append(ConeStep(s, mean, _t_intervals(mean, se, df)))
        else:
            path.append(ConeStep(s, mean, ()))
    last = path[-1]
    p = None
    if goal is not None and se > 0:
        p = goal.chance(float(stats.t.cdf((goal.value - last.median) / se, df)))
    return MethodForecast(Method.TREND, scale, last.median, last.intervals, p, tuple(path))


def _t_intervals(mean: float, se: float, df: int) -> tuple[Interval, ...]:
    out = []
    for level in LEVELS:
        q = float(stats.t.ppf(0.5 + level / 2, df))
        out.append(Interval(level, mean - q * se, mean + q * se))
    return tuple(out)


def _normal_intervals(mean: float, se: float) -> tuple[Interval, ...]:
    out = []
    for level in LEVELS:
        q = float(stats.norm.ppf(0.5 + level / 2))
        out.append(Interval(level, mean - q * se, mean + q * se))
    return tuple(out)


def _random_walk(
    t: np.ndarray, y: np.ndarray, steps: list[float], scale: str, goal: _Goal | None
) -> MethodForecast:
    span = t[-1] - t[0]
    drift = (y[-1] - y[0]) / span
    gaps = np.diff(t)
    shocks = (np.diff(y) - drift * gaps) / np.sqrt(gaps)
    sigma = float(np.std(shocks, ddof=1)) if len(shocks) >= 2 else 0.0
    path, se = [], 0.0
    for s in steps:
        h = s - t[-1]
        mean = float(y[-1] + drift * h)
        se = sigma * math.sqrt(h * (1 + h / span))
        path.append(ConeStep(s, mean, _normal_intervals(mean, se) if se > 0 else ()))
    last = path[-1]
    p = None
    if goal is not None and se > 0:
        p = goal.chance(float(stats.norm.cdf((goal.value - last.median) / se)))
    return MethodForecast(Method.RANDOM_WALK, scale, last.median, last.intervals, p, tuple(path))


def _damped(
    t: np.ndarray,
    y: np.ndarray,
    steps: list[float],
    scale: str,
    rules: ForecastRules,
    goal: _Goal | None,
) -> MethodForecast | str:
    if not np.allclose(np.diff(t), 1.0):
        return "damped trend skipped: the values are not one a year"
    from statsmodels.tools.sm_exceptions import ConvergenceWarning
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    model = ETSModel(np.asarray(y, dtype=float), error="add", trend="add", damped_trend=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        try:
            fitted = model.fit(disp=False)
        except ConvergenceWarning:
            return "damped trend left out: its fit did not converge on this series"
    horizon = len(steps)
    means = np.asarray(fitted.forecast(horizon))
    sims = np.asarray(
        fitted.simulate(
            horizon,
            repetitions=rules.simulations,
            rng=np.random.default_rng(rules.seed),
            anchor="end",
        )
    ).reshape(horizon, -1)
    path = []
    for i, s in enumerate(steps):
        intervals = tuple(
            Interval(
                level,
                float(np.quantile(sims[i], 0.5 - level / 2)),
                float(np.quantile(sims[i], 0.5 + level / 2)),
            )
            for level in LEVELS
        )
        path.append(ConeStep(float(s), float(means[i]), intervals))
    last = path[-1]
    p = None if goal is None else goal.chance(float(np.mean(sims[-1] < goal.value)))
    return MethodForecast(Method.DAMPED, scale, last.median, last.intervals, p, tuple(path))


def _back(m: MethodForecast, log: bool, spec: IndicatorSpec) -> MethodForecast:
    """Return values to the indicator's scale (shares stay inside 0–100)."""

    def out(v: float) -> float:
        value = math.exp(v) if log else v
        if spec.is_percentage and spec.form is not TargetForm.CUMULATIVE_FLOW:
            value = min(max(value, 0.0), 100.0)
        return value

    def step(c: ConeStep) -> ConeStep:
        return ConeStep(
            c.time,
            out(c.median),
            tuple(Interval(i.level, out(i.lower), out(i.upper)) for i in c.intervals),
        )

    path = tuple(step(c) for c in m.path)
    last = path[-1]
    return MethodForecast(m.method, m.scale, last.median, last.intervals, m.p_meet, path)


def _combine(end: float, methods: list[MethodForecast], notes: tuple[str, ...]) -> Forecast:
    points = [m.point for m in methods]
    chances = [m.p_meet for m in methods if m.p_meet is not None]
    cone = []
    for i, s in enumerate(methods[0].path):
        medians = [m.path[i].median for m in methods]
        intervals = []
        for k, level in enumerate(LEVELS):
            found = [m.path[i].intervals[k] for m in methods if m.path[i].intervals]
            if found:
                intervals.append(
                    Interval(level, min(f.lower for f in found), max(f.upper for f in found))
                )
        cone.append(ConeStep(s.time, statistics.median(medians), tuple(intervals)))
    return Forecast(
        target_year=end,
        methods=tuple(methods),
        median=statistics.median(points),
        spread=max(points) - min(points),
        p_meet=sum(chances) / len(chances) if chances else None,
        cone=tuple(cone),
        notes=notes,
    )
