"""Synthetic values for the demo: plausible paths, labelled synthetic wherever they show.

Each indicator gets a pace (share of its planned path it keeps to) and small
noise from a seeded generator, so the demo shows every status and runs the same
every time. Nothing here is a real statistic.
"""

from __future__ import annotations

import random

from xiangshu.domain.plan.formulas import FormulaError, expected_value
from xiangshu.domain.plan.indicators import IndicatorSpec

PACES = (1.3, 1.15, 1.05, 1.02, 0.9, 0.7, -0.1)


def synthetic_path(
    spec: IndicatorSpec, years: list[int], rng: random.Random, *, start: float | None = None
) -> dict[int, float]:
    """Values for ``years`` on a path at a random pace of the plan's (or from ``start``)."""
    pace = rng.choice(PACES)
    found: dict[int, float] = {}
    for year in years:
        try:
            planned = expected_value(spec, spec.baseline_year + pace * (year - spec.baseline_year))
        except FormulaError:
            if start is None or spec.target is None:
                return {}
            share = (year - years[0]) / max(spec.target_year - years[0], 1)
            planned = start + (spec.target - start) * share * pace
        value = planned * (1 + rng.gauss(0, 0.01))
        if spec.is_percentage:
            value = min(max(value, 0.0), 100.0)
        found[year] = round(value, 2)
    return found
