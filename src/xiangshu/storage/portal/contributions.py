"""Reading the portal's contributions: reuses, data requests, error reports, applications."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from xiangshu.domain.roles import Actor
from xiangshu.schemas.portal import (
    DataRequestPublic,
    ErrorReportPublic,
    OpenApplicationPublic,
    RelatedDataset,
    ReusePublic,
)
from xiangshu.storage.models import UnitRow
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.models.portal import (
    DataRequestRow,
    ErrorReportRow,
    OpenApplicationRow,
    ReuseRow,
)
from xiangshu.storage.portal.datasets import slug_of
from xiangshu.storage.portal.grants import applicant_of


def _names(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str]]:
    if not ids:
        return {}
    rows = session.execute(
        sa.select(ResourceRow.id, ResourceRow.code, ResourceRow.name).where(
            ResourceRow.id.in_(list(ids))
        )
    )
    return {i: (code, name) for i, code, name in rows}


def report_public(
    row: ErrorReportRow, names: dict[uuid.UUID, tuple[str, str]]
) -> ErrorReportPublic:
    code, name = names.get(row.resource_id, ("", ""))
    return ErrorReportPublic(
        id=row.id,
        resource_id=row.resource_id,
        dataset_name=name,
        dataset_slug=slug_of(code),
        reporter_name=row.reporter_name,
        field=row.field,
        description=row.description,
        status=row.status,
        created_at=row.created_at,
        answer=row.answer,
        answered_by=row.answered_by,
        answered_at=row.answered_at,
    )


def reports_of(
    session: Session, resource_ids: Sequence[uuid.UUID] | None, *, status: str | None = None
) -> list[ErrorReportPublic]:
    query = sa.select(ErrorReportRow).order_by(ErrorReportRow.created_at.desc())
    if resource_ids is not None:
        query = query.where(ErrorReportRow.resource_id.in_(list(resource_ids)))
    if status:
        query = query.where(ErrorReportRow.status == status)
    rows = list(session.execute(query).scalars())
    names = _names(session, list({r.resource_id for r in rows}))
    return [report_public(r, names) for r in rows]


def related_of(session: Session, ids: Sequence[uuid.UUID]) -> list[RelatedDataset]:
    names = _names(session, ids)
    return [
        RelatedDataset(code=names[i][0], slug=slug_of(names[i][0]), name=names[i][1], why="used")
        for i in ids
        if i in names
    ]


def reuse_public(session: Session, row: ReuseRow, visible: set[uuid.UUID]) -> ReusePublic:
    ids = [uuid.UUID(i) for i in orjson.loads(row.dataset_ids)]
    return ReusePublic(
        id=row.id,
        title=row.title,
        description=row.description,
        url=row.url,
        kind=row.kind,
        datasets=related_of(session, [i for i in ids if i in visible]),
        submitter_name=row.submitter_name,
        status=row.status,
        created_at=row.created_at,
        reviewed_at=row.reviewed_at,
        review_note=row.review_note,
    )


def request_public(
    session: Session, row: DataRequestRow, visible: set[uuid.UUID]
) -> DataRequestPublic:
    unit = session.get(UnitRow, row.unit_id) if row.unit_id else None
    answered = (
        related_of(session, [row.resource_id])
        if row.resource_id is not None and row.resource_id in visible
        else []
    )
    return DataRequestPublic(
        id=row.id,
        title=row.title,
        description=row.description,
        unit_id=row.unit_id,
        unit_name=unit.name if unit else None,
        requester_name=row.requester_name,
        status=row.status,
        created_at=row.created_at,
        answer=row.answer,
        answered_by=row.answered_by,
        answered_at=row.answered_at,
        dataset=answered[0] if answered else None,
    )


def application_public(session: Session, row: OpenApplicationRow) -> OpenApplicationPublic:
    code, name = _names(session, [row.resource_id]).get(row.resource_id, ("", ""))
    return OpenApplicationPublic(
        id=row.id,
        resource_id=row.resource_id,
        dataset_name=name,
        dataset_slug=slug_of(code),
        applicant_name=row.applicant_name,
        purpose=row.purpose,
        fields=list(orjson.loads(row.fields)),
        agreement_version=row.agreement_version,
        status=row.status,
        created_at=row.created_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_note=row.decision_note,
        valid_until=row.valid_until,
    )


def latest_application(
    session: Session, actor: Actor, resource_id: uuid.UUID
) -> OpenApplicationRow | None:
    applicant = applicant_of(session, actor)
    if applicant is None:
        return None
    return (
        session.execute(
            sa.select(OpenApplicationRow)
            .where(
                OpenApplicationRow.resource_id == resource_id,
                OpenApplicationRow.applicant_id == applicant,
            )
            .order_by(OpenApplicationRow.created_at.desc())
        )
        .scalars()
        .first()
    )
