"""Per-indicator data in Open SDG's layout: one CSV per indicator (Year, the
disaggregations, Value), and the same as JSON with its metadata.

Rows with every disaggregation empty are the headline series: the real observed
values. Synthetic values sit in their own series (``Synthetic`` = 合成数据), so a
chart or download that keeps to the headline never mixes them in; targets and
the plan's expected path are series of their own too.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from xiangshu.domain.plan.formulas import FormulaError, expected_value
from xiangshu.plan_report.views import IndicatorView

COLUMNS = (
    "Year", "Series", "Synthetic", "Units", "Value", "PeriodEnd", "Status", "Qualifier", "Source",
)  # fmt: skip
SYNTHETIC = "合成数据"


def _rows(view: IndicatorView) -> list[dict[str, Any]]:
    unit = view.indicator.unit
    rows = [
        {
            "Year": o.period_end.year,
            "Series": "",
            "Synthetic": SYNTHETIC if o.synthetic else "",
            "Units": unit,
            "Value": o.value,
            "PeriodEnd": o.period_end.isoformat(),
            "Status": o.status,
            "Qualifier": "" if o.qualifier == "exact" else o.qualifier,
            "Source": o.source_url or o.source,
        }
        for o in view.observations
        if o.is_current
    ]
    spec = view.spec
    for year in range(int(spec.baseline_year), int(spec.target_year) + 1):
        try:
            value = expected_value(spec, year)
        except FormulaError:
            break
        rows.append({"Year": year, "Series": "预期路径", "Units": unit, "Value": round(value, 4)})
    if spec.target is not None:
        rows.append(
            {"Year": int(spec.target_year), "Series": "目标值", "Units": unit, "Value": spec.target}
        )
    return rows


def indicator_csv(view: IndicatorView) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(_rows(view))
    return out.getvalue()


def indicator_json(view: IndicatorView) -> dict[str, Any]:
    """Open SDG's column-wise data, with the indicator's metadata and its verdict."""
    rows = _rows(view)
    i = view.indicator
    return {
        "meta": {
            "indicator_number": i.number,
            "indicator_name": i.name,
            "plan": i.plan_code,
            "unit": i.unit,
            "nature": i.nature,
            "direction": i.direction,
            "target_form": i.form,
            "bound": i.bound,
            "baseline_year": i.baseline_year,
            "baseline": i.baseline,
            "target_year": i.target_year,
            "target": i.target,
            "target_text": i.target_text,
            "responsible_units": i.responsible_units,
            "notes": i.notes,
            "contains_synthetic": view.has_synthetic,
        },
        "data": {column: [row.get(column, "") for row in rows] for column in COLUMNS},
        "evaluation": view.detail or None,
    }
