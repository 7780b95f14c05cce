"""Reading a resource's records: pages, exact lookups by key, exports.

Every read asks ``may_read_data`` (through the same-named policies), reads only
the permitted fields, masks personal fields for readers without clear access,
and is audited with what was asked and how many records were returned.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from xiangshu.actions.context import ActionContext
from xiangshu.actions.lake_common import (
    field_list,
    grant_of,
    lake_of,
    resource_facts,
    target_resource,
    version_items,
)
from xiangshu.actions.registry import action
from xiangshu.domain.access import ResourceFacts
from xiangshu.domain.data_items import DataItem, key_fields
from xiangshu.domain.lake.masking import RecordMasker
from xiangshu.domain.lake.query import (
    FilterOp,
    QueryPlan,
    QuerySpec,
    encode_cursor,
    plan_lookup,
    plan_query,
)
from xiangshu.errors import NotFound, Problem, invalid
from xiangshu.policies.data_access import ReadScope, may_read_data
from xiangshu.schemas.lake import ExportResult, RecordPage, RecordPublic
from xiangshu.storage.lake.bookkeeping import current_version, version_by_number
from xiangshu.storage.lake.exports import EXPORT_FORMATS, XLSX_MAX_ROWS, write_records
from xiangshu.storage.lake.records import query_parquet, query_serving, stream_serving
from xiangshu.storage.lake.serving import filter_index_fields, version_table
from xiangshu.storage.models import LakeVersionRow


def _readable(
    ctx: ActionContext, reference: str, number: int | None
) -> tuple[ResourceFacts, ReadScope, LakeVersionRow, bool, int]:
    """Check the reader, then find the version: (facts, scope, version, is current, count)."""
    facts = resource_facts(ctx, ctx.session, reference)
    grant = grant_of(ctx, ctx.session, facts)
    ctx.authorize(facts=facts, grant=grant)
    scope = may_read_data(ctx.actor, facts, grant)
    current = current_version(ctx.session, facts.resource_id)
    if current is None:
        raise NotFound(f"no records have been loaded into {facts.code} yet")
    if number is None or number == current[1].number:
        return facts, scope, current[1], True, current[0].row_count
    version = version_by_number(ctx.session, facts.resource_id, number)
    if version is None:
        raise NotFound(f"resource {facts.code} has no version {number}")
    return facts, scope, version, False, version.row_count


def _audit_read(
    ctx: ActionContext,
    facts: ResourceFacts,
    scope: ReadScope,
    version: LakeVersionRow,
    plan_fields: tuple[str, ...],
    rows: int,
    **more: Any,
) -> None:
    target_resource(ctx, facts.resource_id)
    ctx.detail(
        version=version.number,
        fields=list(plan_fields),
        rows=rows,
        unmasked=scope.unmasked,
        grant_id=str(scope.grant.grant_id) if scope.grant and scope.grant.grant_id else None,
        purpose=scope.grant.purpose if scope.grant else None,
        **more,
    )


def _filters_detail(plan: QueryPlan) -> list[str]:
    return [f"{f.field}:{f.op.value}:{f.value}" for f in plan.filters] + [
        f"q:{t}" for t in plan.text_terms
    ]


def _plan(
    ctx: ActionContext, spec: QuerySpec, items: tuple[DataItem, ...], scope: ReadScope
) -> QueryPlan:
    return plan_query(
        spec,
        items,
        scope.fields,
        unmasked=scope.unmasked,
        page_max=ctx.settings.lake_page_max,
    )


@action(event="lake:records:query", writes=False)
def records_query(
    ctx: ActionContext, reference: str, spec: QuerySpec, *, version: int | None = None
) -> RecordPage:
    """A page of records: chosen fields, filters, text search, sort, offset or keyset paging."""
    facts, scope, found, is_current, stored = _readable(ctx, reference, version)
    items = version_items(found, facts)
    plan = _plan(ctx, spec, items, scope)
    lake = lake_of(ctx)
    if is_current:
        table = lake.serving.table(found.id, items)
        page = query_serving(
            lake.serving.engine,
            table,
            plan,
            stored_count=stored,
            indexed=filter_index_fields(items),
        )
    else:
        table = version_table(found.id, items, sqlite=False, schema=None)
        page = query_parquet(
            lake.file_of(facts.resource_id, found.id, found.data_file),
            table,
            plan,
            threads=ctx.settings.lake_query_threads,
            stored_count=stored,
        )
    masker = RecordMasker({i.field: i for i in items}, unmasked=scope.unmasked)
    records = [masker.apply(r) for r in page.records]
    _audit_read(ctx, facts, scope, found, plan.fields, len(records), filters=_filters_detail(plan))
    return RecordPage(
        resource_id=facts.resource_id,
        version=found.number,
        fields=field_list(items, plan.fields, plan.masked),
        records=records,
        total=page.count,
        next=encode_cursor(page.next_after) if page.next_after is not None else None,
        limit=plan.limit,
        offset=plan.offset,
    )


@action(event="lake:record:lookup", writes=False)
def record_lookup(
    ctx: ActionContext, reference: str, key: dict[str, str] | str, *, version: int | None = None
) -> RecordPublic:
    """One record by its full key (e.g. 公民身份号码 for a person).

    ``key`` maps key fields to values, or gives the values joined by commas in key order.
    """
    facts, scope, found, is_current, stored = _readable(ctx, reference, version)
    items = version_items(found, facts)
    if isinstance(key, str):
        names = key_fields(items)
        values = key.split(",") if len(names) > 1 else [key]
        if len(values) != len(names):
            raise invalid([Problem(f"the key is {', '.join(names)}", field="key", value=key)])
        key = dict(zip(names, values, strict=True))
    filters = plan_lookup(items, scope.fields, key)
    plan = _plan(ctx, QuerySpec(limit=1), items, scope)
    plan = QueryPlan(
        fields=plan.fields,
        filters=filters,
        text_terms=(),
        text_fields=(),
        sort=plan.sort,
        limit=1,
        offset=0,
        after=None,
        count=False,
        masked=plan.masked,
    )
    lake = lake_of(ctx)
    if is_current:
        page = query_serving(
            lake.serving.engine, lake.serving.table(found.id, items), plan, stored_count=stored
        )
    else:
        page = query_parquet(
            lake.file_of(facts.resource_id, found.id, found.data_file),
            version_table(found.id, items, sqlite=False, schema=None),
            plan,
            threads=ctx.settings.lake_query_threads,
            stored_count=stored,
        )
    _audit_read(
        ctx,
        facts,
        scope,
        found,
        plan.fields,
        len(page.records),
        key={f.field: str(f.value) for f in filters if f.op is FilterOp.EQ},
    )
    if not page.records:
        raise NotFound("no record with this key")
    masker = RecordMasker({i.field: i for i in items}, unmasked=scope.unmasked)
    return RecordPublic(
        resource_id=facts.resource_id,
        version=found.number,
        fields=field_list(items, plan.fields, plan.masked),
        record=masker.apply(page.records[0]),
    )


@action(event="lake:records:export", writes=False)
def records_export(
    ctx: ActionContext, reference: str, spec: QuerySpec, fmt: str, target: Path
) -> ExportResult:
    """Every matching record of the current version, as a CSV, JSON, XLSX or Parquet file."""
    if fmt not in EXPORT_FORMATS:
        raise invalid(
            [Problem(f"format is one of {', '.join(EXPORT_FORMATS)}", field="format", value=fmt)]
        )
    facts, scope, found, _current, stored = _readable(ctx, reference, None)
    items = version_items(found, facts)
    plan = _plan(ctx, replace(spec, limit=1, offset=0, after=None), items, scope)
    limit = min(ctx.settings.lake_export_max_rows, XLSX_MAX_ROWS if fmt == "xlsx" else stored + 1)
    lake = lake_of(ctx)
    table = lake.serving.table(found.id, items)
    masker = RecordMasker({i.field: i for i in items}, unmasked=scope.unmasked)

    def batches() -> Iterator[list[dict[str, Any]]]:
        left = limit
        for batch in stream_serving(lake.serving.engine, table, plan):
            yield [masker.apply(r) for r in batch[:left]]
            left -= len(batch)
            if left <= 0:
                return

    rows = write_records(batches(), plan.fields, items, target, fmt, masked=plan.masked)
    _audit_read(
        ctx, facts, scope, found, plan.fields, rows, format=fmt, filters=_filters_detail(plan)
    )
    return ExportResult(
        resource_id=facts.resource_id,
        version=found.number,
        format=fmt,
        rows=rows,
        file_name=f"{facts.code.replace('/', '-')}-v{found.number}.{fmt}",
    )
