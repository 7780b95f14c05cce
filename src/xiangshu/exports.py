"""File formats written by more than one edge (CLI and web)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

import orjson

from xiangshu.schemas.audit import AuditEventPublic

AUDIT_COLUMNS = (
    "seq",
    "event",
    "occurred_at",
    "actor_kind",
    "actor_id",
    "actor_name",
    "unit_id",
    "target_kind",
    "target_id",
    "outcome",
    "origin",
    "details",
    "hash",
)
AUDIT_FORMATS = ("csv", "jsonl")


def write_audit_events(events: Iterable[AuditEventPublic], out: TextIO, fmt: str) -> int:
    """Write events as CSV (details as JSON text) or JSON Lines; return how many."""
    if fmt not in AUDIT_FORMATS:
        raise ValueError(f"format is one of {', '.join(AUDIT_FORMATS)}")
    written = 0
    if fmt == "jsonl":
        for event in events:
            out.write(orjson.dumps(event.model_dump(mode="json")).decode() + "\n")
            written += 1
        return written
    writer = csv.writer(out)
    writer.writerow(AUDIT_COLUMNS)
    for event in events:
        data = event.model_dump(mode="json")
        data["details"] = orjson.dumps(data["details"]).decode()
        writer.writerow(["" if data[c] is None else data[c] for c in AUDIT_COLUMNS])
        written += 1
    return written
