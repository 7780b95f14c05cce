"""The audit log in the database: append-only, chained, verified, readable by auditors only."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from tests.helpers import actor_of, audit_head, make_user

from xiangshu.actions.audit import audit_export, audit_list, audit_verify
from xiangshu.actions.org import unit_show, unit_update
from xiangshu.bootstrap import Node
from xiangshu.domain.roles import PUBLIC, SYSTEM, Role
from xiangshu.errors import InvalidInput, NotAuthenticated, PermissionDenied
from xiangshu.schemas.audit import AuditFilter
from xiangshu.schemas.org import UnitUpdate


def tamper(node: Node, sql: str) -> None:
    """Change the log the way a database administrator could, bypassing the triggers."""
    with node.store.write_engine.begin() as conn:
        if node.store.is_sqlite:
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_update")
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_delete")
            conn.execute(text(sql))
        else:
            conn.exec_driver_sql("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
            conn.execute(text(sql))
            conn.exec_driver_sql("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")


def test_the_log_refuses_updates_and_deletes(node: Node) -> None:
    for sql in ("UPDATE audit_event SET actor_name = 'x'", "DELETE FROM audit_event"):
        with (
            pytest.raises(DBAPIError, match="append-only"),
            node.store.write_engine.begin() as conn,
        ):
            conn.execute(text(sql))
    assert node.dispatcher.run(audit_verify, SYSTEM).ok


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ('UPDATE audit_event SET details = \'{"name":"forged"}\' WHERE seq = 5', "altered"),
        ("DELETE FROM audit_event WHERE seq = 5", "missing"),
        ("UPDATE audit_event SET seq = -seq WHERE seq IN (5, 6)", "out_of_order"),
    ],
)
def test_verify_names_the_first_broken_link(node: Node, sql: str, reason: str) -> None:
    assert node.dispatcher.run(audit_verify, SYSTEM).ok
    if reason == "out_of_order":  # swap events 5 and 6 through negative numbers
        tamper(node, sql)
        tamper(node, "UPDATE audit_event SET seq = 6 WHERE seq = -5")
        tamper(node, "UPDATE audit_event SET seq = 5 WHERE seq = -6")
    else:
        tamper(node, sql)
    report = node.dispatcher.run(audit_verify, SYSTEM)
    assert not report.ok and report.broken_seq == 5 and report.reason == reason


def test_deleting_the_newest_events_is_found_through_the_head(node: Node) -> None:
    head = audit_head(node)
    tamper(node, f"DELETE FROM audit_event WHERE seq >= {head - 1}")
    report = node.dispatcher.run(audit_verify, SYSTEM)
    assert not report.ok and report.reason == "truncated" and report.broken_seq == head - 1


def test_concurrent_changes_keep_one_unbroken_chain(node: Node) -> None:
    units = [
        node.dispatcher.run(unit_show, SYSTEM, name)
        for name in ("省公安厅", "省教育厅", "省民政厅", "省水利厅")
    ]
    errors: list[BaseException] = []

    def worker(unit_id: object, n: int) -> Callable[[], None]:
        def run() -> None:
            try:
                for i in range(8):
                    node.dispatcher.run(
                        unit_update, SYSTEM, unit_id, UnitUpdate(short_name=f"w{n}-{i}")
                    )
            except BaseException as error:
                errors.append(error)

        return run

    head = audit_head(node)
    threads = [threading.Thread(target=worker(u.id, n)) for n, u in enumerate(units)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert audit_head(node) == head + 32
    report = node.dispatcher.run(audit_verify, SYSTEM)
    assert report.ok and report.checked == head + 32


def test_only_auditors_read_the_log(node: Node) -> None:
    auditor = actor_of(make_user(node, "auditor1", "省数据局", Role.AUDITOR))
    admin = actor_of(make_user(node, "admin1", "省数据局", Role.PLATFORM_ADMIN))
    with pytest.raises(PermissionDenied, match="审计员"):
        node.dispatcher.run(audit_list, admin, AuditFilter())
    with pytest.raises(NotAuthenticated):
        node.dispatcher.run(audit_export, PUBLIC, AuditFilter())
    page = node.dispatcher.run(
        audit_list, auditor, AuditFilter(event_prefix="identity:user"), limit=1
    )
    assert len(page.events) == 1 and page.events[0].event == "identity:user:create"
    assert page.next_before == page.events[0].seq
    older = node.dispatcher.run(
        audit_list,
        auditor,
        AuditFilter(event_prefix="identity:user"),
        limit=1,
        before=page.next_before,
    )
    assert older.events[0].seq < page.events[0].seq
    exported = node.dispatcher.run(
        audit_export, auditor, AuditFilter(event_prefix="org:unit:create")
    )
    assert len(exported) == 192 and exported[0].seq < exported[-1].seq
    assert exported[0].details["source"] == "units-hunan.csv"
    reads = node.dispatcher.run(
        audit_list, auditor, AuditFilter(event_prefix="audit:events", actor_name="auditor1")
    )
    assert {e.event for e in reads.events} == {"audit:events:read", "audit:events:export"}
    denied = node.dispatcher.run(audit_list, auditor, AuditFilter(outcome="denied"))
    assert [e.actor_name for e in denied.events] == ["admin1"]
    with pytest.raises(InvalidInput):
        node.dispatcher.run(audit_list, auditor, AuditFilter(), limit=0)
