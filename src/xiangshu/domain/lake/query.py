"""What a reader asks of a resource's records, checked against what they may see.

A :class:`QuerySpec` holds the request as given (text from query parameters or
a JSON body). :func:`plan_query` checks every part of it against the
resource's data items and the reader's :class:`ReadScope` fields and turns it
into a :class:`QueryPlan` with typed values — or lists every problem at once.
Storage builds SQL from a plan only, over permitted columns, with bound values.

Masked readers may look a personal value up (``eq``/``in``: "is this ID number
registered?"), but may not sort, range-filter or search by it, which would let
them enumerate values they are not allowed to see.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import orjson

from xiangshu.domain.data_items import DataItem, key_fields
from xiangshu.domain.lake.values import ValueError_, never_null, parse_value
from xiangshu.errors import Problem, invalid

ROW_COLUMN = "_row"  # position of a record in its version (1…n, ordered by key)
MAX_IN_VALUES = 1000
MAX_TEXT_TERMS = 5


class FilterOp(StrEnum):
    EQ = "eq"
    IN = "in"
    GT = "gt"
    GTE = "gte"
    LT = "lt"
    LTE = "lte"

    @property
    def is_range(self) -> bool:
        return self in (FilterOp.GT, FilterOp.GTE, FilterOp.LT, FilterOp.LTE)


@dataclass(frozen=True, slots=True)
class FilterSpec:
    field: str
    op: FilterOp
    value: str | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SortSpec:
    field: str
    descending: bool = False


@dataclass(frozen=True, slots=True)
class QuerySpec:
    fields: tuple[str, ...] = ()
    filters: tuple[FilterSpec, ...] = ()
    text: str | None = None
    sort: tuple[SortSpec, ...] = ()
    limit: int = 50
    offset: int = 0
    after: str | None = None  # keyset cursor from the previous page
    count: bool = False  # count the matching records (unfiltered counts are stored)


@dataclass(frozen=True, slots=True)
class TypedFilter:
    field: str
    op: FilterOp
    value: Any  # one typed value, or a tuple of them for IN


@dataclass(frozen=True, slots=True)
class QueryPlan:
    fields: tuple[str, ...]
    filters: tuple[TypedFilter, ...]
    text_terms: tuple[str, ...]
    text_fields: tuple[str, ...]
    sort: tuple[SortSpec, ...]  # always ends with the row position, for stable pages
    limit: int
    offset: int
    after: tuple[Any, ...] | None
    count: bool
    masked: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_filtered(self) -> bool:
        return bool(self.filters or self.text_terms)


def parse_filter(text: str) -> FilterSpec:
    """``field:op:value`` (``in`` takes comma-separated values), or ``field=value``."""
    if ":" not in text and "=" in text:
        name, _, value = text.partition("=")
        return FilterSpec(name.strip(), FilterOp.EQ, value)
    parts = text.split(":", 2)
    if len(parts) != 3:
        raise invalid([Problem("a filter is field:op:value", field="filter", value=text)])
    name, op, value = parts
    try:
        operator = FilterOp(op.strip().lower())
    except ValueError:
        ops = ", ".join(o.value for o in FilterOp)
        raise invalid(
            [Problem(f"unknown filter operator {op}; use {ops}", field="filter", value=text)]
        ) from None
    if operator is FilterOp.IN:
        return FilterSpec(name.strip(), operator, tuple(v for v in value.split(",")))
    return FilterSpec(name.strip(), operator, value)


def parse_sort(text: str) -> tuple[SortSpec, ...]:
    """``-age,name``: a minus sorts descending."""
    out = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            out.append(SortSpec(part.lstrip("-+"), descending=part.startswith("-")))
    return tuple(out)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode_cursor(values: Sequence[Any]) -> str:
    data = orjson.dumps([_jsonable(v) for v in values])
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _decode_cursor(
    cursor: str, sort: Sequence[SortSpec], items: Mapping[str, DataItem]
) -> tuple[Any, ...]:
    padded = cursor + "=" * (-len(cursor) % 4)
    try:
        values = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, orjson.JSONDecodeError):
        raise ValueError_("is not a cursor this service gave out") from None
    if not isinstance(values, list) or len(values) != len(sort):
        raise ValueError_("does not fit this sort order")
    typed: list[Any] = []
    for spec, value in zip(sort, values, strict=True):
        item = items.get(spec.field)
        if item is None:  # the row position
            if not isinstance(value, int):
                raise ValueError_("is not a cursor this service gave out")
            typed.append(value)
        else:
            typed.append(parse_value(item, str(value)))
    return tuple(typed)


class _Planner:
    def __init__(
        self, items: Sequence[DataItem], permitted: frozenset[str], *, unmasked: bool
    ) -> None:
        self.items = {i.field: i for i in items if i.field in permitted}
        self.order = [i.field for i in items if i.field in permitted]
        self.masked = (
            frozenset()
            if unmasked
            else frozenset(f for f, i in self.items.items() if i.sensitivity.is_personal)
        )
        self.key = [f for f in key_fields(items) if f in self.items]
        self.problems: list[Problem] = []

    def problem(self, message: str, where: str, value: str | None = None) -> None:
        self.problems.append(Problem(message, field=where, value=value))

    def known(self, name: str, where: str) -> DataItem | None:
        item = self.items.get(name)
        if item is None:
            self.problem(f"no field {name} you may read", where, name)
        return item

    def fields(self, wanted: Sequence[str]) -> tuple[str, ...]:
        for name in wanted:
            self.known(name, "fields")
        chosen = [f for f in wanted if f in self.items]
        return tuple(dict.fromkeys(chosen)) if chosen else tuple(self.order)

    def typed(self, item: DataItem, raw: str, where: str) -> Any:
        try:
            return parse_value(item, raw)
        except ValueError_ as error:
            self.problem(f"{raw!r} {error}", where, raw)
            return None

    def filter(self, spec: FilterSpec, index: int) -> TypedFilter | None:
        where = f"filter[{index}]"
        item = self.known(spec.field, where)
        if item is None:
            return None
        if spec.op.is_range and spec.field in self.masked:
            self.problem(f"{item.name} is masked for you: only eq and in apply", where)
            return None
        if spec.op is FilterOp.IN:
            raw_values = spec.value if isinstance(spec.value, tuple) else (spec.value,)
            if not raw_values or len(raw_values) > MAX_IN_VALUES:
                self.problem(f"in takes 1 to {MAX_IN_VALUES} values", where)
                return None
            return TypedFilter(
                spec.field, spec.op, tuple(self.typed(item, v, where) for v in raw_values)
            )
        raw = spec.value if isinstance(spec.value, str) else ",".join(spec.value)
        return TypedFilter(spec.field, spec.op, self.typed(item, raw, where))

    def sort(self, wanted: Sequence[SortSpec]) -> tuple[SortSpec, ...]:
        for spec in wanted:
            item = self.known(spec.field, "sort")
            if item is not None and spec.field in self.masked:
                self.problem(f"{item.name} is masked for you and cannot be sorted on", "sort")
        # Without a sort, records come by row position, which is the key order of the
        # version; the cursor then carries the position only, never a (masked) key value.
        chosen = [s for s in wanted if s.field in self.items and s.field not in self.masked]
        descending = chosen[-1].descending if chosen else False
        return (*chosen, SortSpec(ROW_COLUMN, descending))

    def text(self, text: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
        terms = tuple(t for t in (text or "").split() if t)
        if len(terms) > MAX_TEXT_TERMS:
            self.problem(f"search with at most {MAX_TEXT_TERMS} words", "q", text)
        searchable = tuple(
            f for f in self.order if self.items[f].type.is_text and f not in self.masked
        )
        if terms and not searchable:
            self.problem("this resource has no text fields you may search", "q", text)
        return terms[:MAX_TEXT_TERMS], searchable


def plan_query(
    spec: QuerySpec,
    items: Sequence[DataItem],
    permitted: frozenset[str],
    *,
    unmasked: bool,
    page_max: int,
) -> QueryPlan:
    """Check a query against the data items and the reader's fields; type its values."""
    planner = _Planner(items, permitted, unmasked=unmasked)
    fields = planner.fields(spec.fields)
    filters = [planner.filter(f, i) for i, f in enumerate(spec.filters, start=1)]
    terms, text_fields = planner.text(spec.text)
    sort = planner.sort(spec.sort)
    if not 1 <= spec.limit <= page_max:
        planner.problem(f"limit is 1 to {page_max}", "limit", str(spec.limit))
    if spec.offset < 0:
        planner.problem("offset is 0 or more", "offset", str(spec.offset))
    after = None
    if spec.after is not None:
        if spec.offset:
            planner.problem("use either offset or after, not both", "after")
        directions = {s.descending for s in sort}
        nullable = [s.field for s in sort[:-1] if not never_null(planner.items[s.field])]
        if len(directions) > 1 or nullable:
            planner.problem(
                "keyset paging (after) needs one sort direction over required fields"
                + (f"; {', '.join(nullable)} may be empty" if nullable else ""),
                "after",
            )
        else:
            try:
                after = _decode_cursor(spec.after, sort, planner.items)
            except ValueError_ as error:
                planner.problem(f"the cursor {error}", "after", spec.after)
    if planner.problems:
        raise invalid(planner.problems, "the query cannot run")
    return QueryPlan(
        fields=fields,
        filters=tuple(f for f in filters if f is not None),
        text_terms=terms,
        text_fields=text_fields,
        sort=sort,
        limit=spec.limit,
        offset=spec.offset,
        after=after,
        count=spec.count,
        masked=planner.masked & frozenset(fields),
    )


def plan_lookup(
    items: Sequence[DataItem], permitted: frozenset[str], key: Mapping[str, str]
) -> tuple[TypedFilter, ...]:
    """Typed equality filters on every key field, for an exact lookup."""
    full_key = key_fields(items)
    if not full_key:
        raise invalid([Problem("this resource has no key to look records up by", field="key")])
    hidden = [f for f in full_key if f not in permitted]
    if hidden:
        raise invalid(
            [Problem(f"you may not look records up by {f}", field=f) for f in hidden],
            "the key is not available to you",
        )
    planner = _Planner(items, permitted, unmasked=True)
    problems = [Problem(f"the key needs {f}", field=f) for f in full_key if f not in key]
    problems += [Problem(f"{f} is not part of the key", field=f) for f in key if f not in full_key]
    if problems:
        raise invalid(problems, "the key is not complete")
    filters = [
        TypedFilter(f, FilterOp.EQ, planner.typed(planner.items[f], key[f], f)) for f in full_key
    ]
    if planner.problems:
        raise invalid(planner.problems, "the key is not valid")
    return tuple(filters)
