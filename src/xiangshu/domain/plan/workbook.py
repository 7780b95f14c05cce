"""Reading a plan from sheets of text cells (an XLSX workbook or a folder of CSV files).

Every problem is collected, named by file, sheet, cell and column, and raised
together: a plan with any wrong cell is not loaded at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from xiangshu.domain.plan.columns import (
    CADENCES,
    ENUM_WORDS,
    PLAN_FIELDS,
    REQUIRED_SHEETS,
    SHEETS,
    Column,
)
from xiangshu.domain.plan.drafts import (
    IndicatorDraft,
    MilestoneDraft,
    ObservationDraft,
    PlanDraft,
    PlanHeader,
    ProjectDraft,
    SourceKind,
    TaskDraft,
)
from xiangshu.domain.plan.indicators import (
    Bound,
    Direction,
    IndicatorSpec,
    Nature,
    Qualifier,
    TargetForm,
    ValueStatus,
)
from xiangshu.domain.plan.responsibility import Mention, Role, parse_responsibility
from xiangshu.errors import Problem, invalid

EMPTY = frozenset({"", "—", "-", "－", "——", "/", "n/a", "N/A"})
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet's cells as text: ``header`` is row 1, ``rows`` start at row 2."""

    name: str
    file: str
    header: Sequence[str]
    rows: Sequence[Sequence[str]]


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_key(cell: str, columns: Sequence[Column]) -> str | None:
    text = cell.strip()
    match = re.search(r"[(（]\s*([a-z_]+)\s*[)）]\s*$", text)
    if match:
        text = match.group(1)
    for column in columns:
        if text in (column.key, column.label_zh):
            return column.key
    return None


@dataclass
class Reader:
    """Cells of one sheet by column key, collecting problems as it goes."""

    sheet: Sheet
    problems: list[Problem]
    index: dict[str, int] = field(default_factory=dict)

    def where(self) -> str:
        return f"{self.sheet.file}[{self.sheet.name}]"

    def check_header(self) -> bool:
        columns = SHEETS[self.sheet.name]
        for position, cell in enumerate(self.sheet.header):
            key = header_key(str(cell), columns)
            if key is not None and key not in self.index:
                self.index[key] = position
        missing = [c for c in columns if c.required and c.key not in self.index]
        for column in missing:
            self.problems.append(
                Problem(
                    f"missing column {column.key} ({column.label_zh})",
                    file=self.where(),
                    row=1,
                    field=column.key,
                )
            )
        return not missing

    def records(self) -> list[tuple[int, Sequence[str]]]:
        return [
            (number, row)
            for number, row in enumerate(self.sheet.rows, start=2)
            if any(str(cell).strip() for cell in row)
        ]

    def text(self, row: Sequence[str], key: str) -> str:
        position = self.index.get(key)
        if position is None or position >= len(row):
            return ""
        return str(row[position]).strip()

    def fail(self, number: int, key: str, message: str, value: str | None = None) -> None:
        position = self.index.get(key)
        cell = f"{column_letter(position)}{number}" if position is not None else f"row {number}"
        self.problems.append(
            Problem(
                f"cell {cell}: {message}", file=self.where(), row=number, field=key, value=value
            )
        )

    def required(self, number: int, row: Sequence[str], key: str) -> str:
        value = self.text(row, key)
        if value in EMPTY:
            self.fail(number, key, "is empty")
        return value

    def number(self, number: int, row: Sequence[str], key: str) -> float | None:
        raw = self.text(row, key)
        if raw in EMPTY:
            return None
        cleaned = raw.replace(",", "").replace("，", "").removesuffix("%").strip()
        try:
            return float(cleaned)
        except ValueError:
            self.fail(number, key, f"'{raw}' is not a number", raw)
            return None

    def year(self, number: int, row: Sequence[str], key: str, default: int | None) -> int | None:
        value = self.number(number, row, key)
        if value is None:
            return default
        if not value.is_integer() or not 1900 <= value <= 2200:
            self.fail(number, key, f"'{self.text(row, key)}' is not a year")
            return default
        return int(value)

    def day(self, number: int, row: Sequence[str], key: str) -> date | None:
        raw = self.text(row, key)
        if raw in EMPTY:
            return None
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            self.fail(number, key, f"'{raw}' is not a date (YYYY-MM-DD)", raw)
            return None

    def choice(self, number: int, row: Sequence[str], key: str, default: str) -> str:
        raw = self.text(row, key)
        if raw in EMPTY:
            return default
        found = ENUM_WORDS[key].get(raw) or ENUM_WORDS[key].get(raw.lower())
        if found is None:
            allowed = ", ".join(sorted(set(ENUM_WORDS[key].values())))
            self.fail(number, key, f"'{raw}' is not one of {allowed}", raw)
            return default
        return found


