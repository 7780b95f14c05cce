"""Working days on the official Chinese calendar (法定节假日 and 调休).

Deadlines that "count working days" skip weekends and statutory holidays and count
the make-up working days (调休) the State Council announces each year. The shipped
calendar (``chinese-calendar``) knows the years it was released for; an operator adds
later years with a holiday file (``XIANGSHU_HOLIDAY_FILE``: ``date,kind,name`` rows, kind
``holiday`` or ``workday``). A year that neither knows is never silently counted as
ordinary weeks: either the count uses Monday–Friday and says the result is
*provisional* (the default; the worker recomputes provisional deadlines once the year
becomes known), or it is refused (``XIANGSHU_UNKNOWN_CALENDAR_YEARS=refuse``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from xiangshu.errors import ConfigurationError, Problem, invalid

BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True, slots=True)
class Deadline:
    day: date  # the last day, in Beijing
    provisional: bool  # counted over a year the calendar does not know

    @property
    def end(self) -> datetime:
        """The moment the deadline passes: midnight after its day, Beijing time."""
        return datetime.combine(self.day + timedelta(days=1), time(0), tzinfo=BEIJING)


@dataclass(frozen=True)
class WorkingCalendar:
    holidays: frozenset[date] = frozenset()  # days off that would be weekdays
    workdays: frozenset[date] = frozenset()  # make-up working days on weekends
    known_years: frozenset[int] = frozenset()
    refuse_unknown: bool = False
    names: dict[date, str] = field(default_factory=dict)

    @classmethod
    def official(
        cls, holiday_file: Path | None = None, *, refuse_unknown: bool = False
    ) -> WorkingCalendar:
        """The shipped calendar, extended by the operator's holiday file if given."""
        import chinese_calendar
        from chinese_calendar import constants

        holidays = {d for d in constants.holidays if d.weekday() < 5}
        workdays = set(constants.workdays)
        names = {d: str(getattr(n, "value", n)) for d, n in constants.holidays.items()}
        years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
        # The package marks the years it covers; trust only complete years.
        years = {y for y in years if _package_knows(chinese_calendar, y)}
        if holiday_file is not None:
            extra = read_holiday_file(holiday_file)
            for day, (kind, name) in extra.items():
                holidays.discard(day)
                workdays.discard(day)
                if kind == "holiday":
                    holidays.add(day)
                    names[day] = name
                else:
                    workdays.add(day)
            years |= {d.year for d in extra}
        return cls(
            frozenset(holidays),
            frozenset(workdays),
            frozenset(years),
            refuse_unknown=refuse_unknown,
            names=names,
        )

    def knows(self, year: int) -> bool:
        return year in self.known_years

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: date, count: int) -> Deadline:
        """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
        day, left, provisional = start, count, False
        while left > 0:
            day += timedelta(days=1)
            if not self.knows(day.year):
                if self.refuse_unknown:
                    raise ConfigurationError(
                        f"the official calendar of {day.year} is not known on this node; add it "
                        "to the holiday file (XIANGSHU_HOLIDAY_FILE) before setting deadlines "
                        "in that year"
                    )
                provisional = True
            if self.is_working_day(day):
                left -= 1
        return Deadline(day, provisional)

    def working_days_between(self, first: date, last: date) -> int:
        """Working days after ``first`` up to and including ``last`` (negative if earlier)."""
        if last < first:
            return -self.working_days_between(last, first)
        count, day = 0, first
        while day < last:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


def _package_knows(module: object, year: int) -> bool:
    try:
        module.is_workday(date(year, 7, 1))  # type: ignore[attr-defined]
        module.is_workday(date(year, 12, 31))  # type: ignore[attr-defined]
    except NotImplementedError:
        return False
    return True


def read_holiday_file(path: Path) -> dict[date, tuple[str, str]]:
    """``date,kind,name`` rows; every broken row is reported with its line."""
    found: dict[date, tuple[str, str]] = {}
    problems: list[Problem] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigurationError(f"cannot read the holiday file {path}: {exc}") from exc
    rows: Iterable[list[str]] = csv.reader(text.splitlines())
    for line, row in enumerate(rows, start=1):
        if not row or row[0].strip().lower() in ("", "date") or row[0].startswith("#"):
            continue
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError:
            problems.append(Problem("a date is YYYY-MM-DD", file=path.name, row=line, field="date"))
            continue
        kind = row[1].strip().lower() if len(row) > 1 else ""
        if kind not in ("holiday", "workday"):
            problems.append(
                Problem("kind is holiday or workday", file=path.name, row=line, field="kind")
            )
            continue
        found[day] = (kind, row[2].strip() if len(row) > 2 else "")
    if problems:
        raise invalid(problems, f"the holiday file {path} has broken rows")
    return found


def beijing_date(moment: datetime) -> date:
    return moment.astimezone(BEIJING).date()
