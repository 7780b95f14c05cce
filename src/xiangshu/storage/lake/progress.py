"""How a load reports its progress (the CLI draws a Rich bar from it)."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def stage(self, name: str, total: int | None = None) -> None:
        """A new stage starts (reading, validating, writing, serving)."""
        ...

    def advance(self, amount: int) -> None:
        """Some of the current stage's total is done (bytes or rows)."""
        ...


class NoProgress:
    def stage(self, name: str, total: int | None = None) -> None:
        return None

    def advance(self, amount: int) -> None:
        return None
