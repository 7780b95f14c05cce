"""A :class:`ResourceDirectory` over facts given in code.

For tests, benchmarks and the synthetic base data until the catalog's directory
is in place; the composition root swaps in the catalog's implementation.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from xiangshu.domain.access import ResourceFacts


class StaticResources:
    def __init__(self, *facts: ResourceFacts) -> None:
        self._facts: dict[str, ResourceFacts] = {}
        for one in facts:
            self.add(one)

    def add(self, facts: ResourceFacts) -> None:
        self._facts[str(facts.resource_id)] = facts
        self._facts[facts.code] = facts

    def facts(self, session: Session, reference: str) -> ResourceFacts | None:
        return self._facts.get(reference)
