"""The metadata store: engines, sessions and transactions on SQLite or PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000


class WriteTurn:
    """The threads of one process queue here for SQLite's single write lock.

    Taken when a write transaction really begins (its first statement), given back
    when it commits or rolls back. It only orders this process's writers; SQLite's lock
    still decides between processes, so a turn not had within the busy timeout is
    skipped rather than waited for forever.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held = threading.local()

    def take(self) -> None:
        if not getattr(self._held, "value", False):
            self._held.value = self._lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)

    def give_back(self) -> None:
        if getattr(self._held, "value", False):
            self._held.value = False
            self._lock.release()


def _sqlite_engine(url: str, *, turn: WriteTurn | None) -> Engine:
    """``turn`` given: a writer's engine, whose transactions begin ``IMMEDIATE``."""
    engine = create_engine(url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if turn is None:  # a reader's: a write through it is a mistake, refused at once
            cursor.execute("PRAGMA query_only = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock up front so that read-then-write
        # transactions (the audit chain head) queue instead of failing.
        if turn is None:
            connection.exec_driver_sql("BEGIN")
            return
        turn.take()
        try:
            _begin_immediate(connection.connection.driver_connection)
        except sqlite3.OperationalError as error:
            turn.give_back()
            # the same error SQLAlchemy raises for any other statement
            raise exc.OperationalError("BEGIN IMMEDIATE", (), error) from error
        except BaseException:
            turn.give_back()
            raise

    if turn is not None:
        event.listen(engine, "commit", lambda _connection: turn.give_back())
        event.listen(engine, "rollback", lambda _connection: turn.give_back())
    return engine


def _begin_immediate(raw: sqlite3.Connection) -> None:
    """``BEGIN IMMEDIATE``, retried in short steps while another process writes.

    SQLite's own busy handler sleeps 1, 2, 5, 10 … up to 100 ms between tries, so
    under steady contention (two server workers, each audited read a short write) a
    waiter keeps losing the lock and its request waits hundreds of milliseconds. Here
    the wait starts at 0.1 ms and never exceeds 2 ms, within the same overall limit.
    """
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
        pause = 0.0001
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.002)
    finally:
        raw.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")


class Store:
    """Owns the engines of the metadata store and hands out transactions."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.dialect = make_url(url).get_backend_name()
        if self.dialect == "sqlite":
            self._turn: WriteTurn | None = WriteTurn()
            self.write_engine = _sqlite_engine(url, turn=self._turn)
            self.read_engine = _sqlite_engine(url, turn=None)
        else:
            self._turn = None
            self.write_engine = create_engine(url, pool_pre_ping=True)
            self.read_engine = self.write_engine
        self._writer = sessionmaker(self.write_engine, expire_on_commit=False)
        self._reader = sessionmaker(self.read_engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """One transaction: committed if the block succeeds, rolled back otherwise."""
        factory = self._writer if write else self._reader
        try:
            with factory() as session, session.begin():
                yield session
        finally:
            if write and self._turn is not None:
                self._turn.give_back()  # also when the connection never reached COMMIT

    def dispose(self) -> None:
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()
