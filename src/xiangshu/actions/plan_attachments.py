"""The documents behind the plan's values and progress reports (a unit's 报告, 佐证材料).

A value reported by a unit, or a progress report, may carry its document: it is kept
once by its SHA-256 under the data directory (the digest the record stores), in the
same action that records the value or the report, and read back by government users
with the digest checked again.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from xiangshu.actions.context import ActionContext
from xiangshu.actions.registry import action
from xiangshu.domain.documents import Document, media_type_of
from xiangshu.errors import NotFound
from xiangshu.settings import Settings
from xiangshu.storage.documents import held_document, keep_document
from xiangshu.storage.models.plan import (
    IndicatorRow,
    ObservationRow,
    ProgressReportRow,
    TaskRow,
)
from xiangshu.storage.plan import plan_by_code


class AttachedTo(StrEnum):
    OBSERVATION = "observation"
    PROGRESS_REPORT = "progress_report"


@dataclass(frozen=True, slots=True)
class HeldDocument:
    name: str
    media_type: str
    path: Path


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def attachments_folder_of(settings: Settings) -> Path:
    return settings.data_dir / "plan" / "attachments"


def attachment_fields(
    ctx: ActionContext, document: Document | None, name: str, sha256: str
) -> tuple[str, str]:
    """The record's (name, SHA-256): of the attached document, kept here once checked
    (see ``document_problems``), else of the document the record names."""
    if document is None:
        return name, sha256
    digest = sha256_hex(document.content)
    keep_document(attachments_folder_of(ctx.settings), digest, document.content)
    return document.base_name, digest


def _record_of(
    ctx: ActionContext, kind: AttachedTo, item_id: uuid.UUID
) -> tuple[uuid.UUID, ObservationRow | ProgressReportRow]:
    """The observation or report with its plan's ID, or Not Found."""
    session = ctx.session
    plan_id: uuid.UUID | None = None
    record: ObservationRow | ProgressReportRow | None
    if kind is AttachedTo.OBSERVATION:
        record = session.get(ObservationRow, item_id)
        indicator = session.get(IndicatorRow, record.indicator_id) if record else None
        plan_id = indicator.plan_id if indicator else None
    else:
        record = session.get(ProgressReportRow, item_id)
        task = session.get(TaskRow, record.task_id) if record else None
        plan_id = task.plan_id if task else None
    if record is None or plan_id is None:
        raise NotFound(f"no {kind.value} {item_id}")
    return plan_id, record


@action(event="plan:attachment:download", writes=False)
def plan_attachment_download(
    ctx: ActionContext, code: str, kind: AttachedTo, item_id: uuid.UUID
) -> HeldDocument:
    """The document of an observation or a progress report, its digest checked again."""
    plan = plan_by_code(ctx.session, code)
    ctx.authorize()
    plan_id, record = _record_of(ctx, kind, item_id)
    if plan_id != plan.id:
        raise NotFound(f"no {kind.value} {item_id} in plan {code}")
    name, digest = record.attachment_name, record.attachment_sha256
    path = held_document(attachments_folder_of(ctx.settings), digest, sha256_hex)
    if path is None:
        raise NotFound("the document is named in the record but not held on this node")
    ctx.target(kind.value, item_id)
    ctx.detail(plan=code, name=name, sha256=digest)
    return HeldDocument(name=name, media_type=media_type_of(name), path=path)
