"""Files of the open-data portal: downloads (CSV, XLSX, JSON, Parquet), DCAT-AP 3 (Turtle,
RDF/XML, JSON-LD; the catalog paged), and each dataset's Frictionless ``datapackage.json``.

All of them go through the portal's actions (``open_metadata`` ∧ ``may_read_data``),
count against the caller's rate limit, and downloads count as a use of the dataset.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import orjson
from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request, Response
from fastapi.responses import FileResponse

from xiangshu.actions.catalog import classification_list
from xiangshu.actions.org import node_show
from xiangshu.actions.portal_datasets import open_dataset_search, open_dataset_show
from xiangshu.actions.portal_records import open_records_export
from xiangshu.bootstrap import Node
from xiangshu.domain.roles import Actor
from xiangshu.errors import ConfigurationError, NotFound
from xiangshu.open_formats.datapackage import datapackage
from xiangshu.open_formats.dcat import (
    MEDIA_TYPES,
    CatalogInfo,
    Paging,
    catalog_graph,
    dataset_graph,
    serialize,
)
from xiangshu.schemas.portal import OpenSearch
from xiangshu.storage.lake.exports import EXPORT_FORMATS
from xiangshu.storage.lake.exports import MEDIA_TYPES as DOWNLOAD_TYPES
from xiangshu.web.ckan.shapes import LICENSE_ID, LICENSE_PATH, LICENSE_TITLE
from xiangshu.web.deps import ActorDep, NodeDep
from xiangshu.web.portal_runtime import check_rate, count_use, rate_headers

router = APIRouter(include_in_schema=False)
CATALOG_PAGE = 100


def _limited(request: Request, response: Response, actor: ActorDep) -> None:
    for name, value in rate_headers(check_rate(request, actor)).items():
        response.headers[name] = value


Limited = Depends(_limited)


def base_of(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def catalog_info(request: Request, node: Node, actor: Actor) -> CatalogInfo:
    try:
        title = node.dispatcher.run(node_show, actor).name
    except ConfigurationError:
        title = "湘数"
    names = {c.code: c.name for c in node.dispatcher.run(classification_list, actor)}
    return CatalogInfo(
        base=base_of(request),
        title_zh=title,
        class_names=names,
        license_title=LICENSE_TITLE,
        license_path=LICENSE_PATH,
    )


def _format(ext: str) -> str:
    if ext not in MEDIA_TYPES:
        raise NotFound(f"no format {ext[:20]}: use ttl, rdf or jsonld")
    return ext


@router.get("/open/dcat/catalog.{ext}", dependencies=[Limited])
def dcat_catalog(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    ext: str,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The DCAT-AP catalog of open datasets, 100 per page (Hydra paging)."""
    _format(ext)
    found = node.dispatcher.run(
        open_dataset_search,
        actor,
        OpenSearch(sort="code", page=page, page_size=CATALOG_PAGE, facet_limit=0),
    )
    pages = max(1, math.ceil(found.total / CATALOG_PAGE))
    graph = catalog_graph(
        catalog_info(request, node, actor),
        [h.card for h in found.hits],
        Paging(page=page, pages=pages, total=found.total, path=f"/open/dcat/catalog.{ext}"),
    )
    return Response(serialize(graph, ext), media_type=MEDIA_TYPES[ext])


@router.get("/open/datasets/{reference}/dcat.{ext}", dependencies=[Limited])
def dcat_dataset(
    request: Request, node: NodeDep, actor: ActorDep, reference: str, ext: str
) -> Response:
    """One dataset in DCAT-AP."""
    _format(ext)
    page = node.dispatcher.run(open_dataset_show, actor, reference)
    graph = dataset_graph(catalog_info(request, node, actor), page)
    return Response(serialize(graph, ext), media_type=MEDIA_TYPES[ext])


@router.get("/open/datasets/{reference}/datapackage.json", dependencies=[Limited])
def data_package(request: Request, node: NodeDep, actor: ActorDep, reference: str) -> Response:
    """The dataset as a Frictionless Data Package (tabular)."""
    page = node.dispatcher.run(open_dataset_show, actor, reference)
    descriptor = datapackage(
        page,
        base=base_of(request),
        license_id=LICENSE_ID,
        license_title=LICENSE_TITLE,
        license_path=LICENSE_PATH,
    )
    return Response(
        orjson.dumps(descriptor, option=orjson.OPT_INDENT_2),
        media_type="application/json; charset=utf-8",
    )


@router.get("/open/datasets/{reference}/download.{fmt}", dependencies=[Limited])
def download(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    reference: str,
    fmt: str,
    background: BackgroundTasks,
) -> FileResponse:
    """Every record of the dataset as CSV (UTF-8 with BOM), XLSX, JSON or Parquet."""
    if fmt not in EXPORT_FORMATS:
        raise NotFound(f"no download format {fmt[:20]}: use {', '.join(EXPORT_FORMATS)}")
    folder = Path(tempfile.mkdtemp(dir=node.settings.data_dir))
    target = folder / f"download.{fmt}"
    try:
        result = node.dispatcher.run(open_records_export, actor, reference, fmt, target)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    background.add_task(shutil.rmtree, folder, True)
    count_use(request, result.resource_id, "download")
    return FileResponse(target, media_type=DOWNLOAD_TYPES[fmt], filename=result.file_name)
