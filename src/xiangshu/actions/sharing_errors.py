"""纠错: a consumer reports a wrong value; the provider confirms, corrects or rejects it.

```
open ──confirm──▶ confirmed ──correct (a newer version holds the claimed value)──▶ corrected
  │                   │
  └──reject (reason)──┴──────────────────────────────────────────────────────────▶ rejected
```

The provider answers within ``error_report_answer_working_days`` working days. A
correction lands as a new version of the resource (the provider loads it, typically an
upsert of the corrected rows); marking the report corrected names that version, and
the action checks the version really holds the claimed value. The row key, the claimed
value and the evidence may be personal data: they are sealed at rest with SM4-GCM.
Open reports count against the resource's quality in the statistics.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from xiangshu.actions.context import ActionContext
from xiangshu.actions.lake_common import (
    grant_of,
    lake_of,
    resource_facts,
    version_items,
)
from xiangshu.actions.registry import action
from xiangshu.domain.data_items import DataItem, key_fields
from xiangshu.domain.lake.query import QueryPlan, QuerySpec, plan_lookup, plan_query
from xiangshu.domain.roles import Role
from xiangshu.domain.workdays import beijing_date
from xiangshu.errors import Conflict, NotFound, PermissionDenied, Problem, invalid
from xiangshu.policies.data_access import may_read_data
from xiangshu.schemas.sharing import ErrorAnswerIn, ErrorReportCreate, ErrorReportPublic
from xiangshu.storage.lake.bookkeeping import current_version, version_by_number
from xiangshu.storage.lake.records import query_parquet, query_serving
from xiangshu.storage.lake.serving import version_table
from xiangshu.storage.models import LakeVersionRow
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.models.sharing import ErrorReportRow
from xiangshu.storage.sharing.requests import next_number, unit_names

OPEN, CONFIRMED, CORRECTED, REJECTED = "open", "confirmed", "corrected", "rejected"
ERROR_STATES = (OPEN, CONFIRMED, CORRECTED, REJECTED)


def _aad(report_id: uuid.UUID, column: str) -> bytes:
    return f"share_error_report:{column}:{report_id}".encode()


def _seal(ctx: ActionContext, report_id: uuid.UUID, column: str, text: str) -> str:
    return ctx.services.keys.seal(text.encode(), aad=_aad(report_id, column))


def _open(ctx: ActionContext, row: ErrorReportRow, column: str) -> str:
    sealed = getattr(row, f"{column}_sealed")
    return ctx.services.keys.open(sealed, aad=_aad(row.id, column)).decode()


SEALED_COLUMNS = ("row_key", "claimed_value", "evidence")


def report_public(ctx: ActionContext, row: ErrorReportRow) -> ErrorReportPublic:
    resource = ctx.session.get(ResourceRow, row.resource_id)
    names = unit_names(ctx.session, {row.provider_unit_id})
    return ErrorReportPublic(
        id=row.id,
        number=row.number,
        resource_id=row.resource_id,
        resource_code=row.resource_code,
        resource_name=resource.name if resource else "",
        provider_unit_id=row.provider_unit_id,
        provider_name=names.get(row.provider_unit_id, ""),
        reporter_unit_id=row.reporter_unit_id,
        reporter_name=row.reporter_name,
        field=row.field,
        row_key=_open(ctx, row, "row_key"),
        claimed_value=_open(ctx, row, "claimed_value"),
        evidence=_open(ctx, row, "evidence"),
        reported_version=row.reported_version,
        status=row.status,
        created_at=row.created_at,
        due_on=row.due_on,
        due_provisional=row.due_provisional,
        overdue=row.status in (OPEN, CONFIRMED) and beijing_date(ctx.now) > row.due_on,
        answered_at=row.answered_at,
        answered_by=row.answered_by,
        reason=row.reason,
        corrected_version=row.corrected_version,
        resolved_at=row.resolved_at,
    )


def _record(
    ctx: ActionContext,
    resource_id: uuid.UUID,
    version: LakeVersionRow,
    items: tuple[DataItem, ...],
    row_key: str,
    field: str,
    *,
    is_current: bool,
) -> dict[str, Any] | None:
    """The record with this key in a version, unmasked (the provider's own data)."""
    names = key_fields(items)
    values = row_key.split(",") if len(names) > 1 else [row_key]
    if len(values) != len(names):
        raise invalid([Problem(f"the key is {', '.join(names)}", field="row_key")])
    everything = frozenset(i.field for i in items)
    filters = plan_lookup(items, everything, dict(zip(names, values, strict=True)))
    base = plan_query(
        QuerySpec(fields=(field,), limit=1), items, everything, unmasked=True, page_max=1
    )
    plan = QueryPlan(
        fields=base.fields,
        filters=filters,
        text_terms=(),
        text_fields=(),
        sort=base.sort,
        limit=1,
        offset=0,
        after=None,
        count=False,
    )
    lake = lake_of(ctx)
    if is_current:
        page = query_serving(
            lake.serving.engine, lake.serving.table(version.id, items), plan, stored_count=0
        )
    else:
        page = query_parquet(
            lake.file_of(resource_id, version.id, version.data_file),
            version_table(version.id, items, sqlite=False, schema=None),
            plan,
            threads=ctx.settings.lake_query_threads,
            stored_count=0,
        )
    return page.records[0] if page.records else None


@action(event="sharing:error:report")
def error_report_create(ctx: ActionContext, data: ErrorReportCreate) -> ErrorReportPublic:
    """Report a wrong value (纠错): resource, row key, field, claimed value and evidence."""
    facts = resource_facts(ctx, ctx.session, data.resource)
    grant = grant_of(ctx, ctx.session, facts)
    ctx.authorize(facts=facts, grant=grant)
    scope = may_read_data(ctx.actor, facts, grant)
    found = current_version(ctx.session, facts.resource_id)
    if found is None:
        raise NotFound(f"no records have been loaded into {facts.code} yet")
    version = found[1]
    items = version_items(version, facts)
    problems = []
    if data.field not in scope.fields:
        problems.append(Problem("you do not read this field", field="field", value=data.field))
    if len(data.evidence.strip()) < 4:
        problems.append(Problem("give the evidence (依据)", field="evidence"))
    if problems:
        raise invalid(problems, "the report cannot be filed")
    if (
        _record(ctx, facts.resource_id, version, items, data.row_key, data.field, is_current=True)
        is None
    ):
        raise invalid([Problem("no record has this key", field="row_key")])
    due = ctx.services.calendar.add_working_days(
        beijing_date(ctx.now), ctx.settings.error_report_answer_working_days
    )
    report_id = uuid.uuid4()
    row = ErrorReportRow(
        id=report_id,
        number=next_number(ctx.session, ErrorReportRow, "JC", ctx.now),
        resource_id=facts.resource_id,
        resource_code=facts.code,
        provider_unit_id=facts.provider_unit_id,
        reporter_unit_id=ctx.actor.unit_id,
        reporter_user_id=ctx.actor.user_id,
        reporter_name=ctx.actor.name,
        field=data.field,
        row_key_sealed=_seal(ctx, report_id, "row_key", data.row_key),
        claimed_value_sealed=_seal(ctx, report_id, "claimed_value", data.claimed_value),
        evidence_sealed=_seal(ctx, report_id, "evidence", data.evidence),
        reported_version=version.number,
        status=OPEN,
        created_at=ctx.now,
        due_on=due.day,
        due_provisional=due.provisional,
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.target("error_report", row.id)
    ctx.detail(
        number=row.number,
        resource=facts.code,
        field=data.field,
        version=version.number,
        due_on=due.day.isoformat(),
    )
    return report_public(ctx, row)


def _report(ctx: ActionContext, reference: str) -> ErrorReportRow:
    try:
        row = ctx.session.get(ErrorReportRow, uuid.UUID(reference))
    except ValueError:
        row = ctx.session.execute(
            select(ErrorReportRow).where(ErrorReportRow.number == reference.strip())
        ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"no error report {reference}")
    return row


def _correction_problem(
    ctx: ActionContext, row: ErrorReportRow, number: int | None
) -> Problem | None:
    if number is None:
        return Problem("name the version that holds the correction", field="corrected_version")
    if row.reported_version is not None and number <= row.reported_version:
        return Problem(
            "the correction must be a newer version than the one reported",
            field="corrected_version",
        )
    version = version_by_number(ctx.session, row.resource_id, number)
    if version is None:
        return Problem(f"the resource has no version {number}", field="corrected_version")
    facts = resource_facts(ctx, ctx.session, str(row.resource_id))
    current = current_version(ctx.session, row.resource_id)
    is_current = current is not None and current[1].id == version.id
    record = _record(
        ctx,
        row.resource_id,
        version,
        version_items(version, facts),
        _open(ctx, row, "row_key"),
        row.field,
        is_current=is_current,
    )
    if record is None or str(record.get(row.field)) != _open(ctx, row, "claimed_value"):
        return Problem(
            f"version {number} does not hold the claimed value in this record",
            field="corrected_version",
        )
    return None


@action(event="sharing:error:answer")
def error_report_answer(
    ctx: ActionContext, reference: str, data: ErrorAnswerIn
) -> ErrorReportPublic:
    """The provider confirms a report, rejects it with reasons, or marks it corrected in a
    newer version (checked to hold the claimed value)."""
    row = _report(ctx, reference)
    ctx.authorize(provider_unit_id=row.provider_unit_id)
    if data.status not in (CONFIRMED, CORRECTED, REJECTED):
        raise invalid([Problem("status is confirmed, corrected or rejected", field="status")])
    if row.status in (CORRECTED, REJECTED) or (
        row.status == CONFIRMED and data.status == CONFIRMED
    ):
        raise Conflict(f"report {row.number} is already {row.status}")
    problem = None
    if data.status == REJECTED and len(data.reason.strip()) < 4:
        problem = Problem("a rejection must give its reasons", field="reason")
    elif data.status == CORRECTED:
        problem = _correction_problem(ctx, row, data.corrected_version)
    if problem:
        raise invalid([problem], "the answer cannot be recorded")
    before = row.status
    row.status = data.status
    row.reason = data.reason.strip()
    if row.answered_at is None:
        row.answered_at = ctx.now
        row.answered_by = ctx.actor.name
    if data.status in (CORRECTED, REJECTED):
        row.resolved_at = ctx.now
    if data.status == CORRECTED:
        row.corrected_version = data.corrected_version
    ctx.target("error_report", row.id)
    ctx.detail(
        number=row.number,
        before=before,
        after=row.status,
        reason=row.reason,
        version=row.corrected_version,
        late=beijing_date(ctx.now) > row.due_on,
    )
    return report_public(ctx, row)


@action(event="sharing:error:read", writes=False)
def error_report_show(ctx: ActionContext, reference: str) -> ErrorReportPublic:
    """One error report with its (unsealed) key, claimed value and evidence."""
    row = _report(ctx, reference)
    ctx.authorize(reporter_unit_id=row.reporter_unit_id, provider_unit_id=row.provider_unit_id)
    ctx.target("error_report", row.id)
    return report_public(ctx, row)


@action(event="sharing:errors:read", writes=False)
def error_report_list(
    ctx: ActionContext, view: str = "mine", *, status: str | None = None
) -> list[ErrorReportPublic]:
    """Reports the actor's unit filed (``mine``), received (``provider``), or all."""
    ctx.authorize()
    query = select(ErrorReportRow).order_by(ErrorReportRow.created_at.desc())
    if view == "mine":
        query = query.where(ErrorReportRow.reporter_unit_id == ctx.actor.unit_id)
    elif view == "provider":
        query = query.where(ErrorReportRow.provider_unit_id == ctx.actor.unit_id)
    elif view == "all":
        if not (
            ctx.actor.is_system
            or ctx.actor.has(Role.SHARING_AUTHORITY, Role.PLATFORM_ADMIN, Role.AUDITOR)
        ):
            raise PermissionDenied(
                "every report is shown to the authority, administrators and auditors"
            )
    else:
        raise invalid([Problem("view is mine, provider or all", field="view")])
    if status:
        query = query.where(ErrorReportRow.status == status)
    rows = list(ctx.session.execute(query.limit(1000)).scalars())
    ctx.detail(view=view, rows=len(rows))
    return [report_public(ctx, r) for r in rows]
