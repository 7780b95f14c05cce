"""/api/v1/catalog: the resource catalog — classifications, resources, review, search,
the national spreadsheet template."""

from __future__ import annotations

import uuid
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Body, File, Query, UploadFile
from fastapi.responses import Response

from xiangshu.actions.catalog import (
    classification_list,
    resource_create,
    resource_history,
    resource_show,
    resource_update,
)
from xiangshu.actions.catalog_io import catalog_export, catalog_import
from xiangshu.actions.catalog_review import (
    resource_publish,
    resource_return,
    resource_submit,
    resource_withdraw,
)
from xiangshu.actions.catalog_search import catalog_reindex, resource_search
from xiangshu.schemas.catalog import (
    CatalogImportReport,
    ClassPublic,
    HistoryEntry,
    ReindexReport,
    ResourceCreate,
    ResourcePublic,
    ReviewNote,
    SearchQuery,
    SearchResult,
)
from xiangshu.web.deps import ActorDep, NodeDep

router = APIRouter(prefix="/catalog", tags=["catalog"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


@router.get("/classifications", response_model=list[ClassPublic])
def list_classifications(node: NodeDep, actor: ActorDep) -> list[ClassPublic]:
    """The classification trees (类/项/目/细目); resources sit at a 目 or 细目."""
    return node.dispatcher.run(classification_list, actor)


@router.get("/resources", response_model=SearchResult)
def search_resources(
    node: NodeDep, actor: ActorDep, query: Annotated[SearchQuery, Query()]
) -> SearchResult:
    """Full-text search with facets over the resources the caller may see."""
    return node.dispatcher.run(resource_search, actor, query)


@router.post("/resources", response_model=ResourcePublic, status_code=201)
def create_resource(node: NodeDep, actor: ActorDep, data: ResourceCreate) -> ResourcePublic:
    """Catalog a new resource as a draft (the provider's data steward)."""
    return node.dispatcher.run(resource_create, actor, data)


@router.get("/resources/{reference:path}/history", response_model=list[HistoryEntry])
def get_history(node: NodeDep, actor: ActorDep, reference: str) -> list[HistoryEntry]:
    """Every change of the resource, oldest first, with before and after."""
    return node.dispatcher.run(resource_history, actor, reference)


@router.post("/resources/{reference:path}/submit", response_model=ResourcePublic)
def submit(
    node: NodeDep, actor: ActorDep, reference: str, body: ReviewNote | None = None
) -> ResourcePublic:
    return node.dispatcher.run(resource_submit, actor, reference, note=(body or ReviewNote()).note)


@router.post("/resources/{reference:path}/return", response_model=ResourcePublic)
def send_back(node: NodeDep, actor: ActorDep, reference: str, body: ReviewNote) -> ResourcePublic:
    """Return a submitted resource to its steward, with the reason (reviewers)."""
    return node.dispatcher.run(resource_return, actor, reference, note=body.note)


@router.post("/resources/{reference:path}/publish", response_model=ResourcePublic)
def publish(
    node: NodeDep, actor: ActorDep, reference: str, body: ReviewNote | None = None
) -> ResourcePublic:
    """Publish a submitted resource (reviewers; never one's own submission)."""
    return node.dispatcher.run(resource_publish, actor, reference, note=(body or ReviewNote()).note)


@router.post("/resources/{reference:path}/withdraw", response_model=ResourcePublic)
def withdraw(node: NodeDep, actor: ActorDep, reference: str, body: ReviewNote) -> ResourcePublic:
    return node.dispatcher.run(resource_withdraw, actor, reference, note=body.note)


@router.get("/resources/{reference:path}", response_model=ResourcePublic)
def get_resource(node: NodeDep, actor: ActorDep, reference: str) -> ResourcePublic:
    """One resource by ID or code (e.g. ``203001/4300000270001``)."""
    return node.dispatcher.run(resource_show, actor, reference)


@router.patch("/resources/{reference:path}", response_model=ResourcePublic)
def update_resource(
    node: NodeDep,
    actor: ActorDep,
    reference: str,
    changes: Annotated[dict[str, Any], Body(description="Metadata fields to change.")],
) -> ResourcePublic:
    """Change metadata fields (a ``note`` key is kept in the history, not as metadata)."""
    note = str(changes.pop("note", ""))
    return node.dispatcher.run(resource_update, actor, reference, changes, note=note)


@router.post("/import", response_model=CatalogImportReport, status_code=201)
def import_catalog(
    node: NodeDep,
    actor: ActorDep,
    file: Annotated[UploadFile, File(description="The national template workbook (.xlsx)")],
    publish: bool = False,
) -> CatalogImportReport:
    """Import a template workbook: all rows or none, with every row's problems."""
    content = file.file.read()
    return node.dispatcher.run(
        catalog_import, actor, content, source=file.filename or "upload.xlsx", publish=publish
    )


@router.get("/export")
def export_catalog(
    node: NodeDep,
    actor: ActorDep,
    provider: uuid.UUID | None = None,
    include_unpublished: bool = False,
) -> Response:
    """The catalog (or one provider's) as the national template workbook."""
    content = node.dispatcher.run(
        catalog_export, actor, provider=provider, include_unpublished=include_unpublished
    )
    return xlsx_response(content, "政务信息资源目录.xlsx")


@router.post("/reindex", response_model=ReindexReport)
def reindex(node: NodeDep, actor: ActorDep) -> ReindexReport:
    """Rebuild the search index from the metadata store (administrators)."""
    return node.dispatcher.run(catalog_reindex, actor)
