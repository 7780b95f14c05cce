"""When responsible units report: reporting periods and deadlines in working days.

Deadlines count official working days (chinese-calendar knows the holidays and
the make-up working days the State Council announces each year); for years
the calendar does not know yet, weekends alone are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class Period:
    label: str  # 2026Q3, 2026H2, 2026
    start: date
    end: date


def _quarter(year: int, q: int) -> Period:
    start = date(year, 3 * q - 2, 1)
    end = (date(year, 3 * q + 1, 1) if q < 4 else date(year + 1, 1, 1)) - timedelta(days=1)
    return Period(f"{year}Q{q}", start, end)


def periods(cadence: str, first_year: int, last_year: int) -> list[Period]:
    """Every reporting period of a cadence from ``first_year`` to ``last_year``."""
    found: list[Period] = []
    for year in range(first_year, last_year + 1):
        if cadence == "quarterly":
            found += [_quarter(year, q) for q in (1, 2, 3, 4)]
        elif cadence == "half_yearly":
            found += [
                Period(f"{year}H1", date(year, 1, 1), date(year, 6, 30)),
                Period(f"{year}H2", date(year, 7, 1), date(year, 12, 31)),
            ]
        elif cadence == "yearly":
            found.append(Period(str(year), date(year, 1, 1), date(year, 12, 31)))
    return found


def is_working_day(day: date) -> bool:
    """Official working day; weekends only where the calendar has no data for the year."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: date, count: int) -> date:
    """The ``count``-th working day after ``start``."""
    day = start
    left = count
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def due_date(period: Period, working_days: int) -> date:
    return add_working_days(period.end, working_days)


def period_of(label: str, cadence: str) -> Period | None:
    year_text = label[:4]
    if not year_text.isdigit():
        return None
    year = int(year_text)
    return next((p for p in periods(cadence, year, year) if p.label == label), None)