def parse_workbook(sheets: Mapping[str, Sheet], source: str) -> PlanDraft:
    """The plan in ``sheets``, or :class:`InvalidInput` listing every wrong cell."""
    problems: list[Problem] = []
    for name in REQUIRED_SHEETS:
        if name not in sheets:
            problems.append(Problem(f"missing sheet '{name}'", file=source))
    if problems:
        raise invalid(problems, f"{source}: the plan was not loaded")
    readers = {name: Reader(sheet, problems) for name, sheet in sheets.items() if name in SHEETS}
    usable = {name: reader for name, reader in readers.items() if reader.check_header()}
    header = _header(usable["plan"]) if "plan" in usable else None
    indicators = (
        _indicators(usable["indicators"], header) if header and "indicators" in usable else ()
    )
    projects = _each(usable.get("projects"), _project)
    tasks = _each(usable.get("tasks"), _task)
    milestones = _each(usable.get("milestones"), _milestone)
    observations = _each(usable.get("observations"), _observation)
    _cross_checks(usable, indicators, tasks, milestones, observations)
    if problems or header is None:
        raise invalid(problems, f"{source}: the plan was not loaded")
    return PlanDraft(
        header=header,
        indicators=indicators,
        projects=projects,
        tasks=tasks,
        milestones=milestones,
        observations=observations,
        source=source,
        sheets={name: sheet.file for name, sheet in sheets.items()},
    )


def _each(
    reader: Reader | None, parse: Callable[[Reader, int, Sequence[str]], T | None]
) -> tuple[T, ...]:
    if reader is None:
        return ()
    found = (parse(reader, number, row) for number, row in reader.records())
    return tuple(item for item in found if item is not None)


def _header(reader: Reader) -> PlanHeader | None:
    values: dict[str, tuple[int, str]] = {}
    for number, row in reader.records():
        key = header_key(reader.text(row, "field"), PLAN_FIELDS)
        if key is None:
            reader.fail(number, "field", f"unknown field '{reader.text(row, 'field')}'")
            continue
        values[key] = (number, reader.text(row, "value"))
    for column in PLAN_FIELDS:
        if column.required and not values.get(column.key, (0, ""))[1]:
            reader.problems.append(
                Problem(
                    f"the plan needs its {column.key} ({column.label_zh})",
                    file=reader.where(),
                    field=column.key,
                )
            )
    years = _years(reader, values)
    number, raw_date = values.get("issue_date", (0, ""))
    issued = None
    if raw_date:
        try:
            issued = date.fromisoformat(raw_date[:10])
        except ValueError:
            reader.fail(number, "value", f"issue_date '{raw_date}' is not a date", raw_date)
    cadence = values.get("report_cadence", (0, "quarterly"))[1] or "quarterly"
    if cadence not in CADENCES:
        reader.fail(values["report_cadence"][0], "value", f"cadence '{cadence}' is unknown")
    code = values.get("code", (0, ""))[1]
    if code and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{1,63}", code):
        reader.fail(values["code"][0], "value", f"code '{code}': use letters, digits and -")
    if len(years) < 3:
        return None
    return PlanHeader(
        code=code,
        title=values.get("title", (0, ""))[1],
        doc_number=values.get("doc_number", (0, ""))[1],
        issuers=tuple(
            i.strip() for i in re.split(r"[；;]", values.get("issuers", (0, ""))[1]) if i.strip()
        ),
        issue_date=issued,
        period_start=years["period_start"],
        period_end=years["period_end"],
        baseline_year=years["baseline_year"],
        goals=values.get("goals", (0, ""))[1],
        notes=values.get("notes", (0, ""))[1],
        report_cadence=cadence,
    )


def _years(reader: Reader, values: Mapping[str, tuple[int, str]]) -> dict[str, int]:
    years: dict[str, int] = {}
    for key in ("period_start", "period_end", "baseline_year"):
        number, raw = values.get(key, (0, ""))
        if raw and (not raw.isdigit() or not 1900 <= int(raw) <= 2200):
            reader.fail(number, "value", f"{key} '{raw}' is not a year", raw)
        elif raw:
            years[key] = int(raw)
    if years.get("period_end", 9999) < years.get("period_start", 0):
        reader.problems.append(
            Problem("the period ends before it starts", file=reader.where(), field="period_end")
        )
    return years


