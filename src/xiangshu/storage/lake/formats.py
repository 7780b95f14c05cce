"""Source files into DuckDB: CSV, XLSX/XLS, JSON/NDJSON and Parquet.

Every format ends the same way: ``checked``, the source's rows through the
validation SELECT it is given (typed and error columns, with the source row number
``_line``; the header is row 1); a view ``raw`` with ``_line`` and one VARCHAR column
per data item, as the file had it, for the quarantine; and a table ``shape_rejects`` of
rows that could not be split into the header's columns. Giving DuckDB explicit VARCHAR
columns matters: its type inference turns phone numbers into integers.

A CSV is checked while DuckDB reads it, in one pass with no copy of the text in
between; its row numbers come afterwards from the rows' positions (see ``stage_csv``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, Protocol

import duckdb

from xiangshu.domain.data_items import DataItem
from xiangshu.domain.lake.loads import HeaderMatch, match_header
from xiangshu.errors import Problem, invalid
from xiangshu.storage.lake.encodings import Encoding, detect_encoding, transcode_to_utf8
from xiangshu.storage.lake.progress import Progress
from xiangshu.storage.lake.sql import ident, literal

DELIMITERS = (",", "\t", ";", "|")


class SourceFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    XLS = "xls"
    JSON = "json"  # one array of objects
    NDJSON = "ndjson"  # one object per line
    PARQUET = "parquet"


SUFFIXES = {
    ".csv": SourceFormat.CSV,
    ".txt": SourceFormat.CSV,
    ".tsv": SourceFormat.CSV,
    ".xlsx": SourceFormat.XLSX,
    ".xlsm": SourceFormat.XLSX,
    ".xls": SourceFormat.XLS,
    ".json": SourceFormat.JSON,
    ".ndjson": SourceFormat.NDJSON,
    ".jsonl": SourceFormat.NDJSON,
    ".parquet": SourceFormat.PARQUET,
}


def format_of(name: str, declared: str | None = None) -> SourceFormat:
    if declared:
        try:
            return SourceFormat(declared.lower())
        except ValueError:
            pass
    suffix = Path(name).suffix.lower()
    found = SUFFIXES.get(suffix)
    if found is None:
        known = ", ".join(sorted({f.value for f in SourceFormat}))
        raise invalid(
            [Problem(f"unknown file type {suffix or '(none)'}; load one of {known}", file=name)],
            "unsupported file",
        )
    return found


@dataclass(frozen=True, slots=True)
class StagedSource:
    format: SourceFormat
    encoding: str | None
    header: HeaderMatch
    rows_read: int  # data rows, ragged ones included


def _header_or_refuse(
    header: Sequence[str | None], items: Sequence[DataItem], file: str
) -> HeaderMatch:
    match, problems = match_header(header, items, file=file)
    if match is None:
        raise invalid(problems, "the file's columns do not match the resource's data items")
    return match


def quoted(name: str) -> str:
    """Any source column name as a DuckDB identifier (these are not field names)."""
    return '"' + name.replace('"', '""') + '"'


class Check(Protocol):
    def __call__(self, relation: str, *, numbered: bool) -> str:
        """The validation SELECT over ``relation``: the fields as text, and ``_line`` when
        ``numbered``."""
        ...


def text_columns(column_of: dict[str, str], items: Sequence[DataItem]) -> str:
    """Every data item as text, named by its field (items the source lacks are NULL)."""
    parts = []
    for item in items:
        column = column_of.get(item.field)
        value = f"CAST({column} AS VARCHAR)" if column else "CAST(NULL AS VARCHAR)"
        parts.append(f"{value} AS {ident(item.field)}")
    return ", ".join(parts)


def create_checked(
    con: duckdb.DuckDBPyConnection,
    source: str,
    line_sql: str,
    column_of: dict[str, str],
    items: Sequence[DataItem],
    check: Check,
) -> None:
    """``raw`` as a view over ``source``, whose rows carry their number, and ``checked`` from it."""
    columns = text_columns(column_of, items)
    con.execute(f"CREATE VIEW raw AS SELECT {line_sql} AS _line, {columns} FROM {source}")
    con.execute(f"CREATE TABLE checked AS {check('raw', numbered=True)}")


def _positional(
    header_cells: Sequence[str | None], header: HeaderMatch, *, first: int = 1
) -> dict[str, str]:
    """field → c<position> for sources whose columns are read as c1…cN."""
    by_cell = dict(header.columns)
    column_of = {}
    for index, cell in enumerate(header_cells, start=first):
        field = by_cell.get((cell or "").strip())
        if field is not None:
            column_of[field] = ident(f"c{index}")
    return column_of


def _empty_rejects(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE shape_rejects (_line BIGINT, message VARCHAR, text VARCHAR)")


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    found = con.execute(sql).fetchone()
    return int(found[0]) if found else 0


def _no_rows(file: str) -> None:
    raise invalid([Problem("the file has a header but no data rows", file=file, row=2)])


def as_utf8(path: Path, target: Path, *, file: str, progress: Progress) -> tuple[Encoding, Path]:
    """The file itself when it is plain UTF-8, else a UTF-8 copy at ``target``."""
    encoding = detect_encoding(path, file=file)
    if encoding.is_utf8 and not encoding.bom:
        return encoding, path
    progress.stage("transcoding", path.stat().st_size)
    transcode_to_utf8(path, target, encoding, file=file, progress=progress.advance)
    return encoding, target


# --- CSV -----------------------------------------------------------------------------------


def _csv_header(path: Path, file: str) -> tuple[list[str], str]:
    with path.open("r", encoding="utf-8", newline="") as handle:
        first = handle.readline(1024 * 1024)
    if not first.strip():
        raise invalid([Problem("the file is empty: no header and no rows", file=file)])
    delimiter = max(DELIMITERS, key=first.count)
    header = next(csv.reader(io.StringIO(first), delimiter=delimiter))
    return header, delimiter


Ragged = Literal["fail", "record", "skip"]
RAGGED_ROWS: dict[Ragged, str] = {
    "fail": "",
    "record": ", store_rejects = true, rejects_table = 'csv_errors', rejects_scan = 'csv_scans'",
    "skip": ", ignore_errors = true",
}


def _read_csv_sql(path: Path, width: int, delimiter: str, *, ragged: Ragged = "fail") -> str:
    """DuckDB's reader with c1…cN as text; ragged rows fail the read, are recorded in
    ``csv_errors`` and skipped, or are skipped (``RAGGED_ROWS``)."""
    names = [f"c{index}" for index in range(1, width + 1)]
    columns = "{" + ", ".join(f"{literal(n)}: 'VARCHAR'" for n in names) + "}"
    return (
        f"read_csv({literal(str(path))}, header = true, auto_detect = false, "
        f"columns = {columns}, delim = {literal(delimiter)}, quote = '\"', escape = '\"'"
        f"{RAGGED_ROWS[ragged]})"
    )


def _numbered(relation: str, skipped_lines: bool) -> str:
    """``relation``'s rows with their CSV row number, from their position ``_pos`` (from 0).

    Row 1 is the header, so the row at position p is row p + 2, plus the ragged rows
    before it (``line_steps``: from which position how many were skipped).
    """
    if not skipped_lines:
        return f"SELECT _pos + 2 AS _line, * EXCLUDE (_pos) FROM ({relation})"
    return (
        f"SELECT s._pos + 2 + coalesce(t.skipped, 0) AS _line, s.* EXCLUDE (_pos) "
        f"FROM ({relation}) s ASOF LEFT JOIN line_steps t ON s._pos >= t.step"
    )


def stage_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    items: Sequence[DataItem],
    workdir: Path,
    *,
    file: str,
    progress: Progress,
    check: Check,
) -> StagedSource:
    """Read and check in one pass into ``checked_rows``, whose positions give the row numbers.

    DuckDB's CSV reader gives no row numbers, and numbering rows while reading (a window)
    would serialise the read; a table keeps the file's order, so a row's position in
    ``checked_rows`` is its place among the rows that could be read. ``raw`` reads the file
    again, position by position beside ``checked_rows``, only when a quarantine is written.
    """
    if path.stat().st_size == 0:
        raise invalid([Problem("the file is empty: no header and no rows", file=file)])
    encoding, readable = as_utf8(path, workdir / "source-utf8.csv", file=file, progress=progress)
    header_cells, delimiter = _csv_header(readable, file)
    header = _header_or_refuse(header_cells, items, file)
    progress.stage("reading", None)
    columns = text_columns(_positional(header_cells, header), items)
    read = _read_csv_sql(readable, len(header_cells), delimiter, ragged="record")
    checks = check(f"(SELECT {columns} FROM {read})", numbered=False)
    con.execute(f"CREATE TABLE checked_rows AS {checks}")
    con.execute(
        "CREATE TABLE shape_rejects AS SELECT line AS _line, CASE min(CAST(error_type AS "
        "VARCHAR)) WHEN 'MISSING COLUMNS' THEN 'the row has fewer cells than the header' "
        "WHEN 'TOO MANY COLUMNS' THEN 'the row has more cells than the header' "
        "ELSE 'the row cannot be read: ' || min(error_message) END AS message, "
        "any_value(csv_line) AS text FROM csv_errors GROUP BY line"
    )
    rejected = _count(con, "SELECT count(*) FROM shape_rejects")
    if rejected:
        con.execute(
            "CREATE TABLE line_steps AS SELECT _line - 1 - n AS step, max(n) AS skipped FROM "
            "(SELECT _line, row_number() OVER (ORDER BY _line) AS n FROM shape_rejects) "
            "GROUP BY step"
        )
    positioned = "SELECT rowid AS _pos, * FROM checked_rows"
    con.execute(f"CREATE VIEW checked AS {_numbered(positioned, bool(rejected))}")
    again = _read_csv_sql(readable, len(header_cells), delimiter, ragged="skip")
    beside = (
        "SELECT c.rowid AS _pos, r.* FROM checked_rows c "
        f"POSITIONAL JOIN (SELECT {columns} FROM {again}) r"
    )
    con.execute(f"CREATE VIEW raw AS {_numbered(beside, bool(rejected))}")
    rows = _count(con, "SELECT count(*) FROM checked_rows") + rejected
    if rows == 0:
        _no_rows(file)
    return StagedSource(SourceFormat.CSV, encoding.label, header, rows)


# --- Excel ---------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time(0) else value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _excel_rows(path: Path, file: str) -> tuple[Any, Iterator[list[Any]]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheet = book.get_sheet_by_index(0)
    except (CalamineError, ValueError, OSError) as error:
        raise invalid(
            [Problem(f"the workbook cannot be read: {error}", file=file)], "unreadable file"
        ) from None
    return sheet, iter(sheet.iter_rows())


def stage_excel(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    items: Sequence[DataItem],
    workdir: Path,
    *,
    file: str,
    progress: Progress,
    check: Check,
) -> StagedSource:
    """The first sheet; row 1 holds one column name per cell (no merged header cells)."""
    sheet, rows = _excel_rows(path, file)
    header_cells = [_cell_text(c).strip() for c in next(rows, [])]
    while header_cells and not header_cells[-1]:
        header_cells.pop()
    if not header_cells:
        raise invalid([Problem("the first sheet is empty: no header and no rows", file=file)])
    merged = [
        f"{_column_letter(a[1])}{a[0] + 1}:{_column_letter(b[1])}{b[0] + 1}"
        for a, b in (sheet.merged_cell_ranges or [])
        if a[0] == 0
    ]
    if merged:
        raise invalid(
            [
                Problem(
                    f"header cells {span} are merged; row 1 must hold one column name per cell",
                    file=file,
                    row=1,
                    field=span,
                )
                for span in merged
            ],
            "the file's columns do not match the resource's data items",
        )
    header = _header_or_refuse(header_cells, items, file)
    width = len(header_cells)
    progress.stage("reading", sheet.height)
    converted = workdir / "source-sheet.csv"
    count = 0
    with converted.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["_line", *(f"c{i}" for i in range(1, width + 1))])
        for number, row in enumerate(rows, start=2):
            cells = [_cell_text(c) for c in row[:width]]
            if not any(cell.strip() for cell in cells):
                continue  # blank rows are not records
            writer.writerow([number, *cells, *([""] * (width - len(cells)))])
            count += 1
            if count % 10_000 == 0:
                progress.advance(10_000)
    if count == 0:
        _no_rows(file)
    read = _read_csv_sql(converted, width + 1, ",")
    con.execute(f"CREATE TABLE src AS SELECT * FROM {read}")
    _empty_rejects(con)
    column_of = _positional(header_cells, header, first=2)
    create_checked(con, "src", "CAST(c1 AS BIGINT)", column_of, items, check)
    fmt = SourceFormat.XLS if path.suffix.lower() == ".xls" else SourceFormat.XLSX
    return StagedSource(fmt, None, header, count)


# --- JSON ----------------------------------------------------------------------------------


def _json_kind(path: Path, file: str) -> str:
    with path.open("rb") as handle:
        start = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start:
        raise invalid([Problem("the file is empty", file=file)])
    if start[:1] == b"[":
        return "array"
    if start[:1] == b"{":
        return "newline_delimited"
    raise invalid(
        [Problem("JSON data is an array of objects, or one object per line", file=file)],
        "unreadable file",
    )


def stage_json(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    items: Sequence[DataItem],
    workdir: Path,
    *,
    file: str,
    progress: Progress,
    check: Check,
) -> StagedSource:
    kind = _json_kind(path, file)
    encoding, readable = as_utf8(path, workdir / "source-utf8.json", file=file, progress=progress)
    progress.stage("reading", None)
    where = literal(str(readable))
    try:
        con.execute(
            "CREATE TABLE objects AS SELECT json FROM "
            f"read_json_objects({where}, format = '{kind}')"
        )
        if _count(con, "SELECT count(*) FROM objects WHERE json_type(json) <> 'OBJECT'"):
            raise invalid([Problem("every record must be a JSON object", file=file)])
        keys = [
            str(row[0])
            for row in con.execute(
                "SELECT k FROM (SELECT unnest(json_keys(json)) AS k, rowid AS r FROM objects) "
                "GROUP BY k ORDER BY min(r)"
            ).fetchall()
        ]
    except duckdb.Error as error:
        raise invalid(
            [Problem(f"the JSON cannot be read: {str(error).splitlines()[0]}", file=file)],
            "unreadable file",
        ) from None
    header = _header_or_refuse(keys, items, file)
    column_of = {
        field: f"json_extract_string(json, {literal('$.' + quoted(column))})"
        for column, field in header.columns
    }
    _empty_rejects(con)
    create_checked(con, "objects", "rowid + 1", column_of, items, check)
    rows = _count(con, "SELECT count(*) FROM objects")
    if rows == 0:
        raise invalid([Problem("the file holds no records", file=file)])
    fmt = SourceFormat.JSON if kind == "array" else SourceFormat.NDJSON
    return StagedSource(fmt, encoding.label, header, rows)


# --- Parquet -------------------------------------------------------------------------------


def stage_parquet(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    items: Sequence[DataItem],
    workdir: Path,
    *,
    file: str,
    progress: Progress,
    check: Check,
) -> StagedSource:
    progress.stage("reading", None)
    where = literal(str(path))
    try:
        names = [
            str(r[0])
            for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet({where})").fetchall()
        ]
    except duckdb.Error as error:
        raise invalid(
            [Problem(f"the Parquet file cannot be read: {str(error).splitlines()[0]}", file=file)],
            "unreadable file",
        ) from None
    header = _header_or_refuse(names, items, file)
    column_of = {field: quoted(column) for column, field in header.columns}
    _empty_rejects(con)
    source = f"read_parquet({where}, file_row_number = true)"
    create_checked(con, source, "file_row_number + 1", column_of, items, check)
    rows = _count(con, f"SELECT count(*) FROM read_parquet({where})")
    if rows == 0:
        raise invalid([Problem("the file holds no records", file=file)])
    return StagedSource(SourceFormat.PARQUET, None, header, rows)


STAGERS = {
    SourceFormat.CSV: stage_csv,
    SourceFormat.XLSX: stage_excel,
    SourceFormat.XLS: stage_excel,
    SourceFormat.JSON: stage_json,
    SourceFormat.NDJSON: stage_json,
    SourceFormat.PARQUET: stage_parquet,
}
