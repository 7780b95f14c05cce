"""Usage statistics (views, downloads, API calls per dataset and unit) and the portal's
self-score on the dimensions of the Fudan open-data index (中国开放数林指数)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from xiangshu.actions.context import ActionContext
from xiangshu.actions.portal_common import visible_where
from xiangshu.actions.registry import action
from xiangshu.domain.catalog.values import UpdateCycle
from xiangshu.domain.portal.freshness import freshness
from xiangshu.domain.portal.fudan import PlatformFacts, score_portal
from xiangshu.domain.portal.quality import QualityFacts, quality
from xiangshu.schemas.portal import (
    DatasetStats,
    PortalScore,
    PortalStats,
    ScoreItem,
    UnitStats,
    Usage,
)
from xiangshu.storage.catalog import extension_of
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.models.portal import (
    DataRequestRow,
    ErrorReportRow,
    ReuseRow,
    UsageCountRow,
)
from xiangshu.storage.portal import datasets as queries

BEIJING = timedelta(hours=8)
DAYS_SHOWN = 30


def _usage(counts: dict[str, int]) -> Usage:
    return Usage(
        views=counts.get("view", 0),
        downloads=counts.get("download", 0),
        api_calls=counts.get("api", 0),
    )


@action(event=None, writes=False)
def usage_stats(ctx: ActionContext, *, top: int = 50) -> PortalStats:
    """Views, downloads and API calls of the open datasets, per dataset, unit and day."""
    ctx.authorize()
    session = ctx.session
    rows = queries.open_rows(session, visible_where(ctx.actor))
    ids = [r.id for r in rows]
    by_id = {r.id: r for r in rows}
    from xiangshu.storage.portal.usage import usage_totals

    totals = usage_totals(session, ids) if ids else {}
    units = queries.units_by_id(session)
    per_unit: dict[uuid.UUID, dict[str, int]] = {}
    datasets_per_unit: dict[uuid.UUID, int] = {}
    for row in rows:
        datasets_per_unit[row.provider_unit_id] = datasets_per_unit.get(row.provider_unit_id, 0) + 1
        for kind, n in totals.get(row.id, {}).items():
            bucket = per_unit.setdefault(row.provider_unit_id, {})
            bucket[kind] = bucket.get(kind, 0) + n
    overall: dict[str, int] = {}
    for counts in totals.values():
        for kind, n in counts.items():
            overall[kind] = overall.get(kind, 0) + n
    ranked = sorted(totals.items(), key=lambda kv: -sum(kv[1].values()))[:top]
    since = (ctx.now + BEIJING).date() - timedelta(days=DAYS_SHOWN - 1)
    daily: dict[date, dict[str, int]] = {}
    if ids:
        query = (
            sa.select(UsageCountRow.day, UsageCountRow.kind, sa.func.sum(UsageCountRow.count))
            .where(UsageCountRow.day >= since, UsageCountRow.resource_id.in_(ids))
            .group_by(UsageCountRow.day, UsageCountRow.kind)
            .order_by(UsageCountRow.day)
        )
        for day, kind, n in session.execute(query):
            daily.setdefault(day, {})[kind] = int(n or 0)
    return PortalStats(
        totals=_usage(overall),
        by_dataset=[
            DatasetStats(
                slug=queries.slug_of(by_id[i].code),
                name=by_id[i].name,
                provider_name=units[by_id[i].provider_unit_id].name,
                usage=_usage(c),
            )
            for i, c in ranked
        ],
        by_unit=sorted(
            (
                UnitStats(
                    unit_id=u,
                    slug=units[u].catalog_code,
                    name=units[u].name,
                    short_name=units[u].short_name,
                    level=units[u].level,
                    datasets=n,
                    usage=_usage(per_unit.get(u, {})),
                )
                for u, n in datasets_per_unit.items()
            ),
            key=lambda s: (-(s.usage.views + s.usage.downloads + s.usage.api_calls), -s.datasets),
        ),
        by_day=[
            (day, c.get("view", 0), c.get("download", 0), c.get("api", 0))
            for day, c in sorted(daily.items())
        ],
    )


def _mean_quality(ctx: ActionContext, rows: list[ResourceRow]) -> float:
    if not rows:
        return 0.0
    current = queries.current_counts(ctx.session, [r.id for r in rows])
    today = (ctx.now + BEIJING).date()
    scores = []
    for row in rows:
        loaded = current.get(row.id)
        updated = (loaded.switched_at + BEIJING).date() if loaded else None
        extension = extension_of(row.extension)
        facts = QualityFacts(
            abstract_length=len(row.abstract.strip()),
            item_count=len(row.items),
            items_described=sum(1 for i in row.items if i.description.strip()),
            has_key=any(i.is_key for i in row.items),
            has_records=loaded is not None,
            record_count=loaded.row_count if loaded else 0,
            freshness=freshness(UpdateCycle(row.update_cycle), updated, today),
            keyword_count=len(extension.keywords),
            has_contact=bool(row.provider_division.strip() or extension.metadata_maintainer),
            has_temporal_field=any(i.type in ("D", "T") for i in row.items),
            has_spatial_field=any(i.check == "division_code" for i in row.items),
            open_error_reports=0,
        )
        scores.append(quality(facts).score)
    return sum(scores) / len(scores)


def _count(ctx: ActionContext, query: sa.Select[Any]) -> int:
    return int(ctx.session.execute(query).scalar_one() or 0)


@action(event=None, writes=False)
def portal_score(ctx: ActionContext) -> PortalScore:
    """The portal scored by itself on the Fudan index's measurable dimensions."""
    ctx.authorize()
    where = visible_where(ctx.actor)
    rows = queries.open_rows(ctx.session, where)
    with_records, records = queries.records_total(ctx.session, where)
    published = _count(
        ctx,
        sa.select(sa.func.count())
        .select_from(ResourceRow)
        .where(ResourceRow.status == "published"),
    )
    count = sa.func.count()
    facts = PlatformFacts(
        open_datasets=len(rows),
        published_resources=published,
        with_records=with_records,
        records=records,
        keyed=sum(1 for r in rows if any(i.is_key for i in r.items)),
        class_codes=tuple(r.class_code for r in rows),
        mean_quality=_mean_quality(ctx, rows),
        reuses=_count(
            ctx, sa.select(count).select_from(ReuseRow).where(ReuseRow.status == "published")
        ),
        requests=_count(ctx, sa.select(count).select_from(DataRequestRow)),
        requests_answered=_count(
            ctx, sa.select(count).select_from(DataRequestRow).where(DataRequestRow.status != "open")
        ),
        reports=_count(ctx, sa.select(count).select_from(ErrorReportRow)),
        reports_answered=_count(
            ctx, sa.select(count).select_from(ErrorReportRow).where(ErrorReportRow.status != "open")
        ),
        api_calls=_count(
            ctx,
            sa.select(sa.func.coalesce(sa.func.sum(UsageCountRow.count), 0)).where(
                UsageCountRow.kind == "api"
            ),
        ),
        downloads=_count(
            ctx,
            sa.select(sa.func.coalesce(sa.func.sum(UsageCountRow.count), 0)).where(
                UsageCountRow.kind == "download"
            ),
        ),
    )
    scored = score_portal(facts)
    return PortalScore(
        items=[
            ScoreItem(
                dimension=s.dimension,
                indicator=s.indicator,
                value=s.value,
                value_zh=s.value_zh,
                score=s.score,
            )
            for s in scored.items
        ],
        by_dimension=scored.by_dimension,
        overall=scored.overall,
    )
