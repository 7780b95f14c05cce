"""Parameters of the CKAN Action API, checked and typed (pure; no web).

Values arrive as query-string text (GET) or JSON values (POST); both are accepted,
as CKAN does. Every problem is reported at once with the parameter it concerns.
Search-syntax problems (``fq``, ``q``, ``sort``) are marked so the edge can answer
with CKAN's "Search Query Error"; the rest are "Validation Error".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from xiangshu.domain.lake.query import FilterOp, FilterSpec, SortSpec
from xiangshu.errors import InvalidInput, Problem

ROWS_DEFAULT = 10
ROWS_MAX = 1000
FACET_LIMIT_DEFAULT = 50
# package_search: fq/q field → the portal's filter name
FILTER_FIELDS = {
    "organization": "organization",
    "owner_org": "organization",
    "groups": "group",
    "tags": "tag",
    "open_type": "open_type",
    "update_cycle": "update_cycle",
    "frequency": "update_cycle",
    "region": "region",
    "format_class": "format_class",
    "license_id": "license_id",
    "id": "id",
    "name": "name",
}
FACET_FIELDS = (
    "organization",
    "groups",
    "license_id",
    "open_type",
    "update_cycle",
    "region",
    "format_class",
)
DEFAULT_FACETS = ("organization", "groups", "license_id", "open_type", "update_cycle")
SORTS = {
    "score": "score",
    "rank": "score",
    "metadata_modified": "modified",
    "metadata_created": "created",
    "name": "name",
    "title_string": "title",
    "views_recent": "views",
    "views_total": "views",
}
RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")
ID_FIELD = "_id"  # CKAN's row identifier; the lake's row position
TERM = re.compile(r'(?P<sign>[+]?)(?P<field>[A-Za-z_.]+):(?P<value>"(?:[^"\\]|\\.)*"|[^\s"()]+)')


class SearchSyntaxError(InvalidInput):
    """A malformed search expression (CKAN answers "Search Query Error", 400)."""


@dataclass(frozen=True, slots=True)
class PackageQuery:
    words: str = ""
    filters: tuple[tuple[str, str], ...] = ()  # (portal filter name, value)
    rows: int = ROWS_DEFAULT
    start: int = 0
    sort: str | None = None  # score, modified, created, name, title, views
    descending: bool = True
    facet_fields: tuple[str, ...] = DEFAULT_FACETS
    facet_limit: int = FACET_LIMIT_DEFAULT
    facet_mincount: int = 1


@dataclass(frozen=True, slots=True)
class DatastoreQuery:
    resource_id: str
    filters: tuple[FilterSpec, ...] = ()
    q: str | None = None
    fields: tuple[str, ...] = ()
    with_id: bool = True  # include _id in records
    sort: tuple[SortSpec, ...] = ()
    descending_id: bool = False  # when sorting by _id only
    limit: int = 100
    offset: int = 0
    cursor: str | None = None
    include_total: bool = True
    records_format: str = "objects"
    raw: dict[str, Any] = field(default_factory=dict)  # the parameters as given (for _links)


# ---------------------------------------------------------------- value helpers


class _Reader:
    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.problems: list[Problem] = []
        self.syntax: list[Problem] = []

    def fail(self, name: str, message: str, value: Any = None, *, syntax: bool = False) -> None:
        problem = Problem(message, field=name, value=None if value is None else str(value)[:200])
        (self.syntax if syntax else self.problems).append(problem)

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        raw = self.data.get(name)
        if raw is None or raw == "":
            return default
        if isinstance(raw, bool):
            self.fail(name, "must be a whole number", raw)
            return default
        try:
            value = int(raw) if isinstance(raw, (int, str)) else int(str(raw))
        except ValueError:
            self.fail(name, "must be a whole number", raw)
            return default
        if not low <= value <= high:
            self.fail(name, f"must be between {low} and {high}", raw)
            return default
        return value

    def boolean(self, name: str, default: bool) -> bool:
        raw = self.data.get(name)
        if raw is None or raw == "":
            return default
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("true", "1", "yes", "on"):
            return True
        if text in ("false", "0", "no", "off"):
            return False
        self.fail(name, "must be true or false", raw)
        return default

    def text(self, name: str, default: str = "", *, max_length: int = 1000) -> str:
        raw = self.data.get(name)
        if raw is None:
            return default
        if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
            self.fail(name, "must be text", raw)
            return default
        value = str(raw)
        if len(value) > max_length:
            self.fail(name, f"must be at most {max_length} characters", value)
            return default
        return value

    def json_value(self, name: str) -> Any:
        """A value given as JSON (POST) or as JSON text in the query string (GET)."""
        raw = self.data.get(name)
        if isinstance(raw, str):
            text = raw.strip()
            if text[:1] in ("{", "["):
                try:
                    return orjson.loads(text)
                except orjson.JSONDecodeError:
                    self.fail(name, "is not valid JSON", raw)
                    return None
        return raw

    def string_list(self, name: str) -> tuple[str, ...]:
        value = self.json_value(name)
        if value is None or value == "":
            return ()
        if isinstance(value, str):
            return tuple(v.strip() for v in value.split(",") if v.strip())
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(v.strip() for v in value if v.strip())
        self.fail(name, "must be a list of names or a comma-separated text", value)
        return ()

    def raise_if_any(self) -> None:
        if self.syntax:
            raise SearchSyntaxError(
                f"Search Query is invalid ({len(self.syntax)} problem(s))",
                problems=self.syntax + self.problems,
            )
        if self.problems:
            raise InvalidInput(
                f"the parameters are not valid ({len(self.problems)} problem(s))",
                problems=self.problems,
            )


# ---------------------------------------------------------------- package_search


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _terms(reader: _Reader, name: str, text: str) -> tuple[list[tuple[str, str]], str]:
    """``field:value`` terms of a Solr-like expression, and the words left over."""
    found: list[tuple[str, str]] = []
    for match in TERM.finditer(text):
        key = match.group("field")
        if key not in FILTER_FIELDS:
            known = ", ".join(sorted(FILTER_FIELDS))
            reader.fail(name, f"cannot filter on {key}; use one of {known}", key, syntax=True)
            continue
        found.append((FILTER_FIELDS[key], _unquote(match.group("value"))))
    rest = TERM.sub(" ", text)
    return found, rest


def parse_package_search(data: Mapping[str, Any]) -> PackageQuery:
    reader = _Reader(data)
    q = reader.text("q", max_length=500).strip()
    fq = reader.text("fq", max_length=2000).strip()
    filters: list[tuple[str, str]] = []
    words = ""
    if q and q != "*:*":
        from_q, words = _terms(reader, "q", q)
        filters += from_q
    if fq:
        from_fq, leftover = _terms(reader, "fq", fq)
        filters += from_fq
        if leftover.strip():
            reader.fail(
                "fq",
                "fq holds field:value terms only (e.g. organization:430000019 groups:201)",
                leftover.strip(),
                syntax=True,
            )
    if any(c in words for c in '(){}[]^~"\\') or " OR " in f" {words} " or words[:1] == "-":
        reader.fail("q", "use plain words; Solr operators are not supported", words, syntax=True)
    sort_name, descending = None, True
    sort_text = reader.text("sort", max_length=200).strip()
    if sort_text:
        first = sort_text.split(",")[0].split()
        key = first[0] if first else ""
        direction = first[1].lower() if len(first) > 1 else "asc"
        if key not in SORTS or direction not in ("asc", "desc") or len(first) > 2:
            reader.fail(
                "sort",
                f"sort is one of {', '.join(SORTS)} followed by asc or desc",
                sort_text,
                syntax=True,
            )
        else:
            sort_name, descending = SORTS[key], direction == "desc"
    facets = reader.string_list("facet.field")
    unknown = [f for f in facets if f not in FACET_FIELDS]
    if unknown:
        reader.fail(
            "facet.field",
            f"facets are available for {', '.join(FACET_FIELDS)}",
            ",".join(unknown),
        )
    query = PackageQuery(
        words=" ".join(words.split()),
        filters=tuple(filters),
        rows=reader.integer("rows", ROWS_DEFAULT, 0, ROWS_MAX),
        start=reader.integer("start", 0, 0, 10_000_000),
        sort=sort_name,
        descending=descending,
        facet_fields=tuple(f for f in facets if f in FACET_FIELDS)
        if "facet.field" in data
        else DEFAULT_FACETS,
        facet_limit=reader.integer("facet.limit", FACET_LIMIT_DEFAULT, -1, 1000),
        facet_mincount=reader.integer("facet.mincount", 1, 0, 1_000_000),
    )
    reader.raise_if_any()
    return query


# ---------------------------------------------------------------- datastore_search


def _filters(reader: _Reader) -> tuple[FilterSpec, ...]:
    value = reader.json_value("filters")
    if value is None or value == "":
        return ()
    if not isinstance(value, dict):
        reader.fail("filters", 'filters is a JSON object: {"field": value or [values]}', value)
        return ()
    specs = []
    for name, wanted in value.items():
        if name == ID_FIELD:
            reader.fail(f"filters.{name}", "filter on data fields; _id is a row position")
        elif isinstance(wanted, list):
            if not wanted or not all(_scalar(v) for v in wanted):
                reader.fail(f"filters.{name}", "a list of filter values holds text or numbers")
            else:
                specs.append(FilterSpec(name, FilterOp.IN, tuple(_text(v) for v in wanted)))
        elif _scalar(wanted):
            specs.append(FilterSpec(name, FilterOp.EQ, _text(wanted)))
        else:
            reader.fail(f"filters.{name}", "a filter value is text, a number or a list", wanted)
    return tuple(specs)


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) and value is not None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _sort(reader: _Reader) -> tuple[tuple[SortSpec, ...], bool]:
    value = reader.json_value("sort")
    if value is None or value == "":
        return (), False
    parts = value if isinstance(value, list) else str(value).split(",")
    specs: list[SortSpec] = []
    id_descending = False
    for part in parts:
        words = str(part).split()
        if not words:
            continue
        direction = words[1].lower() if len(words) > 1 else "asc"
        if len(words) > 2 or direction not in ("asc", "desc"):
            reader.fail("sort", 'sort is "field [asc|desc], …"', part, syntax=True)
            continue
        name = words[0].strip('"')
        if name == ID_FIELD:
            id_descending = direction == "desc"
            continue
        specs.append(SortSpec(name, descending=direction == "desc"))
    return tuple(specs), id_descending


def parse_datastore_search(data: Mapping[str, Any], *, page_max: int) -> DatastoreQuery:
    reader = _Reader(data)
    resource_id = reader.text("resource_id", max_length=200) or reader.text("id", max_length=200)
    if not resource_id:
        reader.fail("resource_id", "Missing value")
    q_value = reader.json_value("q")
    q: str | None = None
    if isinstance(q_value, dict):
        reader.fail("q", "q by field is not supported here; use filters, or q as plain words")
    elif q_value not in (None, ""):
        q = reader.text("q", max_length=500) or None
    fields = reader.string_list("fields")
    sort, id_descending = _sort(reader)
    records_format = reader.text("records_format", "objects")
    if records_format not in RECORDS_FORMATS:
        reader.fail("records_format", f"one of {', '.join(RECORDS_FORMATS)}", records_format)
    if reader.boolean("distinct", False):
        reader.fail("distinct", "distinct is not supported; use datastore_search_sql")
    if reader.boolean("plain", True) is False:
        reader.fail("plain", "only plain word search is supported")
    query = DatastoreQuery(
        resource_id=resource_id.strip(),
        filters=_filters(reader),
        q=q,
        fields=tuple(f for f in fields if f != ID_FIELD),
        with_id=not fields or ID_FIELD in fields,
        sort=sort,
        descending_id=id_descending,
        limit=reader.integer("limit", 100, 0, page_max),
        offset=reader.integer("offset", 0, 0, 100_000_000),
        cursor=reader.text("cursor", max_length=500) or None,
        include_total=reader.boolean("include_total", True),
        records_format=records_format,
        raw={k: v for k, v in data.items() if isinstance(k, str)},
    )
    reader.raise_if_any()
    return query


def parse_id(data: Mapping[str, Any], name: str = "id") -> str:
    reader = _Reader(data)
    value = reader.text(name, max_length=200).strip()
    if not value:
        reader.fail(name, "Missing value")
    reader.raise_if_any()
    return value
