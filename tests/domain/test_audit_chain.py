"""The audit chain finds altered, missing, reordered and truncated events."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from xiangshu.domain.audit import (
    GENESIS_HASH,
    AuditRecord,
    ChainHead,
    check_event_name,
    first_broken_link,
    utc_iso,
)

WHEN = datetime(2026, 11, 28, 1, 2, 3, 456789, tzinfo=UTC)


def chain(n: int) -> list[AuditRecord]:
    records: list[AuditRecord] = []
    prev = GENESIS_HASH
    for seq in range(1, n + 1):
        record = AuditRecord(
            seq=seq,
            event="org:unit:create",
            occurred_at=WHEN,
            actor_kind="system",
            actor_id=None,
            actor_name="system",
            unit_id=None,
            target_kind="unit",
            target_id=f"u{seq}",
            outcome="ok",
            origin="cli",
            details_json=f'{{"n":{seq}}}',
            prev_hash=prev,
        )
        record = dataclasses.replace(record, hash=record.computed_hash())
        records.append(record)
        prev = record.hash
    return records


def head_of(records: list[AuditRecord]) -> ChainHead:
    return ChainHead(records[-1].seq, records[-1].hash)


def test_intact_chain_passes() -> None:
    records = chain(5)
    assert first_broken_link(records, head_of(records)) == (5, None)
    assert first_broken_link([], ChainHead(0, GENESIS_HASH)) == (0, None)


def test_altered_event_is_named() -> None:
    records = chain(5)
    records[2] = dataclasses.replace(records[2], details_json='{"n":99}')
    _, broken = first_broken_link(records, head_of(records))
    assert broken is not None and (broken.seq, broken.reason) == (3, "altered")
    assert "#3" in str(broken)


def test_deleted_event_is_named() -> None:
    records = chain(5)
    del records[1]
    _, broken = first_broken_link(records, head_of(records))
    assert broken is not None and (broken.seq, broken.reason) == (2, "missing")


def test_swapped_events_are_found() -> None:
    records = chain(5)
    a, b = records[1], records[2]
    records[1] = dataclasses.replace(b, seq=2)
    records[2] = dataclasses.replace(a, seq=3)
    _, broken = first_broken_link(records, head_of(chain(5)))
    assert broken is not None and broken.seq == 2 and broken.reason == "out_of_order"


def test_repeated_sequence_number_is_out_of_order() -> None:
    records = chain(3)
    records.insert(2, records[1])
    _, broken = first_broken_link(records)
    assert broken is not None and broken.reason == "out_of_order"


def test_truncated_tail_is_found_through_the_head() -> None:
    records = chain(5)
    _, broken = first_broken_link(records[:3], head_of(records))
    assert broken is not None and (broken.seq, broken.reason) == (4, "truncated")


def test_event_names_and_times() -> None:
    check_event_name("identity:session:create")
    for bad in ("Org:unit:create", "org:unit", "org unit create", "org:unit:create:extra"):
        with pytest.raises(ValueError, match="context:subject:verb"):
            check_event_name(bad)
    assert utc_iso(WHEN) == "2026-11-28T01:02:03.456789Z"
    with pytest.raises(ValueError, match="timezone-aware"):
        utc_iso(datetime(2026, 1, 1))
