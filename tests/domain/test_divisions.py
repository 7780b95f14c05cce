"""The shipped GB/T 2260 divisions and their history."""

from __future__ import annotations

import csv
from pathlib import Path

from xiangshu.domain.divisions import DivisionLevel, DivisionTable, level_of_code
from xiangshu.reference import division_release, province_codes, unit_seeds

# ../shared beside the project (also found from a git worktree further down).
SHARED = next(
    p / "shared" / "data"
    for p in Path(__file__).resolve().parents
    if (p / "shared" / "data").is_dir()
)


def test_release_has_hunan_counts_and_matches_the_shared_list() -> None:
    table = DivisionTable(division_release().divisions)
    current = [d for d in table if d.is_current]
    counts = {level: sum(d.level is level for d in current) for level in DivisionLevel}
    assert counts == {
        DivisionLevel.PROVINCE: 1,
        DivisionLevel.PREFECTURE: 14,
        DivisionLevel.COUNTY: 122,
    }
    shared = {
        r["code"]: r["name"] for r in csv.DictReader((SHARED / "hunan-divisions-2024.csv").open())
    }
    assert {d.code: d.name for d in current} == shared


def test_renamed_counties_are_retired_and_point_at_successors() -> None:
    table = DivisionTable(division_release().divisions)
    ningxiang = table.get("430124")
    assert ningxiang is not None and not ningxiang.is_current and ningxiang.retired_in == 2017
    current = table.current("430124")
    assert current is not None and current.name == "宁乡市"
    assert table.current("430221").name == "渌口区"  # type: ignore[union-attr]
    assert table.get("431181").established_in == 2021  # type: ignore[union-attr]
    assert [c.code for c in table.children("430100")].count("430124") == 0
    assert "430124" in [c.code for c in table.children("430100", include_retired=True)]


def test_tree_lookups() -> None:
    table = DivisionTable(division_release().divisions)
    assert [a.code for a in table.ancestors("430102")] == ["430100", "430000"]
    assert table.contains("430000", "430102")
    assert table.contains("430102", "430102")
    assert not table.contains("430200", "430102")
    assert table.get("999999") is None and table.current("999999") is None
    assert level_of_code("430000") is DivisionLevel.PROVINCE
    assert level_of_code("433100") is DivisionLevel.PREFECTURE
    assert level_of_code("433101") is DivisionLevel.COUNTY


def test_province_codes_and_unit_seeds_are_consistent() -> None:
    provinces = province_codes()
    assert len(provinces) == 34 and provinces["430000"] == "湖南省"
    seeds = unit_seeds()
    table = DivisionTable(division_release().divisions)
    assert all(table.get(s.division_code) for s in seeds)
    short_names = {s.short_name for s in seeds}
    assert all(s.parent in short_names for s in seeds if s.parent)
