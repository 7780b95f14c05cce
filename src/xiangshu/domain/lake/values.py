"""Reading typed values of data items from text (query parameters, cursors, keys)."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from xiangshu.domain.data_items import DataItem, DataItemType

TRUE_WORDS = frozenset({"true", "t", "1", "y", "yes", "是", "真"})
FALSE_WORDS = frozenset({"false", "f", "0", "n", "no", "否", "假"})
DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y%m%d%H%M%S")


class ValueError_(ValueError):
    """A value that cannot be read; the message completes a sentence about it."""


def _date(raw: str) -> date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError_("is not a date (YYYY-MM-DD)")


def _datetime(raw: str) -> datetime:
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        pass
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.strptime(raw, fmt)
        except ValueError:
            continue
    raise ValueError_("is not a date and time (YYYY-MM-DD HH:MM:SS)")


def _logical(raw: str) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError_("is not a logical value (true/false, 是/否)")


def _decimal(raw: str) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError_("is not a number") from None
    if not value.is_finite():
        raise ValueError_("is not a finite number")
    return value


def _integer(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ValueError_("is not a whole number") from None


def _float(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError_("is not a number") from None
    if not math.isfinite(value):
        raise ValueError_("is not a finite number")
    return value


_PARSERS: dict[DataItemType, Any] = {
    DataItemType.DATE: _date,
    DataItemType.DATETIME: _datetime,
    DataItemType.LOGICAL: _logical,
    DataItemType.NUMERIC: _decimal,
    DataItemType.CURRENCY: _decimal,
    DataItemType.INTEGER: _integer,
    DataItemType.DOUBLE: _float,
    DataItemType.FLOAT: _float,
}


def parse_value(item: DataItem, raw: str) -> Any:
    """The typed value of ``raw`` for this item; raises ValueError_ with a reason."""
    parser = _PARSERS.get(item.type)
    text = raw.strip()
    return text if parser is None else parser(text)


def never_null(item: DataItem) -> bool:
    """Values of keys and required items are always present in a published version."""
    return item.required or item.is_key
