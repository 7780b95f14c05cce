"""One indicator's whole evaluation at a year: status, measures, forecast, final verdict."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from xiangshu.domain.plan.final import FinalEvaluation, final_evaluation
from xiangshu.domain.plan.forecast import Forecast, ForecastRules, forecast
from xiangshu.domain.plan.formulas import FormulaError, expected_value
from xiangshu.domain.plan.indicators import IndicatorSpec, Point
from xiangshu.domain.plan.measures import Measure, escap_gap, sdg_progress
from xiangshu.domain.plan.status import StatusRules, Verdict, ndrc_status


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    as_of: int
    verdict: Verdict
    sdg: Measure
    escap: Measure
    forecast: Forecast
    final: FinalEvaluation | None
    time_elapsed: float | None  # τ at the end of the evaluation year
    expected_at_year: float | None
    years_since_last: float | None

    def detail(self) -> dict[str, Any]:
        """Everything behind the verdict, as plain JSON values (stored with the result)."""
        plain: dict[str, Any] = _plain(
            {
                "as_of": self.as_of,
                "status": self.verdict.status.value,
                "reason": self.verdict.reason,
                "components": self.verdict.components,
                "time_elapsed": self.time_elapsed,
                "expected_at_year": self.expected_at_year,
                "years_since_last": self.years_since_last,
                "sdg": asdict(self.sdg),
                "escap": asdict(self.escap),
                "forecast": asdict(self.forecast),
                "final": asdict(self.final) if self.final else None,
            }
        )
        return plain


def _plain(value: Any) -> Any:
    """JSON-safe: enums to their values, NaN and infinities to None, tuples to lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "value") and isinstance(value.value, str | int):
        return value.value
    if isinstance(value, bool | int | str) or value is None:
        return value
    return float(value)


def evaluate_indicator(
    spec: IndicatorSpec,
    points: Sequence[Point],
    as_of: int,
    rules: StatusRules | None = None,
    forecast_rules: ForecastRules | None = None,
) -> IndicatorResult:
    """Judge ``spec`` at the end of year ``as_of`` on the values known by then."""
    rules = rules or StatusRules()
    forecast_rules = forecast_rules or ForecastRules()
    known = sorted((p for p in points if p.time <= as_of + 1e-9), key=lambda p: p.time)
    tau: float | None = None
    expected: float | None = None
    if spec.target_year > spec.baseline_year:
        tau = (as_of - spec.baseline_year) / (spec.target_year - spec.baseline_year)
        try:
            expected = expected_value(spec, min(as_of, spec.target_year))
        except FormulaError:
            expected = None
    final = final_evaluation(spec, known) if as_of >= spec.target_year else None
    return IndicatorResult(
        as_of=as_of,
        verdict=ndrc_status(spec, known, rules),
        sdg=sdg_progress(spec, known),
        escap=escap_gap(spec, known),
        forecast=forecast(spec, known, forecast_rules),
        final=final,
        time_elapsed=tau,
        expected_at_year=expected,
        years_since_last=(as_of - known[-1].time) if known else None,
    )
