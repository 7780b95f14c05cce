"""Who people are to the platform: roles and the actor making a request."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    PLATFORM_ADMIN = "platform_admin"  # 平台管理员
    DATA_STEWARD = "data_steward"  # 部门数据管理员
    UNIT_USER = "unit_user"  # 部门用户
    AUDITOR = "auditor"  # 审计员
    SHARING_AUTHORITY = "sharing_authority"  # 共享主管部门 (decides escalated sharing requests)
    PLAN_OFFICER = "plan_officer"  # 规划管理员
    DEVELOPER = "developer"  # 开发者 (registered member of the public)

    @property
    def label_zh(self) -> str:
        return ROLE_LABELS_ZH[self]

    @property
    def needs_unit(self) -> bool:
        """Government roles belong to a unit; developers do not."""
        return self is not Role.DEVELOPER


ROLE_LABELS_ZH: dict[Role, str] = {
    Role.PLATFORM_ADMIN: "平台管理员",
    Role.DATA_STEWARD: "部门数据管理员",
    Role.UNIT_USER: "部门用户",
    Role.AUDITOR: "审计员",
    Role.SHARING_AUTHORITY: "共享主管部门",
    Role.PLAN_OFFICER: "规划管理员",
    Role.DEVELOPER: "开发者",
}


class ActorKind(StrEnum):
    PUBLIC = "public"  # 社会公众: nobody signed in
    USER = "user"
    APP = "app"  # a registered application calling with its app key
    SYSTEM = "system"  # the node itself (CLI set-up, scheduled jobs)


@dataclass(frozen=True, slots=True)
class Actor:
    """Whoever asks the platform to do something; policies decide on this alone."""

    kind: ActorKind
    name: str
    user_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    app_id: uuid.UUID | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)
    origin: str | None = None  # where the request came from: "web 10.0.0.5", "cli", …

    @property
    def is_public(self) -> bool:
        return self.kind is ActorKind.PUBLIC

    @property
    def is_system(self) -> bool:
        return self.kind is ActorKind.SYSTEM

    @property
    def is_government(self) -> bool:
        """Signed in on behalf of a government unit."""
        return self.unit_id is not None and self.kind in (ActorKind.USER, ActorKind.APP)

    def has(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    def acts_for(self, unit_id: uuid.UUID | None) -> bool:
        return unit_id is not None and self.unit_id == unit_id


PUBLIC = Actor(kind=ActorKind.PUBLIC, name="public")
SYSTEM = Actor(kind=ActorKind.SYSTEM, name="system", origin="cli")
