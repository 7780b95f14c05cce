"""Shapes of the resource catalog: resources, classifications, history, search, import."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field, TypeAdapter

from xiangshu.domain.access import OpenType, ResourceStatus, ShareType
from xiangshu.domain.catalog.metadata import Extension, ResourceMetadata
from xiangshu.domain.catalog.values import (
    FormatClass,
    PlatformShareType,
    ShareMannerClass,
    UpdateCycle,
)
from xiangshu.domain.data_items import DataItem
from xiangshu.domain.units import UnitLevel

# A new resource states its metadata; the code and the status are the catalog's.
ResourceCreate = ResourceMetadata
METADATA = TypeAdapter(ResourceMetadata)


class ClassPublic(BaseModel):
    code: str
    name: str
    category: str
    item: str
    subject: str
    detail: str
    level: int
    parent_code: str | None
    may_hold_resources: bool


class ResourcePublic(BaseModel):
    """A resource as the catalog shows it."""

    id: uuid.UUID
    code: str  # 信息资源代码, rendered 分类码/顺序码
    class_code: str
    class_name: str
    class_path: list[str]  # names from 类 down
    name: str
    provider_unit_id: uuid.UUID
    provider_name: str
    provider_code: str  # 信息资源提供方代码 (catalog department code)
    provider_credit_code: str  # 统一社会信用代码
    provider_level: UnitLevel
    provider_division_code: str
    provider_division: str  # 提供方内部部门
    abstract: str
    format_class: FormatClass
    format_type: str
    items: list[DataItem]
    share_type: ShareType
    share_condition: str
    share_basis: str
    share_manner_class: ShareMannerClass
    share_manner_types: list[PlatformShareType]
    open_type: OpenType
    open_condition: str
    update_cycle: UpdateCycle
    update_cycle_note: str
    published_on: date | None
    related_codes: list[str]
    extension: Extension
    status: ResourceStatus
    created_at: datetime
    created_by: str
    updated_at: datetime
    submitted_at: datetime | None
    submitted_by: str | None
    reviewed_at: datetime | None
    reviewed_by: str | None
    review_note: str


class HistoryEntry(BaseModel):
    changed_at: datetime
    actor_name: str
    kind: str
    status: ResourceStatus
    changes: dict[str, Any]
    note: str


class ReviewNote(BaseModel):
    note: str = Field(default="", description="Reason (required to return or withdraw).")


class SearchQuery(BaseModel):
    """Full-text words and facet filters; every filter narrows the result."""

    q: str = Field(default="", description="Words; several words must all match.")
    class_code: str | None = Field(default=None, description="A classification and below.")
    provider: uuid.UUID | None = None
    region: str | None = Field(default=None, description="Division code and below.")
    level: UnitLevel | None = None
    share_type: ShareType | None = None
    open_type: OpenType | None = None
    format_class: FormatClass | None = None
    update_cycle: UpdateCycle | None = None
    status: ResourceStatus | None = None
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=20, ge=1, le=200)


class ResourceHit(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    abstract: str
    provider_name: str
    provider_level: UnitLevel
    share_type: ShareType
    open_type: OpenType
    format_class: FormatClass
    update_cycle: UpdateCycle
    status: ResourceStatus
    score: float


class FacetValue(BaseModel):
    value: str
    label: str
    count: int


class SearchResult(BaseModel):
    total: int
    page: int
    page_size: int
    hits: list[ResourceHit]
    facets: dict[str, list[FacetValue]]


class CatalogImportReport(BaseModel):
    created: int
    codes: list[str]


class ReindexReport(BaseModel):
    resources: int
    seq: int
