"""CKAN Action API functions, each a thin translation onto Xiangshu's actions.

Every function runs Xiangshu actions through the dispatcher, so the policies (open
data only, ``open_metadata`` ∧ ``may_read_data``) and the audit apply unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import orjson

from xiangshu import __version__
from xiangshu.actions.catalog import classification_list
from xiangshu.actions.org import node_show
from xiangshu.actions.portal_datasets import (
    open_dataset_search,
    open_dataset_show,
    open_providers,
    open_tags,
)
from xiangshu.actions.portal_records import open_records_search, open_records_sql
from xiangshu.bootstrap import Node
from xiangshu.domain.portal import ckan_params
from xiangshu.domain.roles import Actor
from xiangshu.errors import ConfigurationError, NotFound, Problem, invalid
from xiangshu.schemas.portal import OpenSearch
from xiangshu.web.ckan import shapes
from xiangshu.web.ckan.envelope import delimited


@dataclass
class Call:
    node: Node
    actor: Actor
    data: dict[str, Any]
    base: str  # scheme://host[:port]
    used: list[Any]  # resource IDs to count as API calls

    def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self.node.dispatcher.run(fn, self.actor, *args, **kwargs)


Handler = Callable[[Call], Any]
HANDLERS: dict[str, Handler] = {}


def ckan_action(fn: Handler) -> Handler:
    HANDLERS[fn.__name__] = fn
    return fn


def _class_names(call: Call) -> dict[str, str]:
    return {c.code: c.name for c in call.run(classification_list)}


def _bounded(call: Call, name: str, default: int, high: int) -> int:
    reader = ckan_params._Reader(call.data)
    value = reader.integer(name, default, 0, high)
    reader.raise_if_any()
    return value


@ckan_action
def status_show(call: Call) -> Any:
    """The site's name and the API version it speaks (CKAN 2.10 shapes)."""
    try:
        title = call.run(node_show).name
    except ConfigurationError:
        title = "Xiangshu"
    return {
        "site_title": title,
        "site_url": call.base,
        "site_description": "湘数 open-data portal: CKAN Action API, DCAT-AP 3, Data Package",
        "ckan_version": "2.10.0",
        "x_xiangshu_version": __version__,
        "locale_default": "zh_Hans_CN",
        "extensions": ["datastore", "dcat", "xiangshu"],
        "error_emails_to": None,
    }


@ckan_action
def package_list(call: Call) -> Any:
    """Names of the open datasets (``limit``, ``offset``)."""
    limit = _bounded(call, "limit", 1000, 1000)
    offset = _bounded(call, "offset", 0, 10_000_000)
    found = call.run(
        open_dataset_search,
        OpenSearch(sort="code", page_size=limit, offset=offset, facet_limit=0),
    )
    return [hit.card.slug for hit in found.hits]


def _search_query(query: ckan_params.PackageQuery) -> OpenSearch:
    values: dict[str, Any] = {}
    for name, value in query.filters:
        key = {
            "organization": "provider_slug",
            "group": "class_code",
            "tag": "tag",
            "open_type": "open_type",
            "update_cycle": "update_cycle",
            "region": "region",
            "format_class": "format_class",
            "id": "reference",
            "name": "reference",
            "license_id": "license_id",
        }[name]
        values[key] = value
    sort = {
        None: "relevance",
        "score": "relevance",
        "modified": "newest",
        "created": "newest",
        "name": "code",
        "title": "name",
        "views": "popular",
    }[query.sort]
    return OpenSearch.model_validate(
        {
            "q": query.words,
            "class_code": values.get("class_code"),
            "region": values.get("region"),
            "open_type": _enum_value("open_type", values.get("open_type")),
            "update_cycle": values.get("update_cycle"),
            "format_class": values.get("format_class"),
            "tag": values.get("tag"),
            "reference": values.get("reference"),
            "sort": sort,
            "descending": query.descending if query.sort else True,
            "page_size": query.rows,
            "offset": query.start,
            "facet_limit": query.facet_limit,
        }
    )


def _enum_value(name: str, value: str | None) -> str | None:
    """Open types by their Chinese terms too (无条件开放 → open)."""
    if value is None:
        return None
    labels = {"无条件开放": "open", "有条件开放": "conditional", "不予开放": "not_open"}
    return labels.get(value, value)


