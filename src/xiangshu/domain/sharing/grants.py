"""授权: a permission to read some fields of a resource, for a purpose, for a time.

A grant is held by a **unit** (the requesting department, not a person: standards §2),
or — for the open-data portal's conditional-open applications (有条件开放) — by a
registered **user** or **application** of the public. Readers are matched to grants
by their unit, their user ID or their application ID.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class HolderKind(StrEnum):
    UNIT = "unit"  # a government unit (共享)
    USER = "user"  # a registered member of the public (开放)
    APP = "app"  # a registered application (开放)


class GrantSource(StrEnum):
    REQUEST = "request"  # an approved 共享申请
    UNCONDITIONAL = "unconditional"  # first use of a 无条件共享 resource
    OPEN_APPLICATION = "open_application"  # an approved 有条件开放 application (portal)
    ADMINISTRATIVE = "administrative"  # given by the provider or the authority directly


class GrantState(StrEnum):
    ACTIVE = "active"  # 有效
    NOT_YET = "not_yet"  # 未生效
    EXPIRED = "expired"  # 已过期
    REVOKED = "revoked"  # 已撤销

    @property
    def label_zh(self) -> str:
        return {"active": "有效", "not_yet": "未生效", "expired": "已过期", "revoked": "已撤销"}[
            self.value
        ]


def grant_state(
    now: datetime, valid_from: datetime, valid_until: datetime, revoked_at: datetime | None
) -> GrantState:
    if revoked_at is not None and revoked_at <= now:
        return GrantState.REVOKED
    if now < valid_from:
        return GrantState.NOT_YET
    if now >= valid_until:
        return GrantState.EXPIRED
    return GrantState.ACTIVE


@dataclass(frozen=True, slots=True)
class Usage:
    calls_last_minute: int
    rows_today: int


def limit_problem(usage: Usage, calls_per_minute: int, rows_per_day: int) -> str | None:
    """Why one more call is refused under the grant's limits, or None."""
    if usage.calls_last_minute >= calls_per_minute:
        return (
            f"the grant allows {calls_per_minute} calls per minute; wait and call again "
            "(调用频率超过授权上限)"
        )
    if usage.rows_today >= rows_per_day:
        return (
            f"the grant allows {rows_per_day:,} rows per day and they have been used today "
            "(当日数据量超过授权上限)"
        )
    return None
