"""/api/v1/open/…: the open-data portal's native JSON API (described in the OpenAPI).

Reads of open datasets, records, statistics and the portal's contributions; every
call is counted against the caller's rate limit (429 with ``Retry-After``).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from xiangshu.actions.portal_access import (
    app_quota_set,
    developer_register,
    open_application_decide,
    open_application_list,
    open_application_submit,
)
from xiangshu.actions.portal_contrib import (
    data_request_answer,
    data_request_list,
    data_request_submit,
    public_error_report_answer,
    public_error_report_list,
    public_error_report_submit,
    reuse_list,
    reuse_review,
    reuse_submit,
)
from xiangshu.actions.portal_datasets import open_dataset_search, open_dataset_show, portal_home
from xiangshu.actions.portal_records import open_records_search
from xiangshu.actions.portal_stats import portal_score, usage_stats
from xiangshu.domain.access import OpenType
from xiangshu.domain.catalog.values import FormatClass, UpdateCycle
from xiangshu.domain.portal.ckan_params import parse_datastore_search
from xiangshu.errors import NotAuthenticated
from xiangshu.schemas.identity import UserPublic
from xiangshu.schemas.portal import (
    AppQuotaSet,
    DataRequestAnswer,
    DataRequestCreate,
    DataRequestPublic,
    DatasetPage,
    Decision,
    DeveloperRegister,
    ErrorReportAnswer,
    ErrorReportCreate,
    ErrorReportPublic,
    OpenApplicationCreate,
    OpenApplicationPublic,
    OpenSearch,
    OpenSearchResult,
    PortalHome,
    PortalScore,
    PortalStats,
    ReuseCreate,
    ReusePublic,
)
from xiangshu.web.deps import ActorDep, NodeDep
from xiangshu.web.portal_runtime import check_rate, count_use, rate_headers

router = APIRouter(prefix="/open", tags=["open data"])


def limited(request: Request, response: Response, actor: ActorDep) -> None:
    """Count the call against the caller's limit; the headers say what is left."""
    result = check_rate(request, actor)
    for name, value in rate_headers(result).items():
        response.headers[name] = value


Limited = Depends(limited)


@router.get("", response_model=PortalHome, dependencies=[Limited])
def home(node: NodeDep, actor: ActorDep) -> PortalHome:
    """What the node holds: counts by classification, provider and city; newest, most used."""
    return node.dispatcher.run(portal_home, actor)


@router.get("/datasets", response_model=OpenSearchResult, dependencies=[Limited])
def search(
    node: NodeDep,
    actor: ActorDep,
    q: Annotated[str, Query(max_length=500)] = "",
    class_code: Annotated[str | None, Query(max_length=16)] = None,
    region: Annotated[str | None, Query(max_length=12)] = None,
    provider: uuid.UUID | None = None,
    open_type: OpenType | None = None,
    update_cycle: UpdateCycle | None = None,
    format_class: FormatClass | None = None,
    tag: Annotated[str | None, Query(max_length=100)] = None,
    sort: Annotated[str, Query(pattern="^(relevance|code|newest|popular|name)$")] = "relevance",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=0, le=1000)] = 20,
) -> OpenSearchResult:
    """Open datasets matching the words and filters, with facet counts."""
    query = OpenSearch(
        q=q,
        class_code=class_code,
        region=region,
        provider=provider,
        open_type=open_type,
        update_cycle=update_cycle,
        format_class=format_class,
        tag=tag,
        sort=sort,
        page=page,
        page_size=page_size,
    )
    return node.dispatcher.run(open_dataset_search, actor, query)


@router.get("/datasets/{reference}", response_model=DatasetPage, dependencies=[Limited])
def show(request: Request, node: NodeDep, actor: ActorDep, reference: str) -> DatasetPage:
    """One open dataset by ID, code or name (the code with "-" for "/")."""
    page = node.dispatcher.run(open_dataset_show, actor, reference)
    count_use(request, page.card.id, "api")
    return page


@router.get("/datasets/{reference}/records", dependencies=[Limited])
def records(
    request: Request,
    node: NodeDep,
    actor: ActorDep,
    reference: str,
    fields: Annotated[str | None, Query(max_length=2000)] = None,
    filters: Annotated[
        str | None, Query(max_length=4000, description='JSON: {"field": value}')
    ] = None,
    q: Annotated[str | None, Query(max_length=500)] = None,
    sort: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=0, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000_000)] = 0,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    include_total: bool = True,
) -> dict[str, Any]:
    """Records as objects, with ``next_cursor`` for keyset paging (as CKAN datastore_search)."""
    given: dict[str, Any] = {"resource_id": reference, "limit": limit, "offset": offset}
    for name, value in (
        ("fields", fields),
        ("filters", filters),
        ("q", q),
        ("sort", sort),
        ("cursor", cursor),
    ):
        if value is not None:
            given[name] = value
    given["include_total"] = include_total
    query = parse_datastore_search(given, page_max=node.settings.lake_page_max)
    page = node.dispatcher.run(open_records_search, actor, query)
    count_use(request, page.resource_id, "api")
    return {
        "resource_id": str(page.resource_id),
        "version": page.version,
        "fields": page.fields,
        "records": [dict(zip(page.columns, row, strict=True)) for row in page.rows],
        "total": page.total,
        "next_cursor": page.next_cursor,
    }


@router.get("/stats", response_model=PortalStats, dependencies=[Limited])
def stats(node: NodeDep, actor: ActorDep) -> PortalStats:
    """Views, downloads and API calls per dataset, unit and day."""
    return node.dispatcher.run(usage_stats, actor)


