"""Reference documents generated from the code, and checked by tests and CI."""

from __future__ import annotations

import inspect
from pathlib import Path

from xiangshu.actions import ACTIONS
from xiangshu.settings import settings_reference


def audit_events_reference() -> str:
    """Every audit event the node writes, with the action that writes it."""
    lines = [
        "# Audit events",
        "",
        "Generated from the action registry by `xiangshu docs`; a test checks that this file",
        "is current. Each event is `context:subject:verb` and is written in the same",
        "transaction as the change or data access it records. A refused action is recorded",
        "with outcome `denied` (or `unauthenticated`) under its own event name, or under",
        "`policy:<object>:denied` for queries that have none.",
        "",
        "| event | action | writes | what it records |",
        "|---|---|---|---|",
    ]
    for name, spec in sorted(ACTIONS.items(), key=lambda kv: (kv[1].event or "~", kv[0])):
        if spec.event is None:
            continue
        doc = inspect.getdoc(spec.fn) or ""
        summary = doc.splitlines()[0] if doc else ""
        writes = "change" if spec.writes else "read"
        lines.append(f"| `{spec.event}` | `{name}` | {writes} | {summary.replace('|', '/')} |")
    queries = sorted(name for name, spec in ACTIONS.items() if spec.event is None)
    lines += [
        "",
        "Metadata queries that write no event (they read no records and change nothing):",
        ", ".join(f"`{name}`" for name in queries) + ".",
        "",
    ]
    return "\n".join(lines)


GENERATED = {
    "settings.md": settings_reference,
    "audit-events.md": audit_events_reference,
}


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in GENERATED.items():
        target = folder / name
        target.write_text(make(), encoding="utf-8")
        written.append(target)
    return written


def stale(folder: Path) -> list[Path]:
    return [
        folder / name
        for name, make in GENERATED.items()
        if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != make()
    ]
