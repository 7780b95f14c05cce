"""文件 exchange: an export behind a signed, expiring download link, with its SM3 checksum.

The export itself is the lake's (``records_export``: same rule, same masking, audited);
this registers the file under a ticket bound to the reader's unit (or public user or
app) and hands out ``/api/v1/exchange/files/<ticket>?expires=<unix>&signature=<hex>``,
the signature being HMAC-SM3 with a node key over ticket and expiry. A download checks
the signature, the expiry, that the downloader holds the ticket, and that the grant
still holds; the response carries the file's SM3 (and an SM2 signature over it).
"""

from __future__ import annotations

import hmac
import shutil
import uuid
from datetime import timedelta
from pathlib import Path

from xiangshu.actions.context import ActionContext
from xiangshu.actions.lake_common import grant_of, resource_facts, target_resource
from xiangshu.actions.registry import action
from xiangshu.crypto.keys import derive_key
from xiangshu.crypto.sm3 import SM3Stream, hmac_sm3_hex
from xiangshu.errors import NotFound, PermissionDenied
from xiangshu.policies.data_access import may_read_data
from xiangshu.schemas.lake import ExportResult
from xiangshu.schemas.sharing import FileTicketPublic
from xiangshu.storage.lake.exports import MEDIA_TYPES
from xiangshu.storage.models.sharing import FileTicketRow

CHUNK = 1024 * 1024


def files_dir(ctx: ActionContext) -> Path:
    return ctx.settings.data_dir / "sharing" / "files"


def link_signature(ctx: ActionContext, ticket_id: uuid.UUID, expires: int) -> str:
    key = derive_key(ctx.settings.secret_key.get_secret_value().encode(), "file-links")
    return hmac_sm3_hex(key, f"{ticket_id}:{expires}".encode())


def _public(ctx: ActionContext, row: FileTicketRow) -> FileTicketPublic:
    expires = int(row.expires_at.timestamp())
    signature = link_signature(ctx, row.id, expires)
    return FileTicketPublic(
        id=row.id,
        resource_id=row.resource_id,
        file_name=row.file_name,
        media_type=row.media_type,
        size=row.size,
        rows=row.rows,
        sm3=row.sm3,
        expires_at=row.expires_at,
        url=f"/api/v1/exchange/files/{row.id}?expires={expires}&signature={signature}",
    )


@action(event="sharing:file:create")
def file_ticket_create(
    ctx: ActionContext, reference: str, exported: ExportResult, path: Path
) -> FileTicketPublic:
    """Register an exported file for download through a signed link (文件 exchange)."""
    facts = resource_facts(ctx, ctx.session, reference)
    grant = grant_of(ctx, ctx.session, facts)
    ctx.authorize(facts=facts, grant=grant)
    scope = may_read_data(ctx.actor, facts, grant)
    ticket_id = uuid.uuid4()
    target = files_dir(ctx) / f"{ticket_id}.{exported.format}"
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = SM3Stream()
    with path.open("rb") as source, target.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    row = FileTicketRow(
        id=ticket_id,
        resource_id=facts.resource_id,
        grant_id=scope.grant.grant_id if scope.grant else None,
        holder_unit_id=ctx.actor.unit_id,
        holder_user_id=ctx.actor.user_id if ctx.actor.unit_id is None else None,
        holder_app_id=ctx.actor.app_id if ctx.actor.unit_id is None else None,
        file_name=exported.file_name,
        media_type=MEDIA_TYPES[exported.format],
        size=target.stat().st_size,
        rows=exported.rows,
        sm3=digest.hexdigest(),
        created_at=ctx.now,
        created_by=ctx.actor.name,
        expires_at=ctx.now + timedelta(minutes=ctx.settings.sharing_file_link_minutes),
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.target("file", row.id)
    ctx.detail(resource=facts.code, rows=row.rows, sm3=row.sm3, expires_at=row.expires_at)
    return _public(ctx, row)


def _holds(ctx: ActionContext, row: FileTicketRow) -> bool:
    actor = ctx.actor
    if row.holder_unit_id is not None:
        return actor.unit_id == row.holder_unit_id
    if row.holder_user_id is not None:
        return actor.user_id == row.holder_user_id
    return row.holder_app_id is not None and actor.app_id == row.holder_app_id


@action(event="sharing:file:download")
def file_download(
    ctx: ActionContext, ticket_id: uuid.UUID, expires: int, signature: str
) -> tuple[FileTicketPublic, Path]:
    """Download a file through its signed link: signature, expiry, holder and grant checked."""
    row = ctx.session.get(FileTicketRow, ticket_id)
    if row is None:
        raise NotFound("no such file")
    facts = resource_facts(ctx, ctx.session, str(row.resource_id))
    grant = grant_of(ctx, ctx.session, facts)
    ctx.authorize(holder_matches=_holds(ctx, row), facts=facts, grant=grant)
    expected = link_signature(ctx, row.id, int(row.expires_at.timestamp()))
    if expires != int(row.expires_at.timestamp()) or not hmac.compare_digest(
        expected, signature.lower()
    ):
        raise PermissionDenied("the download link's signature does not match")
    if ctx.now >= row.expires_at:
        raise PermissionDenied(
            f"the download link expired at {row.expires_at:%Y-%m-%d %H:%M} UTC; export again"
        )
    path = files_dir(ctx) / f"{row.id}.{row.file_name.rsplit('.', 1)[-1]}"
    if not path.exists():
        raise NotFound("the file has been removed from this node; export again")
    row.downloads += 1
    scope = may_read_data(ctx.actor, facts, grant)
    target_resource(ctx, facts.resource_id)
    ctx.detail(
        file=str(row.id),
        rows=row.rows,
        sm3=row.sm3,
        grant_id=str(scope.grant.grant_id) if scope.grant and scope.grant.grant_id else None,
        purpose=scope.grant.purpose if scope.grant else None,
        fields=sorted(scope.fields),
    )
    return _public(ctx, row), path


def remove_expired_files(folder: Path, keep: set[str]) -> int:
    """Delete exported files whose tickets are gone or expired (names not in ``keep``)."""
    removed = 0
    if folder.is_dir():
        for path in folder.iterdir():
            if path.stem not in keep:
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                removed += 1
    return removed
