"""Reading open datasets' records through the portal: pages (CKAN ``datastore_search``),
exports (downloads) and checked SQL (``datastore_search_sql``).

Each read asks ``open_data`` (``open_metadata`` ∧ ``may_read_data``) through its
same-named policy, reads only the permitted fields from the serving store, and is
audited with what was asked and how many records came back. A dataset the actor
may not see answers Not Found, like one that does not exist.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from xiangshu.actions.context import ActionContext
from xiangshu.actions.lake_common import grant_of, lake_of, version_items
from xiangshu.actions.lake_reads import records_export
from xiangshu.actions.portal_common import lookup_key, not_found, open_facts
from xiangshu.actions.registry import action
from xiangshu.domain.access import GrantFacts, ResourceFacts
from xiangshu.domain.data_items import DataItem, DataItemType
from xiangshu.domain.lake.masking import RecordMasker
from xiangshu.domain.lake.query import (
    ROW_COLUMN,
    QueryPlan,
    QuerySpec,
    SortSpec,
    encode_cursor,
    plan_query,
)
from xiangshu.domain.lake.values import never_null
from xiangshu.domain.portal.ckan_params import DatastoreQuery
from xiangshu.domain.portal.sql_check import (
    TableAccess,
    parse_statement,
    rewrite,
    table_references,
)
from xiangshu.errors import NotFound
from xiangshu.policies.data_access import ReadScope, may_read_data
from xiangshu.policies.portal import open_metadata
from xiangshu.schemas.lake import ExportResult
from xiangshu.storage.lake.bookkeeping import current_version
from xiangshu.storage.lake.records import build_select, count_select, plain
from xiangshu.storage.lake.serving import filter_index_fields, table_name
from xiangshu.storage.portal.sql_run import run_select
from xiangshu.storage.portal.targets import TARGETS, Target

CKAN_TYPES = {
    DataItemType.NUMERIC: "numeric",
    DataItemType.CURRENCY: "numeric",
    DataItemType.DOUBLE: "float8",
    DataItemType.FLOAT: "float8",
    DataItemType.INTEGER: "int",
    DataItemType.DATE: "date",
    DataItemType.DATETIME: "timestamp",
    DataItemType.LOGICAL: "bool",
}


def ckan_type(item: DataItem) -> str:
    return CKAN_TYPES.get(item.type, "text")


@dataclass(frozen=True, slots=True)
class OpenRecords:
    """A page of records, format-free: the edge writes CKAN's objects, lists, CSV or TSV."""

    resource_id: uuid.UUID
    version: int
    columns: list[str]  # output order, _id first when asked
    fields: list[dict[str, Any]]  # {"id", "type", "info": {"label"}} per column
    rows: list[list[Any]]
    total: int | None
    next_cursor: str | None
    limit: int
    offset: int


def _readable(ctx: ActionContext, reference: str) -> tuple[Target, ReadScope]:
    """The dataset and what the actor may read of it; Not Found for what may not be seen."""
    key = lookup_key(reference)
    found = TARGETS.find(ctx.session, key) if key else None
    if found is None or not open_metadata(ctx.actor, found.facts).allowed:
        raise not_found(reference)
    facts = found.facts
    grant = grant_of(ctx, ctx.session, facts)
    ctx.authorize(facts=facts, grant=grant)
    if found.version_id is None:
        raise NotFound(f'Resource "{reference[:100]}" has no records in the datastore yet.')
    return found, may_read_data(ctx.actor, facts, grant)


def _spec(query: DatastoreQuery) -> QuerySpec:
    return QuerySpec(
        fields=query.fields,
        filters=query.filters,
        text=query.q,
        sort=query.sort,
        limit=max(1, query.limit),
        offset=0 if query.cursor else query.offset,
        after=query.cursor,
        count=query.include_total,
    )


def _audit(
    ctx: ActionContext,
    facts: ResourceFacts,
    scope: ReadScope,
    version: int | None,
    plan_fields: tuple[str, ...] | list[str],
    rows: int,
    **more: Any,
) -> None:
    ctx.target("resource", facts.resource_id)
    ctx.detail(
        version=version,
        fields=list(plan_fields),
        rows=rows,
        grant_id=str(scope.grant.grant_id) if scope.grant and scope.grant.grant_id else None,
        **more,
    )


