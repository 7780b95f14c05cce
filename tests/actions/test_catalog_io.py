"""The national catalog spreadsheet: round trip without loss, per-row errors, on both backends."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from tests.catalog_fixtures import card_resource, open_statistics, unit_id
from tests.conftest import make_settings
from tests.helpers import actor_of, count, make_user

from xiangshu.actions.catalog import resource_create, resource_show
from xiangshu.actions.catalog_io import catalog_export, catalog_import
from xiangshu.actions.catalog_review import resource_publish, resource_submit
from xiangshu.bootstrap import Node, build_node
from xiangshu.domain.access import ResourceStatus
from xiangshu.domain.catalog.metadata import Extension
from xiangshu.domain.catalog.template import ITEM_SHEET, RESOURCE_COLUMNS, RESOURCE_SHEET
from xiangshu.domain.roles import PUBLIC, SYSTEM, Role
from xiangshu.errors import InvalidInput, PermissionDenied
from xiangshu.provisioning import initialise
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.spreadsheets import read_sheets, write_workbook


def _published(node: Node) -> list[str]:
    run = node.dispatcher.run
    stats = run(resource_create, SYSTEM, open_statistics(node)).code
    card = card_resource(
        node,
        related_codes=(stats,),
        extension=Extension(
            keywords=("社保卡", "持卡人"),
            online_link="https://data.hunan.gov.cn/catalog/1",
            metadata_maintainer="省人力资源社会保障厅信息中心",
        ),
    )
    codes = [stats, run(resource_create, SYSTEM, card).code]
    for code in codes:
        run(resource_submit, SYSTEM, code)
        run(resource_publish, SYSTEM, code)
    return codes


def _fresh_node(tmp_path: Path, node: Node) -> Node:
    folder = tmp_path / "second"
    folder.mkdir()
    other = build_node(make_settings(folder, None), clock=node.services.clock)
    initialise(other)
    return other


def test_export_then_import_elsewhere_loses_nothing(node: Node, tmp_path: Path) -> None:
    codes = _published(node)
    first = node.dispatcher.run(catalog_export, SYSTEM)
    sheets = read_sheets(first, file="catalog.xlsx")
    assert list(sheets[RESOURCE_SHEET][0][1]) == list(RESOURCE_COLUMNS)
    assert [cells["信息资源代码"] for _, cells in sheets[RESOURCE_SHEET]] == sorted(codes)
    assert len(sheets[ITEM_SHEET]) == 3 + 5
    other = _fresh_node(tmp_path, node)
    try:
        report = other.dispatcher.run(
            catalog_import, SYSTEM, first, source="catalog.xlsx", publish=True
        )
        assert sorted(report.codes) == sorted(codes)
        again = other.dispatcher.run(catalog_export, SYSTEM)
        assert read_sheets(again, file="again.xlsx") == sheets
        moved = other.dispatcher.run(resource_show, SYSTEM, codes[1])
        original = node.dispatcher.run(resource_show, SYSTEM, codes[1])
        assert moved.items == original.items and moved.extension == original.extension
        assert moved.published_on == original.published_on
    finally:
        other.close()


def _rows(node: Node) -> bytes:
    """A template file with one good row and rows that break rules in several cells."""
    sheets = read_sheets(node.dispatcher.run(catalog_export, SYSTEM), file="x.xlsx")
    good = dict(
        sheets[RESOURCE_SHEET][0][1], 信息资源代码="", 信息资源名称="城乡居民养老保险参保信息"
    )
    bad = dict(
        good, 序号="2", 信息资源名称="失业保险金发放信息", 共享类型="有条件共享", 更新周期="每两天"
    )
    worse = dict(
        good, 序号="3", 信息资源分类="999", 信息资源提供方代码="000", 信息资源提供方="无此单位"
    )
    rows = [[r.get(c, "") for c in RESOURCE_COLUMNS] for r in (good, bad, worse)]
    items = [list(cells.values()) for _, cells in sheets[ITEM_SHEET]]
    item_header = list(sheets[ITEM_SHEET][0][1])
    for number in ("2", "3"):
        items += [[number, *i[1:]] for i in items if i[0] == "1"]
    return write_workbook(
        [(RESOURCE_SHEET, RESOURCE_COLUMNS, rows), (ITEM_SHEET, item_header, items)]
    )


def test_bad_rows_are_named_and_nothing_is_imported(node: Node) -> None:
    _published(node)
    content = _rows(node)
    before = count(node, ResourceRow)
    with pytest.raises(InvalidInput, match="nothing was imported") as caught:
        node.dispatcher.run(catalog_import, SYSTEM, content, source="bad.xlsx")
    found = {(p.row, p.field) for p in caught.value.problems}
    assert (3, "更新周期") in found and (3, "共享条件") not in found  # unreadable cell first
    assert (4, "信息资源分类") in found and (4, "信息资源提供方代码") in found
    assert all(p.file and p.file.startswith("bad.xlsx") for p in caught.value.problems)
    assert count(node, ResourceRow) == before


def test_rules_point_at_template_columns(node: Node) -> None:
    _published(node)
    sheets = read_sheets(node.dispatcher.run(catalog_export, SYSTEM), file="x.xlsx")
    row = dict(
        sheets[RESOURCE_SHEET][0][1], 信息资源代码="", 信息资源名称="新资源", 共享类型="不予共享"
    )
    content = write_workbook(
        [(RESOURCE_SHEET, RESOURCE_COLUMNS, [[row.get(c, "") for c in RESOURCE_COLUMNS]])]
    )
    with pytest.raises(InvalidInput) as caught:
        node.dispatcher.run(catalog_import, SYSTEM, content, source="rules.xlsx")
    assert {p.field for p in caught.value.problems} >= {"不予共享依据"}


def test_short_item_form_without_an_item_sheet(node: Node) -> None:
    _published(node)
    sheets = read_sheets(node.dispatcher.run(catalog_export, SYSTEM), file="x.xlsx")
    row = dict(
        sheets[RESOURCE_SHEET][0][1],
        信息资源代码="",
        信息资源名称="电信用户统计",
        信息项信息="统计年月(C,7)；用户数(I)；收入(N,14,2)",
    )
    content = write_workbook(
        [(RESOURCE_SHEET, RESOURCE_COLUMNS, [[row.get(c, "") for c in RESOURCE_COLUMNS]])]
    )
    report = node.dispatcher.run(catalog_import, SYSTEM, content, source="short.xlsx")
    shown = node.dispatcher.run(resource_show, SYSTEM, report.codes[0])
    assert shown.status is ResourceStatus.DRAFT
    assert [(i.name, i.field, i.type.value, i.length, i.scale) for i in shown.items] == [
        ("统计年月", "f01", "C", 7, None),
        ("用户数", "f02", "I", None, None),
        ("收入", "f03", "N", 14, 2),
    ]


def test_stewards_import_their_own_drafts_only(node: Node) -> None:
    _published(node)
    content = node.dispatcher.run(catalog_export, SYSTEM)  # two providers' resources
    steward = actor_of(make_user(node, "txj.steward", "省通信管理局", Role.DATA_STEWARD))
    with pytest.raises(PermissionDenied):
        node.dispatcher.run(catalog_import, steward, content, source="all.xlsx")
    own = node.dispatcher.run(catalog_export, SYSTEM, provider=unit_id(node, "省通信管理局"))
    with pytest.raises(PermissionDenied):
        node.dispatcher.run(catalog_import, steward, own, source="own.xlsx", publish=True)
    with pytest.raises(InvalidInput, match="already in the catalog"):
        node.dispatcher.run(catalog_import, steward, own, source="own.xlsx")


def test_exports_hold_only_what_the_reader_may_see(node: Node) -> None:
    _published(node)
    node.dispatcher.run(
        resource_create, SYSTEM, dataclasses.replace(card_resource(node), name="草稿")
    )
    public = read_sheets(node.dispatcher.run(catalog_export, PUBLIC), file="p.xlsx")
    assert [c["信息资源名称"] for _, c in public[RESOURCE_SHEET]] == ["宽带用户统计"]
    everything = read_sheets(
        node.dispatcher.run(catalog_export, SYSTEM, include_unpublished=True), file="a.xlsx"
    )
    assert len(everything[RESOURCE_SHEET]) == 3


def test_files_that_are_not_the_template(node: Node) -> None:
    with pytest.raises(InvalidInput, match="spreadsheet"):
        node.dispatcher.run(catalog_import, SYSTEM, b"not a workbook", source="x.xlsx")
    other = write_workbook([("Sheet1", ["a"], [["b"]])])
    with pytest.raises(InvalidInput) as caught:
        node.dispatcher.run(catalog_import, SYSTEM, other, source="y.xlsx")
    assert "信息资源" in caught.value.problems[0].message
