"""The formulas behind every verdict (see docs/plan.md, "The method").

Each function is small and checked against hand-computed values in
``tests/domain/plan/test_formulas.py``.
"""

from __future__ import annotations

import math

from xiangshu.domain.plan.indicators import IndicatorSpec, TargetForm

# Open SDG replaces a zero base by this value before taking growth rates.
ZERO_BASE = 0.001


class FormulaError(ValueError):
    """A formula does not apply to these numbers (the reason is the message)."""


def time_elapsed(baseline_year: float, target_year: float, at: float) -> float:
    """τ = (c − t0) / (T − t0): the share of the plan period gone at time ``at``."""
    if target_year <= baseline_year:
        raise FormulaError("the target year must come after the baseline year")
    return (at - baseline_year) / (target_year - baseline_year)


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate from ``start`` to ``end`` over ``years`` (a fraction)."""
    if years <= 0:
        raise FormulaError("a growth rate needs a positive number of years")
    if start == 0 or end == 0:
        raise FormulaError("no growth rate from or to zero")
    if (start > 0) != (end > 0):
        raise FormulaError("no growth rate across a change of sign")
    return float((end / start) ** (1.0 / years) - 1.0)


def planned_growth(spec: IndicatorSpec) -> float:
    """The annual growth the plan implies: from baseline and target if both are known
    (the path must end at the target), else the stated 年均增速."""
    if spec.baseline is not None and spec.target is not None:
        return cagr(spec.baseline, spec.target, spec.years)
    if spec.stated_growth is not None:
        return spec.stated_growth / 100.0
    raise FormulaError("neither a baseline and target nor a stated growth rate")


def uses_log_scale(spec: IndicatorSpec) -> bool:
    """Progress on the log scale: growth and reduction targets with positive values."""
    return (
        spec.form.multiplicative
        and not spec.is_rate
        and spec.baseline is not None
        and spec.target is not None
        and spec.baseline > 0
        and spec.target > 0
    )


def expected_value(spec: IndicatorSpec, at: float) -> float:
    """E(t): where the indicator should be at time ``at`` on the plan's path.

    Linear for levels and [Δ] changes, geometric for growth rates and cumulative
    reductions, N·τ for cumulative flows (the running total).
    """
    tau = time_elapsed(spec.baseline_year, spec.target_year, at)
    if spec.form is TargetForm.CUMULATIVE_FLOW:
        if spec.target is None:
            raise FormulaError("a cumulative flow needs its total")
        return spec.target * tau
    if spec.baseline is None or spec.target is None:
        raise FormulaError("the expected path needs a baseline and a target")
    if uses_log_scale(spec):
        return float(spec.baseline * (spec.target / spec.baseline) ** tau)
    return spec.baseline + (spec.target - spec.baseline) * tau


def task_progress(spec: IndicatorSpec, value: float) -> float:
    """p: the share of the planned change done, on the scale that fits the form.

    ``value`` is the level (or, for cumulative flows, the running total).
    On the plan's path p equals τ whatever the form.
    """
    if spec.form is TargetForm.CUMULATIVE_FLOW:
        if not spec.target:
            raise FormulaError("a cumulative flow needs a non-zero total")
        return value / spec.target
    if spec.baseline is None or spec.target is None:
        raise FormulaError("progress needs a baseline and a target")
    if spec.maintain:
        raise FormulaError("the target keeps the baseline: there is no change to measure")
    if uses_log_scale(spec):
        if value <= 0:
            raise FormulaError("a non-positive value has no place on a growth path")
        return math.log(value / spec.baseline) / math.log(spec.target / spec.baseline)
    return (value - spec.baseline) / (spec.target - spec.baseline)


def implied_change(spec: IndicatorSpec) -> float | None:
    """Target minus baseline (the [Δ] the plan should print), when both are known."""
    if spec.baseline is None or spec.target is None:
        return None
    return spec.target - spec.baseline
