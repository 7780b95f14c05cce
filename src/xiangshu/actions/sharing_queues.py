"""Reading requests: each party's queue, a request with its history, attachments.

- ``mine``: the requesting unit's requests (申请方);
- ``provider``: requests to the actor's unit (提供方), oldest deadline first;
- ``authority``: escalated requests and submitted ones past their deadline (共享主管部门);
- ``all``: every request (authority, administrators, auditors).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import and_, or_, select

from xiangshu.actions.context import ActionContext
from xiangshu.actions.registry import action
from xiangshu.actions.sharing_requests import history, load_request, public
from xiangshu.crypto.sm3 import sm3_hex
from xiangshu.domain.documents import Document, document_problems
from xiangshu.domain.roles import Role
from xiangshu.domain.sharing.requests import RequestStatus
from xiangshu.domain.workdays import beijing_date
from xiangshu.errors import Conflict, NotFound, PermissionDenied, Problem, invalid
from xiangshu.schemas.sharing import AttachmentPublic, RequestPublic, RequestQueue
from xiangshu.storage.documents import held_document, keep_document
from xiangshu.storage.models.sharing import ShareAttachmentRow, ShareRequestRow
from xiangshu.storage.sharing.requests import request_public

VIEWS = ("mine", "provider", "authority", "all")


def attachments_folder(ctx: ActionContext) -> Path:
    return ctx.settings.data_dir / "sharing" / "attachments"


@action(event=None, writes=False)
def request_list(
    ctx: ActionContext, view: str = "mine", *, status: str | None = None, limit: int = 200
) -> RequestQueue:
    """A queue of requests: the actor's unit's, to its unit, the authority's, or all."""
    ctx.authorize()
    actor = ctx.actor
    oversight = actor.is_system or actor.has(
        Role.SHARING_AUTHORITY, Role.PLATFORM_ADMIN, Role.AUDITOR
    )
    if view not in VIEWS:
        raise invalid([Problem(f"view is one of {', '.join(VIEWS)}", field="view", value=view)])
    if view in ("authority", "all") and not oversight:
        raise PermissionDenied(
            "this queue is for the sharing authority, administrators and auditors"
        )
    query = select(ShareRequestRow)
    today = beijing_date(ctx.now)
    if view == "mine":
        query = query.where(ShareRequestRow.requester_unit_id == actor.unit_id)
    elif view == "provider":
        query = query.where(ShareRequestRow.provider_unit_id == actor.unit_id)
    elif view == "authority":
        query = query.where(
            or_(
                ShareRequestRow.status == RequestStatus.ESCALATED.value,
                and_(
                    ShareRequestRow.status == RequestStatus.SUBMITTED.value,
                    ShareRequestRow.due_on < today,
                ),
            )
        )
    if status:
        query = query.where(ShareRequestRow.status == status)
    if view in ("provider", "authority"):
        query = query.order_by(ShareRequestRow.due_on, ShareRequestRow.submitted_at)
    else:
        query = query.order_by(ShareRequestRow.submitted_at.desc())
    rows = list(ctx.session.execute(query.limit(min(limit, 1000))).scalars())
    calendar = ctx.services.calendar
    return RequestQueue(
        view=view,
        requests=[request_public(ctx.session, r, now=ctx.now, calendar=calendar) for r in rows],
        total=len(rows),
    )


def _by_reference(ctx: ActionContext, reference: str) -> ShareRequestRow:
    try:
        return load_request(ctx, uuid.UUID(reference))
    except ValueError:
        row = ctx.session.execute(
            select(ShareRequestRow).where(ShareRequestRow.number == reference.strip())
        ).scalar_one_or_none()
        if row is None:
            raise NotFound(f"no request {reference}") from None
        return row


@action(event=None, writes=False)
def request_show(ctx: ActionContext, reference: str) -> RequestPublic:
    """One request (by ID or number) with its history and attachments."""
    row = _by_reference(ctx, reference)
    ctx.authorize(requester_unit_id=row.requester_unit_id, provider_unit_id=row.provider_unit_id)
    return request_public(ctx.session, row, now=ctx.now, calendar=ctx.services.calendar, full=True)


@action(event="sharing:request:attach")
def request_attach(
    ctx: ActionContext, request_id: uuid.UUID, document: Document
) -> AttachmentPublic:
    """Attach a document to an open request (公函, 依据文件); kept by its SM3 checksum."""
    row = load_request(ctx, request_id)
    ctx.authorize(requester_unit_id=row.requester_unit_id)
    if not RequestStatus(row.status).is_open:
        raise Conflict(f"request {row.number} is closed")
    problems = document_problems(document)
    if problems:
        raise invalid(problems, "the attachment is refused")
    content = document.content
    digest = sm3_hex(content)
    keep_document(attachments_folder(ctx), digest, content)
    attachment = ShareAttachmentRow(
        request_id=row.id,
        name=document.base_name,
        media_type=document.media_type,
        size=len(content),
        sm3=digest,
        created_at=ctx.now,
        created_by=ctx.actor.name,
    )
    ctx.session.add(attachment)
    ctx.session.flush()
    history(ctx, row, "attach", attachment.name)
    ctx.target("request", row.id)
    ctx.detail(number=row.number, attachment=attachment.name, sm3=digest, size=len(content))
    return AttachmentPublic.model_validate(attachment)


@action(event="sharing:attachment:download", writes=False)
def attachment_download(
    ctx: ActionContext, attachment_id: uuid.UUID
) -> tuple[AttachmentPublic, Path]:
    """An attachment's file, checked against its SM3 checksum."""
    found = ctx.session.get(ShareAttachmentRow, attachment_id)
    if found is None:
        raise NotFound(f"no attachment {attachment_id}")
    row = load_request(ctx, found.request_id)
    ctx.authorize(requester_unit_id=row.requester_unit_id, provider_unit_id=row.provider_unit_id)
    path = held_document(attachments_folder(ctx), found.sm3, sm3_hex)
    if path is None:
        raise NotFound("the attachment's file is missing or altered on this node")
    ctx.target("attachment", found.id)
    ctx.detail(request=row.number, name=found.name)
    return AttachmentPublic.model_validate(found), path


__all__ = ["VIEWS", "history", "public"]
