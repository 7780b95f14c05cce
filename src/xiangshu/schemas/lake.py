"""Shapes of the lake's answers: load reports, versions, record pages."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class ProblemTally(BaseModel):
    """How many records one field sent to quarantine for one reason."""

    field: str
    item: str  # 信息项名称
    reason: str
    reason_zh: str
    count: int


class LoadReportPublic(BaseModel):
    """What a load found and did (装载报告)."""

    load_id: uuid.UUID
    resource_id: uuid.UUID
    status: str  # published / rejected
    version: int | None  # the version it made current
    mode: str
    strict: bool
    created_at: datetime
    actor_name: str
    source_name: str
    source_format: str
    source_encoding: str | None
    source_bytes: int
    rows_read: int
    rows_valid: int
    rows_rejected: int
    rows_published: int
    rows_replaced: int = 0
    absent_fields: list[str] = Field(default_factory=list)
    problems: list[ProblemTally] = Field(default_factory=list)
    has_quarantine: bool
    seconds: dict[str, float] = Field(default_factory=dict)


class VersionPublic(BaseModel):
    number: int
    version_id: uuid.UUID
    created_at: datetime
    mode: str
    row_count: int
    current: bool
    source_name: str
    actor_name: str
    rows_rejected: int


class FieldPublic(BaseModel):
    field: str
    name: str
    type: str
    masked: bool = False


class RecordPage(BaseModel):
    resource_id: uuid.UUID
    version: int
    fields: list[FieldPublic]
    records: list[dict[str, Any]]
    total: int | None  # stored count when unfiltered; counted only when asked
    next: str | None  # pass as ``after`` for the next page (keyset paging)
    limit: int
    offset: int


class RecordPublic(BaseModel):
    resource_id: uuid.UUID
    version: int
    fields: list[FieldPublic]
    record: dict[str, Any]


class ExportResult(BaseModel):
    resource_id: uuid.UUID
    version: int
    format: str
    rows: int
    file_name: str
