"""Password hashing with Argon2id (argon2-cffi), with parameters that can be raised."""

from __future__ import annotations

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError


class PasswordHasher:
    def __init__(self, *, fast_for_tests: bool = False) -> None:
        # Tests use the smallest memory cost allowed; production keeps the library's defaults.
        self._argon2 = (
            _Argon2(time_cost=1, memory_cost=8, parallelism=1) if fast_for_tests else _Argon2()
        )

        self._dummy_hash: str | None = None

    def verify_nobody(self, password: str) -> bool:
        """Spend the time of a verification when the user is unknown (no timing oracle)."""
        if self._dummy_hash is None:
            self._dummy_hash = self.hash("no-such-user-placeholder")
        self.verify(self._dummy_hash, password)
        return False

    def hash(self, password: str) -> str:
        return str(self._argon2.hash(password))

    def verify(self, stored_hash: str, password: str) -> bool:
        try:
            return bool(self._argon2.verify(stored_hash, password))
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return bool(self._argon2.check_needs_rehash(stored_hash))
