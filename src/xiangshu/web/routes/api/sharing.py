"""/api/v1/sharing: requests and their queues, grants, subscriptions, error reports,
statistics, and the node's SM2 public keys (to verify webhooks and receipts)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import FileResponse

from xiangshu.actions.sharing_errors import (
    error_report_answer,
    error_report_create,
    error_report_list,
    error_report_show,
)
from xiangshu.actions.sharing_grants import grant_create, grant_list, grant_revoke, grant_show
from xiangshu.actions.sharing_queues import (
    attachment_download,
    request_attach,
    request_list,
    request_show,
)
from xiangshu.actions.sharing_requests import (
    request_create,
    request_decide,
    request_dispute,
    request_escalate,
    request_withdraw,
)
from xiangshu.actions.sharing_stats import (
    ExchangeRecordPublic,
    ExchangeStats,
    exchange_records,
    exchange_stats,
)
from xiangshu.actions.sharing_subscriptions import (
    notification_feed,
    notification_replay,
    subscription_cancel,
    subscription_create,
    subscription_list,
)
from xiangshu.crypto.keys import SigningKeys
from xiangshu.schemas.sharing import (
    AttachmentPublic,
    DecisionIn,
    ErrorAnswerIn,
    ErrorReportCreate,
    ErrorReportPublic,
    GrantCreate,
    GrantPublic,
    NoteIn,
    NotificationPublic,
    RequestCreate,
    RequestPublic,
    RequestQueue,
    SubscriptionCreate,
    SubscriptionPublic,
)
from xiangshu.web.deps import ActorDep, NodeDep
from xiangshu.web.uploads import required_document

router = APIRouter(prefix="/sharing", tags=["sharing and exchange"])


@router.post("/requests", response_model=RequestPublic, status_code=201)
def submit_request(node: NodeDep, actor: ActorDep, data: RequestCreate) -> RequestPublic:
    """Apply for fields of a conditionally shared resource (共享申请)."""
    return node.dispatcher.run(request_create, actor, data)


@router.get("/requests", response_model=RequestQueue)
def list_requests(
    node: NodeDep,
    actor: ActorDep,
    view: Annotated[str, Query(description="mine, provider, authority or all")] = "mine",
    status: str | None = None,
) -> RequestQueue:
    """A queue: the unit's requests, requests to the unit, the authority's, or all."""
    return node.dispatcher.run(request_list, actor, view, status=status)


@router.get("/requests/{reference}", response_model=RequestPublic)
def show_request(node: NodeDep, actor: ActorDep, reference: str) -> RequestPublic:
    """One request by ID or number, with its history and attachments."""
    return node.dispatcher.run(request_show, actor, reference)


@router.post("/requests/{request_id}/decision", response_model=RequestPublic)
def decide_request(
    node: NodeDep, actor: ActorDep, request_id: uuid.UUID, data: DecisionIn
) -> RequestPublic:
    """Approve, approve some fields, or refuse with reasons."""
    return node.dispatcher.run(request_decide, actor, request_id, data)


@router.post("/requests/{request_id}/withdraw", response_model=RequestPublic)
def withdraw_request(
    node: NodeDep, actor: ActorDep, request_id: uuid.UUID, data: NoteIn
) -> RequestPublic:
    return node.dispatcher.run(request_withdraw, actor, request_id, data.reason)


@router.post("/requests/{request_id}/dispute", response_model=RequestPublic)
def dispute_request(
    node: NodeDep, actor: ActorDep, request_id: uuid.UUID, data: NoteIn
) -> RequestPublic:
    """Dispute a refusal or a partial approval: the sharing authority decides."""
    return node.dispatcher.run(request_dispute, actor, request_id, data.reason)


@router.post("/requests/{request_id}/escalate", response_model=RequestPublic)
def escalate_request(
    node: NodeDep, actor: ActorDep, request_id: uuid.UUID, data: NoteIn
) -> RequestPublic:
    """The sharing authority takes a waiting request over to coordinate it."""
    return node.dispatcher.run(request_escalate, actor, request_id, data.reason or "coordination")


@router.post("/requests/{request_id}/attachments", response_model=AttachmentPublic, status_code=201)
def attach(
    node: NodeDep, actor: ActorDep, request_id: uuid.UUID, file: Annotated[UploadFile, File()]
) -> AttachmentPublic:
    """Attach a document (PDF, OFD, image, Word, WPS, Excel, text; at most 20 MiB)."""
    return node.dispatcher.run(request_attach, actor, request_id, required_document(file))


@router.get("/attachments/{attachment_id}")
def download_attachment(node: NodeDep, actor: ActorDep, attachment_id: uuid.UUID) -> FileResponse:
    found, path = node.dispatcher.run(attachment_download, actor, attachment_id)
    return FileResponse(
        path, media_type=found.media_type, filename=found.name, headers={"X-Content-SM3": found.sm3}
    )


@router.get("/grants", response_model=list[GrantPublic])
def list_grants(
    node: NodeDep,
    actor: ActorDep,
    view: Annotated[str, Query(description="held, given or all")] = "held",
    state: str | None = None,
) -> list[GrantPublic]:
    return node.dispatcher.run(grant_list, actor, view, state=state)


@router.post("/grants", response_model=GrantPublic, status_code=201)
def give_grant(node: NodeDep, actor: ActorDep, data: GrantCreate) -> GrantPublic:
    """Give a grant directly (the authority or the provider's steward); also to a public
    user or application after an approved open-data application."""
    return node.dispatcher.run(grant_create, actor, data)


@router.get("/grants/{grant_id}", response_model=GrantPublic)
def show_grant(node: NodeDep, actor: ActorDep, grant_id: uuid.UUID) -> GrantPublic:
    return node.dispatcher.run(grant_show, actor, grant_id)


@router.post("/grants/{grant_id}/revoke", response_model=GrantPublic)
def revoke_grant(node: NodeDep, actor: ActorDep, grant_id: uuid.UUID, data: NoteIn) -> GrantPublic:
    return node.dispatcher.run(grant_revoke, actor, grant_id, data.reason)


@router.post("/subscriptions", response_model=SubscriptionPublic, status_code=201)
def subscribe(node: NodeDep, actor: ActorDep, data: SubscriptionCreate) -> SubscriptionPublic:
    """Subscribe to a resource's new versions (webhook with ``callback_url``, or pull feed)."""
    return node.dispatcher.run(subscription_create, actor, data)


@router.get("/subscriptions", response_model=list[SubscriptionPublic])
def list_subscriptions(
    node: NodeDep, actor: ActorDep, everyone: bool = False
) -> list[SubscriptionPublic]:
    return node.dispatcher.run(subscription_list, actor, everyone=everyone)


@router.post("/subscriptions/{subscription_id}/cancel", response_model=SubscriptionPublic)
def unsubscribe(node: NodeDep, actor: ActorDep, subscription_id: uuid.UUID) -> SubscriptionPublic:
    return node.dispatcher.run(subscription_cancel, actor, subscription_id)


@router.get("/subscriptions/{subscription_id}/feed", response_model=list[NotificationPublic])
def feed(
    node: NodeDep,
    actor: ActorDep,
    subscription_id: uuid.UUID,
    after: int = 0,
    limit: int = 100,
    status: str | None = None,
) -> list[NotificationPublic]:
    """The pull feed of notices (``after`` = the last ``seq`` seen); ``status=dead`` for the
    dead-letter list."""
    return node.dispatcher.run(
        notification_feed, actor, subscription_id, after=after, limit=limit, status=status
    )


@router.post("/notifications/{notification_id}/replay", response_model=NotificationPublic)
def replay(node: NodeDep, actor: ActorDep, notification_id: uuid.UUID) -> NotificationPublic:
    """Send a dead webhook notice again."""
    return node.dispatcher.run(notification_replay, actor, notification_id)


@router.post("/errors", response_model=ErrorReportPublic, status_code=201)
def report_error(node: NodeDep, actor: ActorDep, data: ErrorReportCreate) -> ErrorReportPublic:
    """Report a wrong value (纠错)."""
    return node.dispatcher.run(error_report_create, actor, data)


@router.get("/errors", response_model=list[ErrorReportPublic])
def list_errors(
    node: NodeDep,
    actor: ActorDep,
    view: Annotated[str, Query(description="mine, provider or all")] = "mine",
    status: str | None = None,
) -> list[ErrorReportPublic]:
    return node.dispatcher.run(error_report_list, actor, view, status=status)


@router.get("/errors/{reference}", response_model=ErrorReportPublic)
def show_error(node: NodeDep, actor: ActorDep, reference: str) -> ErrorReportPublic:
    return node.dispatcher.run(error_report_show, actor, reference)


@router.post("/errors/{reference}/answer", response_model=ErrorReportPublic)
def answer_error(
    node: NodeDep, actor: ActorDep, reference: str, data: ErrorAnswerIn
) -> ErrorReportPublic:
    """Confirm, reject with reasons, or mark corrected in a newer version."""
    return node.dispatcher.run(error_report_answer, actor, reference, data)


@router.get("/stats", response_model=ExchangeStats)
def statistics(node: NodeDep, actor: ActorDep, days: int = 30) -> ExchangeStats:
    """Calls and downloads, on-time answers, refusals, error reports, freshness."""
    return node.dispatcher.run(exchange_stats, actor, days=days)


@router.get("/records", response_model=list[ExchangeRecordPublic])
def records(
    node: NodeDep, actor: ActorDep, unit_id: uuid.UUID | None = None, limit: int = 200
) -> list[ExchangeRecordPublic]:
    """The exchange records (交换记录): a unit's own, or all for oversight."""
    return node.dispatcher.run(exchange_records, actor, unit_id=unit_id, limit=limit)


@router.get("/keys")
def public_keys(node: NodeDep) -> dict[str, object]:
    """The node's SM2 public keys (PEM) by key ID, to verify webhooks and receipts."""
    keys = node.services.signing or SigningKeys.load(node.settings.key_path)
    current = keys.current
    return {
        "algorithm": "SM2 with SM3, signer ID 1234567812345678, DER signatures",
        "current": current.key_id if current else None,
        "keys": {kid: key.to_pem() for kid, key in keys.public_keys().items()},
    }
