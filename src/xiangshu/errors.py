"""Domain errors: a few exception types with stable codes, and one error shape.

Only the edges (``web`` and ``cli``) know HTTP statuses and exit codes; they
map :attr:`XiangshuError.code` through one table each. Everything else raises
these and lets them travel.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where (file, row, field) and what."""

    message: str
    field: str | None = None
    row: int | None = None
    file: str | None = None
    value: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def __str__(self) -> str:
        where = [
            part
            for part in (
                self.file,
                f"row {self.row}" if self.row is not None else None,
                f"field '{self.field}'" if self.field else None,
            )
            if part
        ]
        return f"{', '.join(where)}: {self.message}" if where else self.message


class XiangshuError(Exception):
    """Base of every error a user may see. ``code`` is stable; messages may change."""

    code: ClassVar[str] = "error"

    def __init__(
        self,
        message: str,
        *,
        problems: Iterable[Problem] = (),
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.problems = tuple(problems)
        self.details = dict(details or {})

    def body(self) -> dict[str, Any]:
        """The one JSON error shape used by every edge."""
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.problems:
            error["problems"] = [p.as_dict() for p in self.problems]
        if self.details:
            error["details"] = self.details
        return {"ok": False, "error": error}

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return self.message + "\n" + "\n".join(f"  - {p}" for p in self.problems)


class InvalidInput(XiangshuError):
    """The input breaks a rule; ``problems`` lists every broken rule at once."""

    code = "invalid_input"


class NotFound(XiangshuError):
    code = "not_found"


class Conflict(XiangshuError):
    """The change clashes with what exists (a duplicate, a stale state)."""

    code = "conflict"


class NotAuthenticated(XiangshuError):
    """No valid identity: missing, wrong or expired credentials."""

    code = "not_authenticated"


class PermissionDenied(XiangshuError):
    code = "permission_denied"


class AccountLocked(XiangshuError):
    code = "account_locked"


class RateLimited(XiangshuError):
    code = "rate_limited"


class ConfigurationError(XiangshuError):
    """The node is not set up for this (not initialised, a setting missing)."""

    code = "configuration_error"


class PolicyNotConsulted(XiangshuError):
    """A programming error: an action finished without asking its policy."""

    code = "policy_not_consulted"


class ActionWithoutPolicy(XiangshuError):
    """A programming error: an action was declared without a same-named policy."""

    code = "action_without_policy"


class IntegrityError(XiangshuError):
    """Stored data fails a check (for example the audit chain is broken)."""

    code = "integrity_error"


def invalid(problems: Iterable[Problem], message: str = "The input is not valid") -> InvalidInput:
    """Build an :class:`InvalidInput` listing every problem."""
    listed = tuple(problems)
    return InvalidInput(f"{message} ({len(listed)} problem(s))", problems=listed)
