"""Shapes of the node, divisions and units."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from xiangshu.domain.units import UnitKind, UnitLevel


class NodePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    division_code: str
    division_name: str
    level: UnitLevel
    created_at: datetime


class DivisionPublic(BaseModel):
    code: str
    name: str
    level: str
    parent_code: str | None
    retired_in: int | None = None
    successor_code: str | None = None


class DivisionNode(BaseModel):
    """A division with its current children, for the tree on the home page."""

    code: str
    name: str
    level: str
    unit_count: int = 0
    children: list[DivisionNode] = Field(default_factory=list)


class UnitCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(description="全称, e.g. 湖南省发展和改革委员会")
    short_name: str = Field(description="简称, e.g. 省发展改革委")
    kind: UnitKind = UnitKind.DEPARTMENT
    division_code: str = Field(description="GB/T 2260 division the unit serves")
    parent_id: uuid.UUID | None = None
    credit_code: str = Field(description="统一社会信用代码 (18 characters)")
    catalog_code: str = Field(description="目录部门代码: division code + 3-digit serial")


class UnitUpdate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str | None = None
    short_name: str | None = None
    parent_id: uuid.UUID | None = None


class UnitImportRow(BaseModel):
    """A row of a unit spreadsheet: the parent is named by its short name or full name."""

    model_config = ConfigDict(str_strip_whitespace=True)

    name: str
    short_name: str
    kind: str = "department"
    division_code: str
    parent: str = ""
    credit_code: str
    catalog_code: str


class UnitPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    short_name: str
    kind: UnitKind
    level: UnitLevel
    division_code: str
    parent_id: uuid.UUID | None
    credit_code: str
    catalog_code: str
    created_at: datetime


class ImportReport(BaseModel):
    created: int
    skipped_existing: int = 0
