"""Counting views, downloads and API calls without a write per request.

Each web worker adds up its counts in memory, per dataset, (Beijing) day and kind,
and adds them to ``portal_usage`` every ``portal_usage_flush_seconds`` in one short
transaction (an upsert per counted key). A page view costs a dictionary update under
a lock; the store sees a handful of statements every few seconds whatever the
traffic. What a killed worker had not flushed yet is lost (at most one interval).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from xiangshu.storage.db import Store
from xiangshu.storage.models.portal import UsageCountRow

BEIJING = timedelta(hours=8)
KINDS = ("view", "download", "api")
Key = tuple[uuid.UUID, date, str]


class UsageCounter:
    def __init__(self, store: Store, *, flush_seconds: float) -> None:
        self.store = store
        self.flush_seconds = flush_seconds
        self._pending: Counter[Key] = Counter()
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._last_flush = time.monotonic()

    def count(self, resource_id: uuid.UUID, kind: str, at: datetime, n: int = 1) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown usage kind {kind}")
        day = (at + BEIJING).date()
        with self._lock:
            self._pending[(resource_id, day, kind)] += n
            due = time.monotonic() - self._last_flush >= self.flush_seconds
        if due:
            self.flush()

    def pending(self) -> int:
        with self._lock:
            return sum(self._pending.values())

    def flush(self) -> int:
        """Add the pending counts to the store; how many keys were written."""
        if not self._flushing.acquire(blocking=False):
            return 0  # another thread is flushing
        try:
            with self._lock:
                batch, self._pending = self._pending, Counter()
                self._last_flush = time.monotonic()
            if not batch:
                return 0
            try:
                self._write(batch)
            except Exception:
                with self._lock:  # keep the counts for the next attempt
                    self._pending.update(batch)
                raise
            return len(batch)
        finally:
            self._flushing.release()

    def _write(self, batch: Counter[Key]) -> None:
        table = UsageCountRow.__table__
        dialect = postgresql if not self.store.is_sqlite else sqlite
        rows = [
            {"resource_id": r, "day": d, "kind": k, "count": n} for (r, d, k), n in batch.items()
        ]
        statement = dialect.insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=["resource_id", "day", "kind"],
            set_={"count": table.c.count + statement.excluded.count},
        )
        with self.store.transaction(write=True) as session:
            if not self.store.is_sqlite:
                session.execute(sa.text("SET LOCAL synchronous_commit = off"))
            session.execute(statement, rows)


def usage_totals(
    session: sa.orm.Session, resource_ids: list[uuid.UUID] | None = None
) -> dict[uuid.UUID, dict[str, int]]:
    """Counts per dataset and kind (all days)."""
    query = sa.select(
        UsageCountRow.resource_id, UsageCountRow.kind, sa.func.sum(UsageCountRow.count)
    )
    if resource_ids is not None:
        query = query.where(UsageCountRow.resource_id.in_(resource_ids))
    query = query.group_by(UsageCountRow.resource_id, UsageCountRow.kind)
    totals: dict[uuid.UUID, dict[str, int]] = {}
    for resource_id, kind, total in session.execute(query):
        totals.setdefault(resource_id, dict.fromkeys(KINDS, 0))[kind] = int(total or 0)
    return totals
