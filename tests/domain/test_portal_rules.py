"""The portal's pure rules: CKAN parameters, SQL checks, freshness, quality, marks, the
map, charts and the self-score."""

from __future__ import annotations

from datetime import date

import pytest

from xiangshu.domain.catalog.values import UpdateCycle
from xiangshu.domain.data_items import DataItem, DataItemType
from xiangshu.domain.lake.query import FilterOp
from xiangshu.domain.portal.charts import bars, chart_plan, chart_sql
from xiangshu.domain.portal.ckan_params import (
    SearchSyntaxError,
    parse_datastore_search,
    parse_id,
    parse_package_search,
)
from xiangshu.domain.portal.freshness import FreshnessState, freshness
from xiangshu.domain.portal.fudan import PlatformFacts, score_portal
from xiangshu.domain.portal.highlight import excerpt, highlight
from xiangshu.domain.portal.hunan_map import HEX_CELLS, canvas_size, hex_cells, shade
from xiangshu.domain.portal.quality import QualityFacts, quality
from xiangshu.domain.portal.sql_check import (
    TableAccess,
    parse_statement,
    rewrite,
    table_references,
)
from xiangshu.errors import InvalidInput


def test_package_search_parameters_from_get_and_post() -> None:
    query = parse_package_search(
        {
            "q": "宽带 organization:430000007",
            "fq": '+groups:217 tags:"通信 行业"',
            "rows": "5",
            "start": 10,
            "sort": "metadata_modified desc",
            "facet.field": '["organization","groups"]',
        }
    )
    assert query.words == "宽带"
    assert query.filters == (("organization", "430000007"), ("group", "217"), ("tag", "通信 行业"))
    assert (query.rows, query.start, query.sort, query.descending) == (5, 10, "modified", True)
    assert query.facet_fields == ("organization", "groups")
    assert parse_package_search({"q": "*:*"}).words == ""


def test_package_search_refuses_what_it_cannot_do_all_at_once() -> None:
    with pytest.raises(SearchSyntaxError) as raised:
        parse_package_search(
            {"fq": "secret:1 -x", "sort": "price up", "rows": "lots", "q": "a OR b"}
        )
    fields = sorted(p.field or "" for p in raised.value.problems)
    assert fields == ["fq", "fq", "q", "rows", "sort"]
    with pytest.raises(InvalidInput, match="not valid"):
        parse_package_search({"facet.field": '["nope"]', "rows": 5000})


def test_datastore_search_parameters() -> None:
    query = parse_datastore_search(
        {
            "id": "abc",
            "filters": '{"city": ["长沙市", "株洲市"], "year": 2024}',
            "fields": "city,_id,value",
            "sort": "value desc, _id",
            "limit": "20",
            "include_total": "false",
            "records_format": "lists",
        },
        page_max=1000,
    )
    assert query.resource_id == "abc"
    assert [(f.field, f.op) for f in query.filters] == [
        ("city", FilterOp.IN),
        ("year", FilterOp.EQ),
    ]
    assert query.fields == ("city", "value") and query.with_id
    assert [(s.field, s.descending) for s in query.sort] == [("value", True)]
    assert (query.limit, query.include_total, query.records_format) == (20, False, "lists")
    only_desc_id = parse_datastore_search({"resource_id": "x", "sort": "_id desc"}, page_max=10)
    assert only_desc_id.descending_id and only_desc_id.sort == ()
    assert parse_id({"id": " x "}) == "x"


def test_datastore_search_lists_every_problem() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_datastore_search(
            {
                "filters": "{bad json",
                "limit": 5000,
                "offset": -1,
                "records_format": "xml",
                "q": {"city": "x"},
                "distinct": True,
                "include_total": "maybe",
            },
            page_max=1000,
        )
    fields = sorted(p.field or "" for p in raised.value.problems)
    assert fields == [
        "distinct",
        "filters",
        "include_total",
        "limit",
        "offset",
        "q",
        "records_format",
        "resource_id",
    ]


ACCESS = {
    "t1": TableAccess((None, "v_1"), frozenset({"a", "b", "secret"}), frozenset({"a", "b"})),
    "t2": TableAccess(("s", "v_2"), frozenset({"a", "c"}), frozenset({"a", "c"})),
}


def _sql(text: str, dialect: str = "postgres") -> str:
    tree = parse_statement(text, dialect=dialect, max_length=4000)
    references = table_references(tree)
    return rewrite(tree, {r: ACCESS[r] for r in references}, dialect=dialect, limit=11)


