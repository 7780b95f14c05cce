"""The action registry: one function per use case, ``<object>_<verb>``.

Declaring an action whose policy (same name, in :mod:`xiangshu.policies`) does
not exist raises at import time, so it cannot be registered, let alone run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from xiangshu.domain.audit import check_event_name
from xiangshu.errors import ActionWithoutPolicy
from xiangshu.policies.registry import POLICIES, PolicyFn

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class ActionSpec:
    name: str
    fn: Callable[..., Any]
    policy: PolicyFn
    event: str | None  # audit event written when the action succeeds
    writes: bool  # changes the metadata store


ACTIONS: dict[str, ActionSpec] = {}


def action(*, event: str | None, writes: bool = True) -> Callable[[F], F]:
    """Register a use case.

    ``event`` names the audit event (``context:subject:verb``) the dispatcher
    writes when the action succeeds: in the action's own transaction for a change
    (``writes``), right after it and before its result is handed back for a read.
    Every change and every data read has one; only metadata queries may pass
    ``event=None`` with ``writes=False``.
    """

    def register(fn: F) -> F:
        name = fn.__name__
        found = POLICIES.get(name)
        if found is None:
            raise ActionWithoutPolicy(
                f"action {name} has no policy of the same name; declare "
                f"@policy def {name}(actor, ...) in xiangshu.policies first"
            )
        if event is None and writes:
            raise ValueError(f"action {name} changes data and must name its audit event")
        if event is not None:
            check_event_name(event)
        if name in ACTIONS and ACTIONS[name].fn is not fn:
            raise ValueError(f"action {name} is declared twice")
        ACTIONS[name] = ActionSpec(name=name, fn=fn, policy=found, event=event, writes=writes)
        return fn

    return register


def spec_of(fn: Callable[..., Any]) -> ActionSpec:
    spec = ACTIONS.get(getattr(fn, "__name__", ""))
    if spec is None or spec.fn is not fn:
        raise ActionWithoutPolicy(f"{fn!r} is not a registered action")
    return spec
