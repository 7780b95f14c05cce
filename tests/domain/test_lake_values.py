"""Typed values of data items read from text (filters, keys, cursors)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from xiangshu.domain.data_items import DataItem, DataItemType
from xiangshu.domain.lake.values import ValueError_, parse_value


def item(kind: DataItemType) -> DataItem:
    return DataItem("x", "x", kind, 10 if kind.needs_length else None)


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        (DataItemType.DATE, "2024-02-29", date(2024, 2, 29)),
        (DataItemType.DATE, "20240229", date(2024, 2, 29)),
        (DataItemType.DATE, "2024/02/29", date(2024, 2, 29)),
        (DataItemType.DATETIME, "2024-02-29T08:30:00", datetime(2024, 2, 29, 8, 30)),
        (DataItemType.DATETIME, "2024/02/29 08:30:00", datetime(2024, 2, 29, 8, 30)),
        (DataItemType.LOGICAL, "是", True),
        (DataItemType.LOGICAL, " False ", False),
        (DataItemType.NUMERIC, "12.50", Decimal("12.50")),
        (DataItemType.INTEGER, "-7", -7),
        (DataItemType.DOUBLE, "1e3", 1000.0),
        (DataItemType.CHAR, " 长沙 ", "长沙"),
    ],
)
def test_text_becomes_the_items_type(kind: DataItemType, raw: str, value: object) -> None:
    assert parse_value(item(kind), raw) == value


@pytest.mark.parametrize(
    ("kind", "raw", "reason"),
    [
        (DataItemType.DATE, "2023-02-29", "not a date"),
        (DataItemType.DATETIME, "yesterday", "not a date and time"),
        (DataItemType.LOGICAL, "maybe", "not a logical value"),
        (DataItemType.NUMERIC, "1,5", "not a number"),
        (DataItemType.NUMERIC, "NaN", "not a finite number"),
        (DataItemType.INTEGER, "1.5", "not a whole number"),
        (DataItemType.FLOAT, "inf", "not a finite number"),
        (DataItemType.FLOAT, "abc", "not a number"),
    ],
)
def test_text_that_is_not_of_the_type_says_why(kind: DataItemType, raw: str, reason: str) -> None:
    with pytest.raises(ValueError_, match=reason):
        parse_value(item(kind), raw)
