"""The node's background work: reminders, escalation, notices of new versions, webhooks.

One round (:meth:`Worker.run_once`) does what is due *now* by the node's clock, so a
test drives it deterministically with a fixed clock; production runs rounds in a loop,
either as ``xiangshu worker`` (a process of its own) or as a thread inside ``xiangshu
serve`` (``worker_in_serve``). Several workers may run: webhook notices are claimed
with a lease (row locks on PostgreSQL), and every state change is an audited action.

Webhook deliveries run in a thread pool (``webhook_concurrency``) with a timeout each
(``webhook_timeout_seconds``): an endpoint that hangs holds one thread until its
timeout and nothing else — other deliveries, reminders and the web server go on.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

from xiangshu.actions.sharing_requests import (
    request_escalate,
    request_remind,
    request_reschedule,
)
from xiangshu.actions.sharing_subscriptions import (
    deliveries_claim,
    delivery_finish,
    notifications_enqueue,
)
from xiangshu.bootstrap import Node
from xiangshu.crypto.keys import SigningKeys
from xiangshu.crypto.sm2 import SM2PrivateKey, signature_to_text
from xiangshu.domain.roles import SYSTEM
from xiangshu.domain.sharing.webhooks import DeliveryOutcome, signed_text
from xiangshu.domain.workdays import beijing_date
from xiangshu.errors import XiangshuError
from xiangshu.storage.sharing.requests import (
    provisional_requests,
    requests_due,
    versions_waiting,
)

log = logging.getLogger("xiangshu.worker")
USER_AGENT = "xiangshu-webhook/1"


class Transport(Protocol):
    def post(self, url: str, body: bytes, headers: dict[str, str]) -> DeliveryOutcome: ...


class HttpTransport:
    """POST with a hard timeout; any 2xx is a delivery, anything else a failure."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> DeliveryOutcome:
        started = time.perf_counter()
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - http(s) URLs checked at subscription
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = int(response.status)
        except urllib.error.HTTPError as error:
            return DeliveryOutcome(
                False, error.code, f"HTTP {error.code}", time.perf_counter() - started
            )
        except (OSError, ValueError) as error:  # timeouts, refused connections, bad URLs
            return DeliveryOutcome(
                False, None, f"{type(error).__name__}: {error}", time.perf_counter() - started
            )
        seconds = time.perf_counter() - started
        if 200 <= status < 300:
            return DeliveryOutcome(True, status, "", seconds)
        return DeliveryOutcome(False, status, f"HTTP {status}", seconds)


@dataclass
class RoundReport:
    reminded: int = 0
    escalated: int = 0
    rescheduled: int = 0
    notices: int = 0
    delivered: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def did_anything(self) -> bool:
        return any(
            (
                self.reminded,
                self.escalated,
                self.rescheduled,
                self.notices,
                self.delivered,
                self.failed,
            )
        )


class Worker:
    def __init__(self, node: Node, transport: Transport | None = None) -> None:
        self.node = node
        self.settings = node.settings
        self.transport = transport or HttpTransport(self.settings.webhook_timeout_seconds)
        self._signing: SigningKeys | None = None

    @property
    def signing(self) -> SigningKeys:
        if self._signing is None:
            self._signing = self.node.services.signing or SigningKeys.ensure(self.settings.key_path)
            if self._signing.current is None:
                self._signing = SigningKeys.ensure(self.settings.key_path)
        return self._signing

    def run_once(self) -> RoundReport:
        report = RoundReport()
        for step in (self._requests, self._notices, self._deliveries):
            try:
                step(report)
            except XiangshuError as error:  # one step failing must not stop the others
                log.warning("worker step %s failed: %s", step.__name__, error)
                report.errors.append(f"{step.__name__}: {error}")
        return report

    def run_forever(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                report = self.run_once()
                if report.did_anything:
                    log.info("worker round: %s", report)
            except Exception:  # keep the loop alive; the next round tries again
                log.exception("worker round failed")
            stop.wait(self.settings.worker_interval_seconds)

    def _requests(self, report: RoundReport) -> None:
        services = self.node.services
        today = beijing_date(services.clock.now())
        with self.node.store.transaction(write=False) as session:
            overdue, soon = requests_due(
                session, today, services.calendar, self.settings.sharing_reminder_working_days
            )
            provisional = provisional_requests(session)
        run = self.node.dispatcher.run
        days = self.settings.sharing_answer_working_days
        for request_id, submitted in provisional:
            if not services.calendar.add_working_days(beijing_date(submitted), days).provisional:
                run(request_reschedule, SYSTEM, request_id)
                report.rescheduled += 1
        for request_id in overdue:
            run(request_escalate, SYSTEM, request_id, "overdue: no answer by the deadline")
            report.escalated += 1
        for request_id in soon:
            run(request_remind, SYSTEM, request_id)
            report.reminded += 1

    def _notices(self, report: RoundReport) -> None:
        with self.node.store.transaction(write=False) as session:
            waiting = versions_waiting(session)
        if waiting:
            report.notices += self.node.dispatcher.run(notifications_enqueue, SYSTEM)

    def _deliveries(self, report: RoundReport) -> None:
        settings = self.settings
        lease = settings.webhook_timeout_seconds * 2 + 30
        claimed = self.node.dispatcher.run(
            deliveries_claim, SYSTEM, limit=settings.webhook_concurrency * 4, lease_seconds=lease
        )
        if not claimed:
            return
        key = self.signing.current
        assert key is not None
        with ThreadPoolExecutor(max_workers=settings.webhook_concurrency) as pool:
            outcomes = list(pool.map(lambda item: self._deliver(key, *item), claimed))
        for (notice_id, _url, _body), outcome in zip(claimed, outcomes, strict=True):
            self.node.dispatcher.run(delivery_finish, SYSTEM, notice_id, outcome)
            if outcome.ok:
                report.delivered += 1
            else:
                report.failed += 1

    def _deliver(
        self, key: SM2PrivateKey, notice_id: object, url: str, body: bytes
    ) -> DeliveryOutcome:
        timestamp = int(self.node.services.clock.now().timestamp())
        signature = key.sign(signed_text(timestamp, str(notice_id), body))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Xiangshu-Event": "resource.version",
            "X-Xiangshu-Delivery": str(notice_id),
            "X-Xiangshu-Timestamp": str(timestamp),
            "X-Xiangshu-Key-Id": key.key_id,
            "X-Xiangshu-Signature": signature_to_text(signature),
        }
        return self.transport.post(url, body, headers)


def start_in_background(node: Node) -> tuple[threading.Thread, threading.Event]:
    """A worker thread for ``xiangshu serve`` (stopped with the returned event)."""
    stop = threading.Event()
    thread = threading.Thread(
        target=Worker(node).run_forever, args=(stop,), name="xiangshu-worker", daemon=True
    )
    thread.start()
    return thread, stop


__all__ = ["HttpTransport", "RoundReport", "Worker", "start_in_background"]
