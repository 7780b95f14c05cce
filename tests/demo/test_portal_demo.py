"""The portal's demo: open datasets get records (series where the data is by city and
year), a developer, contributions and use — and running it twice adds nothing."""

from __future__ import annotations

from xiangshu.actions.portal_contrib import data_request_list, public_error_report_list, reuse_list
from xiangshu.actions.portal_datasets import open_dataset_search, portal_home
from xiangshu.actions.portal_records import open_records_sql
from xiangshu.actions.portal_stats import usage_stats
from xiangshu.bootstrap import Node
from xiangshu.demo.catalog import create_demo_catalog
from xiangshu.demo.people import create_demo_accounts
from xiangshu.demo.portal import CITIES, YEARS, load_portal_demo, series_rows
from xiangshu.domain.data_items import DataItem, DataItemType
from xiangshu.domain.roles import PUBLIC
from xiangshu.schemas.portal import OpenSearch


def test_series_rows_are_ten_years_of_fourteen_cities() -> None:
    items = (
        DataItem("统计年度", "year", DataItemType.CHAR, 4, is_key=True),
        DataItem("行政区划代码", "division_code", DataItemType.CHAR, 6, is_key=True),
        DataItem("行政区划名称", "division_name", DataItemType.CHAR, 50),
        DataItem("地区生产总值", "gdp", DataItemType.NUMERIC, 16, scale=2),
        DataItem("增速", "growth", DataItemType.NUMERIC, 6, scale=2),
    )
    rows = series_rows(items)
    assert len(rows) == len(YEARS) * len(CITIES)
    changsha = [float(r[3]) for r in rows if r[1] == "430100"]
    assert changsha[-1] > changsha[0]  # it grows
    assert all(0 < float(r[4]) < 10 for r in rows)  # a growth rate, not a quantity


def test_the_demo_fills_the_portal_once(sqlite_node: Node) -> None:
    create_demo_accounts(sqlite_node)
    create_demo_catalog(sqlite_node)
    note = load_portal_demo(sqlite_node)
    assert "developer" in note
    run = sqlite_node.dispatcher.run
    home = run(portal_home, PUBLIC)
    assert home.with_records >= 40 and home.reuses == 3
    assert all(r.title for r in run(reuse_list, PUBLIC))
    assert any(r.status == "planned" for r in run(data_request_list, PUBLIC))
    assert any(r.answer for r in run(public_error_report_list, PUBLIC))
    assert run(usage_stats, PUBLIC).totals.views > 0
    gdp = run(open_dataset_search, PUBLIC, OpenSearch(q="地区生产总值统计")).hits[0].card
    _fields, rows, _ = run(open_records_sql, PUBLIC, f'SELECT COUNT(DISTINCT year) FROM "{gdp.id}"')
    assert rows[0][0] == len(YEARS)
    again = load_portal_demo(sqlite_node)
    assert "records for 0 open datasets" in again
    assert run(portal_home, PUBLIC).reuses == 3
