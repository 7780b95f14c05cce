"""The background worker, driven round by round with the fixed clock: reminders and
escalation on the official calendar, notices of new versions, signed webhooks against
real local endpoints that answer, fail or hang, retries, dead letters and replay."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from tests.helpers import events
from tests.sharing_fixtures import application, card, card_lines, cast, load, people_ids

from xiangshu.actions.sharing_queues import request_show
from xiangshu.actions.sharing_requests import request_create
from xiangshu.actions.sharing_subscriptions import (
    notification_feed,
    notification_replay,
    subscription_create,
    subscription_list,
)
from xiangshu.bootstrap import Node
from xiangshu.clock import FixedClock
from xiangshu.crypto.sm2 import signature_from_text
from xiangshu.domain.access import ShareType
from xiangshu.domain.sharing.requests import RequestStatus
from xiangshu.domain.sharing.webhooks import signed_text
from xiangshu.errors import Conflict
from xiangshu.schemas.sharing import SubscriptionCreate
from xiangshu.worker import HttpTransport, Worker


class Endpoint:
    """A local webhook receiver: /ok answers 200, /fail 500, /hang waits past any timeout."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, str], bytes]] = []
        self.fail = True
        received, endpoint = self.received, self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path == "/hang":
                    time.sleep(3)
                status = 500 if self.path == "/fail" and endpoint.fail else 200
                if status == 200:
                    received.append((self.path, dict(self.headers), body))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    found = Endpoint()
    yield found
    found.close()


def test_reminders_then_escalation_follow_the_official_calendar(
    node: Node, tmp_path: Path, clock: FixedClock
) -> None:
    c = cast(node)
    resource = card(node, c, tmp_path)
    asked = node.dispatcher.run(request_create, c.clerk, application(resource))  # due 12-11
    worker = Worker(node)
    clock.advance(days=11)  # Tuesday 2026-12-08: 3 working days left
    assert worker.run_once().reminded == 0
    clock.advance(days=1)  # Wednesday 12-09: 2 working days left
    assert worker.run_once().reminded == 1
    assert worker.run_once().reminded == 0  # once only
    clock.advance(days=2)  # Friday 12-11: the last day, not yet overdue
    assert worker.run_once().escalated == 0
    clock.advance(days=1)  # Saturday 12-12
    assert worker.run_once().escalated == 1
    shown = node.dispatcher.run(request_show, c.clerk, asked.number)
    assert shown.status is RequestStatus.ESCALATED
    assert [h.kind for h in shown.history] == ["submit", "remind", "escalate"]
    assert [e.actor_kind for e in events(node, "sharing:request:escalate")] == ["system"]


def test_webhooks_are_signed_retried_and_dead_lettered_and_a_hang_blocks_nothing(
    node: Node, tmp_path: Path, clock: FixedClock, endpoint: Endpoint
) -> None:
    c = cast(node)
    resource = card(node, c, tmp_path, share_type=ShareType.UNCONDITIONAL, share_condition="")
    run = node.dispatcher.run
    good = run(
        subscription_create,
        c.clerk,
        SubscriptionCreate(resource=resource.code, callback_url=endpoint.url("/ok")),
    )
    bad = run(
        subscription_create,
        c.clerk,
        SubscriptionCreate(resource=resource.code, callback_url=endpoint.url("/fail")),
    )
    slow = run(
        subscription_create,
        c.other,
        SubscriptionCreate(resource=resource.code, callback_url=endpoint.url("/hang")),
    )
    pull = run(subscription_create, c.other, SubscriptionCreate(resource=resource.code))
    worker = Worker(node, HttpTransport(timeout=0.5))
    assert worker.run_once().notices == 0  # nothing new since subscribing

    load(node, c, resource, tmp_path, card_lines(people_ids(7)))  # version 2
    report = worker.run_once()
    assert (report.notices, report.delivered, report.failed) == (4, 1, 2)
    path, headers, body = endpoint.received[0]
    assert path == "/ok" and b'"version":2' in body
    key = worker.signing.public_keys()[headers["X-Xiangshu-Key-Id"]]
    signature = signature_from_text(headers["X-Xiangshu-Signature"])
    text = signed_text(int(headers["X-Xiangshu-Timestamp"]), headers["X-Xiangshu-Delivery"], body)
    assert key.verify(text, signature)
    assert not key.verify(text.replace(b'"version":2', b'"version":3'), signature)

    hung = run(notification_feed, c.other, slow.id)[0]
    assert hung.status == "pending" and "timed out" in hung.last_error.lower()
    assert [n.version for n in run(notification_feed, c.other, pull.id)] == [2]

    for minutes in (1, 5, 30, 120, 720):  # the retry schedule, then the dead-letter list
        assert worker.run_once().failed == 0  # not due yet
        clock.advance(minutes=minutes)
        worker.run_once()
    dead = run(notification_feed, c.clerk, bad.id, status="dead")
    assert len(dead) == 1 and dead[0].attempts == 6 and dead[0].last_status == 500
    assert {s.id: s.dead for s in run(subscription_list, c.clerk)}[bad.id] == 1
    with pytest.raises(Conflict):
        run(notification_replay, c.clerk, run(notification_feed, c.clerk, good.id)[0].id)
    endpoint.fail = False
    run(notification_replay, c.clerk, dead[0].id)
    assert worker.run_once().delivered >= 1
    assert run(notification_feed, c.clerk, bad.id)[0].status == "delivered"
    assert [p for p, _h, _b in endpoint.received].count("/fail") == 1


def test_a_provisional_deadline_is_recounted_once_the_year_is_known(
    node: Node, tmp_path: Path, clock: FixedClock
) -> None:
    from xiangshu.domain.workdays import WorkingCalendar

    c = cast(node)
    resource = card(node, c, tmp_path)
    clock.advance(days=24)  # Monday 2026-12-21: ten working days reach into 2027
    asked = node.dispatcher.run(request_create, c.clerk, application(resource))
    assert asked.due_provisional and str(asked.due_on) == "2027-01-04"  # Mon–Fri only
    worker = Worker(node)
    assert worker.run_once().rescheduled == 0  # still unknown
    holidays = tmp_path / "holidays.csv"
    holidays.write_text(
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节调休\n", encoding="utf-8"
    )
    node.services.calendar = WorkingCalendar.official(holidays)
    assert worker.run_once().rescheduled == 1
    shown = node.dispatcher.run(request_show, c.clerk, asked.number)
    assert not shown.due_provisional and str(shown.due_on) == "2027-01-05"  # 元旦 skipped
    assert shown.history[-1].kind == "reschedule"
