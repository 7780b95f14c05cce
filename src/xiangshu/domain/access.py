"""Sharing and open attributes of a resource, and the facts access decisions rest on.

The catalog owns resources; the lake serves their records; the sharing feature
grants conditional access. They meet here: a :class:`ResourceFacts` is all a
policy needs to know about a resource to decide who may see its metadata and
who may read its data (see ``policies/data_access.py``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from xiangshu.domain.data_items import DataItem


class ShareType(StrEnum):
    """共享类型 (政务信息资源共享管理暂行办法)."""

    UNCONDITIONAL = "unconditional"  # 无条件共享
    CONDITIONAL = "conditional"  # 有条件共享
    NOT_SHARED = "not_shared"  # 不予共享

    @property
    def label_zh(self) -> str:
        return {
            "unconditional": "无条件共享",
            "conditional": "有条件共享",
            "not_shared": "不予共享",
        }[self.value]


class OpenType(StrEnum):
    """开放类型 (向社会开放)."""

    OPEN = "open"  # 无条件开放
    CONDITIONAL = "conditional"  # 有条件开放 (application, agreement, approval)
    NOT_OPEN = "not_open"  # 不予开放

    @property
    def label_zh(self) -> str:
        return {"open": "无条件开放", "conditional": "有条件开放", "not_open": "不予开放"}[
            self.value
        ]


class ResourceStatus(StrEnum):
    DRAFT = "draft"  # 草稿
    SUBMITTED = "submitted"  # 待审核
    PUBLISHED = "published"  # 已发布
    WITHDRAWN = "withdrawn"  # 已撤销

    @property
    def label_zh(self) -> str:
        return {
            "draft": "草稿",
            "submitted": "待审核",
            "published": "已发布",
            "withdrawn": "已撤销",
        }[self.value]


@dataclass(frozen=True, slots=True)
class ResourceFacts:
    """What access policies know about a resource (provided by the catalog)."""

    resource_id: uuid.UUID
    code: str  # rendered 分类码/顺序码
    name: str
    provider_unit_id: uuid.UUID
    share_type: ShareType
    open_type: OpenType
    status: ResourceStatus
    items: tuple[DataItem, ...] = ()

    @property
    def is_published(self) -> bool:
        return self.status is ResourceStatus.PUBLISHED

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(item.field for item in self.items)


@dataclass(frozen=True, slots=True)
class GrantFacts:
    """An approved, unexpired permission for one unit (or one public applicant) to read
    some fields of a resource (provided by the sharing and open-data features)."""

    resource_id: uuid.UUID
    fields: frozenset[str]  # the fields granted; empty means none
    clear_values: bool = False  # may see personal data unmasked
    purpose: str = ""
    grant_id: uuid.UUID | None = None
    # Why the holder's latest grant no longer holds (revoked, expired); such facts grant
    # nothing and make the refusal say why.
    ended: str | None = None
