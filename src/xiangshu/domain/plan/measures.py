"""Anticipated progress: Open SDG / Statistics Canada's ratio and ESCAP's gap.

Both keep every component, as Open SDG does for audit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from xiangshu.domain.plan.formulas import ZERO_BASE, FormulaError, cagr
from xiangshu.domain.plan.indicators import IndicatorSpec, Point, TargetForm, meets_target

# Statistics Canada's thresholds (Open SDG sdg-build defaults).
HIGH = 0.95
MIDDLE = 0.60
NO_TARGET_HIGH = 0.015
NO_TARGET_MIDDLE = 0.005


class SdgProgress(StrEnum):
    ACHIEVED = "target_achieved"
    SUBSTANTIAL = "substantial_progress"
    MODERATE = "moderate_progress"
    LIMITED = "limited_progress"
    DETERIORATION = "deterioration"
    NOT_AVAILABLE = "not_available"

    @property
    def label_zh(self) -> str:
        return {
            "target_achieved": "目标已实现",
            "substantial_progress": "进展显著",
            "moderate_progress": "进展一般（需加快）",
            "limited_progress": "进展有限",
            "deterioration": "倒退",
            "not_available": "无法计算",
        }[self.value]


class EscapGap(StrEnum):
    MAINTAIN = "maintain"  # G ≤ 0: on track
    ACCELERATE = "accelerate"  # 0 < G ≤ 1
    REVERSE = "reverse"  # G > 1: the trend runs the wrong way
    NOT_AVAILABLE = "not_available"

    @property
    def label_zh(self) -> str:
        return {
            "maintain": "保持",
            "accelerate": "需加快",
            "reverse": "需扭转趋势",
            "not_available": "无法计算",
        }[self.value]


@dataclass(frozen=True, slots=True)
class Measure:
    category: str
    value: float | None
    reason: str
    components: dict[str, Any] = field(default_factory=dict)


def _base_and_latest(
    spec: IndicatorSpec, points: Sequence[Point]
) -> tuple[float, float, Point] | str:
    """(t0, x0, latest) for growth-based measures, or why there are none."""
    if spec.is_rate:
        return "the indicator is itself a rate: compared as a level, no growth rates"
    if spec.form is TargetForm.CUMULATIVE_FLOW:
        return "a cumulative flow has no growth rate of its own"
    ordered = sorted(points, key=lambda p: p.time)
    if not ordered:
        return "no observed value"
    latest = ordered[-1]
    if spec.baseline is not None:
        t0, x0 = float(spec.baseline_year), spec.baseline
    else:
        t0, x0 = ordered[0].time, ordered[0].value
    if latest.time <= t0:
        return "needs two years of data"
    return t0, x0, latest


def _components(spec: IndicatorSpec, t0: float, x0: float, latest: Point) -> dict[str, Any]:
    """What both measures are computed from, kept with them."""
    return {
        "base_year": t0,
        "base": x0,
        "current_year": latest.time,
        "current": latest.value,
        "target_year": spec.target_year,
        "target": spec.target,
        "direction": int(spec.direction),
    }


def sdg_progress(spec: IndicatorSpec, points: Sequence[Point]) -> Measure:
    """R = s·d·CAGR(x0→xc) / |CAGR(x0→x*)|, or P = s·d·CAGR without a target."""
    found = _base_and_latest(spec, points)
    if isinstance(found, str):
        return Measure(SdgProgress.NOT_AVAILABLE, None, found)
    t0, x0, latest = found
    xc = latest.value
    components = _components(spec, t0, x0, latest)
    if spec.target is not None and meets_target(spec, xc):
        return Measure(SdgProgress.ACHIEVED, None, "the current value meets the target", components)
    if x0 != 0 and xc != 0 and (x0 > 0) != (xc > 0):
        return Measure(
            SdgProgress.NOT_AVAILABLE, None, "base and current differ in sign", components
        )
    base = ZERO_BASE if x0 == 0 else x0
    current = ZERO_BASE if xc == 0 else xc
    sign = 1 if base > 0 else -1
    d = int(spec.direction)
    realised = cagr(base, current, latest.time - t0)
    components.update(sign=sign, realised_cagr=realised)
    if spec.target is None or math.isclose(spec.target, x0):
        value = sign * d * realised
        components["ratio_kind"] = "P (no target)"
        return Measure(_no_target_category(value), value, f"P = {value:.4f}", components)
    try:
        needed = cagr(base, spec.target, spec.target_year - t0)
    except FormulaError as error:
        return Measure(SdgProgress.NOT_AVAILABLE, None, str(error), components)
    value = sign * d * realised / abs(needed)
    components.update(required_cagr=needed, ratio_kind="R (with target)")
    return Measure(_ratio_category(value), value, f"R = {value:.3f}", components)


def _ratio_category(ratio: float) -> SdgProgress:
    if ratio >= HIGH:
        return SdgProgress.SUBSTANTIAL
    if ratio >= MIDDLE:
        return SdgProgress.MODERATE
    if ratio >= 0:
        return SdgProgress.LIMITED
    return SdgProgress.DETERIORATION


def _no_target_category(value: float) -> SdgProgress:
    if value >= NO_TARGET_HIGH:
        return SdgProgress.SUBSTANTIAL
    if value >= NO_TARGET_MIDDLE:
        return SdgProgress.MODERATE
    if value >= 0:
        return SdgProgress.LIMITED
    return SdgProgress.DETERIORATION


def escap_gap(spec: IndicatorSpec, points: Sequence[Point]) -> Measure:
    """x̂T = xc·(1 + CAGR_e)^(T − c); G = (x* − x̂T) / (x* − x0)."""
    found = _base_and_latest(spec, points)
    if isinstance(found, str):
        return Measure(EscapGap.NOT_AVAILABLE, None, found)
    t0, x0, latest = found
    if spec.target is None:
        return Measure(EscapGap.NOT_AVAILABLE, None, "no target")
    if math.isclose(spec.target, x0):
        return Measure(EscapGap.NOT_AVAILABLE, None, "the target keeps the base: no gap to close")
    xc = latest.value
    components = _components(spec, t0, x0, latest)
    try:
        rate = cagr(x0, xc, latest.time - t0)
    except FormulaError as error:
        return Measure(EscapGap.NOT_AVAILABLE, None, str(error), components)
    projected = xc * (1 + rate) ** max(spec.target_year - latest.time, 0.0)
    gap = (spec.target - projected) / (spec.target - x0)
    components.update(cagr=rate, projected=projected, gap=gap)
    if gap <= 0:
        category = EscapGap.MAINTAIN
    elif gap <= 1:
        category = EscapGap.ACCELERATE
    else:
        category = EscapGap.REVERSE
    return Measure(category, gap, f"G = {gap:.3f}", components)
