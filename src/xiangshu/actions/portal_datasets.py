"""The portal's datasets: the home page's figures, search with facets, one dataset's page.

Every list, count and facet covers only what ``policies.portal.open_metadata`` lets
the actor see (search filters the catalog index by ``open_kinds``; SQL lists by the
same kinds); a dataset the actor may not see answers Not Found, like one that does
not exist.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import orjson
import sqlalchemy as sa
import tantivy

from xiangshu.actions.catalog_search import _facets as catalog_facets
from xiangshu.actions.catalog_search import _visibility, index_of
from xiangshu.actions.context import ActionContext
from xiangshu.actions.lake_common import grant_of
from xiangshu.actions.portal_common import open_row, visible_where
from xiangshu.actions.registry import action
from xiangshu.domain.catalog.search_terms import alternatives, query_words
from xiangshu.domain.data_items import DataItemType, ValueCheck
from xiangshu.domain.portal.freshness import freshness
from xiangshu.domain.portal.highlight import excerpt, highlight
from xiangshu.domain.portal.quality import QualityFacts, quality
from xiangshu.policies.portal import open_data, open_kinds
from xiangshu.schemas.catalog import SearchQuery
from xiangshu.schemas.portal import (
    CountBy,
    DatasetCard,
    DatasetHit,
    DatasetPage,
    FacetCount,
    FreshnessPublic,
    OpenSearch,
    OpenSearchResult,
    PortalHome,
    QualityCheck,
    RelatedDataset,
    UnitStats,
    Usage,
)
from xiangshu.storage.catalog import class_nodes, extension_of
from xiangshu.storage.lake.bookkeeping import current_version
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.models.portal import ReuseRow
from xiangshu.storage.org import division_table, node_row
from xiangshu.storage.portal import datasets as queries
from xiangshu.storage.portal.contributions import (
    application_public,
    latest_application,
    reports_of,
)

BEIJING = timedelta(hours=8)
SORT_WINDOW = 5000  # matches ordered by date, use or name in SQL
FACET_FIELDS = {
    "provider_id": "provider",
    "class_path": "class_code",
    "region_path": "region",
    "open_type": "open_type",
    "update_cycle": "update_cycle",
    "format_class": "format_class",
}
TEMPORAL_WORDS = ("日期", "时间", "年度", "年份", "月份", "年月")
SPATIAL_WORDS = ("行政区划", "市州", "区县", "经度", "纬度")


# ---------------------------------------------------------------- home


@action(event=None, writes=False)
def portal_home(ctx: ActionContext, *, newest: int = 6, most_used: int = 6) -> PortalHome:
    """What the node holds: counts by classification, provider and city; newest and most
    used datasets."""
    ctx.authorize()
    session = ctx.session
    where = visible_where(ctx.actor)
    units = queries.units_by_id(session)
    nodes = class_nodes(session)
    divisions = division_table(session)
    by_provider = queries.provider_counts(session, where)
    by_city: dict[str, int] = {}
    for unit_id, count in by_provider.items():
        city = _city_of(divisions, units[unit_id].division_code)
        if city is not None:
            by_city[city] = by_city.get(city, 0) + count
    node = node_row(session)
    if node is not None:  # every city of the node, those without datasets too
        for child in divisions.children(node.division_code):
            by_city.setdefault(child.code, 0)
    with_records, records = queries.records_total(session, where)
    reuses = session.execute(
        sa.select(sa.func.count()).select_from(ReuseRow).where(ReuseRow.status == "published")
    ).scalar_one()
    return PortalHome(
        datasets=sum(by_provider.values()),
        with_records=with_records,
        records=records,
        providers=len(by_provider),
        reuses=int(reuses),
        by_class=_sorted(
            CountBy(key=code, label=nodes[code].name if code in nodes else code, count=n)
            for code, n in queries.class_counts(session, where).items()
        ),
        by_provider=_sorted(
            CountBy(key=units[u].catalog_code, label=units[u].name, count=n)
            for u, n in by_provider.items()
        ),
        by_city=_sorted(
            CountBy(key=code, label=_division_name(divisions, code), count=n)
            for code, n in by_city.items()
        ),
        newest=queries.cards(session, queries.newest(session, where, newest), units),
        most_used=queries.cards(session, queries.most_used(session, where, most_used), units),
    )


def _sorted(values: Any) -> list[CountBy]:
    return sorted(values, key=lambda v: (-v.count, v.key))


def _division_name(divisions: Any, code: str) -> str:
    found = divisions.get(code)
    return found.name if found is not None else code


def _city_of(divisions: Any, code: str) -> str | None:
    """The prefecture-level division a unit serves (None for provincial units)."""
    if code.endswith("0000"):
        return None
    chain = [code] + [d.code for d in divisions.ancestors(code)]
    cities = [c for c in chain if c.endswith("00") and not c.endswith("0000")]
    return str(cities[0]) if cities else None


# ---------------------------------------------------------------- search


def _filters(ctx: ActionContext, index: Any, query: OpenSearch) -> list[tantivy.Query]:
    wanted = {
        "class_path": query.class_code,
        "provider_id": str(query.provider) if query.provider else None,
        "region_path": query.region,
        "open_type": query.open_type.value if query.open_type else None,
        "update_cycle": query.update_cycle.value if query.update_cycle else None,
        "format_class": query.format_class.value if query.format_class else None,
    }
    out = [index.term(field, value) for field, value in wanted.items() if value]
    if query.tag:
        tokens = index.tokens(query.tag)
        if tokens:
            out.append(
                tantivy.Query.phrase_query(index.schema, "keywords", tokens)
                if len(tokens) > 1
                else index.term("keywords", tokens[0])
            )
    if query.reference:
        from xiangshu.actions.portal_common import find_row

        row = find_row(ctx.session, query.reference)
        out.append(index.term("id", str(row.id) if row else "-"))
    return out


def _facets(ctx: ActionContext, found: Any, query: OpenSearch) -> dict[str, list[FacetCount]]:
    """The catalog's facet labelling (classification 项, the node's cities, providers, the
    guide's terms), limited as asked."""
    labelled = catalog_facets(
        ctx, found, SearchQuery(class_code=query.class_code, region=query.region)
    )
    limit = None if query.facet_limit < 0 else query.facet_limit
    return {
        name: [FacetCount(value=v.value, label=v.label, count=v.count) for v in values[:limit]]
        for name, values in labelled.items()
    }