def test_sql_is_rewritten_onto_serving_tables() -> None:
    out = _sql("SELECT x.a, COUNT(*) AS n FROM t1 x JOIN t2 ON x.a = t2.a GROUP BY x.a ORDER BY n")
    assert '"v_1" AS "x"' in out and '"s"."v_2" AS "t2"' in out
    assert out.endswith("LIMIT 11")
    assert "_row AS _id" in _sql("SELECT _id, a FROM t2")
    assert "LIMIT 11" in _sql("SELECT a FROM t1 UNION SELECT a FROM t2", "sqlite")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("SELECT secret FROM t1", "no column secret"),
        ("SELECT t1.secret FROM t1", "no column secret"),
        ("SELECT * FROM t1", "name the columns"),
        ("SELECT a FROM t1; SELECT 1", "single statement"),
        ("DELETE FROM t1", "only SELECT"),
        ("UPDATE t1 SET a = 1", "only SELECT"),
        ("DROP TABLE t1", "only SELECT"),
        ("SELECT a INTO t9 FROM t1", "INTO"),
        ("SELECT a FROM t1 FOR UPDATE", "LOCK"),
        ("WITH w AS (SELECT a FROM t1) SELECT a FROM w", "WITH"),
        ("SELECT pg_sleep(10)", "PG_SLEEP"),
        ("SELECT pg_read_file('/etc/passwd')", "PG_READ_FILE"),
        ("SELECT load_extension('evil')", "LOAD_EXTENSION"),
        ("SELECT a FROM public.t1", "without a schema"),
        ("SELECT a FROM generate_series(1, 10)", "not allowed"),
        ("SELECT zz.a FROM t1", "unknown table"),
        ("SELEC a FROM", "cannot be read"),
        ("", "Missing value"),
    ],
)
def test_sql_refusals_name_the_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        _sql(text)
    assert reason in str(raised.value)


def test_sql_length_limit() -> None:
    with pytest.raises(InvalidInput, match="longer than"):
        parse_statement("SELECT " + "1+" * 100 + "1", dialect="postgres", max_length=50)


def test_freshness_against_the_update_cycle() -> None:
    loaded = date(2026, 10, 1)
    assert freshness(UpdateCycle.MONTHLY, loaded, date(2026, 11, 15)).state is FreshnessState.FRESH
    late = freshness(UpdateCycle.MONTHLY, loaded, date(2026, 11, 20))
    assert late.state is FreshnessState.LATE and late.days_late == 4
    assert freshness(UpdateCycle.DAILY, None, loaded).state is FreshnessState.NO_DATA
    assert freshness(UpdateCycle.OTHER, loaded, loaded).state is FreshnessState.UNCHECKED
    assert FreshnessState.LATE.label_zh == "逾期未更新"


def test_quality_is_a_checklist() -> None:
    facts = QualityFacts(
        abstract_length=40,
        item_count=3,
        items_described=2,
        has_key=True,
        has_records=True,
        record_count=10,
        freshness=freshness(UpdateCycle.YEARLY, date(2026, 1, 1), date(2026, 6, 1)),
        keyword_count=0,
        has_contact=True,
        has_temporal_field=False,
        has_spatial_field=True,
        open_error_reports=1,
    )
    checked = quality(facts)
    failed = [c.key for c in checked.checks if not c.passed]
    assert failed == ["items_documented", "keywords", "no_open_reports"]
    assert checked.percent == round(6 / 9 * 100)


def test_highlight_marks_every_occurrence_case_insensitively() -> None:
    assert highlight("社保卡和社会保障", ["社保", "社会保障"]) == [
        ("社保", True),
        ("卡和", False),
        ("社会保障", True),
    ]
    assert highlight("Open Data", ["data"]) == [("Open ", False), ("Data", True)]
    assert highlight("", ["x"]) == []
    assert excerpt("甲" * 100 + "宽带" + "乙" * 100, ["宽带"], width=40).startswith("…")


def test_the_hex_map_has_the_fourteen_cities_without_overlap() -> None:
    cells = hex_cells()
    assert len(cells) == len(HEX_CELLS) == 14
    centres = {(c.cx, c.cy) for c in cells}
    assert len(centres) == 14
    width, height = canvas_size()
    assert all(0 < c.cx < width and 0 < c.cy < height for c in cells)
    changsha = next(c for c in cells if c.code == "430100")
    chenzhou = next(c for c in cells if c.code == "431000")
    assert chenzhou.cy > changsha.cy  # south is down
    assert [shade(n, 10) for n in (0, 1, 5, 10)] == [0, 1, 2, 4]


def test_chart_plan_and_bars() -> None:
    items = (
        DataItem("统计年度", "year", DataItemType.CHAR, 4, is_key=True),
        DataItem("市州", "city", DataItemType.CHAR, 20, is_key=True),
        DataItem("地区生产总值", "gdp", DataItemType.NUMERIC, 16, scale=2),
    )
    plan = chart_plan(items)
    assert plan is not None and (plan.time_field, plan.value_field) == ("year", "gdp")
    assert 'SUM("gdp")' in chart_sql(plan, "abc") and 'FROM "abc"' in chart_sql(plan, "abc")
    assert chart_plan(items[1:]) is None
    drawn = bars([("2024", 10.0), ("2025", 20.0)], width=200, height=100)
    assert drawn[1].height > drawn[0].height and drawn[1].y < drawn[0].y
    assert bars([]) == []


def test_the_self_score_names_what_it_cannot_measure() -> None:
    scored = score_portal(
        PlatformFacts(
            open_datasets=10,
            published_resources=20,
            with_records=5,
            records=1000,
            keyed=10,
            class_codes=("104001", "214002", "102001"),
            mean_quality=0.5,
            reuses=2,
            requests=2,
            requests_answered=1,
            reports=0,
            reports_answered=0,
            api_calls=3,
            downloads=0,
        )
    )
    assert scored.by_dimension["Readiness"] is None
    scope = next(i for i in scored.items if i.indicator == "Scope")
    assert scope.score == 3 / 8 and "信用" in scope.value
    assert 0 < scored.overall < 1
