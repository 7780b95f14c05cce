"""Query specs checked against data items and the reader's scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xiangshu.domain.data_items import DataItem, DataItemType, Sensitivity
from xiangshu.domain.lake.query import (
    ROW_COLUMN,
    FilterOp,
    QuerySpec,
    SortSpec,
    encode_cursor,
    parse_filter,
    parse_sort,
    plan_lookup,
    plan_query,
)
from xiangshu.errors import InvalidInput

ITEMS = (
    DataItem(
        "身份证",
        "id_number",
        DataItemType.CHAR,
        18,
        required=True,
        is_key=True,
        sensitivity=Sensitivity.ID_NUMBER,
    ),
    DataItem("出生日期", "born", DataItemType.DATE, required=True),
    DataItem("收入", "income", DataItemType.NUMERIC, 10, scale=2),
    DataItem("备注", "note", DataItemType.MEMO),
)
ALL = frozenset(i.field for i in ITEMS)


def plan(spec: QuerySpec, *, unmasked: bool = False, permitted: frozenset[str] = ALL):
    return plan_query(spec, ITEMS, permitted, unmasked=unmasked, page_max=100)


def test_filters_are_typed_and_the_default_order_is_the_row_position() -> None:
    found = plan(
        QuerySpec(
            filters=(
                parse_filter("born:gte:1990-01-01"),
                parse_filter("income:in:1.5,2"),
                parse_filter("note=x"),
            )
        )
    )
    assert [(f.field, f.op, f.value) for f in found.filters] == [
        ("born", FilterOp.GTE, date(1990, 1, 1)),
        ("income", FilterOp.IN, (Decimal("1.5"), Decimal(2))),
        ("note", FilterOp.EQ, "x"),
    ]
    # the version is sorted by key, so position order is key order without exposing the key
    assert found.sort == (SortSpec(ROW_COLUMN),)
    assert found.masked == {"id_number"} and found.text_fields == ("note",)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InvalidInput) as caught:
        plan(
            QuerySpec(
                fields=("secret",),
                filters=(parse_filter("born:gt:yesterday"), parse_filter("id_number:gte:43")),
                sort=parse_sort("-id_number"),
                limit=1000,
            )
        )
    fields = sorted(p.field or "" for p in caught.value.problems)
    assert fields == ["fields", "filter[1]", "filter[2]", "limit", "sort"]


def test_fields_outside_the_scope_do_not_exist_for_the_reader() -> None:
    with pytest.raises(InvalidInput, match="no field income"):
        plan(QuerySpec(filters=(parse_filter("income:gt:1"),)), permitted=ALL - {"income"})
    with pytest.raises(InvalidInput, match="may not look records up by id_number"):
        plan_lookup(ITEMS, ALL - {"id_number"}, {"id_number": "x"})


def test_keyset_cursors_round_trip_and_need_required_sort_fields() -> None:
    cursor = encode_cursor([date(1990, 5, 1), 17])
    found = plan(QuerySpec(sort=parse_sort("born"), after=cursor))
    assert found.after == (date(1990, 5, 1), 17)
    with pytest.raises(InvalidInput, match="income may be empty"):
        plan(QuerySpec(sort=parse_sort("income"), after=encode_cursor([1, 2])))
    with pytest.raises(InvalidInput, match="cursor"):
        plan(QuerySpec(sort=parse_sort("born"), after="garbage"))
