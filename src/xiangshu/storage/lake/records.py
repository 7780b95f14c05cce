"""Running a checked :class:`QueryPlan` against a version's records.

The current version is read from its serving table; older versions straight from
their Parquet file with DuckDB. Both run the same SQLAlchemy statement — built
only from the plan's permitted columns, with every value bound, never spliced.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from xiangshu.domain.lake.query import ROW_COLUMN, FilterOp, QueryPlan, TypedFilter
from xiangshu.storage.lake.sql import literal

DUCKDB_DIALECT = postgresql.psycopg.dialect(paramstyle="numeric_dollar")  # type: ignore[no-untyped-call]


@dataclass(frozen=True, slots=True)
class Page:
    records: list[dict[str, Any]]
    next_after: list[Any] | None  # the last record's sort values, for keyset paging
    count: int | None


def _bindable(column: sa.ColumnElement[Any], value: Any) -> Any:
    if isinstance(value, Decimal) and isinstance(column.type, sa.Float):
        return float(value)
    return value


def _condition(table: sa.Table, spec: TypedFilter) -> sa.ColumnElement[bool]:
    column: sa.ColumnElement[Any] = table.c[spec.field]
    if spec.op is FilterOp.IN:
        return column.in_([_bindable(column, v) for v in spec.value])
    value = _bindable(column, spec.value)
    compare: dict[FilterOp, Callable[[Any, Any], sa.ColumnElement[bool]]] = {
        FilterOp.EQ: operator.eq,
        FilterOp.GT: operator.gt,
        FilterOp.GTE: operator.ge,
        FilterOp.LT: operator.lt,
        FilterOp.LTE: operator.le,
    }
    return compare[spec.op](column, value)


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def conditions(
    table: sa.Table,
    filters: Sequence[TypedFilter],
    terms: Sequence[str],
    text_fields: Sequence[str],
) -> list[sa.ColumnElement[bool]]:
    where = [_condition(table, f) for f in filters]
    for term in terms:
        pattern = f"%{_escape_like(term)}%"
        where.append(sa.or_(*(table.c[f].like(pattern, escape="\\") for f in text_fields)))
    return where


def _pinned(plan: QueryPlan, indexed: Sequence[str]) -> TypedFilter | None:
    """An equality filter on an indexed field, when records come by row position.

    PostgreSQL would walk the ``_row`` index and filter, assuming matches are spread
    evenly — but real data is clustered (ID numbers start with the division code, so one
    division is one stretch of rows, and a deep page of another division scans millions).
    Written as a range with ``ORDER BY field, _row`` and a row-value cursor, the query can
    only be answered in order by the ``(field, _row)`` index, which positions exactly.
    SQLite does not seek with that row value (it walks the whole division in the index):
    there the equality and ``_row > cursor`` position it exactly instead.
    """
    if len(plan.sort) != 1 or plan.sort[0].field != ROW_COLUMN:
        return None
    for spec in plan.filters:
        if spec.op is FilterOp.EQ and spec.field in indexed:
            return spec
    return None


def build_select(
    table: sa.Table, plan: QueryPlan, indexed: Sequence[str] = (), *, sqlite: bool = False
) -> tuple[sa.Select[Any], list[str]]:
    """The page's SELECT and the names of its columns (requested fields, then sort columns);
    ``sqlite`` for the embedded serving store, whose planner wants the cursor another way."""
    names = list(dict.fromkeys([*plan.fields, *(s.field for s in plan.sort)]))
    pinned = _pinned(plan, indexed)
    others = [f for f in plan.filters if f is not pinned]
    where = conditions(table, others, plan.text_terms, plan.text_fields)
    row = table.c[ROW_COLUMN]
    descending = plan.sort[-1].descending
    if pinned is not None and sqlite:
        column = table.c[pinned.field]
        where.append(column == _bindable(column, pinned.value))
        sort_columns = [column, row]
        if plan.after is not None:
            after = _bindable(row, plan.after[0])
            where.append(row < after if descending else row > after)
        statement = sa.select(*(table.c[n] for n in names)).where(*where)
        return _ordered(statement, sort_columns, descending, plan), names
    if pinned is not None:
        column = table.c[pinned.field]
        value = _bindable(column, pinned.value)
        where += [column >= value, column <= value]
        sort_columns = [column, row]
        cursor = [value, *(plan.after or ())]
    else:
        sort_columns = [table.c[s.field] for s in plan.sort]
        cursor = list(plan.after or ())
    if plan.after is not None:
        values = [_bindable(c, v) for c, v in zip(sort_columns, cursor, strict=True)]
        left, right = sa.tuple_(*sort_columns), sa.tuple_(*values)
        where.append(left < right if descending else left > right)
    statement = sa.select(*(table.c[n] for n in names)).where(*where)
    return _ordered(statement, sort_columns, descending, plan), names


def _ordered(
    statement: sa.Select[Any],
    sort_columns: Sequence[sa.ColumnElement[Any]],
    descending: bool,
    plan: QueryPlan,
) -> sa.Select[Any]:
    """The page's order, one row more than asked (to know whether another page follows)."""
    statement = statement.order_by(*(c.desc() if descending else c.asc() for c in sort_columns))
    statement = statement.limit(plan.limit + 1)
    if plan.offset:
        statement = statement.offset(plan.offset)
    return statement


