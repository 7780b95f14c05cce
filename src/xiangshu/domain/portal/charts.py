"""A chart for a dataset whose data has a time column and a numeric column (pure).

``chart_plan`` picks the columns: the first date-like item (a date, a year or a month
by its type or name) and the first numeric item that is not part of the key. The
values come from an aggregate query (sum by period); ``bars`` lays them out as SVG
rectangles so the chart shows without JavaScript.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xiangshu.domain.data_items import DataItem, DataItemType

TIME_NAMES = ("年度", "年份", "年月", "月份", "日期", "时间", "统计月份")
NUMERIC = (
    DataItemType.NUMERIC,
    DataItemType.CURRENCY,
    DataItemType.INTEGER,
    DataItemType.DOUBLE,
    DataItemType.FLOAT,
)
MAX_POINTS = 40


@dataclass(frozen=True, slots=True)
class ChartPlan:
    time_field: str
    time_name: str
    value_field: str
    value_name: str
    by_year: bool  # group dates by year (many distinct days)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float


def chart_plan(items: Sequence[DataItem]) -> ChartPlan | None:
    times = [
        i
        for i in items
        if i.type in (DataItemType.DATE, DataItemType.DATETIME)
        or (i.type is DataItemType.CHAR and any(n in i.name for n in TIME_NAMES))
    ]
    values = [i for i in items if i.type in NUMERIC and not i.is_key]
    if not times or not values:
        return None
    time, value = times[0], values[0]
    return ChartPlan(
        time_field=time.field,
        time_name=time.name,
        value_field=value.field,
        value_name=value.name,
        by_year=time.type in (DataItemType.DATE, DataItemType.DATETIME),
    )


def chart_sql(plan: ChartPlan, table: str) -> str:
    """The aggregate over the dataset (field names are checked data-item identifiers)."""
    period = (
        f'substr(CAST("{plan.time_field}" AS TEXT), 1, 4)'
        if plan.by_year
        else f'"{plan.time_field}"'
    )
    return (
        f'SELECT {period} AS period, SUM("{plan.value_field}") AS total '  # noqa: S608
        f'FROM "{table}" WHERE "{plan.time_field}" IS NOT NULL '
        f"GROUP BY {period} ORDER BY period"
    )


def bars(
    points: Sequence[tuple[str, float]], *, width: float = 640, height: float = 220
) -> list[Bar]:
    shown = list(points)[-MAX_POINTS:]
    if not shown:
        return []
    top = max((v for _, v in shown), default=0.0) or 1.0
    slot = width / len(shown)
    out = []
    for index, (label, value) in enumerate(shown):
        h = max(0.0, value) / top * (height - 30)
        out.append(
            Bar(
                label=label,
                value=value,
                x=round(index * slot + slot * 0.15, 1),
                y=round(height - 20 - h, 1),
                width=round(slot * 0.7, 1),
                height=round(h, 1),
            )
        )
    return out
