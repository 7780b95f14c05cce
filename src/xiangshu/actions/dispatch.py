"""The dispatcher: runs an action, checks that it consulted its policy, and writes
its audit event.

A change (``writes``) and its event commit in one transaction: neither without the
other. A read runs in a read transaction and its event is committed in a short write
transaction — shared with concurrent reads' events (:mod:`~xiangshu.storage.group_commit`)
— before the result is handed back: no data leaves without its event, and a failed
append fails the read. (On SQLite a write transaction holds the
database's one write lock from its first statement; reads written whole inside one
took turns for it, node-wide — docs/architecture.md.)

A denied action is rolled back, then the denial itself is recorded in a
transaction of its own, so refused attempts are in the audit log too.

Data-access actions are also exchanges: the node's :class:`ExchangeLog` gets each one's
outcome and latency — with the action's event when it succeeds, in the refusal's or a
transaction of its own when it fails — so no call goes unrecorded.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from xiangshu.actions.context import ActionContext, AuditNote, Services
from xiangshu.actions.registry import ActionSpec, spec_of
from xiangshu.domain.roles import Actor
from xiangshu.errors import (
    NotAuthenticated,
    PermissionDenied,
    PolicyNotConsulted,
    RateLimited,
    XiangshuError,
)
from xiangshu.storage.audit_log import append_event
from xiangshu.storage.db import Store
from xiangshu.storage.group_commit import GroupCommit

P = ParamSpec("P")
R = TypeVar("R")


class Dispatcher:
    def __init__(self, store: Store, services: Services) -> None:
        self.store = store
        self.services = services
        self._read_events = GroupCommit(store)

    def run(
        self,
        fn: Callable[Concatenate[ActionContext, P], R],
        actor: Actor,
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        spec = spec_of(fn)
        started = time.perf_counter()
        ctx: ActionContext | None = None
        reference = args[0] if args and isinstance(args[0], str) else None
        try:
            with self.store.transaction(write=spec.writes) as session:
                ctx = ActionContext(spec, session, actor, self.services)
                result: R = spec.fn(ctx, *args, **kwargs)
                if ctx.decision is None:
                    raise PolicyNotConsulted(
                        f"action {spec.name} finished without consulting its policy",
                        details={"action": spec.name},
                    )
                if spec.writes:
                    self._record(session, spec, actor, ctx, started, reference)
            if spec.event is not None and not spec.writes:
                done = ctx
                self._read_events.run(
                    lambda session: self._record(session, spec, actor, done, started, reference)
                )
            return result
        except (PermissionDenied, NotAuthenticated, RateLimited) as refused:
            self._record_refusal(spec, actor, refused, ctx, started, reference)
            raise
        except XiangshuError as failed:
            if self.services.exchange_log.wants(spec.event):
                with self.store.transaction(write=True) as session:
                    self._exchange(session, spec, actor, ctx, failed.code, started, reference)
            raise

    def _record(
        self,
        session: Any,
        spec: ActionSpec,
        actor: Actor,
        ctx: ActionContext,
        started: float,
        reference: str | None,
    ) -> None:
        """The succeeded action's audit events and exchange record."""
        for note in self._notes(spec, ctx):
            append_event(
                session,
                event=note.event,
                actor=actor,
                occurred_at=ctx.now,
                outcome=note.outcome,
                target_kind=note.target_kind,
                target_id=note.target_id,
                details=note.details,
            )
        self._exchange(session, spec, actor, ctx, "ok", started, reference)

    @staticmethod
    def _notes(spec: ActionSpec, ctx: ActionContext) -> list[AuditNote]:
        notes = [ctx.note] if spec.event else []
        return notes + ctx.extra_notes

    def _exchange(
        self,
        session: Any,
        spec: ActionSpec,
        actor: Actor,
        ctx: ActionContext | None,
        outcome: str,
        started: float,
        reference: str | None,
    ) -> None:
        log = self.services.exchange_log
        if not log.wants(spec.event):
            return
        log.record(
            session,
            actor=actor,
            event=spec.event or spec.name,
            at=ctx.now if ctx is not None else self.services.clock.now(),
            outcome=outcome,
            latency_ms=(time.perf_counter() - started) * 1000,
            target_id=ctx.note.target_id if ctx is not None else None,
            reference=reference,
            details=dict(ctx.note.details) if ctx is not None and outcome == "ok" else {},
        )

    def _record_refusal(
        self,
        spec: ActionSpec,
        actor: Actor,
        refused: PermissionDenied | NotAuthenticated | RateLimited,
        ctx: ActionContext | None,
        started: float,
        reference: str | None,
    ) -> None:
        event = spec.event or f"policy:{spec.name.split('_', 1)[0]}:denied"
        outcome = {
            PermissionDenied: "denied",
            NotAuthenticated: "unauthenticated",
            RateLimited: "rate_limited",
        }[type(refused)]
        with self.store.transaction(write=True) as session:
            append_event(
                session,
                event=event,
                actor=actor,
                occurred_at=self.services.clock.now(),
                outcome=outcome,
                details={"action": spec.name, "reason": refused.message},
            )
            self._exchange(session, spec, actor, ctx, refused.code, started, reference)
