"""The policy registry and the decision type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reason: str
    needs_login: bool = False


def allow(reason: str = "allowed") -> Decision:
    return Decision(True, reason)


def deny(reason: str, *, needs_login: bool = False) -> Decision:
    return Decision(False, reason, needs_login=needs_login)


def login_required() -> Decision:
    return deny("sign in first", needs_login=True)


PolicyFn = Callable[..., Decision]
POLICIES: dict[str, PolicyFn] = {}


def policy(fn: Callable[..., Decision]) -> Callable[..., Decision]:
    """Register ``fn`` as the policy of the action with the same name."""
    name = fn.__name__
    if name in POLICIES and POLICIES[name] is not fn:
        raise ValueError(f"policy {name} is declared twice")
    POLICIES[name] = fn
    return fn