@action(event=None, writes=False)
def open_dataset_search(ctx: ActionContext, query: OpenSearch) -> OpenSearchResult:
    """Full-text search over the open datasets the actor may see, with facets."""
    ctx.authorize()
    index = index_of(ctx)
    index.sync(ctx.session)
    must = [_visibility(index, open_kinds(ctx.actor), ctx.actor)]
    words = query_words(query.q)
    marked: list[str] = []
    for word in words:
        forms = alternatives(word)
        marked += forms
        word_query = index.word_query(forms)
        if word_query is not None:
            must.append(word_query)
    must += _filters(ctx, index, query)
    combined = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in must])
    offset = query.offset if query.offset is not None else (query.page - 1) * query.page_size
    sizes = dict.fromkeys(FACET_FIELDS, 1000)
    sort = query.sort
    if sort == "relevance" and not words:
        sort = "code"
    if sort in ("relevance", "code"):
        found = index.find(
            combined,
            limit=max(1, query.page_size),  # tantivy refuses a limit of 0
            offset=offset,
            by_relevance=sort == "relevance",
            facet_sizes=sizes,
        )
        ids = [uuid.UUID(h.fields["id"]) for h in found.hits][: query.page_size]
    else:
        found = index.find(
            combined, limit=SORT_WINDOW, offset=0, by_relevance=bool(words), facet_sizes=sizes
        )
        candidates = [uuid.UUID(h.fields["id"]) for h in found.hits]
        ordered = queries.ordered_by(ctx.session, candidates, sort, query.descending)
        ids = ordered[offset : offset + query.page_size]
    rows = _rows_in_order(ctx, ids)
    hits = [
        DatasetHit(
            card=card,
            name_marked=highlight(card.name, marked),
            abstract_marked=highlight(excerpt(card.abstract, marked), marked),
        )
        for card in queries.cards(ctx.session, rows)
    ]
    return OpenSearchResult(
        total=found.total, hits=hits, facets=_facets(ctx, found, query), words=marked
    )


def _rows_in_order(ctx: ActionContext, ids: list[uuid.UUID]) -> list[ResourceRow]:
    if not ids:
        return []
    where = sa.and_(ResourceRow.id.in_(ids), visible_where(ctx.actor))
    rows = {r.id: r for r in queries.open_rows(ctx.session, where)}
    return [rows[i] for i in ids if i in rows]


# ---------------------------------------------------------------- one dataset


def _related(ctx: ActionContext, row: ResourceRow) -> list[RelatedDataset]:
    where = sa.and_(visible_where(ctx.actor), ResourceRow.id != row.id)
    codes = list(orjson.loads(row.related_codes or "[]"))
    found: list[RelatedDataset] = []
    seen: set[str] = set()

    def add(rows: list[ResourceRow], why: str) -> None:
        for r in rows:
            if r.code not in seen:
                seen.add(r.code)
                found.append(
                    RelatedDataset(code=r.code, slug=queries.slug_of(r.code), name=r.name, why=why)
                )

    if codes:
        add(queries.open_rows(ctx.session, sa.and_(where, ResourceRow.code.in_(codes))), "related")
    add(
        queries.open_rows(
            ctx.session,
            sa.and_(where, ResourceRow.provider_unit_id == row.provider_unit_id),
            limit=4,
        ),
        "same_provider",
    )
    add(
        queries.open_rows(
            ctx.session, sa.and_(where, ResourceRow.class_code == row.class_code), limit=4
        ),
        "same_class",
    )
    return found


