"""SQLite writers wait for the write lock in short steps, and give up at the busy timeout."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from xiangshu.storage import db
from xiangshu.storage.db import Store


def _store(tmp_path: Path) -> tuple[Store, Path]:
    path = tmp_path / "meta.db"
    store = Store(f"sqlite:///{path}")
    with store.transaction() as session:
        session.execute(text("CREATE TABLE note (n INTEGER)"))
    return store, path


def test_a_writer_waits_for_another_process_and_then_writes(tmp_path: Path) -> None:
    store, path = _store(tmp_path)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO note VALUES (1)")
    released = threading.Event()

    def release_later() -> None:
        released.wait(0.3)
        other.execute("COMMIT")
        released.set()

    releaser = threading.Thread(target=release_later)
    releaser.start()
    with store.transaction() as session:  # blocks until the other writer commits
        seen = session.execute(text("SELECT count(*) FROM note")).scalar_one()
        session.execute(text("INSERT INTO note VALUES (2)"))
    releaser.join()
    assert seen == 1, "the write began only after the other writer had committed"
    with store.transaction(write=False) as session:
        assert session.execute(text("SELECT count(*) FROM note")).scalar_one() == 2
    store.dispose()


def test_threads_of_one_process_take_turns_and_none_is_lost(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    failures: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(20):
                with store.transaction() as session:
                    last = session.execute(text("SELECT count(*) FROM note")).scalar_one()
                    session.execute(text("INSERT INTO note VALUES (:n)"), {"n": last + 1})
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=write) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with store.transaction(write=False) as session:
        values = [r[0] for r in session.execute(text("SELECT n FROM note ORDER BY rowid"))]
    assert values == list(range(1, 121)), "each read-then-write saw every earlier one"
    store.dispose()


def test_a_writer_gives_up_at_the_busy_timeout_and_frees_its_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, path = _store(tmp_path)
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(OperationalError, match="locked"), store.transaction() as session:
        session.execute(text("INSERT INTO note VALUES (1)"))
    other.execute("ROLLBACK")

    def write_again() -> None:
        with store.transaction() as session:
            session.execute(text("INSERT INTO note VALUES (2)"))

    # another thread gets the turn at once: the failed writer did not keep it
    again = threading.Thread(target=write_again)
    again.start()
    again.join(timeout=0.15)  # far below the (shortened) timeout a kept turn would cost
    assert not again.is_alive(), "the failed writer kept its turn"
    with store.transaction(write=False) as session:
        assert session.execute(text("SELECT n FROM note")).scalars().all() == [2]
    store.dispose()
