"""Shapes of the open-data portal: datasets, search, usage, reuses, requests, reports,
applications for conditional open data, developers."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from xiangshu.domain.access import OpenType
from xiangshu.domain.catalog.values import FormatClass, UpdateCycle
from xiangshu.domain.data_items import DataItem
from xiangshu.domain.portal.freshness import FreshnessState
from xiangshu.schemas.identity import USERNAME_PATTERN


class Usage(BaseModel):
    views: int = 0
    downloads: int = 0
    api_calls: int = 0


class DatasetCard(BaseModel):
    """An open dataset as lists show it."""

    id: uuid.UUID
    code: str
    slug: str  # the code with "/" as "-": CKAN's package name
    name: str
    abstract: str
    provider_id: uuid.UUID
    provider_name: str
    provider_slug: str  # the unit's catalog department code
    class_code: str
    open_type: OpenType
    update_cycle: UpdateCycle
    format_class: FormatClass
    published_on: date | None
    updated_at: datetime
    records: int | None  # rows of the current version; None without records
    data_updated_at: datetime | None
    keywords: list[str] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)


class QualityCheck(BaseModel):
    key: str
    title: str
    passed: bool
    hint: str


class FreshnessPublic(BaseModel):
    state: FreshnessState
    last_updated: date | None
    due_by: date | None
    days_late: int


class RelatedDataset(BaseModel):
    code: str
    slug: str
    name: str
    why: str  # related | same_provider | same_class


class ErrorReportPublic(BaseModel):
    id: uuid.UUID
    resource_id: uuid.UUID
    dataset_name: str = ""
    dataset_slug: str = ""
    reporter_name: str
    field: str | None
    description: str
    status: str
    created_at: datetime
    answer: str
    answered_by: str | None
    answered_at: datetime | None


class DatasetPage(BaseModel):
    card: DatasetCard
    class_path: list[str]
    provider_division: str
    provider_level: str
    items: list[DataItem]
    open_condition: str
    share_type: str
    format_type: str
    related: list[RelatedDataset]
    freshness: FreshnessPublic
    quality: list[QualityCheck]
    quality_percent: int
    reports: list[ErrorReportPublic]
    may_read: bool  # whether this actor may read its records now
    read_reason: str
    application: OpenApplicationPublic | None = None  # the actor's latest, if any


class FacetCount(BaseModel):
    value: str
    label: str
    count: int


class OpenSearch(BaseModel):
    """Words and filters of the portal's dataset search (and CKAN's package_search)."""

    q: str = Field(default="", max_length=500, description="Words; several must all match.")
    class_code: str | None = Field(default=None, max_length=16)
    region: str | None = Field(default=None, max_length=12)
    provider: uuid.UUID | None = None
    open_type: OpenType | None = None
    update_cycle: UpdateCycle | None = None
    format_class: FormatClass | None = None
    tag: str | None = Field(default=None, max_length=100)
    reference: str | None = Field(default=None, max_length=100, description="ID, code or slug.")
    sort: str = Field(default="relevance", pattern="^(relevance|code|newest|popular|name)$")
    descending: bool = True
    page: int = Field(default=1, ge=1, le=100_000)
    page_size: int = Field(default=20, ge=0, le=1000)
    offset: int | None = Field(default=None, ge=0, description="Overrides page (CKAN start).")
    facet_limit: int = Field(default=50, ge=-1, le=1000)


class DatasetHit(BaseModel):
    card: DatasetCard
    name_marked: list[tuple[str, bool]]
    abstract_marked: list[tuple[str, bool]]


class OpenSearchResult(BaseModel):
    total: int
    hits: list[DatasetHit]
    facets: dict[str, list[FacetCount]]
    words: list[str]


class CountBy(BaseModel):
    key: str
    label: str
    count: int


class PortalHome(BaseModel):
    datasets: int
    with_records: int
    records: int
    providers: int
    reuses: int
    by_class: list[CountBy]
    by_provider: list[CountBy]
    by_city: list[CountBy]
    newest: list[DatasetCard]
    most_used: list[DatasetCard]


class UnitStats(BaseModel):
    unit_id: uuid.UUID
    slug: str
    name: str
    short_name: str
    level: str
    datasets: int
    usage: Usage


class DatasetStats(BaseModel):
    slug: str
    name: str
    provider_name: str
    usage: Usage


class PortalStats(BaseModel):
    totals: Usage
    by_dataset: list[DatasetStats]
    by_unit: list[UnitStats]
    by_day: list[tuple[date, int, int, int]]  # day, views, downloads, api calls


class ScoreItem(BaseModel):
    dimension: str  # English message ID
    indicator: str
    value: str  # what was measured, in words or figures
    value_zh: str = ""
    score: float | None  # 0–1, None when not measurable on the platform


class PortalScore(BaseModel):
    items: list[ScoreItem]
    by_dimension: dict[str, float | None]
    overall: float


# ---------------------------------------------------------------- contributions


class ReuseCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=2, max_length=200)
    description: str = Field(min_length=10, max_length=4000)
    url: str = Field(min_length=8, max_length=500)
    kind: str = Field(default="application", pattern="^(application|visualization|article|api)$")
    datasets: list[str] = Field(default_factory=list, max_length=50)  # codes, slugs or IDs


class ReusePublic(BaseModel):
    id: uuid.UUID
    title: str
    description: str
    url: str
    kind: str
    datasets: list[RelatedDataset]
    submitter_name: str
    status: str
    created_at: datetime
    reviewed_at: datetime | None
    review_note: str


class Decision(BaseModel):
    approve: bool
    note: str = Field(default="", max_length=2000)


class DataRequestCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=2, max_length=200)
    description: str = Field(min_length=10, max_length=4000)
    unit: str | None = Field(default=None, description="The unit asked (name or ID), if known.")


class DataRequestAnswer(BaseModel):
    status: str = Field(pattern="^(planned|answered|rejected)$")
    answer: str = Field(min_length=2, max_length=4000)
    dataset: str | None = None  # a dataset that answers it


class DataRequestPublic(BaseModel):
    id: uuid.UUID
    title: str
    description: str
    unit_id: uuid.UUID | None
    unit_name: str | None
    requester_name: str
    status: str
    created_at: datetime
    answer: str
    answered_by: str | None
    answered_at: datetime | None
    dataset: RelatedDataset | None


class ErrorReportCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    description: str = Field(min_length=5, max_length=4000)
    field: str | None = Field(default=None, max_length=63)


class ErrorReportAnswer(BaseModel):
    status: str = Field(pattern="^(confirmed|fixed|rejected)$")
    answer: str = Field(min_length=2, max_length=4000)


class OpenApplicationCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    purpose: str = Field(min_length=10, max_length=4000)
    fields: list[str] = Field(default_factory=list, max_length=500)  # empty: all open fields
    agree: bool = Field(description="Accepts the data use agreement (数据利用协议).")


class OpenApplicationPublic(BaseModel):
    id: uuid.UUID
    resource_id: uuid.UUID
    dataset_name: str = ""
    dataset_slug: str = ""
    applicant_name: str
    purpose: str
    fields: list[str]
    agreement_version: str
    status: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    valid_until: datetime | None


class DeveloperRegister(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    username: str = Field(pattern=USERNAME_PATTERN)
    display_name: str = Field(min_length=1, max_length=100)
    email: str = Field(min_length=5, max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    password: SecretStr


class AppQuotaSet(BaseModel):
    per_minute: int = Field(ge=0, le=1_000_000)


class SqlResult(BaseModel):
    fields: list[dict[str, str]]
    records: list[dict[str, Any]]
    sql: str
    rows: int
    truncated: bool


DatasetPage.model_rebuild()
