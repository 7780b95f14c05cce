"""Reading and writing spreadsheets: python-calamine reads (xlsx, xls, ods), xlsxwriter
writes. Cells come back as text, keyed by the header row's names."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

import xlsxwriter
from python_calamine import CalamineWorkbook

from xiangshu.errors import Problem, invalid

Row = tuple[int, dict[str, str]]  # spreadsheet row number (1-based), cells by header


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read_sheets(content: bytes, *, file: str) -> dict[str, list[Row]]:
    """Every sheet's data rows (blank rows skipped) as header → text."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except Exception as error:  # calamine raises its own types for every malformed file
        raise invalid([Problem(f"not a spreadsheet we can read: {error}", file=file)]) from error
    sheets: dict[str, list[Row]] = {}
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        if not rows:
            sheets[name] = []
            continue
        header = [_cell_text(h) for h in rows[0]]
        found: list[Row] = []
        for number, cells in enumerate(rows[1:], start=2):
            texts = [_cell_text(c) for c in cells]
            if any(texts):
                found.append((number, dict(zip(header, texts, strict=False))))
        sheets[name] = found
    return sheets


def write_workbook(
    sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]]]],
) -> bytes:
    """An xlsx file with one sheet per (name, header, rows); text cells stay text."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    bold = workbook.add_format({"bold": True, "bg_color": "#F1F3F4", "border": 1})
    for name, header, rows in sheets:
        sheet = workbook.add_worksheet(name)
        sheet.write_row(0, 0, header, bold)
        sheet.freeze_panes(1, 0)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(number, column, value)
                else:
                    sheet.write_string(number, column, str(value))
        sheet.set_column(0, len(header) - 1, 16)
    workbook.close()
    return buffer.getvalue()
