"""政务部门: government units, their levels and the rules a unit must satisfy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from xiangshu.domain.divisions import DivisionLevel, DivisionTable
from xiangshu.domain.identifiers import credit_code_problem
from xiangshu.errors import Problem

# The catalog department code (信息资源提供方代码, local rule): the unit's
# six-digit division code followed by a three-digit serial within it.
CATALOG_CODE = re.compile(r"^(\d{6})(\d{3})$")


class UnitLevel(StrEnum):
    PROVINCE = "province"  # 省级
    CITY = "city"  # 市级 (市、州)
    COUNTY = "county"  # 县级 (县、市、区)

    @property
    def label_zh(self) -> str:
        return {"province": "省级", "city": "市级", "county": "县级"}[self.value]

    @property
    def rank(self) -> int:
        return {"province": 0, "city": 1, "county": 2}[self.value]


LEVEL_OF_DIVISION = {
    DivisionLevel.PROVINCE: UnitLevel.PROVINCE,
    DivisionLevel.PREFECTURE: UnitLevel.CITY,
    DivisionLevel.COUNTY: UnitLevel.COUNTY,
}


class UnitKind(StrEnum):
    GOVERNMENT = "government"  # 人民政府
    DEPARTMENT = "department"  # 政务部门
    DATA_AUTHORITY = "data_authority"  # 数据管理机构 (政务数据主管部门)
    VERTICAL = "vertical"  # 垂直管理单位 (海关、人民银行分支机构…)
    PARTY_COMMITTEE = "party_committee"  # 党委 (its offices are units too: 网信办、宣传部…)

    @property
    def label_zh(self) -> str:
        return {
            "government": "人民政府",
            "department": "政务部门",
            "data_authority": "数据管理机构",
            "vertical": "垂直管理单位",
            "party_committee": "党委",
        }[self.value]


@dataclass(frozen=True, slots=True)
class UnitDraft:
    """What a new unit must say about itself."""

    name: str
    short_name: str
    kind: UnitKind
    division_code: str
    credit_code: str
    catalog_code: str
    parent_division_code: str | None = None  # division of the parent unit, if any


def unit_problems(draft: UnitDraft, divisions: DivisionTable) -> list[Problem]:
    """Every rule the draft breaks (empty when it may be saved)."""
    problems: list[Problem] = []
    if not draft.name.strip():
        problems.append(Problem("a unit needs a name", field="name"))
    elif len(draft.name) > 100:
        problems.append(Problem("a unit name has at most 100 characters", field="name"))
    if not draft.short_name.strip():
        problems.append(Problem("a unit needs a short name", field="short_name"))
    division = divisions.get(draft.division_code)
    if division is None:
        problems.append(
            Problem(
                f"unknown division code {draft.division_code}",
                field="division_code",
                value=draft.division_code,
            )
        )
    elif not division.is_current:
        problems.append(
            Problem(
                f"division {division.code} {division.name} was retired in {division.retired_in}; "
                f"use {division.successor_code}",
                field="division_code",
                value=draft.division_code,
            )
        )
    credit = credit_code_problem(draft.credit_code)
    if credit:
        problems.append(Problem(credit, field="credit_code", value=draft.credit_code))
    match = CATALOG_CODE.match(draft.catalog_code)
    if match is None:
        problems.append(
            Problem(
                "the catalog department code is the 6-digit division code and a 3-digit serial",
                field="catalog_code",
                value=draft.catalog_code,
            )
        )
    elif match.group(1) != draft.division_code:
        problems.append(
            Problem(
                f"the catalog department code must start with the unit's division code "
                f"{draft.division_code}",
                field="catalog_code",
                value=draft.catalog_code,
            )
        )
    parent_division = draft.parent_division_code
    if (
        division is not None
        and parent_division is not None
        and not divisions.contains(parent_division, draft.division_code)
    ):
        problems.append(
            Problem(
                f"the parent unit's division {parent_division} does not contain "
                f"{draft.division_code}",
                field="parent_id",
            )
        )
    return problems


def level_for(division_level: DivisionLevel) -> UnitLevel:
    return LEVEL_OF_DIVISION[division_level]
