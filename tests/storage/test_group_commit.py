"""Concurrent reads' events share a transaction; each caller returns once its own is in."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests.helpers import events

from xiangshu.actions.audit import audit_verify
from xiangshu.bootstrap import Node
from xiangshu.domain.roles import SYSTEM
from xiangshu.storage.audit_log import append_event
from xiangshu.storage.group_commit import GroupCommit

WRITERS = 12
AT = datetime(2026, 11, 29, tzinfo=UTC)


def _event(name: str) -> Any:
    def write(session: Session) -> None:
        append_event(session, event="test:thing:read", actor=SYSTEM,
                     occurred_at=AT, target_kind="thing", target_id=name)  # fmt: skip

    return write


def _counting(node: Node, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the store's write transactions."""
    opened: list[int] = []
    real = node.store.transaction

    @contextmanager
    def counted(*, write: bool = True) -> Iterator[Session]:
        if write:
            opened.append(1)
        with real(write=write) as session:
            yield session

    monkeypatch.setattr(node.store, "transaction", counted)
    return opened


def test_writes_that_arrive_together_share_a_transaction(
    node: Node, monkeypatch: pytest.MonkeyPatch
) -> None:
    group = GroupCommit(node.store)
    opened = _counting(node, monkeypatch)
    inside = threading.Event()

    def slow_first(session: Session) -> None:
        inside.set()
        time.sleep(0.3)  # the others arrive while this one is being written
        _event("first")(session)

    returned: list[str] = []

    def call(name: str) -> None:
        group.run(_event(name))
        returned.append(name)

    first = threading.Thread(target=lambda: (group.run(slow_first), returned.append("first")))
    first.start()
    inside.wait(5)
    others = [threading.Thread(target=call, args=(f"t{n}",)) for n in range(WRITERS)]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(10)
    assert sorted(returned) == sorted(["first", *(f"t{n}" for n in range(WRITERS))])
    written = [e.target_id for e in events(node, "test:thing:read")]
    assert sorted(written) == sorted(returned)
    assert len(opened) <= 3  # the first alone, then the queue together (at most in two goes)
    report = node.dispatcher.run(audit_verify, SYSTEM)
    assert report.ok and report.checked >= WRITERS + 1


def test_one_bad_write_fails_only_its_own_caller(
    node: Node, monkeypatch: pytest.MonkeyPatch
) -> None:
    group = GroupCommit(node.store)
    inside = threading.Event()
    outcomes: dict[str, str] = {}

    def slow_first(session: Session) -> None:
        inside.set()
        time.sleep(0.3)
        _event("first")(session)

    def broken(session: Session) -> None:
        _event("broken")(session)
        raise ValueError("cannot encode this event")

    def call(name: str, write: Any) -> None:
        try:
            group.run(write)
            outcomes[name] = "ok"
        except ValueError as error:
            outcomes[name] = str(error)

    first = threading.Thread(target=call, args=("first", slow_first))
    first.start()
    inside.wait(5)
    others = [
        threading.Thread(target=call, args=(name, broken if name == "t2" else _event(name)))
        for name in ("t1", "t2", "t3")
    ]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(10)
    assert outcomes == {
        "first": "ok",
        "t1": "ok",
        "t2": "cannot encode this event",
        "t3": "ok",
    }
    written = sorted(e.target_id for e in events(node, "test:thing:read"))
    assert written == ["first", "t1", "t3"]
    assert node.dispatcher.run(audit_verify, SYSTEM).ok


def test_a_lone_write_is_committed_before_the_call_returns(node: Node) -> None:
    group = GroupCommit(node.store)
    group.run(_event("alone"))
    assert [e.target_id for e in events(node, "test:thing:read")] == ["alone"]

    def failing(session: Session) -> None:
        raise ValueError("no room")

    with pytest.raises(ValueError, match="no room"):
        group.run(failing)
    assert [e.target_id for e in events(node, "test:thing:read")] == ["alone"]
