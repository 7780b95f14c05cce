"""/api/v1/exchange: the exchange surface consumers call (共享方式: 接口, 文件, 库表).

- 接口: record pages and key lookups (the lake's reads, same rule), 核验 (verify);
- 文件: an export behind a signed, expiring link with its SM3 checksum;
- 库表: the change feed the ``xiangshu sync`` agent pulls.

Callers sign requests with their app key (HMAC-SM3 over method, path, query, time, nonce
and body; replays refused) or use a token. With ``X-Receipt: sm2`` a JSON answer carries
a receipt: the node's SM2 signature over method, path, query, time and the body's SM3.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from xiangshu.actions.lake_reads import record_lookup, records_export, records_query
from xiangshu.actions.sharing_exchange import (
    changes_prepare,
    changes_read,
    exchange_refusal_record,
    record_verify,
)
from xiangshu.actions.sharing_files import file_download, file_ticket_create
from xiangshu.bootstrap import Node
from xiangshu.crypto.keys import SigningKeys
from xiangshu.crypto.sm2 import signature_to_text
from xiangshu.crypto.sm3 import sm3_hex
from xiangshu.domain.lake.query import QuerySpec, parse_filter
from xiangshu.domain.roles import PUBLIC, Actor
from xiangshu.domain.sharing.webhooks import receipt_text
from xiangshu.errors import NotAuthenticated, Problem, invalid
from xiangshu.schemas.lake import RecordPage, RecordPublic
from xiangshu.schemas.sharing import ChangesPage, FileTicketPublic, VerifyIn, VerifyResult
from xiangshu.storage.lake.exports import EXPORT_FORMATS
from xiangshu.web.deps import NodeDep, get_node, origin_of, resolve_actor


async def exchange_actor(request: Request) -> Actor:
    """Who calls; a refused signature or token is recorded before the refusal is answered."""
    try:
        return await resolve_actor(request)
    except NotAuthenticated as refused:
        node = get_node(request)
        await run_in_threadpool(
            node.dispatcher.run,
            exchange_refusal_record,
            Actor(kind=PUBLIC.kind, name=PUBLIC.name, origin=origin_of(request)),
            method=request.method,
            path=request.url.path,
            reason=refused.message,
            app_key=request.headers.get("x-app-key"),
        )
        raise


ActorDep = Annotated[Actor, Depends(exchange_actor)]
router = APIRouter(prefix="/exchange", tags=["exchange"])


def node_signing(node: Node) -> SigningKeys:
    """The node's SM2 keys, made on first use if the node has none yet."""
    keys = node.services.signing
    if keys is None or keys.current is None:
        keys = SigningKeys.ensure(node.settings.key_path)
        node.services.signing = keys
    return keys


def answer(request: Request, node: Node, model: BaseModel) -> Response:
    """The JSON answer, with an SM2 receipt when the caller asks for one."""
    body = orjson.dumps(model.model_dump(mode="json"))
    headers: dict[str, str] = {}
    if request.headers.get("x-receipt", "").lower() == "sm2":
        key = node_signing(node).current
        assert key is not None
        timestamp = int(node.services.clock.now().timestamp())
        text = receipt_text(
            request.method, request.url.path, request.url.query, timestamp, sm3_hex(body)
        )
        headers = {
            "X-Xiangshu-Receipt": signature_to_text(key.sign(text)),
            "X-Xiangshu-Receipt-Time": str(timestamp),
            "X-Xiangshu-Key-Id": key.key_id,
            "X-Content-SM3": sm3_hex(body),
        }
    return Response(body, media_type="application/json", headers=headers)


def _spec(fields: str | None, filters: list[str], limit: int, after: str | None) -> QuerySpec:
    return QuerySpec(
        fields=tuple(f.strip() for f in (fields or "").split(",") if f.strip()),
        filters=tuple(parse_filter(f) for f in filters),
        limit=limit,
        after=after,
    )


FilterQ = Annotated[list[str], Query(alias="filter", description="field:op:value")]


@router.get("/resources/{resource}/records", response_model=RecordPage)
def exchange_records(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    resource: str,
    fields: str | None = None,
    filters: FilterQ = [],  # noqa: B006 - FastAPI reads the default, never mutates it
    limit: int = 50,
    after: str | None = None,
) -> Response:
    """接口: a page of records (keyset paging with ``after``), under the caller's grant."""
    page = node.dispatcher.run(records_query, actor, resource, _spec(fields, filters, limit, after))
    return answer(request, node, page)


@router.get("/resources/{resource}/records/{key}", response_model=RecordPublic)
def exchange_lookup(
    request: Request, node: NodeDep, actor: ActorDep, resource: str, key: str
) -> Response:
    """接口: one record by its key."""
    return answer(request, node, node.dispatcher.run(record_lookup, actor, resource, key))


@router.post("/resources/{resource}/verify", response_model=VerifyResult)
def exchange_verify(
    request: Request, node: NodeDep, actor: ActorDep, resource: str, data: VerifyIn
) -> Response:
    """核验: do these values match a record? Yes or no, never the record."""
    return answer(request, node, node.dispatcher.run(record_verify, actor, resource, data.values))


@router.post("/resources/{resource}/files", response_model=FileTicketPublic, status_code=201)
def exchange_file(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    resource: str,
    format: str = "csv",
    fields: str | None = None,
    filters: FilterQ = [],  # noqa: B006
) -> Response:
    """文件: export the caller's records to a file behind a signed, expiring link."""
    if format not in EXPORT_FORMATS:
        raise invalid([Problem(f"format is one of {', '.join(EXPORT_FORMATS)}", field="format")])
    folder = Path(tempfile.mkdtemp(dir=node.settings.data_dir))
    try:
        target = folder / f"export.{format}"
        exported = node.dispatcher.run(
            records_export, actor, resource, _spec(fields, filters, 1, None), format, target
        )
        ticket = node.dispatcher.run(file_ticket_create, actor, resource, exported, target)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    response = answer(request, node, ticket)
    response.status_code = 201
    return response


@router.get("/files/{ticket_id}")
def exchange_download(
    node: NodeDep,
    actor: ActorDep,
    ticket_id: uuid.UUID,
    expires: int,
    signature: str,
) -> FileResponse:
    """文件: download through the signed link; ``X-Content-SM3`` is the file's checksum and
    ``X-Xiangshu-Signature`` the node's SM2 signature over it."""
    ticket, path = node.dispatcher.run(file_download, actor, ticket_id, expires, signature)
    key = node_signing(node).current
    assert key is not None
    statement = f"sm3:{ticket.sm3}\nfile:{ticket.file_name}\nrows:{ticket.rows}".encode()
    return FileResponse(
        path,
        media_type=ticket.media_type,
        filename=ticket.file_name,
        headers={
            "X-Content-SM3": ticket.sm3,
            "X-Xiangshu-Rows": str(ticket.rows),
            "X-Xiangshu-Key-Id": key.key_id,
            "X-Xiangshu-Signature": signature_to_text(key.sign(statement)),
        },
    )


@router.get("/resources/{resource}/changes", response_model=ChangesPage)
def exchange_changes(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    resource: str,
    cursor: str | None = None,
    limit: int = 1000,
) -> Response:
    """库表: inserts, updates and deletes since ``cursor`` (absent: from the beginning)."""
    node.dispatcher.run(changes_prepare, actor, resource, cursor)
    page = node.dispatcher.run(changes_read, actor, resource, cursor, limit=limit)
    return answer(request, node, page)