@action(event="portal:records:query", writes=False)
def open_records_search(ctx: ActionContext, query: DatastoreQuery) -> OpenRecords:
    """A page of an open dataset's records (CKAN ``datastore_search``)."""
    target, scope = _readable(ctx, query.resource_id)
    facts, items, stored = target.facts, target.version_items, target.row_count
    assert target.version_id is not None
    plan: QueryPlan = plan_query(
        _spec(query),
        items,
        scope.fields,
        unmasked=scope.unmasked,
        page_max=ctx.settings.lake_page_max,
    )
    if query.descending_id and not query.sort:
        plan = replace(plan, sort=(SortSpec(ROW_COLUMN, descending=True),))
    lake = lake_of(ctx)
    table = lake.serving.table(target.version_id, items)
    rows: Any = []
    total: int | None = None
    with lake.serving.engine.connect() as connection:
        if query.limit > 0:
            statement, names = build_select(
                table, plan, filter_index_fields(items), sqlite=lake.serving.is_sqlite
            )
            rows = connection.execute(statement).fetchall()
        else:
            names = [*plan.fields, ROW_COLUMN]
        if not plan.is_filtered:
            total = stored
        elif query.include_total:
            total = int(connection.execute(count_select(table, plan)).scalar_one())
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    position = {n: i for i, n in enumerate(names)}
    wanted = list(plan.fields)
    columns = (["_id"] if query.with_id else []) + wanted
    picks = ([position[ROW_COLUMN]] if query.with_id else []) + [position[f] for f in wanted]
    out = [[plain(r[i]) for i in picks] for r in rows]
    if plan.masked:
        masker = RecordMasker({i.field: i for i in items}, unmasked=scope.unmasked)
        out = [[masker.apply(dict(zip(columns, r, strict=True)))[c] for c in columns] for r in out]
    cursor = None
    by_field = {i.field: i for i in items}
    keyset = len({s.descending for s in plan.sort}) == 1 and all(
        never_null(by_field[s.field]) for s in plan.sort[:-1]
    )
    if more and rows and keyset:
        last = rows[-1]
        cursor = encode_cursor([plain(last[position[s.field]]) for s in plan.sort])
    fields: list[dict[str, Any]] = ([{"id": "_id", "type": "int"}] if query.with_id else []) + [
        {"id": f, "type": ckan_type(by_field[f]), "info": {"label": by_field[f].name}}
        for f in wanted
    ]
    _audit(
        ctx,
        facts,
        scope,
        target.version_number,
        plan.fields,
        len(out),
        filters=[f"{f.field}:{f.op.value}" for f in plan.filters],
        q=bool(plan.text_terms),
    )
    return OpenRecords(
        resource_id=facts.resource_id,
        version=target.version_number or 0,
        columns=columns,
        fields=fields,
        rows=out,
        total=total,
        next_cursor=cursor,
        limit=query.limit,
        offset=query.offset,
    )


@action(event="portal:records:export", writes=False)
def open_records_export(ctx: ActionContext, reference: str, fmt: str, target: Path) -> ExportResult:
    """Every record of an open dataset as a file (a download: CSV, JSON, XLSX, Parquet)."""
    facts = open_facts(ctx, reference)
    grant = grant_of(ctx, ctx.session, facts)
    ctx.authorize(facts=facts, grant=grant)
    # The lake's export does the reading and asks the policy again (this action's, with
    # the same facts), so a download is one transaction and one audit event.
    return records_export(ctx, str(facts.resource_id), QuerySpec(), fmt, target)


@action(event="portal:records:sql", writes=False)
def open_records_sql(
    ctx: ActionContext, sql: str
) -> tuple[list[dict[str, str]], list[list[Any]], bool]:
    """A checked SELECT over open datasets (CKAN ``datastore_search_sql``)."""
    lake = lake_of(ctx)
    serving = lake.serving
    dialect = "sqlite" if serving.is_sqlite else "postgres"
    tree = parse_statement(sql, dialect=dialect, max_length=ctx.settings.portal_sql_max_length)
    references = table_references(tree)
    found: dict[str, tuple[ResourceFacts, GrantFacts | None]] = {}
    for reference in references:
        facts = open_facts(ctx, reference)
        found[reference] = (facts, grant_of(ctx, ctx.session, facts))
    ctx.authorize(tables=list(found.values()))
    access: dict[str, TableAccess] = {}
    for reference, (facts, grant) in found.items():
        scope = may_read_data(ctx.actor, facts, grant)
        current = current_version(ctx.session, facts.resource_id)
        if current is None:
            raise not_found(reference)
        items = version_items(current[1], facts)
        personal = {i.field for i in items if i.sensitivity.is_personal}
        permitted = scope.fields - (set() if scope.unmasked else personal)
        access[reference] = TableAccess(
            qualified=(serving.schema, table_name(current[1].id).lower()),
            columns=frozenset(i.field for i in items),
            permitted=frozenset(permitted),
        )
    limit = ctx.settings.lake_page_max
    text = rewrite(tree, access, dialect=dialect, limit=limit + 1)
    names, rows = run_select(
        serving,
        text,
        timeout_ms=ctx.settings.portal_sql_timeout_ms,
        role=ctx.settings.portal_sql_role,
    )
    truncated = len(rows) > limit
    records = [[plain(v) for v in r] for r in rows[:limit]]
    ctx.target("resource", found[references[0]][0].resource_id)
    ctx.detail(
        sql=sql[:2000],
        resources=[str(f.resource_id) for f, _ in found.values()],
        rows=len(records),
    )
    fields = [{"id": n, "type": "text"} for n in names]
    return fields, records, truncated
