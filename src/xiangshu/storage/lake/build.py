"""Build a new version in a staging directory: validate, merge, write Parquet and quarantine.

Nothing here touches the current version: the files are written beside it, and
only the metadata switch (in the action's transaction) makes them current.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from xiangshu.domain.data_items import DataItem, key_fields
from xiangshu.domain.lake.loads import LoadCounts, LoadMode, Reason
from xiangshu.domain.lake.query import ROW_COLUMN
from xiangshu.storage.lake.formats import STAGERS, SourceFormat, StagedSource
from xiangshu.storage.lake.layout import DATA_FILE, QUARANTINE_FILE
from xiangshu.storage.lake.progress import Progress
from xiangshu.storage.lake.sql import ident, literal
from xiangshu.storage.lake.validation import (
    ValidationContext,
    checked_select,
    duckdb_type,
    reason_message,
    reference_tables,
)

ROW_GROUP_ROWS = 122_880


@dataclass
class BuiltVersion:
    counts: LoadCounts
    tallies: dict[str, dict[str, int]]  # field (or "(row)") → reason → records
    source: StagedSource
    data_file: str | None  # None when nothing is published
    quarantine_file: str | None
    columns: list[tuple[str, str]] = field(default_factory=list)  # field, DuckDB type


def connect(workdir: Path, *, threads: int, memory_mb: int) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that spills to the staging directory past its memory limit."""
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{int(memory_mb)}MB'")
    con.execute(f"SET temp_directory = {literal(str(workdir / 'spill'))}")
    con.execute("SET preserve_insertion_order = true")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def _fetch_int(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _order(items: Sequence[DataItem], fallback: str) -> str:
    """Key order, then ``fallback``: a total order even where keys tie — a key item added
    since the previous version is empty in all its rows, which append and upsert keep."""
    keys = key_fields(items)
    return ", ".join([*(ident(k) for k in keys), fallback])


def _mark_key_errors(
    con: duckdb.DuckDBPyConnection,
    items: Sequence[DataItem],
    mode: LoadMode,
    previous: Path | None,
) -> None:
    """``key_errors``: rows whose key repeats in the file, or (append) is already published."""
    keys = key_fields(items)
    con.execute("CREATE TABLE key_errors (_line BIGINT, field VARCHAR, reason VARCHAR)")
    if not keys:
        return
    cols = ", ".join(ident(k) for k in keys)
    clean = " AND ".join(f"{ident('_e_' + k)} IS NULL" for k in keys)
    first = literal(keys[0])
    con.execute(
        f"INSERT INTO key_errors SELECT _line, {first}, {literal(Reason.KEY_REPEATED.value)} "
        f"FROM (SELECT _line, count(*) OVER (PARTITION BY {cols}) AS n FROM checked "
        f"WHERE {clean}) WHERE n > 1"
    )
    if mode is LoadMode.APPEND and previous is not None:
        on = " AND ".join(f"c.{ident(k)} = p.{ident(k)}" for k in keys)
        con.execute(
            f"INSERT INTO key_errors SELECT c._line, {first}, {literal(Reason.KEY_EXISTS.value)} "
            f"FROM checked c SEMI JOIN read_parquet({literal(str(previous))}) p ON {on} "
            f"WHERE {' AND '.join('c.' + ident('_e_' + k) + ' IS NULL' for k in keys)}"
        )


def _collect_errors(con: duckdb.DuckDBPyConnection, items: Sequence[DataItem]) -> None:
    """``errors``: one row per (row, field) with its reason; ``bad``: their row numbers."""
    any_error = "coalesce(" + ", ".join(ident("_e_" + i.field) for i in items) + ")"
    renamed = ", ".join(f"{ident('_e_' + i.field)} AS {ident(i.field)}" for i in items)
    on = ", ".join(ident(i.field) for i in items)
    con.execute(
        f"CREATE TABLE errors AS SELECT _line, field, reason FROM (UNPIVOT (SELECT _line, "
        f"{renamed} FROM checked WHERE {any_error} IS NOT NULL) ON {on} "
        "INTO NAME field VALUE reason) UNION ALL SELECT _line, field, reason FROM key_errors"
    )
    con.execute("CREATE TABLE bad AS SELECT DISTINCT _line FROM errors")


def _write_quarantine(
    con: duckdb.DuckDBPyConnection, items: Sequence[DataItem], target: Path
) -> None:
    con.execute(
        "CREATE TABLE messages (field VARCHAR, item VARCHAR, reason VARCHAR, label VARCHAR, "
        "message VARCHAR)"
    )
    con.executemany(
        "INSERT INTO messages VALUES (?, ?, ?, ?, ?)",
        [
            (i.field, i.name, r.value, r.label_zh, reason_message(i, r))
            for i in items
            for r in Reason
            if r is not Reason.SHAPE
        ],
    )
    value = "CASE e.field " + " ".join(
        f"WHEN {literal(i.field)} THEN r.{ident(i.field)}" for i in items
    )
    raw_columns = ", ".join(f"r.{ident(i.field)}" for i in items)
    empty_columns = ", ".join(f"NULL AS {ident(i.field)}" for i in items)
    con.execute(
        f"COPY (SELECT * FROM (SELECT e._line AS row, e.field, m.item, e.reason, "
        f"m.label AS reason_zh, m.message, {value} END AS value, {raw_columns} "
        "FROM errors e JOIN messages m ON m.field = e.field AND m.reason = e.reason "
        "JOIN raw r ON r._line = e._line "
        f"UNION ALL SELECT _line, NULL, NULL, {literal(Reason.SHAPE.value)}, "
        f"{literal(Reason.SHAPE.label_zh)}, message, text, {empty_columns} FROM shape_rejects) "
        f"ORDER BY row, field) TO {literal(str(target))} (FORMAT csv, HEADER true)"
    )


def _previous_sql(con: duckdb.DuckDBPyConnection, items: Sequence[DataItem], previous: Path) -> str:
    """The published records, shaped like the current data items (new items empty)."""
    where = f"read_parquet({literal(str(previous))})"
    had = {str(r[0]) for r in con.execute(f"DESCRIBE SELECT * FROM {where}").fetchall()}
    parts = [
        f"CAST({ident(i.field) if i.field in had else 'NULL'} AS {duckdb_type(i)}) "
        f"AS {ident(i.field)}"
        for i in items
    ]
    return f"SELECT {', '.join(parts)}, 0 AS _part, {ident(ROW_COLUMN)} AS _pos FROM {where}"


def _final_sql(
    con: duckdb.DuckDBPyConnection,
    items: Sequence[DataItem],
    mode: LoadMode,
    previous: Path | None,
) -> tuple[str, str]:
    """The records of the new version, and the order they are written in."""
    fields = ", ".join(ident(i.field) for i in items)
    fresh = f"SELECT {fields}, 1 AS _part, _line AS _pos FROM checked ANTI JOIN bad USING (_line)"
    order = _order(items, "_part, _pos")
    if previous is None or mode is LoadMode.REPLACE:
        return fresh, order
    old = _previous_sql(con, items, previous)
    keys = key_fields(items)
    if mode is LoadMode.UPSERT and keys:
        using = ", ".join(ident(k) for k in keys)
        old = f"SELECT * FROM ({old}) ANTI JOIN (SELECT {using} FROM ({fresh})) USING ({using})"
    return f"{old} UNION ALL {fresh}", order


def build_version(
    con: duckdb.DuckDBPyConnection,
    *,
    source: Path,
    source_format: SourceFormat,
    file: str,
    items: Sequence[DataItem],
    mode: LoadMode,
    previous: Path | None,
    previous_rows: int,
    workdir: Path,
    context: ValidationContext,
    strict: bool,
    progress: Progress,
) -> BuiltVersion:
    for table, codes in reference_tables(context).items():
        con.execute(f"CREATE TABLE {ident(table)} AS SELECT unnest(?::VARCHAR[]) AS code", [codes])

    def check(relation: str, *, numbered: bool) -> str:
        return checked_select(items, relation, context, numbered=numbered)

    staged = STAGERS[source_format](
        con, source, items, workdir, file=file, progress=progress, check=check
    )
    progress.stage("validating", staged.rows_read)
    _mark_key_errors(con, items, mode, previous)
    _collect_errors(con, items)
    progress.advance(staged.rows_read)
    shape_rejected = _fetch_int(con, "SELECT count(*) FROM shape_rejects")
    rejected = _fetch_int(con, "SELECT count(*) FROM bad") + shape_rejected
    tallies: dict[str, dict[str, int]] = {}
    for fld, reason, n in con.execute(
        "SELECT field, reason, count(*) FROM errors GROUP BY ALL ORDER BY ALL"
    ).fetchall():
        tallies.setdefault(str(fld), {})[str(reason)] = int(n)
    if shape_rejected:
        tallies["(row)"] = {Reason.SHAPE.value: shape_rejected}
    quarantine = None
    if rejected:
        _write_quarantine(con, items, workdir / QUARANTINE_FILE)
        quarantine = QUARANTINE_FILE
    valid = staged.rows_read - rejected
    if valid == 0 or (strict and rejected):
        counts = LoadCounts(staged.rows_read, valid, rejected, 0)
        return BuiltVersion(counts, tallies, staged, None, quarantine)
    progress.stage("writing", None)
    final, order = _final_sql(con, items, mode, previous)
    fields = ", ".join(ident(i.field) for i in items)
    # One sort: the order is total (key, then part and position), so the position the
    # window numbers and the order the rows are written in agree.
    published = _fetch_int(
        con,
        f"COPY (SELECT CAST(row_number() OVER (ORDER BY {order}) AS BIGINT) AS "
        f"{ident(ROW_COLUMN)}, {fields} FROM ({final}) ORDER BY {order}) "
        f"TO {literal(str(workdir / DATA_FILE))} "
        f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_ROWS})",
    )
    replaced = previous_rows + valid - published if mode is LoadMode.UPSERT else 0
    counts = LoadCounts(staged.rows_read, valid, rejected, published, max(replaced, 0))
    columns = [(i.field, duckdb_type(i)) for i in items]
    return BuiltVersion(counts, tallies, staged, DATA_FILE, quarantine, columns)
