"""``xiangshu sync``: the consumer's 库表 agent.

It pulls a resource's change feed from a provider node (``GET /api/v1/exchange/resources/
<id>/changes``, signed with the consumer's app key) into the consumer's own database
(SQLite or PostgreSQL) — one table per resource, keyed by ``_key``.

**Exactly once, resumable.** Each page is applied in one transaction of the target
database *together with* the cursor that follows it (table ``xiangshu_sync_state``). A
page is either applied with its cursor or not at all, so an agent killed at any moment
resumes from the last committed cursor: nothing is applied twice, nothing is skipped.
Applying is idempotent anyway (inserts and updates are upserts, deletes delete by key).
"""

from __future__ import annotations

import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from xiangshu.domain.signing import sign_request

STATE_TABLE = "xiangshu_sync_state"
NUMERIC = {"N": sa.Numeric(38, 10), "Y": sa.Numeric(38, 4)}


class SyncError(Exception):
    """The provider refused or could not be reached, or the target cannot take the data."""


@dataclass
class ExchangeClient:
    """Signed GETs to a provider node's exchange API (app key + HMAC-SM3, fresh nonce)."""

    base_url: str
    app_key: str
    app_secret: str
    timeout: float = 120.0

    def get_json(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        query = urllib.parse.urlencode(params)
        timestamp, nonce = str(int(time.time())), secrets.token_hex(12)
        headers = {
            "X-App-Key": self.app_key,
            "X-Timestamp": timestamp,
            "X-Nonce": nonce,
            "X-Signature": sign_request(self.app_secret, "GET", path, query, timestamp, nonce, b""),
            "Accept": "application/json",
        }
        url = self.base_url.rstrip("/") + path + (f"?{query}" if query else "")
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 - operator's URL
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                data: dict[str, Any] = orjson.loads(response.read())
                return data
        except urllib.error.HTTPError as error:
            try:
                message = orjson.loads(error.read())["error"]["message"]
            except (orjson.JSONDecodeError, KeyError, TypeError):
                message = error.reason
            raise SyncError(f"the provider answered {error.code}: {message}") from error
        except OSError as error:
            raise SyncError(f"the provider cannot be reached: {error}") from error


def _column(letter: str) -> Any:
    return {
        "D": sa.Date(),
        "T": sa.DateTime(timezone=True),
        "I": sa.BigInteger(),
        "F": sa.Float(),
        "B": sa.Float(),
        "L": sa.Boolean(),
    }.get(letter, NUMERIC.get(letter, sa.Text()))


def _value(letter: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    if letter == "D":
        return date.fromisoformat(str(value)[:10])
    if letter == "T":
        return datetime.fromisoformat(str(value))
    if letter in NUMERIC:
        return Decimal(str(value))
    if letter == "I":
        return int(value)
    if letter in ("F", "B"):
        return float(value)
    if letter == "L":
        return bool(value) if not isinstance(value, str) else value.lower() in ("1", "true", "t")
    return str(value)


class SyncTarget:
    """The consumer's database: the resource's table and the agent's cursor."""

    def __init__(self, url: str, table: str) -> None:
        if not table.replace("_", "").isalnum() or not table[0].isalpha():
            raise SyncError("the table name is letters, digits and _ (starting with a letter)")
        self.engine = sa.create_engine(url)
        self.table_name = table
        self.metadata = sa.MetaData()
        self.state = sa.Table(
            STATE_TABLE,
            self.metadata,
            sa.Column("resource_id", sa.String(36), primary_key=True),
            sa.Column("table_name", sa.String(63)),
            sa.Column("cursor", sa.Text()),
            sa.Column("version", sa.Integer()),
            sa.Column("applied", sa.BigInteger()),
            sa.Column("updated_at", sa.DateTime(timezone=True)),
        )
        self.metadata.create_all(self.engine, tables=[self.state])
        self.table: sa.Table | None = None

    def close(self) -> None:
        self.engine.dispose()

    def cursor(self, resource_id: str) -> tuple[str | None, int]:
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(self.state.c.cursor, self.state.c.applied).where(
                    self.state.c.resource_id == resource_id
                )
            ).first()
        return (row.cursor, int(row.applied or 0)) if row else (None, 0)

    def _prepare(self, types: dict[str, str]) -> sa.Table:
        columns: list[sa.Column[Any]] = [sa.Column("_key", sa.String(200), primary_key=True)]
        columns += [sa.Column(f, _column(t)) for f, t in types.items()]
        columns += [sa.Column("_version", sa.Integer()), sa.Column("_synced_at", sa.DateTime(True))]
        table = sa.Table(self.table_name, sa.MetaData(), *columns)
        table.create(self.engine, checkfirst=True)
        present = {c["name"] for c in sa.inspect(self.engine).get_columns(self.table_name)}
        with self.engine.begin() as connection:
            for column in columns:
                if column.name not in present:  # the provider added a data item
                    kind = column.type.compile(dialect=self.engine.dialect)
                    connection.exec_driver_sql(
                        f'ALTER TABLE "{self.table_name}" ADD COLUMN "{column.name}" {kind}'
                    )
        return table

    def apply(self, resource_id: str, page: dict[str, Any], applied_before: int) -> int:
        """Apply one page and store its cursor, in one transaction; the changes applied."""
        types: dict[str, str] = page["types"]
        if self.table is None or set(types) - set(self.table.c.keys()):
            self.table = self._prepare(types)
        table = self.table
        now = datetime.now(UTC)
        upserts, deletes = [], []
        for change in page["changes"]:
            if change["op"] == "delete":
                deletes.append(change["_key"])
                continue
            row = {f: _value(t, change.get(f)) for f, t in types.items()}
            row.update(_key=change["_key"], _version=page["to_version"], _synced_at=now)
            upserts.append(row)
        with self.engine.begin() as connection:
            if deletes:
                connection.execute(sa.delete(table).where(table.c._key.in_(deletes)))
            if upserts:
                connection.execute(self._upsert(table, list(upserts[0])), upserts)
            state = {
                "table_name": self.table_name,
                "cursor": page["cursor"],
                "version": page["to_version"],
                "applied": applied_before + len(page["changes"]),
                "updated_at": now,
            }
            done = connection.execute(
                sa.update(self.state).where(self.state.c.resource_id == resource_id).values(**state)
            )
            if done.rowcount == 0:
                connection.execute(sa.insert(self.state).values(resource_id=resource_id, **state))
        return len(page["changes"])

    def _upsert(self, table: sa.Table, names: list[str]) -> Any:
        dialect = self.engine.dialect.name
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
        return insert.on_conflict_do_update(
            index_elements=[table.c._key],
            set_={n: insert.excluded[n] for n in names if n != "_key"},
        )


@dataclass
class SyncReport:
    pages: int = 0
    changes: int = 0
    version: int | None = None
    done: bool = False


def run_sync(
    client: ExchangeClient,
    target: SyncTarget,
    resource_id: str,
    *,
    page_size: int = 1000,
    pause: float = 0.0,
    max_pages: int | None = None,
    progress: Callable[[SyncReport], None] | None = None,
) -> SyncReport:
    """Pull pages until the consumer is up to date (or ``max_pages`` were applied)."""
    report = SyncReport()
    path = f"/api/v1/exchange/resources/{resource_id}/changes"
    while max_pages is None or report.pages < max_pages:
        cursor, applied = target.cursor(resource_id)
        params = {"limit": str(page_size)}
        if cursor:
            params["cursor"] = cursor
        page = client.get_json(path, params)
        report.changes += target.apply(resource_id, page, applied)
        report.pages += 1
        report.version = page["to_version"]
        report.done = bool(page["done"])
        if progress is not None:
            progress(report)
        if report.done:
            break
        if pause:
            time.sleep(pause)
    return report
