"""What the public brings to the portal: reuses (应用展示), data requests (数据需求) and
error reports (纠错), and how administrators and units answer them."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from xiangshu.actions.context import ActionContext
from xiangshu.actions.portal_common import find_row, open_row, visible_where
from xiangshu.actions.registry import action
from xiangshu.domain.audit import canonical_json
from xiangshu.errors import Conflict, NotFound, Problem, invalid
from xiangshu.schemas.portal import (
    DataRequestAnswer,
    DataRequestCreate,
    DataRequestPublic,
    Decision,
    ErrorReportAnswer,
    ErrorReportCreate,
    ErrorReportPublic,
    ReuseCreate,
    ReusePublic,
)
from xiangshu.storage.catalog import facts_of
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.models.portal import DataRequestRow, ErrorReportRow, ReuseRow
from xiangshu.storage.org import unit_by_reference
from xiangshu.storage.portal.contributions import (
    report_public,
    reports_of,
    request_public,
    reuse_public,
)

URL_SCHEMES = ("http://", "https://")


def _visible_ids(ctx: ActionContext) -> set[uuid.UUID]:
    return set(
        ctx.session.execute(sa.select(ResourceRow.id).where(visible_where(ctx.actor))).scalars()
    )


def _display(ctx: ActionContext) -> str:
    return ctx.actor.name


# ---------------------------------------------------------------- reuses


@action(event="portal:reuse:submit")
def reuse_submit(ctx: ActionContext, data: ReuseCreate) -> ReusePublic:
    """Show an application, visualisation or article made with open data; published after
    an administrator's review."""
    ctx.authorize()
    problems: list[Problem] = []
    if not data.url.startswith(URL_SCHEMES):
        problems.append(Problem("the address starts with http:// or https://", field="url"))
    ids: list[uuid.UUID] = []
    visible = _visible_ids(ctx)
    for index, reference in enumerate(data.datasets, start=1):
        found = find_row(ctx.session, reference)
        if found is None or found.id not in visible:
            problems.append(
                Problem("no such open dataset", field=f"datasets[{index}]", value=reference)
            )
        elif found.id not in ids:
            ids.append(found.id)
    if problems:
        raise invalid(problems, "the reuse cannot be submitted")
    assert ctx.actor.user_id is not None
    row = ReuseRow(
        title=data.title,
        description=data.description,
        url=data.url,
        kind=data.kind,
        dataset_ids=canonical_json([str(i) for i in ids]),
        submitted_by_id=ctx.actor.user_id,
        submitter_name=_display(ctx),
        status="pending",
        created_at=ctx.now,
        review_note="",
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.target("reuse", row.id)
    ctx.detail(title=data.title, datasets=[str(i) for i in ids])
    return reuse_public(ctx.session, row, visible)


@action(event="portal:reuse:review")
def reuse_review(ctx: ActionContext, reuse_id: uuid.UUID, decision: Decision) -> ReusePublic:
    """Publish or reject a submitted reuse (platform administrators)."""
    ctx.authorize()
    row = ctx.session.get(ReuseRow, reuse_id)
    if row is None:
        raise NotFound(f"no reuse {reuse_id}")
    if not decision.approve and not decision.note.strip():
        raise invalid([Problem("say why the reuse is rejected", field="note")])
    row.status = "published" if decision.approve else "rejected"
    row.reviewed_by = ctx.actor.name
    row.reviewed_at = ctx.now
    row.review_note = decision.note
    ctx.target("reuse", row.id)
    ctx.detail(status=row.status)
    return reuse_public(ctx.session, row, _visible_ids(ctx))


@action(event=None, writes=False)
def reuse_list(ctx: ActionContext, *, include_pending: bool = False) -> list[ReusePublic]:
    """Published reuses (and, for administrators, those waiting for review)."""
    ctx.authorize(include_pending=include_pending)
    statuses = ("published", "pending") if include_pending else ("published",)
    rows = ctx.session.execute(
        sa.select(ReuseRow)
        .where(ReuseRow.status.in_(statuses))
        .order_by(ReuseRow.created_at.desc())
    ).scalars()
    visible = _visible_ids(ctx)
    return [reuse_public(ctx.session, r, visible) for r in rows]


# ---------------------------------------------------------------- data requests


@action(event="portal:request:submit")
def data_request_submit(ctx: ActionContext, data: DataRequestCreate) -> DataRequestPublic:
    """Ask for data that is not open yet; the unit asked (or the platform) answers."""
    ctx.authorize()
    unit_id = None
    if data.unit:
        unit = unit_by_reference(ctx.session, data.unit)
        if unit is None:
            raise invalid([Problem("no such unit", field="unit", value=data.unit)])
        unit_id = unit.id
    assert ctx.actor.user_id is not None
    row = DataRequestRow(
        title=data.title,
        description=data.description,
        unit_id=unit_id,
        requested_by_id=ctx.actor.user_id,
        requester_name=_display(ctx),
        status="open",
        created_at=ctx.now,
        answer="",
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.target("data_request", row.id)
    ctx.detail(title=data.title, unit_id=str(unit_id) if unit_id else None)
    return request_public(ctx.session, row, set())


@action(event="portal:request:answer")
def data_request_answer(
    ctx: ActionContext, request_id: uuid.UUID, data: DataRequestAnswer
) -> DataRequestPublic:
    """The unit answers a data request: planned, answered (with a dataset) or refused."""
    row = ctx.session.get(DataRequestRow, request_id)
    ctx.authorize(unit_id=row.unit_id if row else None)
    if row is None:
        raise NotFound(f"no data request {request_id}")
    visible = _visible_ids(ctx)
    if data.dataset:
        found = find_row(ctx.session, data.dataset)
        if found is None or found.id not in visible:
            raise invalid([Problem("no such open dataset", field="dataset", value=data.dataset)])
        row.resource_id = found.id
    row.status = data.status
    row.answer = data.answer
    row.answered_by = ctx.actor.name
    row.answered_at = ctx.now
    ctx.target("data_request", row.id)
    ctx.detail(status=row.status)
    return request_public(ctx.session, row, visible)


@action(event=None, writes=False)
def data_request_list(
    ctx: ActionContext, *, unit_id: uuid.UUID | None = None
) -> list[DataRequestPublic]:
    """The public board of data requests and answers (optionally those to one unit)."""
    ctx.authorize()
    query = sa.select(DataRequestRow).order_by(DataRequestRow.created_at.desc())
    if unit_id is not None:
        query = query.where(DataRequestRow.unit_id == unit_id)
    visible = _visible_ids(ctx)
    return [request_public(ctx.session, r, visible) for r in ctx.session.execute(query).scalars()]


# ---------------------------------------------------------------- error reports


@action(event="portal:report:submit")
def public_error_report_submit(
    ctx: ActionContext, reference: str, data: ErrorReportCreate
) -> ErrorReportPublic:
    """Report wrong or doubtful data in an open dataset (纠错); its provider answers."""
    row, facts = open_row(ctx, reference)
    ctx.authorize(facts=facts)
    if data.field and data.field not in facts.fields:
        raise invalid([Problem("no such data item", field="field", value=data.field)])
    assert ctx.actor.user_id is not None
    report = ErrorReportRow(
        resource_id=row.id,
        reported_by_id=ctx.actor.user_id,
        reporter_name=_display(ctx),
        field=data.field or None,
        description=data.description,
        status="open",
        created_at=ctx.now,
        answer="",
    )
    ctx.session.add(report)
    ctx.session.flush()
    ctx.target("error_report", report.id)
    ctx.detail(resource_id=str(row.id), field=data.field)
    return report_public(report, {row.id: (row.code, row.name)})


@action(event="portal:report:answer")
def public_error_report_answer(
    ctx: ActionContext, report_id: uuid.UUID, data: ErrorReportAnswer
) -> ErrorReportPublic:
    """The provider confirms, fixes or rejects a report, with an answer everyone sees."""
    report = ctx.session.get(ErrorReportRow, report_id)
    if report is None:
        raise NotFound(f"no error report {report_id}")
    resource = ctx.session.get(ResourceRow, report.resource_id)
    assert resource is not None
    ctx.authorize(facts=facts_of(resource))
    if report.status == "fixed":
        raise Conflict("this report is closed as fixed")
    report.status = data.status
    report.answer = data.answer
    report.answered_by = ctx.actor.name
    report.answered_at = ctx.now
    ctx.target("error_report", report.id)
    ctx.detail(status=report.status)
    return report_public(report, {resource.id: (resource.code, resource.name)})


@action(event=None, writes=False)
def public_error_report_list(
    ctx: ActionContext, *, status: str | None = None
) -> list[ErrorReportPublic]:
    """Public error reports of the datasets the actor may see on the portal."""
    ctx.authorize()
    visible = sorted(_visible_ids(ctx))
    return reports_of(ctx.session, visible, status=status)
