"""Rate limits shared by every web worker: fixed one-minute windows in the metadata store.

Each request adds one to its client's row for the current minute with a single upsert
(``INSERT … ON CONFLICT … DO UPDATE … RETURNING count``), atomic on SQLite and
PostgreSQL alike, so several workers (or nodes on one PostgreSQL) agree on the count.
A request over the limit learns when the window ends (``Retry-After``). Rows of past
windows are deleted now and then by whichever worker notices. The counts of concurrent
requests of one worker are group-committed (:mod:`xiangshu.storage.group_commit`): each
upsert in the shared transaction sees the ones before it. On PostgreSQL the upsert
commits without waiting for the WAL flush (``synchronous_commit = off``): a crash may
forget the last counts, which only ever errs towards letting a request through.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from xiangshu.storage.db import Store
from xiangshu.storage.group_commit import GroupCommit
from xiangshu.storage.models.portal import AppQuotaRow, RateWindowRow

WINDOW_SECONDS = 60
ASYNC_COMMIT = "rate:async-commit"  # session.info: this transaction commits asynchronously


@dataclass(frozen=True, slots=True)
class RateResult:
    allowed: bool
    limit: int
    remaining: int
    reset_at: int  # epoch seconds when the window ends
    retry_after: int  # seconds until a refused client may try again (0 if allowed)


class RateLimiter:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._counts = GroupCommit(store)
        self._purged_window = 0
        self._lock = threading.Lock()
        self._quotas: dict[str, tuple[float, int | None]] = {}

    def hit(self, bucket: str, limit: int, now: float) -> RateResult:
        """Count one request of ``bucket`` and say whether it is within ``limit``."""
        window = int(now // WINDOW_SECONDS)
        reset_at = (window + 1) * WINDOW_SECONDS
        table = RateWindowRow.__table__
        dialect = sqlite if self.store.is_sqlite else postgresql
        statement = dialect.insert(table).values(bucket=bucket[:120], window=window, count=1)
        statement = statement.on_conflict_do_update(
            index_elements=["bucket", "window"], set_={"count": table.c.count + 1}
        ).returning(table.c.count)

        def count(session: Session) -> int:
            if not self.store.is_sqlite and not session.info.get(ASYNC_COMMIT):
                # A count lost to a crash costs one request's worth of limit, not data:
                # no need to wait for the WAL flush (SQLite's WAL mode does not wait either).
                session.execute(sa.text("SET LOCAL synchronous_commit = off"))
                session.info[ASYNC_COMMIT] = True
            used = int(session.execute(statement).scalar_one())
            if self._should_purge(window):
                session.execute(sa.delete(RateWindowRow).where(RateWindowRow.window < window - 1))
            return used

        used = self._counts.run(count)  # concurrent requests' counts share a transaction
        allowed = used <= limit
        return RateResult(
            allowed=allowed,
            limit=limit,
            remaining=max(0, limit - used),
            reset_at=reset_at,
            retry_after=0 if allowed else max(1, int(reset_at - now + 0.999)),
        )

    def _should_purge(self, window: int) -> bool:
        with self._lock:
            if window > self._purged_window:
                self._purged_window = window
                return True
            return False

    def app_limit(self, app_id: str, default: int, now: float) -> int:
        """An app's own limit if an administrator set one (cached for a minute)."""
        with self._lock:
            cached = self._quotas.get(app_id)
        if cached is not None and now - cached[0] < WINDOW_SECONDS:
            return cached[1] if cached[1] is not None else default
        import uuid

        with self.store.transaction(write=False) as session:
            row = session.get(AppQuotaRow, uuid.UUID(app_id))
            value = row.per_minute if row is not None else None
        with self._lock:
            self._quotas[app_id] = (now, value)
        return value if value is not None else default
