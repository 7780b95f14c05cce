"""The dispatcher: runs an action in one transaction, checks that it consulted its
policy, and writes its audit event in that same transaction.

A denied action is rolled back, then the denial itself is recorded in a
transaction of its own, so refused attempts are in the audit log too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from xiangshu.actions.context import ActionContext, AuditNote, Services
from xiangshu.actions.registry import ActionSpec, spec_of
from xiangshu.domain.roles import Actor
from xiangshu.errors import NotAuthenticated, PermissionDenied, PolicyNotConsulted
from xiangshu.storage.audit_log import append_event
from xiangshu.storage.db import Store

P = ParamSpec("P")
R = TypeVar("R")


class Dispatcher:
    def __init__(self, store: Store, services: Services) -> None:
        self.store = store
        self.services = services

    def run(
        self,
        fn: Callable[Concatenate[ActionContext, P], R],
        actor: Actor,
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        spec = spec_of(fn)
        try:
            with self.store.transaction(write=spec.needs_write_transaction) as session:
                ctx = ActionContext(spec, session, actor, self.services)
                result: R = spec.fn(ctx, *args, **kwargs)
                if ctx.decision is None:
                    raise PolicyNotConsulted(
                        f"action {spec.name} finished without consulting its policy",
                        details={"action": spec.name},
                    )
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
                return result
        except (PermissionDenied, NotAuthenticated) as refused:
            self._record_refusal(spec, actor, refused)
            raise

    @staticmethod
    def _notes(spec: ActionSpec, ctx: ActionContext) -> list[AuditNote]:
        notes = [ctx.note] if spec.event else []
        return notes + ctx.extra_notes

    def _record_refusal(
        self, spec: ActionSpec, actor: Actor, refused: PermissionDenied | NotAuthenticated
    ) -> None:
        event = spec.event or f"policy:{spec.name.split('_', 1)[0]}:denied"
        with self.store.transaction(write=True) as session:
            append_event(
                session,
                event=event,
                actor=actor,
                occurred_at=self.services.clock.now(),
                outcome="denied" if isinstance(refused, PermissionDenied) else "unauthenticated",
                details={"action": spec.name, "reason": refused.message},
            )
