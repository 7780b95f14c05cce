"""Group commit: small writes of concurrent callers share one transaction.

Every audited read ends with a short write — its event — and every such write takes the
audit chain's head (a row lock on PostgreSQL, the database's write lock on SQLite) and
pays a commit. Under load, callers that arrive while a write is under way queue; the
next of them writes the whole queue in one transaction, so a dozen reads pay for one
lock, one set of round trips and one commit, and each caller still returns only once
its own write is committed.

Leader and followers: the first caller with nobody writing becomes the leader and
writes the queue; it returns after the batch holding its own write and hands the lead
to the oldest caller still waiting, so no caller keeps writing others' batches. If a
shared batch fails, each of its writes is tried again in a transaction of its own, so
one bad write fails only its own caller.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from sqlalchemy.orm import Session

from xiangshu.storage.db import Store

T = TypeVar("T")


@dataclass(eq=False)
class _Waiting(Generic[T]):
    write: Callable[[Session], T]
    woken: threading.Event = field(default_factory=threading.Event)
    committed: bool = False
    result: T | None = None
    error: BaseException | None = None


class GroupCommit:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._queue: list[_Waiting[Any]] = []
        self._writing = False

    def run(self, write: Callable[[Session], T]) -> T:
        """Run ``write`` in a write transaction, possibly shared, and return its result once
        committed; raise its error (or the shared transaction's) if it was not."""
        mine: _Waiting[T] = _Waiting(write)
        with self._lock:
            self._queue.append(mine)
            leads = not self._writing
            self._writing = True
        if not leads:
            mine.woken.wait()
        if not mine.committed and mine.error is None:  # woken (or first) to lead
            self._lead(mine)
        if mine.error is not None:
            raise mine.error
        return cast(T, mine.result)

    def _lead(self, mine: _Waiting[Any]) -> None:
        with self._lock:  # the queue holds ours: queued before leading, or first in line
            batch, self._queue = self._queue, []
        try:
            self._write(batch)
        except BaseException as error:  # interrupted: nobody of the batch may hang
            for waiting in batch:
                waiting.error = waiting.error or error
            raise
        finally:
            for waiting in batch:
                if waiting is not mine:
                    waiting.woken.set()
            with self._lock:
                if self._queue:  # the oldest waiting caller leads next
                    self._queue[0].woken.set()
                else:
                    self._writing = False

    def _write(self, batch: list[_Waiting[Any]]) -> None:
        try:
            with self._store.transaction(write=True) as session:
                for waiting in batch:
                    waiting.result = waiting.write(session)
        except Exception as error:
            if len(batch) == 1:
                batch[0].error = error
                return
            for waiting in batch:  # alone, so that one bad write fails only its caller
                self._write([waiting])
            return
        for waiting in batch:
            waiting.committed = True
