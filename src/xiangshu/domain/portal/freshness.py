"""Is a dataset as fresh as its declared update cycle (更新周期) promises?

The expected interval between two updates follows the cycle; a dataset is *late*
once its last update is older than the interval plus a grace period, because
providers load after a period closes (a monthly statistic for October arrives in
November). 实时 (real time) and 每日 (daily) data are late after two days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from xiangshu.domain.catalog.values import UpdateCycle

EXPECTED_DAYS: dict[UpdateCycle, int | None] = {
    UpdateCycle.REALTIME: 1,
    UpdateCycle.DAILY: 1,
    UpdateCycle.WEEKLY: 7,
    UpdateCycle.MONTHLY: 31,
    UpdateCycle.QUARTERLY: 92,
    UpdateCycle.HALF_YEARLY: 183,
    UpdateCycle.YEARLY: 366,
    UpdateCycle.OTHER: None,  # described in words: not checked
}
GRACE_DAYS: dict[UpdateCycle, int] = {
    UpdateCycle.REALTIME: 1,
    UpdateCycle.DAILY: 1,
    UpdateCycle.WEEKLY: 3,
    UpdateCycle.MONTHLY: 15,
    UpdateCycle.QUARTERLY: 30,
    UpdateCycle.HALF_YEARLY: 45,
    UpdateCycle.YEARLY: 90,
}


class FreshnessState(StrEnum):
    FRESH = "fresh"  # 按期更新
    LATE = "late"  # 逾期未更新
    NO_DATA = "no_data"  # 尚无数据
    UNCHECKED = "unchecked"  # 更新周期为“其他”

    @property
    def label_zh(self) -> str:
        return {
            "fresh": "按期更新",
            "late": "逾期未更新",
            "no_data": "尚无数据",
            "unchecked": "不定期更新",
        }[self.value]


@dataclass(frozen=True, slots=True)
class Freshness:
    state: FreshnessState
    last_updated: date | None
    due_by: date | None  # when the next update is due (with the grace period)
    days_late: int = 0


def freshness(cycle: UpdateCycle, last_updated: date | None, today: date) -> Freshness:
    """The dataset's freshness on ``today`` given its last update (Beijing dates)."""
    if last_updated is None:
        return Freshness(FreshnessState.NO_DATA, None, None)
    days = EXPECTED_DAYS[cycle]
    if days is None:
        return Freshness(FreshnessState.UNCHECKED, last_updated, None)
    due = last_updated + timedelta(days=days + GRACE_DAYS[cycle])
    if today <= due:
        return Freshness(FreshnessState.FRESH, last_updated, due)
    return Freshness(FreshnessState.LATE, last_updated, due, (today - due).days)
