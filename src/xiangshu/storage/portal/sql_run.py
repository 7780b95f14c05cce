"""Running a checked ``datastore_search_sql`` statement on the serving store, guarded.

The statement was parsed, checked and rewritten onto serving tables by
``domain/portal/sql_check.py``. Here the database adds its own guards:

- PostgreSQL: a read-only transaction, ``statement_timeout``, and — when the node's
  operator ran ``xiangshu lake reader-role`` — ``SET LOCAL ROLE`` to that role, which
  may only ``SELECT`` serving tables;
- SQLite: a separate connection opened read-only (``mode=ro``, ``query_only``), and a
  progress handler that interrupts the statement at the time limit.

Database errors come back as a short message with serving table names removed.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from xiangshu.errors import InvalidInput, Problem
from xiangshu.storage.lake.serving import ServingStore, ident_role

READER_ROLE = "xiangshu_reader"
SERVING_NAME = re.compile(r'"?(lake_serving"?\.)?"?v_[0-9a-f]{32}"?')
PROGRESS_STEPS = 1000


class SqlTimeout(InvalidInput):
    pass


def _clean(message: str) -> str:
    first = message.strip().splitlines()[0] if message.strip() else "the statement failed"
    return SERVING_NAME.sub("<dataset>", first)[:300]


def _refused(message: str) -> InvalidInput:
    return InvalidInput("the statement failed", problems=[Problem(_clean(message), field="sql")])


def _role_ready(connection: sa.Connection, role: str, schema: str | None) -> bool:
    """The reader role exists here and may use this database's serving schema (roles are
    cluster-wide; the grants are per database)."""
    found = connection.exec_driver_sql(
        "SELECT has_schema_privilege(r.rolname, %(schema)s, 'USAGE') "
        "FROM pg_roles r WHERE r.rolname = %(role)s "
        "AND EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = %(schema)s)",
        {"role": role, "schema": schema or "public"},
    ).first()
    return bool(found and found[0])


def run_select(
    serving: ServingStore, sql: str, *, timeout_ms: int, role: str = READER_ROLE
) -> tuple[list[str], list[Sequence[Any]]]:
    """Column names and rows of a checked SELECT."""
    if serving.is_sqlite:
        return _run_sqlite(serving, sql, timeout_ms)
    return _run_postgres(serving, sql, timeout_ms, role)


def _run_postgres(
    serving: ServingStore, sql: str, timeout_ms: int, role: str
) -> tuple[list[str], list[Sequence[Any]]]:
    import psycopg

    with serving.engine.connect() as connection:
        transaction = connection.begin()
        try:
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
            connection.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout_ms)}")
            if _role_ready(connection, role, serving.schema):
                connection.exec_driver_sql(f"SET LOCAL ROLE {ident_role(role)}")
            result = connection.exec_driver_sql(sql)
            names = [str(k) for k in result.keys()]  # noqa: SIM118 - a Result, not a dict
            rows: list[Sequence[Any]] = [tuple(r) for r in result.fetchall()]
        except sa.exc.DBAPIError as error:
            if isinstance(error.orig, psycopg.errors.QueryCanceled):
                raise SqlTimeout(
                    "the statement took too long",
                    problems=[Problem(f"the statement ran past {timeout_ms} ms", field="sql")],
                ) from None
            raise _refused(str(error.orig)) from None
        finally:
            transaction.rollback()
    return names, rows


def _run_sqlite(
    serving: ServingStore, sql: str, timeout_ms: int
) -> tuple[list[str], list[Sequence[Any]]]:
    path = make_url(serving.url).database
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    deadline = time.monotonic() + timeout_ms / 1000
    timed_out = False

    def interrupt() -> int:
        nonlocal timed_out
        if time.monotonic() > deadline:
            timed_out = True
            return 1
        return 0

    try:
        connection.execute("PRAGMA query_only = ON")
        connection.set_progress_handler(interrupt, PROGRESS_STEPS)
        cursor = connection.execute(sql)
        names = [str(d[0]) for d in cursor.description or ()]
        rows: list[Sequence[Any]] = list(cursor.fetchall())
    except sqlite3.Error as error:
        if timed_out:
            raise SqlTimeout(
                "the statement took too long",
                problems=[Problem(f"the statement ran past {timeout_ms} ms", field="sql")],
            ) from None
        raise _refused(str(error)) from None
    finally:
        connection.close()
    return names, rows
