"""Searching the catalog (full text with facets) and rebuilding its index."""

from __future__ import annotations

import uuid
from typing import Any

import tantivy
from sqlalchemy import select

from xiangshu.actions.context import ActionContext
from xiangshu.actions.registry import action
from xiangshu.domain.access import OpenType, ResourceFacts, ResourceStatus, ShareType
from xiangshu.domain.catalog.search_terms import alternatives, query_words
from xiangshu.domain.catalog.values import FormatClass, UpdateCycle, label_of
from xiangshu.domain.roles import Actor
from xiangshu.domain.units import UnitLevel
from xiangshu.errors import ConfigurationError
from xiangshu.policies.catalog import VisibleKind, visible_kinds
from xiangshu.policies.data_access import may_see_metadata
from xiangshu.schemas.catalog import (
    FacetValue,
    ReindexReport,
    ResourceHit,
    SearchQuery,
    SearchResult,
)
from xiangshu.storage.catalog import class_nodes
from xiangshu.storage.models import UnitRow
from xiangshu.storage.org import division_table, node_row
from xiangshu.storage.search.catalog_index import CatalogIndex, Found, Hit

FACET_SIZES = {
    "class_path": 1000,
    "region_path": 1000,
    "provider_id": 30,
    "level": 3,
    "share_type": 3,
    "open_type": 3,
    "format_class": 10,
    "update_cycle": 10,
    "status": 4,
}
ENUMS = {
    "level": UnitLevel,
    "share_type": ShareType,
    "open_type": OpenType,
    "format_class": FormatClass,
    "update_cycle": UpdateCycle,
    "status": ResourceStatus,
}
FACET_NAMES = {"class_path": "class_code", "region_path": "region", "provider_id": "provider"}


def index_of(ctx: ActionContext) -> CatalogIndex:
    index = ctx.services.catalog_index
    if index is None:
        raise ConfigurationError("this node has no catalog search index")
    return index


def _visibility(index: CatalogIndex, kinds: list[VisibleKind], actor: Actor) -> tantivy.Query:
    clauses = []
    provider = index.term("provider_id", str(actor.unit_id))
    for kind in kinds:
        # The status term also keeps out the index's own bookkeeping document.
        parts = [(tantivy.Occur.Must, index.term("status", kind.status.value))]
        if kind.own is not None:
            parts.append((tantivy.Occur.Must if kind.own else tantivy.Occur.MustNot, provider))
        if kind.open_type is not None:
            parts.append((tantivy.Occur.Must, index.term("open_type", kind.open_type.value)))
        if kind.share_type is not None:
            parts.append((tantivy.Occur.Must, index.term("share_type", kind.share_type.value)))
        clauses.append((tantivy.Occur.Should, tantivy.Query.boolean_query(parts)))
    if not clauses:
        return tantivy.Query.empty_query()
    return tantivy.Query.boolean_query(clauses)


def _filters(index: CatalogIndex, query: SearchQuery) -> list[tantivy.Query]:
    wanted = {
        "class_path": query.class_code,
        "provider_id": str(query.provider) if query.provider else None,
        "region_path": query.region,
        "level": query.level,
        "share_type": query.share_type,
        "open_type": query.open_type,
        "format_class": query.format_class,
        "update_cycle": query.update_cycle,
        "status": query.status,
    }
    return [index.term(field, str(value)) for field, value in wanted.items() if value]


def _still_visible(actor: Actor, hit: Hit) -> bool:
    """The index filter follows may_see_metadata; each shown hit is asked again anyway."""
    fields = hit.fields
    facts = ResourceFacts(
        resource_id=uuid.UUID(fields["id"]),
        code=fields["code"],
        name=fields["name"],
        provider_unit_id=uuid.UUID(fields["provider_id"]),
        share_type=ShareType(fields["share_type"]),
        open_type=OpenType(fields["open_type"]),
        status=ResourceStatus(fields["status"]),
    )
    return may_see_metadata(actor, facts).allowed


def _hit(hit: Hit) -> ResourceHit:
    f = hit.fields
    return ResourceHit(
        id=uuid.UUID(f["id"]),
        code=f["code"],
        name=f["name"],
        abstract=f["abstract"],
        provider_name=f["provider_name"],
        provider_level=UnitLevel(f["level"]),
        share_type=ShareType(f["share_type"]),
        open_type=OpenType(f["open_type"]),
        format_class=FormatClass(f["format_class"]),
        update_cycle=UpdateCycle(f["update_cycle"]),
        status=ResourceStatus(f["status"]),
        score=hit.score,
    )


def _facets(ctx: ActionContext, found: Found, query: SearchQuery) -> dict[str, list[FacetValue]]:
    nodes = class_nodes(ctx.session)
    divisions = division_table(ctx.session)
    node = node_row(ctx.session)
    units: dict[Any, str] = {
        row[0]: row[1] for row in ctx.session.execute(select(UnitRow.id, UnitRow.name))
    }
    facets: dict[str, list[FacetValue]] = {}
    for field, counts in found.facets.items():
        values: list[FacetValue] = []
        for value, count in counts.items():
            if field == "class_path":
                class_node = nodes.get(value)
                shown = (
                    (
                        class_node.parent_code == query.class_code
                        if query.class_code
                        else class_node.level == 2
                    )
                    if class_node
                    else False
                )
                if class_node is None or not shown:
                    continue
                label = class_node.name
            elif field == "region_path":
                division = divisions.get(value)
                parent = query.region or (node.division_code if node else None)
                if division is None or division.parent_code != parent:
                    continue
                label = division.name
            elif field == "provider_id":
                label = str(units.get(uuid.UUID(value), value))
            else:
                label = label_of(ENUMS[field](value))
            values.append(FacetValue(value=value, label=label, count=count))
        facets[FACET_NAMES.get(field, field)] = sorted(values, key=lambda v: (-v.count, v.value))
    return facets


@action(event=None, writes=False)
def resource_search(ctx: ActionContext, query: SearchQuery) -> SearchResult:
    """Full-text search with facets over the resources the actor may see."""
    ctx.authorize()
    index = index_of(ctx)
    index.sync(ctx.session)
    must = [_visibility(index, visible_kinds(ctx.actor), ctx.actor)]
    words = query_words(query.q)
    for word in words:
        word_query = index.word_query(alternatives(word))
        if word_query is not None:
            must.append(word_query)
    must += _filters(index, query)
    found = index.find(
        tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in must]),
        limit=query.page_size,
        offset=(query.page - 1) * query.page_size,
        by_relevance=bool(words),
        facet_sizes=FACET_SIZES,
    )
    hits = [_hit(h) for h in found.hits if _still_visible(ctx.actor, h)]
    return SearchResult(
        total=found.total,
        page=query.page,
        page_size=query.page_size,
        hits=hits,
        facets=_facets(ctx, found, query),
    )


@action(event="catalog:search:reindex")
def catalog_reindex(ctx: ActionContext) -> ReindexReport:
    """Rebuild the catalog's search index from the metadata store."""
    ctx.authorize()
    resources, seq = index_of(ctx).rebuild(ctx.session)
    ctx.target("index", "catalog")
    ctx.detail(resources=resources, seq=seq)
    return ReindexReport(resources=resources, seq=seq)