def _indicators(reader: Reader, header: PlanHeader) -> tuple[IndicatorDraft, ...]:
    found: list[IndicatorDraft] = []
    seen: dict[str, int] = {}
    for position, (number, row) in enumerate(reader.records()):
        before = len(reader.problems)
        key = reader.required(number, row, "number")
        name = reader.required(number, row, "name")
        if key in seen:
            reader.fail(number, "number", f"indicator {key} is already on row {seen[key]}", key)
        seen.setdefault(key, number)
        base_year = reader.year(number, row, "baseline_year", header.baseline_year)
        target_year = reader.year(number, row, "target_year", header.period_end)
        if base_year is not None and target_year is not None and target_year <= base_year:
            reader.fail(
                number,
                "target_year",
                f"the target year {target_year} is not after the baseline year {base_year}",
            )
        form = reader.choice(number, row, "form", "")
        if not reader.text(row, "form"):
            reader.fail(number, "form", "is empty")
        spec_values = {
            "baseline": reader.number(number, row, "baseline"),
            "target": reader.number(number, row, "target"),
            "stated_growth": reader.number(number, row, "stated_growth"),
            "stated_change": reader.number(number, row, "stated_change"),
        }
        bound = reader.choice(number, row, "bound", "exact")
        nature = reader.choice(number, row, "nature", "expected")
        direction = reader.choice(number, row, "direction", "higher")
        if len(reader.problems) > before or base_year is None or target_year is None:
            continue
        target = spec_values["target"]
        if (
            form == TargetForm.CUMULATIVE_REDUCTION
            and target is None
            and spec_values["baseline"] is not None
            and spec_values["stated_change"] is not None
        ):
            target = spec_values["baseline"] * (1 - spec_values["stated_change"] / 100)
        spec = IndicatorSpec(
            number=key,
            name=name,
            unit=reader.text(row, "unit"),
            form=TargetForm(form),
            baseline_year=base_year,
            target_year=target_year,
            baseline=spec_values["baseline"],
            target=target,
            direction=Direction.HIGHER if direction == "higher" else Direction.LOWER,
            nature=Nature(nature),
            bound=Bound(bound),
            stated_growth=spec_values["stated_growth"],
            stated_change=spec_values["stated_change"],
        )
        found.append(
            IndicatorDraft(
                spec=spec,
                parent=reader.text(row, "parent"),
                target_text=reader.text(row, "target_text"),
                related_tasks=_list(reader.text(row, "related_tasks")),
                notes=reader.text(row, "notes"),
                position=position,
            )
        )
    numbers = {d.spec.number for d in found} | set(seen)
    for number, row in reader.records():
        parent = reader.text(row, "parent")
        if parent and parent not in numbers:
            reader.fail(number, "parent", f"no indicator numbered {parent}", parent)
    return tuple(found)


def _list(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(r"[;；,，、\s]+", text) if p.strip())


def _int(reader: Reader, number: int, row: Sequence[str], key: str) -> int | None:
    value = reader.number(number, row, key)
    if value is not None and not value.is_integer():
        reader.fail(number, key, "is not a whole number")
        return None
    return None if value is None else int(value)


def _project(reader: Reader, number: int, row: Sequence[str]) -> ProjectDraft | None:
    box = _int(reader, number, row, "box")
    name = reader.required(number, row, "name")
    if box is None:
        if not reader.text(row, "box"):
            reader.fail(number, "box", "is empty")
        return None
    return ProjectDraft(
        box=box,
        item=reader.text(row, "item"),
        name=name,
        description=reader.text(row, "description"),
        notes=reader.text(row, "notes"),
    )


def _task(reader: Reader, number: int, row: Sequence[str]) -> TaskDraft | None:
    key = reader.required(number, row, "number")
    title = reader.required(number, row, "title")
    group = _int(reader, number, row, "group")
    box = _int(reader, number, row, "box")
    wording = reader.text(row, "responsibility")
    mentions: list[Mention] = [
        *(Mention(n, Role.LEAD) for n in _list(reader.text(row, "lead_units"))),
        *(Mention(n, Role.SUPPORT) for n in _list(reader.text(row, "supporting_units"))),
    ]
    if not mentions:
        mentions = parse_responsibility(wording)
    if not mentions:
        reader.fail(number, "responsibility", "no responsible unit")
    if group is None or not key or not title:
        if group is None and not reader.text(row, "group"):
            reader.fail(number, "group", "is empty")
        return None
    return TaskDraft(
        number=key,
        group=group,
        title=title,
        box=box,
        project=reader.text(row, "project"),
        responsibility=wording,
        mentions=tuple(mentions),
        notes=reader.text(row, "notes"),
        row=number,
    )


