"""Writing records to a file: CSV (UTF-8 with BOM, for Excel), JSON, XLSX, Parquet.

Writers take batches, so an export never holds all its records at once
(XLSX in xlsxwriter's constant-memory mode; Parquet row group by row group).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson

from xiangshu.domain.data_items import DataItem, DataItemType

EXPORT_FORMATS = ("csv", "json", "xlsx", "parquet")
XLSX_MAX_ROWS = 1_048_575  # one row of the sheet holds the header
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}

Batches = Iterable[list[dict[str, Any]]]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def _csv(batches: Batches, fields: Sequence[str], target: Path) -> int:
    written = 0
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(fields)
        for batch in batches:
            writer.writerows([[_text(r.get(f)) for f in fields] for r in batch])
            written += len(batch)
    return written


def _json(batches: Batches, fields: Sequence[str], target: Path) -> int:
    written = 0
    with target.open("wb") as handle:
        handle.write(b"[")
        for batch in batches:
            for record in batch:
                handle.write(b",\n" if written else b"\n")
                handle.write(orjson.dumps({f: record.get(f) for f in fields}))
                written += 1
        handle.write(b"\n]\n")
    return written


def _xlsx(batches: Batches, fields: Sequence[str], target: Path, names: dict[str, str]) -> int:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    sheet = book.add_worksheet("data")
    sheet.write_row(0, 0, [f"{names.get(f, f)} ({f})" for f in fields])
    written = 0
    for batch in batches:
        for record in batch:
            if written >= XLSX_MAX_ROWS:
                break
            written += 1
            sheet.write_row(written, 0, [_xlsx_value(record.get(f)) for f in fields])
    book.close()
    return written


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, (date, datetime, bool)):
        return _text(value)
    return value


def arrow_type(item: DataItem) -> Any:
    import pyarrow as pa

    return {
        DataItemType.DATE: pa.date32(),
        DataItemType.DATETIME: pa.timestamp("us"),
        DataItemType.LOGICAL: pa.bool_(),
        DataItemType.INTEGER: pa.int64(),
        DataItemType.DOUBLE: pa.float64(),
        DataItemType.FLOAT: pa.float64(),
        DataItemType.NUMERIC: pa.float64(),
        DataItemType.CURRENCY: pa.float64(),
    }.get(item.type, pa.string())


def _parquet(
    batches: Batches,
    fields: Sequence[str],
    target: Path,
    items: dict[str, DataItem],
    masked: set[str],
) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(f, pa.string() if f in masked else arrow_type(items[f])) for f in fields])
    written = 0
    with pq.ParquetWriter(str(target), schema, compression="zstd") as writer:
        for batch in batches:
            columns = {f: [r.get(f) for r in batch] for f in fields}
            writer.write_table(pa.table(columns, schema=schema))
            written += len(batch)
    return written


def write_records(
    batches: Batches,
    fields: Sequence[str],
    items: Sequence[DataItem],
    target: Path,
    fmt: str,
    *,
    masked: Iterable[str] = (),
) -> int:
    """Write the batches in ``fmt``; return how many records were written."""
    by_field = {i.field: i for i in items}
    if fmt == "csv":
        return _csv(batches, fields, target)
    if fmt == "json":
        return _json(batches, fields, target)
    if fmt == "xlsx":
        return _xlsx(batches, fields, target, {f: i.name for f, i in by_field.items()})
    if fmt == "parquet":
        return _parquet(batches, fields, target, by_field, set(masked))
    raise ValueError(f"format is one of {', '.join(EXPORT_FORMATS)}")
