"""Reference data shipped inside the package (see README.md beside this file)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

from xiangshu.crypto.sm3 import sm3_hex
from xiangshu.domain.divisions import Division, DivisionChange, DivisionLevel, apply_changes

DIVISIONS_VERSION = "GB/T 2260 Hunan 2024-12-31"


def _text(*parts: str) -> str:
    return resources.files(__package__).joinpath(*parts).read_text(encoding="utf-8")


def _rows(*parts: str) -> Iterator[dict[str, str]]:
    yield from csv.DictReader(io.StringIO(_text(*parts)))


@dataclass(frozen=True, slots=True)
class DivisionRelease:
    version: str
    checksum: str
    divisions: list[Division]


def division_release() -> DivisionRelease:
    """Hunan's divisions with the retired codes of earlier renames."""
    current = [
        Division(
            code=row["code"],
            name=row["name"],
            level=DivisionLevel(row["level"]),
            parent_code=row["parent_code"] or None,
        )
        for row in _rows("divisions", "hunan-2024.csv")
    ]
    changes = [
        DivisionChange(
            year=int(row["year"]),
            old_code=row["old_code"],
            old_name=row["old_name"],
            new_code=row["new_code"],
            new_name=row["new_name"],
            note=row["note"],
        )
        for row in _rows("divisions", "hunan-changes.csv")
    ]
    checksum = sm3_hex(
        (_text("divisions", "hunan-2024.csv") + _text("divisions", "hunan-changes.csv")).encode()
    )
    return DivisionRelease(DIVISIONS_VERSION, checksum, apply_changes(current, changes))


def province_codes() -> dict[str, str]:
    return {row["code"]: row["name"] for row in _rows("divisions", "provinces.csv")}


@dataclass(frozen=True, slots=True)
class UnitSeed:
    short_name: str
    name: str
    kind: str
    division_code: str
    parent: str  # short name of the parent unit, or empty
    catalog_code: str
    credit_code: str


def unit_seeds() -> list[UnitSeed]:
    return [UnitSeed(**row) for row in _rows("units-hunan.csv")]
