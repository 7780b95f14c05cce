"""Consistency of a plan's indicator table: report what disagrees, refuse nothing.

- the stated 年均增速 against the one baseline and target imply;
- the stated [Δ] against target minus baseline;
- missing baselines and targets;
- units (a [Δ] on a quantity that is not a percentage, a share above 100%);
- direction (a higher-is-better target below its baseline).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from xiangshu.domain.plan.formulas import FormulaError, cagr
from xiangshu.domain.plan.indicators import Direction, IndicatorSpec, TargetForm


class Severity(StrEnum):
    INFO = "info"  # 提示
    WARNING = "warning"  # 不一致

    @property
    def label_zh(self) -> str:
        return "提示" if self is Severity.INFO else "不一致"


class Check(StrEnum):
    GROWTH = "growth"
    CHANGE = "change"
    BASELINE = "baseline"
    TARGET = "target"
    UNIT = "unit"
    DIRECTION = "direction"


@dataclass(frozen=True, slots=True)
class Finding:
    number: str
    check: Check
    severity: Severity
    message: str
    stated: float | None = None
    implied: float | None = None


def half_unit(value: float) -> float:
    """Half a unit of the last digit printed: 28.3 → 0.05, 22 → 0.5."""
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return 0.5 * 10.0**-places


def check_indicator(spec: IndicatorSpec, *, growth_tolerance: float = 1.0) -> list[Finding]:
    """Every disagreement in one row. ``growth_tolerance`` (percentage points) separates
    a stated rate that is merely rounded loosely (info) from one that disagrees (warning)."""
    found: list[Finding] = []
    n = spec.number
    if spec.baseline is None:
        found.append(
            Finding(
                n,
                Check.BASELINE,
                Severity.WARNING,
                "no baseline value: progress will be measured from the first observation",
            )
        )
    if spec.target is None:
        found.append(Finding(n, Check.TARGET, Severity.WARNING, "no target value"))
    found += _growth(spec, growth_tolerance)
    found += _change(spec)
    found += _units(spec)
    found += _direction(spec)
    return found


def _growth(spec: IndicatorSpec, tolerance: float) -> list[Finding]:
    if spec.stated_growth is None or spec.baseline is None or spec.target is None:
        return []
    try:
        implied = 100 * cagr(spec.baseline, spec.target, spec.years)
    except FormulaError as error:
        return [Finding(spec.number, Check.GROWTH, Severity.WARNING, str(error))]
    stated = spec.stated_growth
    gap = abs(implied - stated)
    if gap <= half_unit(stated) + 1e-9:
        return []
    at_stated = spec.baseline * (1 + stated / 100) ** spec.years
    message = (
        f"stated growth {stated:g}% a year, but {spec.baseline:g} → {spec.target:g} over "
        f"{spec.years:g} years implies {implied:.1f}%; at {stated:g}% the target year's value "
        f"would be {at_stated:,.1f} ({(at_stated / spec.target - 1) * 100:+.1f}% against "
        "the target)"
    )
    severity = Severity.INFO if gap <= tolerance else Severity.WARNING
    return [Finding(spec.number, Check.GROWTH, severity, message, stated, round(implied, 2))]


def _change(spec: IndicatorSpec) -> list[Finding]:
    if spec.stated_change is None or spec.baseline is None or spec.target is None:
        return []
    if spec.form is TargetForm.CUMULATIVE_REDUCTION:
        return []
    implied = spec.target - spec.baseline
    if abs(implied - spec.stated_change) <= half_unit(spec.stated_change) + 1e-9:
        return []
    return [
        Finding(
            spec.number,
            Check.CHANGE,
            Severity.WARNING,
            f"stated change [{spec.stated_change:g}] but target − baseline = "
            f"{spec.target:g} − {spec.baseline:g} = {implied:g}",
            spec.stated_change,
            round(implied, 4),
        )
    ]


def _units(spec: IndicatorSpec) -> list[Finding]:
    found = []
    n = spec.number
    if spec.form is TargetForm.PERCENTAGE_POINTS and not spec.is_percentage:
        found.append(
            Finding(
                n,
                Check.UNIT,
                Severity.WARNING,
                f"a change in percentage points on a quantity in {spec.unit or 'no unit'}",
            )
        )
    if spec.is_percentage:
        for label, value in (("baseline", spec.baseline), ("target", spec.target)):
            if value is not None and not 0 <= value <= 100:
                found.append(
                    Finding(n, Check.UNIT, Severity.WARNING, f"a share's {label} of {value:g}%")
                )
        if spec.form is TargetForm.GROWTH_RATE:
            found.append(
                Finding(
                    n,
                    Check.UNIT,
                    Severity.INFO,
                    "an annual growth rate of a share: a [Δ] in points is the usual form",
                )
            )
    if spec.is_rate and spec.form is TargetForm.GROWTH_RATE:
        found.append(
            Finding(
                n,
                Check.UNIT,
                Severity.WARNING,
                "the indicator is itself a rate; its target is compared as a level",
            )
        )
    return found


def _direction(spec: IndicatorSpec) -> list[Finding]:
    if spec.baseline is None or spec.target is None or math.isclose(spec.baseline, spec.target):
        return []
    rising = spec.target > spec.baseline
    if rising == (spec.direction is Direction.HIGHER):
        return []
    return [
        Finding(
            spec.number,
            Check.DIRECTION,
            Severity.WARNING,
            f"{spec.direction.label_zh} but the target ({spec.target:g}) moves the other way "
            f"from the baseline ({spec.baseline:g})",
        )
    ]