def _quality_facts(row: ResourceRow, card: DatasetCard, fresh: Any, reports: int) -> QualityFacts:
    items = row.items
    extension = extension_of(row.extension)
    return QualityFacts(
        abstract_length=len(row.abstract.strip()),
        item_count=len(items),
        items_described=sum(1 for i in items if i.description.strip()),
        has_key=any(i.is_key for i in items),
        has_records=card.records is not None,
        record_count=card.records or 0,
        freshness=fresh,
        keyword_count=len(extension.keywords),
        has_contact=bool(row.provider_division.strip() or extension.metadata_maintainer.strip()),
        has_temporal_field=any(
            i.type in (DataItemType.DATE.value, DataItemType.DATETIME.value)
            or any(w in i.name for w in TEMPORAL_WORDS)
            for i in items
        ),
        has_spatial_field=any(
            i.check == ValueCheck.DIVISION_CODE.value or any(w in i.name for w in SPATIAL_WORDS)
            for i in items
        ),
        open_error_reports=reports,
    )


@action(event=None, writes=False)
def open_dataset_show(ctx: ActionContext, reference: str) -> DatasetPage:
    """One open dataset: metadata in plain words, data items, freshness, quality, reports."""
    row, facts = open_row(ctx, reference)
    ctx.authorize(facts=facts)
    session = ctx.session
    card = queries.cards(session, [row])[0]
    nodes = class_nodes(session)
    node = nodes[row.class_code]
    today = (ctx.now + BEIJING).date()
    updated = (card.data_updated_at + BEIJING).date() if card.data_updated_at else None
    fresh = freshness(card.update_cycle, updated, today)
    reports = reports_of(session, [row.id])
    open_reports = sum(1 for r in reports if r.status == "open")
    checked = quality(_quality_facts(row, card, fresh, open_reports))
    grant = grant_of(ctx, session, facts)
    readable = open_data(ctx.actor, facts, grant)
    if readable.allowed and current_version(session, facts.resource_id) is None:
        reason = "no records have been loaded yet"
    else:
        reason = readable.reason
    latest = latest_application(session, ctx.actor, row.id)
    unit = queries.units_by_id(session)[row.provider_unit_id]
    return DatasetPage(
        card=card,
        class_path=[nodes[c].name for c in node.path_codes if c in nodes],
        provider_division=row.provider_division,
        provider_level=unit.level,
        items=list(facts.items),
        open_condition=row.open_condition,
        share_type=row.share_type,
        format_type=row.format_type,
        related=_related(ctx, row),
        freshness=FreshnessPublic(
            state=fresh.state,
            last_updated=fresh.last_updated,
            due_by=fresh.due_by,
            days_late=fresh.days_late,
        ),
        quality=[
            QualityCheck(key=c.key, title=c.title, passed=c.passed, hint=c.hint)
            for c in checked.checks
        ],
        quality_percent=checked.percent,
        reports=reports,
        may_read=readable.allowed and card.records is not None,
        read_reason=reason,
        application=application_public(session, latest) if latest else None,
    )


@action(event=None, writes=False)
def open_tags(ctx: ActionContext) -> list[CountBy]:
    """Keywords (关键字) of the open datasets the actor may see, with their counts."""
    ctx.authorize()
    counts: dict[str, int] = {}
    rows = ctx.session.execute(
        sa.select(ResourceRow.extension).where(visible_where(ctx.actor))
    ).scalars()
    for text in rows:
        for keyword in extension_of(text).keywords:
            counts[keyword] = counts.get(keyword, 0) + 1
    return _sorted(CountBy(key=k, label=k, count=n) for k, n in counts.items())


@action(event=None, writes=False)
def open_providers(ctx: ActionContext) -> list[UnitStats]:
    """Units with open datasets the actor may see, with how many (no usage figures)."""
    ctx.authorize()
    units = queries.units_by_id(ctx.session)
    counts = queries.provider_counts(ctx.session, visible_where(ctx.actor))
    return sorted(
        (
            UnitStats(
                unit_id=u,
                slug=units[u].catalog_code,
                name=units[u].name,
                short_name=units[u].short_name,
                level=units[u].level,
                datasets=n,
                usage=Usage(),
            )
            for u, n in counts.items()
        ),
        key=lambda s: s.slug,
    )
