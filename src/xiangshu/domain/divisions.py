"""行政区划 (GB/T 2260): administrative divisions and their history."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

DIVISION_CODE = re.compile(r"^\d{6}$")


class DivisionLevel(StrEnum):
    PROVINCE = "province"  # 省级
    PREFECTURE = "prefecture"  # 地级 (市、州)
    COUNTY = "county"  # 县级 (市辖区、县级市、县、自治县)

    @property
    def label_zh(self) -> str:
        return {"province": "省级", "prefecture": "地级", "county": "县级"}[self.value]


def level_of_code(code: str) -> DivisionLevel:
    """The level a well-formed code denotes by its trailing zeros."""
    if code.endswith("0000"):
        return DivisionLevel.PROVINCE
    if code.endswith("00"):
        return DivisionLevel.PREFECTURE
    return DivisionLevel.COUNTY


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    name: str
    level: DivisionLevel
    parent_code: str | None
    retired_in: int | None = None  # year the code stopped being used
    successor_code: str | None = None
    established_in: int | None = None  # year the code came into use, when known

    @property
    def is_current(self) -> bool:
        return self.retired_in is None


@dataclass(frozen=True, slots=True)
class DivisionChange:
    year: int
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    note: str


class DivisionTable:
    """All known divisions, current and retired, with lookups."""

    def __init__(self, divisions: Iterable[Division]) -> None:
        self._by_code = {d.code: d for d in divisions}

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Division]:
        return iter(self._by_code.values())

    def get(self, code: str) -> Division | None:
        return self._by_code.get(code)

    def current(self, code: str) -> Division | None:
        """The division in use today for a code, following renames."""
        seen: set[str] = set()
        division = self._by_code.get(code)
        while division is not None and division.successor_code and division.code not in seen:
            seen.add(division.code)
            division = self._by_code.get(division.successor_code)
        return division

    def children(self, code: str, *, include_retired: bool = False) -> list[Division]:
        return sorted(
            (
                d
                for d in self._by_code.values()
                if d.parent_code == code and (include_retired or d.is_current)
            ),
            key=lambda d: d.code,
        )

    def ancestors(self, code: str) -> list[Division]:
        chain: list[Division] = []
        division = self._by_code.get(code)
        while division is not None and division.parent_code:
            division = self._by_code.get(division.parent_code)
            if division is not None:
                chain.append(division)
        return chain

    def contains(self, ancestor: str, code: str) -> bool:
        return code == ancestor or any(a.code == ancestor for a in self.ancestors(code))


def apply_changes(
    divisions: Iterable[Division], changes: Iterable[DivisionChange]
) -> list[Division]:
    """Add retired codes from the change list, pointing at their successors."""
    by_code = {d.code: d for d in divisions}
    for change in changes:
        successor = by_code.get(change.new_code)
        if successor is None:
            raise ValueError(f"change of {change.year} points at unknown code {change.new_code}")
        by_code[change.new_code] = Division(
            code=successor.code,
            name=successor.name,
            level=successor.level,
            parent_code=successor.parent_code,
            established_in=change.year,
        )
        by_code.setdefault(
            change.old_code,
            Division(
                code=change.old_code,
                name=change.old_name,
                level=level_of_code(change.old_code),
                parent_code=successor.parent_code,
                retired_in=change.year,
                successor_code=change.new_code,
            ),
        )
    return sorted(by_code.values(), key=lambda d: d.code)
