"""/api/v1/resources/{resource}/…: load files into the lake and read records.

``{resource}`` is the resource's ID. Uploads are multipart and streamed to a
temporary file in chunks (never held whole in memory), with the size limit
enforced while reading.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Request
from fastapi.responses import FileResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUpload

from xiangshu.actions.lake_loads import (
    load_report_show,
    quarantine_download,
    records_ingest,
    version_list,
    version_rollback,
)
from xiangshu.actions.lake_reads import record_lookup, records_export, records_query
from xiangshu.bootstrap import Node
from xiangshu.domain.lake.loads import LoadMode
from xiangshu.domain.lake.query import QuerySpec, parse_filter, parse_sort
from xiangshu.errors import Problem, XiangshuError, invalid
from xiangshu.schemas.lake import LoadReportPublic, RecordPage, RecordPublic, VersionPublic
from xiangshu.storage.lake.exports import EXPORT_FORMATS, MEDIA_TYPES
from xiangshu.web.deps import ActorDep, NodeDep

router = APIRouter(prefix="/resources/{resource}", tags=["data lake"])
CHUNK = 1024 * 1024
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the small fields


def _spool(node: Node, upload: StarletteUpload) -> Path:
    """Copy the upload to a temporary file in chunks, refusing it past the size limit."""
    limit = node.settings.lake_max_upload_mb * 1024 * 1024
    folder = node.settings.lake_path / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".upload")  # noqa: SIM115
    path = Path(handle.name)
    written = 0
    try:
        with handle:
            while chunk := upload.file.read(CHUNK):
                written += len(chunk)
                if written > limit:
                    raise _too_large(node, upload.filename)
                handle.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


UPLOAD_FORM = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "mode": {"type": "string", "enum": [m.value for m in LoadMode]},
                        "strict": {"type": "boolean"},
                    },
                }
            }
        },
    }
}


def _too_large(node: Node, name: str | None) -> XiangshuError:
    return invalid(
        [Problem(f"the upload exceeds {node.settings.lake_max_upload_mb} MiB", file=name)],
        "the file is too large",
    )


@router.post("/loads", response_model=LoadReportPublic, status_code=201, openapi_extra=UPLOAD_FORM)
async def load_file(
    request: Request, node: NodeDep, actor: ActorDep, resource: str
) -> LoadReportPublic:
    """Load a file (multipart ``file``, ``mode``, ``strict``): valid rows become a new
    version, invalid rows go to quarantine. An upload whose declared length is over the
    limit is refused before a byte of it is read."""
    declared = request.headers.get("content-length", "")
    limit = node.settings.lake_max_upload_mb * 1024 * 1024
    if declared.isdigit() and int(declared) > limit + FORM_OVERHEAD:
        raise _too_large(node, None)
    form = await request.form(max_files=1, max_fields=4)
    try:
        upload = form.get("file")
        problems = []
        if not isinstance(upload, StarletteUpload):
            problems.append(Problem("attach the file as the multipart field 'file'", field="file"))
        mode_text = str(form.get("mode") or LoadMode.REPLACE.value)
        if mode_text not in {m.value for m in LoadMode}:
            problems.append(Problem("mode is replace, append or upsert", field="mode"))
        if problems:
            raise invalid(problems, "the upload is not complete")
        assert isinstance(upload, StarletteUpload)
        strict = str(form.get("strict") or "").lower() in {"true", "1", "on", "yes"}
        path = await run_in_threadpool(_spool, node, upload)
        try:
            return await run_in_threadpool(
                node.dispatcher.run,
                records_ingest,
                actor,
                resource,
                path,
                source_name=upload.filename or "upload",
                mode=LoadMode(mode_text),
                strict=strict,
            )
        finally:
            path.unlink(missing_ok=True)
    finally:
        await form.close()


@router.get("/loads/{load_id}", response_model=LoadReportPublic)
def show_load(
    node: NodeDep, actor: ActorDep, resource: str, load_id: uuid.UUID
) -> LoadReportPublic:
    """The load report: counts, and rejected records by field and reason."""
    return node.dispatcher.run(load_report_show, actor, resource, load_id)


def _with_bom(path: Path) -> Iterator[bytes]:
    yield "\ufeff".encode()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


@router.get("/loads/{load_id}/quarantine")
def download_quarantine(
    node: NodeDep, actor: ActorDep, resource: str, load_id: uuid.UUID
) -> StreamingResponse:
    """The rejected rows with row number, field and reason (CSV, UTF-8 with BOM)."""
    path = node.dispatcher.run(quarantine_download, actor, resource, load_id)
    return StreamingResponse(
        _with_bom(path),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="quarantine-{load_id}.csv"'},
    )


@router.get("/versions", response_model=list[VersionPublic])
def list_versions(node: NodeDep, actor: ActorDep, resource: str) -> list[VersionPublic]:
    """Every version, newest first, with the current one marked."""
    return node.dispatcher.run(version_list, actor, resource)


@router.post("/versions/{number}/rollback", response_model=VersionPublic)
def rollback(node: NodeDep, actor: ActorDep, resource: str, number: int) -> VersionPublic:
    """Make version ``number`` current again."""
    return node.dispatcher.run(version_rollback, actor, resource, number)


def _spec(
    fields: str | None,
    filters: list[str],
    q: str | None,
    sort: str | None,
    limit: int,
    offset: int,
    after: str | None,
    count: bool,
) -> QuerySpec:
    return QuerySpec(
        fields=tuple(f.strip() for f in (fields or "").split(",") if f.strip()),
        filters=tuple(parse_filter(f) for f in filters),
        text=q,
        sort=parse_sort(sort or ""),
        limit=limit,
        offset=offset,
        after=after,
        count=count,
    )


FieldsQ = Annotated[str | None, Query(description="Comma-separated fields (default: all yours).")]
FilterQ = Annotated[
    list[str],
    Query(alias="filter", description="field:op:value, op one of eq in gt gte lt lte."),
]
TextQ = Annotated[str | None, Query(description="Words that must all appear in text fields.")]
SortQ = Annotated[str | None, Query(description="Comma-separated fields; -field descends.")]


@router.get("/records", response_model=RecordPage)
def query_records(
    node: NodeDep,
    actor: ActorDep,
    resource: str,
    fields: FieldsQ = None,
    filters: FilterQ = [],  # noqa: B006 - FastAPI reads the default, never mutates it
    q: TextQ = None,
    sort: SortQ = None,
    limit: int = 50,
    offset: int = 0,
    after: Annotated[str | None, Query(description="The `next` of the previous page.")] = None,
    count: bool = False,
    version: int | None = None,
) -> RecordPage:
    """A page of records; ``next`` continues by keyset for deep pages."""
    spec = _spec(fields, filters, q, sort, limit, offset, after, count)
    return node.dispatcher.run(records_query, actor, resource, spec, version=version)


@router.get("/records/export")
def export_records(
    node: NodeDep,
    actor: ActorDep,
    resource: str,
    background: BackgroundTasks,
    format: str = "csv",
    fields: FieldsQ = None,
    filters: FilterQ = [],  # noqa: B006 - FastAPI reads the default, never mutates it
    q: TextQ = None,
    sort: SortQ = None,
) -> FileResponse:
    """Every matching record as CSV, JSON, XLSX or Parquet."""
    if format not in EXPORT_FORMATS:
        raise invalid(
            [Problem(f"format is one of {', '.join(EXPORT_FORMATS)}", field="format", value=format)]
        )
    spec = _spec(fields, filters, q, sort, 1, 0, None, False)
    folder = Path(tempfile.mkdtemp(dir=node.settings.data_dir))
    target = folder / f"export.{format}"
    try:
        result = node.dispatcher.run(records_export, actor, resource, spec, format, target)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    background.add_task(shutil.rmtree, folder, True)
    return FileResponse(target, media_type=MEDIA_TYPES[format], filename=result.file_name)


@router.get("/records/{key}", response_model=RecordPublic)
def lookup_record(
    node: NodeDep,
    actor: ActorDep,
    resource: str,
    key: str,
    version: int | None = None,
) -> RecordPublic:
    """One record by its key; a composite key is given as its values joined by commas."""
    return node.dispatcher.run(record_lookup, actor, resource, key, version=version)
