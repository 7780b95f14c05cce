"""Xiangshu's datasets, units and classifications in CKAN's shapes (API 3, CKAN 2.10).

A CKAN *package* is an open catalog resource (信息资源) and its *name* the code with
"-" for "/"; an *organization* is the provider unit (name: its 9-digit catalog
department code); a *group* is the classification's 项 (e.g. 201 公共服务); *tags* are
the keywords (关键字). A dataset whose records are in the lake has one *resource*
with ``datastore_active`` — its id is the dataset's id, which is also what
``datastore_search`` takes as ``resource_id`` — and download links in four formats.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from xiangshu.domain.catalog.values import label_of
from xiangshu.schemas.portal import DatasetCard, DatasetPage, UnitStats

LICENSE_ID = "xiangshu-open-data-terms"
LICENSE_TITLE = "湘数开放数据使用规则（Xiangshu open data terms）"
LICENSE_PATH = "/open/terms"
FORMATS = ("csv", "xlsx", "json", "parquet")
TAG_NAMESPACE = uuid.UUID("6f1e7c55-35a4-4d2b-9a38-3d3f2b5d9c11")


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat()


def organization(
    unit_id: uuid.UUID, slug: str, title: str, count: int | None = None
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": str(unit_id),
        "name": slug,
        "title": title,
        "display_name": title,
        "description": "",
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "image_url": "",
        "approval_status": "approved",
    }
    if count is not None:
        found["package_count"] = count
    return found


def group(code: str, title: str, count: int | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": code,
        "name": code,
        "title": title,
        "display_name": title,
        "description": "",
        "type": "group",
        "is_organization": False,
        "state": "active",
        "image_display_url": "",
    }
    if count is not None:
        found["package_count"] = count
    return found


def tag(name: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid5(TAG_NAMESPACE, name)),
        "name": name,
        "display_name": name,
        "state": "active",
        "vocabulary_id": None,
    }


def resource(card: DatasetCard, base: str) -> dict[str, Any]:
    downloads = {f: f"{base}/open/datasets/{card.slug}/download.{f}" for f in FORMATS}
    return {
        "id": str(card.id),
        "package_id": str(card.id),
        "name": f"{card.name}（数据）",
        "description": "Records of the dataset; also as XLSX, JSON and Parquet (download_urls).",
        "format": "CSV",
        "mimetype": "text/csv",
        "url": downloads["csv"],
        "url_type": "datastore",
        "datastore_active": True,
        "download_urls": downloads,
        "position": 0,
        "state": "active",
        "created": iso(card.data_updated_at),
        "last_modified": iso(card.data_updated_at),
        "metadata_modified": iso(card.data_updated_at),
        "size": None,
        "hash": "",
        "records": card.records,
    }


def package(
    card: DatasetCard,
    base: str,
    *,
    class_names: dict[str, str],
    page: DatasetPage | None = None,
) -> dict[str, Any]:
    resources = [resource(card, base)] if card.records is not None else []
    group_code = card.class_code[:3]
    groups = [group(group_code, class_names.get(group_code, group_code))]
    extras = [
        {"key": "resource_code", "value": card.code},
        {"key": "open_type", "value": label_of(card.open_type)},
        {"key": "update_cycle", "value": label_of(card.update_cycle)},
        {"key": "format_class", "value": label_of(card.format_class)},
        {"key": "classification", "value": card.class_code},
        {
            "key": "published_on",
            "value": card.published_on.isoformat() if card.published_on else "",
        },
    ]
    found: dict[str, Any] = {
        "id": str(card.id),
        "name": card.slug,
        "title": card.name,
        "notes": card.abstract,
        "url": f"{base}/open/datasets/{card.slug}",
        "version": None,
        "type": "dataset",
        "state": "active",
        "private": False,
        "author": card.provider_name,
        "author_email": None,
        "maintainer": card.provider_name,
        "maintainer_email": None,
        "license_id": LICENSE_ID,
        "license_title": LICENSE_TITLE,
        "license_url": f"{base}{LICENSE_PATH}",
        "isopen": True,
        "metadata_created": iso(
            datetime.combine(card.published_on, datetime.min.time(), UTC)
            if card.published_on
            else card.updated_at
        ),
        "metadata_modified": iso(card.updated_at),
        "owner_org": str(card.provider_id),
        "organization": organization(card.provider_id, card.provider_slug, card.provider_name),
        "groups": groups,
        "tags": [tag(k) for k in card.keywords],
        "num_tags": len(card.keywords),
        "resources": resources,
        "num_resources": len(resources),
        "extras": extras,
        "frequency": card.update_cycle.value,
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "x_usage": card.usage.model_dump(),
    }
    if page is not None:
        found["x_data_items"] = [
            {
                "name": i.name,
                "field": i.field,
                "type": i.type.value,
                "length": i.length,
                "description": i.description,
                "key": i.is_key,
            }
            for i in page.items
        ]
        found["x_freshness"] = page.freshness.state.value
        found["x_quality_percent"] = page.quality_percent
        found["x_open_condition"] = page.open_condition
    return found


def unit_organization(stats: UnitStats) -> dict[str, Any]:
    return organization(stats.unit_id, stats.slug, stats.name, stats.datasets)