def count_select(table: sa.Table, plan: QueryPlan) -> sa.Select[Any]:
    return (
        sa.select(sa.func.count())
        .select_from(table)
        .where(*conditions(table, plan.filters, plan.text_terms, plan.text_fields))
    )


def plain(value: Any) -> Any:
    """Values as JSON-friendly Python: decimals become floats."""
    if isinstance(value, Decimal):
        return float(value)
    return value


def _page(
    rows: Sequence[Sequence[Any]], names: list[str], plan: QueryPlan, count: int | None
) -> Page:
    more = len(rows) > plan.limit
    rows = rows[: plan.limit]
    records = [
        {name: plain(row[i]) for i, name in enumerate(names) if name in plan.fields} for row in rows
    ]
    next_after = None
    if more and rows:
        last = rows[-1]
        next_after = [plain(last[names.index(s.field)]) for s in plan.sort]
    return Page(records, next_after, count)


def query_serving(
    engine: sa.Engine,
    table: sa.Table,
    plan: QueryPlan,
    *,
    stored_count: int,
    indexed: Sequence[str] = (),
) -> Page:
    sqlite = engine.dialect.name == "sqlite"
    statement, names = build_select(table, plan, indexed, sqlite=sqlite)
    with engine.connect() as connection:
        rows = connection.execute(statement).fetchall()
        count: int | None = None
        if not plan.is_filtered:
            count = stored_count
        elif plan.count:
            count = int(connection.execute(count_select(table, plan)).scalar_one())
    return _page(rows, names, plan, count)


def stream_serving(
    engine: sa.Engine, table: sa.Table, plan: QueryPlan, *, batch: int = 10_000
) -> Iterator[list[dict[str, Any]]]:
    """Every matching record in sort order, in batches (for exports)."""
    statement, names = build_select(table, plan)
    statement = statement.limit(None).offset(None)
    with engine.connect().execution_options(stream_results=True, yield_per=batch) as connection:
        result = connection.execute(statement)
        while rows := result.fetchmany(batch):
            yield [{n: plain(r[i]) for i, n in enumerate(names) if n in plan.fields} for r in rows]


def _duck_run(con: duckdb.DuckDBPyConnection, statement: sa.Select[Any]) -> list[tuple[Any, ...]]:
    compiled = statement.compile(
        dialect=DUCKDB_DIALECT, compile_kwargs={"render_postcompile": True}
    )
    params = [compiled.params[name] for name in compiled.positiontup or ()]
    return con.execute(compiled.string, params).fetchall()


def query_parquet(
    parquet: Path, table: sa.Table, plan: QueryPlan, *, threads: int, stored_count: int
) -> Page:
    """An older version's records, read from its Parquet file."""
    con = duckdb.connect()
    try:
        con.execute(f"SET threads = {int(threads)}")
        con.execute(
            f"CREATE VIEW {table.name} AS SELECT * FROM read_parquet({literal(str(parquet))})"
        )
        statement, names = build_select(table, plan)
        rows = _duck_run(con, statement)
        count: int | None = None
        if not plan.is_filtered:
            count = stored_count
        elif plan.count:
            count = int(_duck_run(con, count_select(table, plan))[0][0])
    finally:
        con.close()
    return _page(rows, names, plan, count)


__all__ = ["ROW_COLUMN", "Page", "build_select", "query_parquet", "query_serving", "stream_serving"]
