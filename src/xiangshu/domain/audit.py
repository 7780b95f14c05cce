"""The tamper-evident audit chain: canonical form, SM3 links, verification.

Each event's hash is SM3 over its canonical JSON, which includes the previous
event's hash, so altering, deleting or reordering any row breaks a link that
:func:`first_broken_link` finds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from xiangshu.crypto.sm3 import sm3_hex

GENESIS_HASH = "0" * 64
EVENT_NAME = re.compile(r"^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$")


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 kept as is."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS).decode()


def utc_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One event as it is chained (the stored row, minus storage details)."""

    seq: int
    event: str
    occurred_at: datetime
    actor_kind: str
    actor_id: str | None
    actor_name: str
    unit_id: str | None
    target_kind: str | None
    target_id: str | None
    outcome: str
    origin: str | None
    details_json: str
    prev_hash: str
    hash: str = ""

    def canonical(self) -> str:
        return canonical_json(
            {
                "seq": self.seq,
                "event": self.event,
                "occurred_at": utc_iso(self.occurred_at),
                "actor_kind": self.actor_kind,
                "actor_id": self.actor_id,
                "actor_name": self.actor_name,
                "unit_id": self.unit_id,
                "target_kind": self.target_kind,
                "target_id": self.target_id,
                "outcome": self.outcome,
                "origin": self.origin,
                "details": self.details_json,
                "prev_hash": self.prev_hash,
            }
        )

    def computed_hash(self) -> str:
        return sm3_hex(self.canonical().encode("utf-8"))


def check_event_name(name: str) -> None:
    if not EVENT_NAME.match(name):
        raise ValueError(f"audit event names are context:subject:verb in lower case, not {name!r}")


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """Where the chain first fails, and how."""

    seq: int
    reason: str  # altered | missing | out_of_order | truncated
    detail: str

    def __str__(self) -> str:
        return f"audit event #{self.seq}: {self.reason} — {self.detail}"


@dataclass(frozen=True, slots=True)
class ChainHead:
    seq: int
    hash: str


def first_broken_link(
    records: Iterable[AuditRecord], head: ChainHead | None = None
) -> tuple[int, BrokenLink | None]:
    """Walk the chain in stored order; return (events checked, first broken link or None)."""
    previous: AuditRecord | None = None
    checked = 0
    for record in records:
        checked += 1
        expected_seq = 1 if previous is None else previous.seq + 1
        expected_prev = GENESIS_HASH if previous is None else previous.hash
        if record.seq < expected_seq:
            return checked, BrokenLink(
                record.seq,
                "out_of_order",
                f"sequence number repeats or goes back after #{expected_seq - 1}",
            )
        if record.seq > expected_seq:
            return checked, BrokenLink(
                expected_seq,
                "missing",
                f"events #{expected_seq}..#{record.seq - 1} are missing before #{record.seq}",
            )
        if record.prev_hash != expected_prev:
            return checked, BrokenLink(
                record.seq, "out_of_order", "does not link to the hash of the event before it"
            )
        if record.computed_hash() != record.hash:
            return checked, BrokenLink(
                record.seq, "altered", f"content does not match its hash ({record.event})"
            )
        previous = record
    if head is not None:
        last_seq = previous.seq if previous else 0
        last_hash = previous.hash if previous else GENESIS_HASH
        if head.seq != last_seq or head.hash != last_hash:
            return checked, BrokenLink(
                last_seq + 1,
                "truncated",
                f"the chain head records #{head.seq} but the log ends at #{last_seq}",
            )
    return checked, None