def _milestone(reader: Reader, number: int, row: Sequence[str]) -> MilestoneDraft | None:
    task = reader.required(number, row, "task")
    title = reader.required(number, row, "title")
    year = reader.year(number, row, "year", None)
    due = reader.day(number, row, "due_date")
    if year is None or not task or not title:
        if year is None and not reader.text(row, "year"):
            reader.fail(number, "year", "is empty")
        return None
    return MilestoneDraft(
        task=task,
        year=year,
        due_date=due or date(year, 12, 31),
        title=title,
        notes=reader.text(row, "notes"),
    )


def _observation(reader: Reader, number: int, row: Sequence[str]) -> ObservationDraft | None:
    indicator = reader.required(number, row, "indicator")
    value = reader.number(number, row, "value")
    if value is None and not reader.text(row, "value"):
        reader.fail(number, "value", "is empty")
    year = reader.year(number, row, "year", None)
    end = reader.day(number, row, "period_end")
    if end is None and year is None and not reader.text(row, "period_end"):
        reader.fail(number, "period_end", "give the period end date or the year")
    kind = reader.text(row, "source_kind") or SourceKind.PUBLIC_SOURCE.value
    if kind not in set(SourceKind):
        allowed = ", ".join(SourceKind)
        reader.fail(number, "source_kind", f"'{kind}' is not one of {allowed}")
        kind = SourceKind.PUBLIC_SOURCE.value
    synthetic_text = reader.text(row, "synthetic").lower()
    if synthetic_text not in ("", "true", "false", "yes", "no", "1", "0", "是", "否"):
        reader.fail(number, "synthetic", f"'{synthetic_text}' is not true or false")
    synthetic = synthetic_text in ("true", "yes", "1", "是") or kind == SourceKind.SYNTHETIC.value
    status = reader.choice(number, row, "status", "final")
    qualifier = reader.choice(number, row, "qualifier", "exact")
    if kind == SourceKind.CATALOG_QUERY.value and not reader.text(row, "resource"):
        reader.fail(number, "resource", "a value from the catalog names its resource")
    when = end or (date(year, 12, 31) if year else None)
    if value is None or when is None or not indicator:
        return None
    return ObservationDraft(
        indicator=indicator,
        period_end=when,
        value=value,
        status=ValueStatus(status),
        qualifier=Qualifier(qualifier),
        source_kind=SourceKind.SYNTHETIC if synthetic else SourceKind(kind),
        source=reader.text(row, "source"),
        source_url=reader.text(row, "source_url"),
        note=reader.text(row, "note"),
        synthetic=synthetic,
        resource=reader.text(row, "resource"),
        query=reader.text(row, "query"),
        row=number,
    )


def _cross_checks(
    readers: Mapping[str, Reader],
    indicators: Sequence[IndicatorDraft],
    tasks: Sequence[TaskDraft],
    milestones: Sequence[MilestoneDraft],
    observations: Sequence[ObservationDraft],
) -> None:
    """References between sheets: tasks named by indicators and milestones, indicators
    named by observations."""
    task_numbers = {t.number for t in tasks}
    groups = {str(t.group) for t in tasks}
    if "indicators" in readers and tasks:
        reader = readers["indicators"]
        for number, row in reader.records():
            for ref in _list(reader.text(row, "related_tasks")):
                if ref not in task_numbers and ref not in groups:
                    reader.fail(number, "related_tasks", f"no task or group {ref}", ref)
    _task_checks(readers, tasks)
    known = {d.spec.number for d in indicators}
    if "observations" in readers and "indicators" in readers:
        for observation in observations:
            if observation.indicator not in known:
                readers["observations"].fail(
                    observation.row,
                    "indicator",
                    f"no indicator numbered {observation.indicator} in this plan",
                    observation.indicator,
                )


def _task_checks(readers: Mapping[str, Reader], tasks: Sequence[TaskDraft]) -> None:
    task_numbers = {t.number for t in tasks}
    seen_tasks: dict[str, int] = {}
    if "tasks" in readers:
        for task in tasks:
            if task.number in seen_tasks:
                readers["tasks"].fail(
                    task.row,
                    "number",
                    f"task {task.number} is already on row {seen_tasks[task.number]}",
                )
            seen_tasks.setdefault(task.number, task.row)
    if "milestones" in readers:
        reader = readers["milestones"]
        for number, row in reader.records():
            ref = reader.text(row, "task")
            if ref and ref not in task_numbers:
                reader.fail(number, "task", f"no task numbered {ref}", ref)


def parse_observations(sheet: Sheet) -> tuple[ObservationDraft, ...]:
    """An observations sheet on its own (the plan's indicators are checked on import)."""
    problems: list[Problem] = []
    reader = Reader(sheet, problems)
    if reader.check_header():
        found = _each(reader, _observation)
        if not problems:
            return found
    raise invalid(problems, f"{sheet.file}: no values were recorded")
