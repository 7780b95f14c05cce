"""Rules for passwords, tokens and sign-in lockout (pure; hashing lives elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

TOKEN_PREFIX = "xst_"  # noqa: S105 - API tokens start with this
SESSION_PREFIX = "xss_"  # browser sessions
APP_KEY_PREFIX = "xak_"


def password_problem(password: str, *, username: str, min_length: int) -> str | None:
    if len(password) < min_length:
        return f"a password needs at least {min_length} characters"
    if username and username.lower() in password.lower():
        return "a password must not contain the user name"
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if classes < 3:
        return "a password needs three of: lower case, upper case, digits, symbols"
    return None


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    max_failures: int
    lock_for: timedelta

    def after_failure(self, failures_so_far: int, now: datetime) -> tuple[int, datetime | None]:
        """New failure count and, when it reaches the limit, the time the lock ends."""
        failures = failures_so_far + 1
        if failures >= self.max_failures:
            return failures, now + self.lock_for
        return failures, None

    @staticmethod
    def is_locked(locked_until: datetime | None, now: datetime) -> bool:
        return locked_until is not None and locked_until > now
