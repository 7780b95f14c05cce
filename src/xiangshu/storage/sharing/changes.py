"""The 库表 change feed: inserts, updates and deletes between two versions of a resource.

Versions are immutable Parquet files sorted by key, so the changes from version *a*
to version *b* never change either: they are computed once with DuckDB (a full outer
join on the key) and kept beside the lake as ``changes/<a>-<b>.parquet``, numbered by
``_seq`` in key order. A page is "the changes after position p", which is what makes
the consumer's cursor exact: ``(a, b, p)``. From version 0 (a first sync) the feed is
the whole version, read straight from its file by row position.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from xiangshu.domain.data_items import DataItem, key_fields
from xiangshu.domain.lake.query import ROW_COLUMN
from xiangshu.storage.lake.sql import ident, literal

OP_COLUMN = "_op"
SEQ_COLUMN = "_seq"


def changes_file(resource_dir: Path, from_number: int, to_number: int) -> Path:
    return resource_dir / "changes" / f"{from_number}-{to_number}.parquet"


def _columns(con: duckdb.DuckDBPyConnection, parquet: Path) -> set[str]:
    rows = con.execute(f"DESCRIBE SELECT * FROM read_parquet({literal(str(parquet))})").fetchall()
    return {str(r[0]) for r in rows}


def build_changes(
    old: Path, new: Path, items: Sequence[DataItem], target: Path, *, memory_mb: int = 512
) -> int:
    """Write the changes from ``old`` to ``new`` (immutable, so written once); their count."""
    keys = key_fields(items)
    if not keys:
        raise ValueError("a resource without a key has no change feed")
    fields = [i.field for i in items]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
    con = duckdb.connect()
    try:
        con.execute(f"SET memory_limit = '{int(memory_mb)}MB'")
        present = _columns(con, old)
        old_cols = ", ".join(
            f"{ident(f)}" if f in present else f"NULL AS {ident(f)}" for f in fields
        )
        con.execute(f"CREATE VIEW o AS SELECT {old_cols} FROM read_parquet({literal(str(old))})")
        con.execute(
            f"CREATE VIEW n AS SELECT {', '.join(ident(f) for f in fields)} "
            f"FROM read_parquet({literal(str(new))})"
        )
        on = " AND ".join(f"o.{ident(k)} = n.{ident(k)}" for k in keys)
        differs = (
            " OR ".join(
                f"o.{ident(f)} IS DISTINCT FROM n.{ident(f)}" for f in fields if f not in keys
            )
            or "FALSE"
        )
        pick = ", ".join(
            f"coalesce(n.{ident(f)}, o.{ident(f)}) AS {ident(f)}"
            if f in keys
            else f"n.{ident(f)} AS {ident(f)}"
            for f in fields
        )
        order = ", ".join(ident(k) for k in keys)
        con.execute(
            f"""COPY (
                SELECT row_number() OVER (ORDER BY {order}) AS {SEQ_COLUMN}, * FROM (
                    SELECT CASE WHEN o.{ident(keys[0])} IS NULL THEN 'insert'
                                WHEN n.{ident(keys[0])} IS NULL THEN 'delete'
                                ELSE 'update' END AS {OP_COLUMN},
                           {pick}
                    FROM o FULL OUTER JOIN n ON {on}
                    WHERE o.{ident(keys[0])} IS NULL OR n.{ident(keys[0])} IS NULL OR ({differs})
                )
            ) TO {literal(str(partial))} (FORMAT parquet, COMPRESSION zstd)"""
        )
        count = con.execute(
            f"SELECT count(*) FROM read_parquet({literal(str(partial))})"
        ).fetchone()
    finally:
        con.close()
    os.replace(partial, target)  # concurrent builders write the same content; last one wins
    return int(count[0]) if count else 0


def read_changes(
    source: Path,
    items: Sequence[DataItem],
    after: int,
    limit: int,
    *,
    whole_version: bool,
) -> tuple[list[dict[str, Any]], bool]:
    """The changes after position ``after`` (``_seq``, or ``_row`` for a whole version), and
    whether they reach the end of the file.

    Positions are consecutive in both kinds of file (``_seq`` is numbered, ``_row`` is the
    record's place in the sorted version), so a page is a range of positions: DuckDB reads
    only the row groups that hold it (their statistics say which), and a page deep in a
    million rows costs what the first one does. Values come back JSON-ready: numbers with
    decimals as floats (as every lake read gives them), dates and times as ISO text; rows
    are built by Arrow.
    """
    position = ROW_COLUMN if whole_version else SEQ_COLUMN
    op = "'insert'" if whole_version else OP_COLUMN
    columns = ", ".join(_json_ready(i) for i in items)
    parquet = f"read_parquet({literal(str(source))})"
    con = duckdb.connect()
    try:
        con.execute("SET threads = 1")
        bounds = con.execute(f"SELECT min({position}), max({position}) FROM {parquet}").fetchall()
        low, high = bounds[0] if bounds else (None, None)
        first, last = (int(low), int(high)) if low is not None else (0, -1)
        start = max(int(after), first - 1)
        end = start + int(limit)
        table = con.sql(
            f"SELECT {position} AS _pos, {op} AS _op, {columns} FROM {parquet} "
            f"WHERE {position} > {start} AND {position} <= {end} ORDER BY {position}"
        ).to_arrow_table()
        rows: list[dict[str, Any]] = table.to_pylist()
    finally:
        con.close()
    return rows, end >= last


def _json_ready(item: DataItem) -> str:
    name = ident(item.field)
    if item.type.value in ("N", "Y"):
        return f"CAST({name} AS DOUBLE) AS {name}"
    if item.type.value in ("D", "T"):
        return f"CAST({name} AS VARCHAR) AS {name}"
    return name