@ckan_action
def package_search(call: Call) -> Any:
    """Search with ``q``, ``fq``, ``rows``, ``start``, ``sort``, ``facet.field``."""
    query = ckan_params.parse_package_search(call.data)
    provider_slug = dict(query.filters).get("organization")
    license_id = dict(query.filters).get("license_id")
    search = _search_query(query)
    if provider_slug is not None:
        units = {u.slug: u.unit_id for u in _organizations(call)}
        unit_id = units.get(provider_slug)
        search = search.model_copy(
            update={"provider": unit_id, "reference": None if unit_id else "-"}
        )
    if license_id is not None and license_id != shapes.LICENSE_ID:
        search = search.model_copy(update={"reference": "-"})
    found = call.run(open_dataset_search, search)
    names = _class_names(call)
    results = [shapes.package(h.card, call.base, class_names=names) for h in found.hits]
    facets, search_facets = _facets(call, found.facets, query, found.total)
    return {
        "count": found.total,
        "results": results,
        "sort": f"{query.sort or 'score'} {'desc' if query.descending else 'asc'}",
        "facets": facets,
        "search_facets": search_facets,
    }


def _facets(
    call: Call, facets: dict[str, Any], query: ckan_params.PackageQuery, total: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    units: dict[str, tuple[str, str]] = {}
    if "organization" in query.facet_fields:
        for stats in call.run(open_providers):
            units[str(stats.unit_id)] = (stats.slug, stats.name)
    ours = {
        "organization": "provider",
        "groups": "class_code",
        "open_type": "open_type",
        "update_cycle": "update_cycle",
        "region": "region",
        "format_class": "format_class",
    }
    plain: dict[str, Any] = {}
    rich: dict[str, Any] = {}
    for name in query.facet_fields:
        items: list[dict[str, Any]] = []
        if name == "license_id":
            if total:
                items = [
                    {
                        "name": shapes.LICENSE_ID,
                        "display_name": shapes.LICENSE_TITLE,
                        "count": total,
                    }
                ]
        else:
            for value in facets.get(ours[name], []):
                key, label = value.value, value.label
                if name == "organization":
                    key, label = units.get(value.value, (value.value, value.label))
                items.append({"name": key, "display_name": label, "count": value.count})
        items = [i for i in items if i["count"] >= query.facet_mincount]
        plain[name] = {i["name"]: i["count"] for i in items}
        rich[name] = {"title": name, "items": items}
    return plain, rich


@ckan_action
def package_show(call: Call) -> Any:
    """One dataset by id, name (code with "-") or code."""
    reference = ckan_params.parse_id(call.data)
    page = call.run(open_dataset_show, reference)
    call.used.append(page.card.id)
    return shapes.package(page.card, call.base, class_names=_class_names(call), page=page)


@ckan_action
def resource_show(call: Call) -> Any:
    """The datastore resource of a dataset (its id is the dataset's id)."""
    reference = ckan_params.parse_id(call.data)
    page = call.run(open_dataset_show, reference)
    if page.card.records is None:
        raise NotFound(f'Resource "{reference}" was not found.')
    return shapes.resource(page.card, call.base)


def _organizations(call: Call) -> list[Any]:
    return list(call.run(open_providers))


@ckan_action
def organization_list(call: Call) -> Any:
    """Units with open datasets; ``all_fields`` for dicts with ``package_count``."""
    reader = ckan_params._Reader(call.data)
    all_fields = reader.boolean("all_fields", False)
    reader.raise_if_any()
    units = sorted(_organizations(call), key=lambda u: u.slug)
    if all_fields:
        return [shapes.unit_organization(u) for u in units]
    return [u.slug for u in units]


@ckan_action
def organization_show(call: Call) -> Any:
    """A unit by id, name (catalog department code) or title; ``include_datasets``."""
    reference = ckan_params.parse_id(call.data)
    reader = ckan_params._Reader(call.data)
    include = reader.boolean("include_datasets", False)
    reader.raise_if_any()
    units = {u.slug: u for u in _organizations(call)}
    found = units.get(reference) or next(
        (u for u in units.values() if reference in (str(u.unit_id), u.name, u.short_name)), None
    )
    if found is None:
        raise NotFound(f'Organization "{reference}" was not found.')
    result = shapes.unit_organization(found)
    if include:
        hits = call.run(
            open_dataset_search, OpenSearch(provider=found.unit_id, sort="code", page_size=1000)
        )
        names = _class_names(call)
        result["packages"] = [
            shapes.package(h.card, call.base, class_names=names) for h in hits.hits
        ]
    return result


@ckan_action
def group_list(call: Call) -> Any:
    """Classification 项 holding open datasets; ``all_fields`` for dicts with counts."""
    reader = ckan_params._Reader(call.data)
    all_fields = reader.boolean("all_fields", False)
    reader.raise_if_any()
    found = call.run(open_dataset_search, OpenSearch(page_size=0, facet_limit=-1))
    groups = sorted(found.facets.get("class_code", []), key=lambda f: f.value)
    if all_fields:
        return [shapes.group(g.value, g.label, g.count) for g in groups]
    return [g.value for g in groups]


@ckan_action
def tag_list(call: Call) -> Any:
    """Keywords of the open datasets; ``query`` keeps those containing it."""
    reader = ckan_params._Reader(call.data)
    text = reader.text("query", max_length=100)
    all_fields = reader.boolean("all_fields", False)
    reader.raise_if_any()
    tags = [t for t in call.run(open_tags) if text in t.key]
    if all_fields:
        return [shapes.tag(t.key) for t in tags]
    return [t.key for t in tags]


@ckan_action
def datastore_search(call: Call) -> Any:
    """Records of a dataset: ``resource_id``, ``filters``, ``q``, ``fields``, ``sort``,
    ``limit``, ``offset``, ``include_total``, ``records_format`` (objects, lists, csv, tsv);
    ``_links.next`` continues with a keyset ``cursor`` as well as the offset."""
    query = ckan_params.parse_datastore_search(call.data, page_max=call.node.settings.lake_page_max)
    page = call.run(open_records_search, query)
    call.used.append(page.resource_id)
    if query.records_format == "objects":
        records: Any = [dict(zip(page.columns, row, strict=True)) for row in page.rows]
    elif query.records_format == "lists":
        records = page.rows
    else:
        records = delimited(page.rows, "," if query.records_format == "csv" else "\t")
    result: dict[str, Any] = {
        "resource_id": str(page.resource_id),
        "fields": page.fields,
        "records": records,
        "records_format": query.records_format,
        "limit": query.limit,
        "offset": query.offset,
        "include_total": query.include_total,
        "_links": _links(query, page.next_cursor, len(page.rows)),
        "x_version": page.version,
    }
    if page.total is not None:
        result["total"] = page.total
        result["total_was_estimated"] = False
    return result


def _links(query: ckan_params.DatastoreQuery, cursor: str | None, returned: int) -> dict[str, str]:
    keep = {k: v for k, v in query.raw.items() if k not in ("offset", "cursor")}
    plain = {k: (v if isinstance(v, str) else orjson.dumps(v).decode()) for k, v in keep.items()}
    start = "/api/3/action/datastore_search?" + urlencode(plain)
    following = dict(plain, offset=str(query.offset + query.limit))
    if cursor:
        following["cursor"] = cursor
    links = {"start": start}
    if returned:
        links["next"] = "/api/3/action/datastore_search?" + urlencode(following)
    return links


@ckan_action
def datastore_search_sql(call: Call) -> Any:
    """One SELECT over open datasets (tables named by dataset id or code)."""
    reader = ckan_params._Reader(call.data)
    sql = reader.text("sql", max_length=call.node.settings.portal_sql_max_length)
    if not sql.strip() and not reader.problems:
        reader.fail("sql", "Missing value")
    reader.raise_if_any()
    fields, records, truncated = call.run(open_records_sql, sql)
    names = [f["id"] for f in fields]
    return {
        "sql": sql,
        "fields": fields,
        "records": [dict(zip(names, r, strict=False)) for r in records],
        "records_truncated": truncated,
    }


@ckan_action
def help_show(call: Call) -> Any:
    """The documentation of an action."""
    name = ckan_params.parse_id(call.data, "name")
    handler = HANDLERS.get(name)
    if handler is None:
        raise invalid([Problem("Action name not known", field="name", value=name)])
    return " ".join((handler.__doc__ or "").split())
