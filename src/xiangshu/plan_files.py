"""Plan files in and out: the XLSX template, folders of CSV sheets, the shipped plans.

Shared by the CLI, the web edge and the demo. Reading turns cells into text
(numbers as Excel shows them) and hands them to the pure parser in
:mod:`xiangshu.domain.plan.workbook`, which names every wrong cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date, datetime
from importlib import resources
from pathlib import Path

from xiangshu.domain.plan.columns import PLAN_FIELDS, SHEETS
from xiangshu.domain.plan.drafts import PlanDraft
from xiangshu.domain.plan.workbook import Sheet, parse_workbook
from xiangshu.errors import Problem, invalid

SHIPPED_PLANS = ("hunan-13th-informatization", "hunan-12th-informatization")
PUBLIC_ACTUALS = ("hunan-13th-informatization", "public-actuals.csv")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _csv_sheet(name: str, file: str, text: str) -> Sheet:
    rows = list(csv.reader(io.StringIO(text)))
    return Sheet(name, file, rows[0] if rows else [], rows[1:])


def _decode(data: bytes, file: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise invalid([Problem("the file is neither UTF-8 nor GB18030 text", file=file)])


def sheets_from_xlsx(data: bytes, file: str) -> dict[str, Sheet]:
    """Every known sheet of a workbook (XLSX, XLS or ODS), cells as text."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises its own error types for broken files
        raise invalid([Problem(f"not a readable workbook: {error}", file=file)]) from error
    sheets = {}
    for name in book.sheet_names:
        key = name.strip().lower()
        if key not in SHEETS:
            continue
        rows = [[_cell(v) for v in row] for row in book.get_sheet_by_name(name).to_python()]
        sheets[key] = Sheet(key, file, rows[0] if rows else [], rows[1:])
    return sheets


def sheets_from_folder(folder: Path) -> dict[str, Sheet]:
    """A folder holding ``plan.csv``, ``indicators.csv`` and the other sheets as CSV."""
    return {
        name: _csv_sheet(name, f"{folder.name}/{name}.csv", _decode(path.read_bytes(), path.name))
        for name in SHEETS
        if (path := folder / f"{name}.csv").is_file()
    }


def read_plan(path: Path) -> PlanDraft:
    """A plan from an XLSX workbook or a folder of CSV sheets."""
    if path.is_dir():
        return parse_workbook(sheets_from_folder(path), path.name)
    return parse_workbook(sheets_from_xlsx(path.read_bytes(), path.name), path.name)


def read_plan_bytes(data: bytes, file: str) -> PlanDraft:
    return parse_workbook(sheets_from_xlsx(data, file), file)


def observation_sheet(data: bytes, file: str) -> Sheet:
    """The observations of a CSV file or of a workbook's ``observations`` sheet."""
    if file.lower().endswith(".csv"):
        return _csv_sheet("observations", file, _decode(data, file))
    sheets = sheets_from_xlsx(data, file)
    if "observations" not in sheets:
        raise invalid([Problem("missing sheet 'observations'", file=file)])
    return sheets["observations"]


def shipped_plan(name: str) -> PlanDraft:
    """One of the plans transcribed into the package (see reference/plans/README.md)."""
    if name not in SHIPPED_PLANS:
        raise invalid([Problem(f"no shipped plan {name}; known: {', '.join(SHIPPED_PLANS)}")])
    folder = resources.files("xiangshu").joinpath("reference", "plans", name)
    sheets = {}
    for sheet in SHEETS:
        entry = folder.joinpath(f"{sheet}.csv")
        if entry.is_file():
            sheets[sheet] = _csv_sheet(sheet, f"{name}/{sheet}.csv", entry.read_text("utf-8"))
    return parse_workbook(sheets, name)


def public_actuals() -> list[dict[str, str]]:
    """The few real values found in public sources, with their sources and caveats."""
    entry = resources.files("xiangshu").joinpath("reference", "plans", *PUBLIC_ACTUALS)
    return list(csv.DictReader(io.StringIO(entry.read_text("utf-8"))))


def write_template(
    out: Path | io.BytesIO, example: Mapping[str, list[list[str]]] | None = None
) -> None:
    """The spreadsheet template: one sheet per table, Chinese and English headers, and a
    notes row under each header saying what the column takes."""
    import xlsxwriter

    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#F1F3F4", "border": 1})
    for name, columns in SHEETS.items():
        sheet = book.add_worksheet(name)
        for col, column in enumerate(columns):
            sheet.write(0, col, f"{column.label_zh} ({column.key})", bold)
            sheet.set_column(col, col, 18)
            sheet.write_comment(
                0, col, ("必填。" if column.required else "") + (column.help or column.label_zh)
            )
        rows = (example or {}).get(name, [])
        if name == "plan" and not rows:
            rows = [[f"{f.label_zh} ({f.key})", ""] for f in PLAN_FIELDS]
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value)
        sheet.freeze_panes(1, 0)
    book.close()
