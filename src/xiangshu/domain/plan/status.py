"""Status at a point in time in NDRC's categories, with every component kept.

提前实现 achieved early · 快于预期 ahead · 基本符合预期 on schedule · 滞后 lagging ·
倒退 moving away. Binding (约束性) indicators get no tolerance. After the
target year the verdict is 已实现 / 未实现.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from xiangshu.domain.plan.formulas import (
    FormulaError,
    cagr,
    expected_value,
    task_progress,
    time_elapsed,
    uses_log_scale,
)
from xiangshu.domain.plan.indicators import (
    IndicatorSpec,
    Nature,
    Point,
    Qualifier,
    TargetForm,
    ValueStatus,
    meets_target,
)

# Comparisons of p with τ allow for floating-point error only.
ROUNDING = 1e-9


class Status(StrEnum):
    ACHIEVED_EARLY = "achieved_early"  # 提前实现
    AHEAD = "ahead"  # 快于预期
    ON_TRACK = "on_track"  # 基本符合预期
    LAGGING = "lagging"  # 滞后
    REGRESSING = "regressing"  # 倒退
    ACHIEVED = "achieved"  # 已实现 (at or after the target year)
    NOT_ACHIEVED = "not_achieved"  # 未实现
    NO_DATA = "no_data"  # 无数据
    NOT_ASSESSABLE = "not_assessable"  # 无法评估

    @property
    def label_zh(self) -> str:
        return STATUS_LABELS_ZH[self]

    @property
    def is_concern(self) -> bool:
        """A status that puts the indicator on the accountability list."""
        return self in (Status.LAGGING, Status.REGRESSING, Status.NOT_ACHIEVED)


STATUS_LABELS_ZH = {
    Status.ACHIEVED_EARLY: "提前实现",
    Status.AHEAD: "快于预期",
    Status.ON_TRACK: "基本符合预期",
    Status.LAGGING: "滞后",
    Status.REGRESSING: "倒退",
    Status.ACHIEVED: "已实现",
    Status.NOT_ACHIEVED: "未实现",
    Status.NO_DATA: "无数据",
    Status.NOT_ASSESSABLE: "无法评估",
}

# The order the overview counts them in (NDRC's mid-term evaluation order first).
STATUS_ORDER = tuple(STATUS_LABELS_ZH)


@dataclass(frozen=True, slots=True)
class StatusRules:
    """ε and the tolerance of the status rule (settings; see docs/settings.md)."""

    ahead_margin: float = 0.1  # ε: p ≥ τ + ε is ahead of schedule
    tolerance: float = 0.05  # expected indicators on schedule from (1 − tolerance)·τ


@dataclass(frozen=True, slots=True)
class Verdict:
    """A status and everything it was decided on."""

    status: Status
    reason: str
    components: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Basis:
    """The baseline the verdict uses, the latest evidence, and notes on both."""

    spec: IndicatorSpec
    latest: Point
    level: float  # the latest level, or the running total of a cumulative flow
    notes: tuple[str, ...]
    has_base: bool = True


def running_total(spec: IndicatorSpec, points: Sequence[Point]) -> float:
    """Sum of the flows observed after the baseline year (cumulative-flow indicators)."""
    return sum(p.value for p in points if p.time > spec.baseline_year)


def basis_for(spec: IndicatorSpec, points: Sequence[Point]) -> Basis | Verdict:
    """Settle the baseline (substituting the first observation if the plan has none)."""
    ordered = sorted(points, key=lambda p: p.time)
    if not ordered:
        return Verdict(Status.NO_DATA, "no observed value yet", {"points": 0})
    latest = ordered[-1]
    notes: list[str] = []
    if spec.form is TargetForm.CUMULATIVE_FLOW:
        return Basis(spec, latest, running_total(spec, ordered), ())
    if spec.baseline is None:
        first = ordered[0]
        if len(ordered) < 2 or first.time >= spec.target_year:
            notes.append("no baseline in the plan and not two observations to use instead")
            return Basis(spec, latest, latest.value, tuple(notes), has_base=False)
        notes.append(
            f"no baseline in the plan: the first observation ({first.time:.2f}: "
            f"{first.value:g}) is used as the base"
        )
        spec = _with_baseline(spec, first)
    return Basis(spec, latest, latest.value, tuple(notes))


def _with_baseline(spec: IndicatorSpec, first: Point) -> IndicatorSpec:
    return replace(spec, baseline=first.value, baseline_year=first.time)


def evidence(points: Sequence[Point]) -> dict[str, Any]:
    """What the evidence is made of: counts of synthetic, provisional and hedged values."""
    return {
        "points": len(points),
        "synthetic_points": sum(p.synthetic for p in points),
        "provisional_points": sum(p.status is ValueStatus.PROVISIONAL for p in points),
        "hedged_points": sum(p.qualifier is not Qualifier.EXACT for p in points),
    }


def ndrc_status(
    spec: IndicatorSpec, points: Sequence[Point], rules: StatusRules = StatusRules()
) -> Verdict:
    """The status of ``spec`` given the ``points`` observed so far (none after the cut-off)."""
    found = basis_for(spec, points)
    if isinstance(found, Verdict):
        return found
    base = found.spec
    latest = found.latest
    components: dict[str, Any] = {
        "form": spec.form.value,
        "nature": spec.nature.value,
        "direction": int(spec.direction),
        "bound": spec.bound.value,
        "baseline_year": base.baseline_year,
        "baseline": base.baseline,
        "target_year": spec.target_year,
        "target": spec.target,
        "latest_time": round(latest.time, 4),
        "latest_value": latest.value,
        "latest_synthetic": latest.synthetic,
        "latest_qualifier": latest.qualifier.value,
        "level": found.level,
        **evidence(points),
        "notes": list(found.notes),
    }
    if spec.target is None:
        return Verdict(Status.NOT_ASSESSABLE, "the plan gives no target value", components)
    met = meets_target(spec, found.level)
    after_end = latest.time >= spec.target_year - ROUNDING
    if met:
        status = Status.ACHIEVED if after_end else Status.ACHIEVED_EARLY
        return Verdict(status, "the latest value meets the target", components)
    if after_end:
        return Verdict(
            Status.NOT_ACHIEVED, "the target year has passed without the target met", components
        )
    if not found.has_base:
        return Verdict(
            Status.NOT_ASSESSABLE,
            "the plan gives no baseline and there are not two observations to use instead",
            components,
        )
    return _on_the_path(base, found.level, latest.time, rules, components)


def _on_the_path(
    spec: IndicatorSpec, level: float, at: float, rules: StatusRules, components: dict[str, Any]
) -> Verdict:
    tau = time_elapsed(spec.baseline_year, spec.target_year, at)
    components["tau"] = tau
    if spec.maintain:
        components["progress"] = None
        return Verdict(
            Status.REGRESSING, "the target keeps the baseline and the value fell short", components
        )
    try:
        progress = task_progress(spec, level)
        components["expected"] = expected_value(spec, at)
    except FormulaError as error:
        return Verdict(Status.NOT_ASSESSABLE, str(error), components)
    log_scale = uses_log_scale(spec)
    components["scale"] = "log" if log_scale else "linear"
    if spec.form.multiplicative and not log_scale:
        components["notes"].append("zero or negative values: linear progress used instead of log")
    components["progress"] = progress
    _growth_components(spec, level, at, components)
    binding = spec.nature is Nature.BINDING
    lower = tau if binding else (1.0 - rules.tolerance) * tau
    upper = tau + rules.ahead_margin
    components["threshold_on_track"] = lower
    components["threshold_ahead"] = upper
    if progress >= upper - ROUNDING:
        return Verdict(Status.AHEAD, f"p = {progress:.3f} ≥ τ + ε = {upper:.3f}", components)
    if progress >= lower - ROUNDING:
        rule = "τ (binding: no tolerance)" if binding else f"{1 - rules.tolerance:g}·τ"
        return Verdict(Status.ON_TRACK, f"p = {progress:.3f} ≥ {rule} = {lower:.3f}", components)
    if progress >= -ROUNDING:
        return Verdict(Status.LAGGING, f"0 ≤ p = {progress:.3f} < {lower:.3f}", components)
    return Verdict(Status.REGRESSING, f"p = {progress:.3f} < 0: moving away", components)


def _growth_components(
    spec: IndicatorSpec, level: float, at: float, components: dict[str, Any]
) -> None:
    """Realised against planned annual growth, where growth rates make sense."""
    if spec.is_rate or spec.baseline is None or spec.target is None:
        return
    try:
        components["planned_growth"] = cagr(spec.baseline, spec.target, spec.years)
        components["realised_growth"] = cagr(spec.baseline, level, at - spec.baseline_year)
    except FormulaError:
        components.pop("planned_growth", None)