@router.get("/score", response_model=PortalScore, dependencies=[Limited])
def score(node: NodeDep, actor: ActorDep) -> PortalScore:
    """The portal's self-score on the Fudan open-data index's dimensions."""
    return node.dispatcher.run(portal_score, actor)


# ---------------------------------------------------------------- contributions


@router.get("/reuses", response_model=list[ReusePublic], dependencies=[Limited])
def reuses(node: NodeDep, actor: ActorDep, pending: bool = False) -> list[ReusePublic]:
    return node.dispatcher.run(reuse_list, actor, include_pending=pending)


@router.post("/reuses", response_model=ReusePublic, status_code=201, dependencies=[Limited])
def submit_reuse(node: NodeDep, actor: ActorDep, data: ReuseCreate) -> ReusePublic:
    return node.dispatcher.run(reuse_submit, actor, data)


@router.post("/reuses/{reuse_id}/review", response_model=ReusePublic, dependencies=[Limited])
def review_reuse(
    node: NodeDep, actor: ActorDep, reuse_id: uuid.UUID, data: Decision
) -> ReusePublic:
    return node.dispatcher.run(reuse_review, actor, reuse_id, data)


@router.get("/requests", response_model=list[DataRequestPublic], dependencies=[Limited])
def requests(
    node: NodeDep, actor: ActorDep, unit_id: uuid.UUID | None = None
) -> list[DataRequestPublic]:
    return node.dispatcher.run(data_request_list, actor, unit_id=unit_id)


@router.post("/requests", response_model=DataRequestPublic, status_code=201, dependencies=[Limited])
def submit_request(node: NodeDep, actor: ActorDep, data: DataRequestCreate) -> DataRequestPublic:
    return node.dispatcher.run(data_request_submit, actor, data)


@router.post(
    "/requests/{request_id}/answer", response_model=DataRequestPublic, dependencies=[Limited]
)
def answer_request(
    node: NodeDep, actor: ActorDep, request_id: uuid.UUID, data: DataRequestAnswer
) -> DataRequestPublic:
    return node.dispatcher.run(data_request_answer, actor, request_id, data)


@router.get("/reports", response_model=list[ErrorReportPublic], dependencies=[Limited])
def reports(
    node: NodeDep,
    actor: ActorDep,
    status: Annotated[str | None, Query(pattern="^(open|confirmed|fixed|rejected)$")] = None,
) -> list[ErrorReportPublic]:
    return node.dispatcher.run(public_error_report_list, actor, status=status)


@router.post(
    "/datasets/{reference}/reports",
    response_model=ErrorReportPublic,
    status_code=201,
    dependencies=[Limited],
)
def submit_report(
    node: NodeDep, actor: ActorDep, reference: str, data: ErrorReportCreate
) -> ErrorReportPublic:
    return node.dispatcher.run(public_error_report_submit, actor, reference, data)


@router.post(
    "/reports/{report_id}/answer", response_model=ErrorReportPublic, dependencies=[Limited]
)
def answer_report(
    node: NodeDep, actor: ActorDep, report_id: uuid.UUID, data: ErrorReportAnswer
) -> ErrorReportPublic:
    return node.dispatcher.run(public_error_report_answer, actor, report_id, data)


# ---------------------------------------------------------------- access


@router.post(
    "/datasets/{reference}/applications",
    response_model=OpenApplicationPublic,
    status_code=201,
    dependencies=[Limited],
)
def apply(
    node: NodeDep, actor: ActorDep, reference: str, data: OpenApplicationCreate
) -> OpenApplicationPublic:
    """Apply for a 有条件开放 dataset (purpose, fields, the agreement accepted)."""
    return node.dispatcher.run(open_application_submit, actor, reference, data)


@router.get("/applications", response_model=list[OpenApplicationPublic], dependencies=[Limited])
def applications(
    node: NodeDep, actor: ActorDep, unit_id: uuid.UUID | None = None
) -> list[OpenApplicationPublic]:
    """Your own applications, or (stewards) those for your unit's datasets."""
    if unit_id is None and actor.user_id is None:
        raise NotAuthenticated("sign in to see your applications")
    return node.dispatcher.run(
        open_application_list,
        actor,
        applicant_id=None if unit_id else actor.user_id,
        unit_id=unit_id,
    )


@router.post(
    "/applications/{application_id}/decide",
    response_model=OpenApplicationPublic,
    dependencies=[Limited],
)
def decide(
    node: NodeDep, actor: ActorDep, application_id: uuid.UUID, data: Decision
) -> OpenApplicationPublic:
    """The provider's data steward approves or refuses (with reasons)."""
    return node.dispatcher.run(open_application_decide, actor, application_id, data)


@router.post("/developers", response_model=UserPublic, status_code=201, dependencies=[Limited])
def register(node: NodeDep, actor: ActorDep, data: DeveloperRegister) -> UserPublic:
    """Open a developer account (then create apps with AppKey/AppSecret under /api/v1/apps)."""
    return node.dispatcher.run(developer_register, actor, data)


@router.put("/apps/{app_id}/quota", dependencies=[Limited])
def set_quota(
    node: NodeDep, actor: ActorDep, app_id: uuid.UUID, data: AppQuotaSet
) -> dict[str, int]:
    """An application's own requests-per-minute limit (platform administrators; 0 resets)."""
    return {"per_minute": node.dispatcher.run(app_quota_set, actor, app_id, data)}
