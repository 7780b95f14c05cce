"""What sharing authorities measure (standards.md §2): on-time answers and freshness.

Freshness: a resource is fresh while its newest version is younger than its declared
update cycle (更新周期) plus a grace of one day; 实时 and 每日 resources must have a
version from the last two days. 其他 has no fixed cycle and is not judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from xiangshu.domain.catalog.values import UpdateCycle

CYCLE_DAYS: dict[UpdateCycle, int | None] = {
    UpdateCycle.REALTIME: 1,
    UpdateCycle.DAILY: 1,
    UpdateCycle.WEEKLY: 7,
    UpdateCycle.MONTHLY: 31,
    UpdateCycle.QUARTERLY: 92,
    UpdateCycle.HALF_YEARLY: 183,
    UpdateCycle.YEARLY: 366,
    UpdateCycle.OTHER: None,
}
GRACE = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Freshness:
    age_days: float | None  # None: nothing loaded yet
    allowed_days: int | None  # None: no fixed cycle
    fresh: bool | None  # None: not judged

    @property
    def label_zh(self) -> str:
        if self.age_days is None:
            return "未装载数据"
        if self.fresh is None:
            return "不定期"
        return "及时" if self.fresh else "超期未更新"


def freshness(cycle: UpdateCycle, last_version_at: datetime | None, now: datetime) -> Freshness:
    allowed = CYCLE_DAYS[cycle]
    if last_version_at is None:
        return Freshness(None, allowed, False if allowed is not None else None)
    age = now - last_version_at
    if allowed is None:
        return Freshness(age.total_seconds() / 86400, None, None)
    return Freshness(age.total_seconds() / 86400, allowed, age <= timedelta(days=allowed) + GRACE)


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
