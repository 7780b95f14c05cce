"""A dataset as a Frictionless Data Package (``datapackage.json``, tabular profile).

One resource, the records as CSV (UTF-8 with BOM, as downloads are written), with a
Table Schema made from the data items (信息项): types, titles, descriptions,
``required``, ``maxLength``, ``enum``, ``pattern`` and the primary key.
"""

from __future__ import annotations

from typing import Any

from xiangshu.domain.data_items import DataItem, DataItemType
from xiangshu.schemas.portal import DatasetPage

TYPES = {
    DataItemType.CHAR: "string",
    DataItemType.MEMO: "string",
    DataItemType.GENERAL: "string",
    DataItemType.NUMERIC: "number",
    DataItemType.CURRENCY: "number",
    DataItemType.DOUBLE: "number",
    DataItemType.FLOAT: "number",
    DataItemType.INTEGER: "integer",
    DataItemType.DATE: "date",
    DataItemType.DATETIME: "datetime",
    DataItemType.LOGICAL: "boolean",
}


def table_field(item: DataItem) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": item.field,
        "title": item.name,
        "type": TYPES.get(item.type, "string"),
    }
    if item.description:
        field["description"] = item.description
    if item.type is DataItemType.DATETIME:
        field["format"] = "any"
    constraints: dict[str, Any] = {}
    if item.required or item.is_key:
        constraints["required"] = True
    if item.type is DataItemType.CHAR and item.length:
        constraints["maxLength"] = item.length
    if item.enumeration:
        constraints["enum"] = list(item.enumeration)
    if item.pattern and item.type is DataItemType.CHAR:
        constraints["pattern"] = item.pattern
    if constraints:
        field["constraints"] = constraints
    return field


def datapackage(
    page: DatasetPage, *, base: str, license_id: str, license_title: str, license_path: str
) -> dict[str, Any]:
    card = page.card
    schema: dict[str, Any] = {"fields": [table_field(i) for i in page.items]}
    keys = [i.field for i in page.items if i.is_key]
    if keys:
        schema["primaryKey"] = keys
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": card.slug.lower(),
        "id": str(card.id),
        "title": card.name,
        "description": card.abstract,
        "homepage": f"{base}/open/datasets/{card.slug}",
        "keywords": card.keywords,
        "licenses": [{"name": license_id, "title": license_title, "path": f"{base}{license_path}"}],
        "sources": [{"title": card.provider_name}],
        "contributors": [{"title": card.provider_name, "role": "publisher"}],
        "created": card.updated_at.replace(microsecond=0).isoformat(),
        "resources": [],
    }
    if card.records is not None:
        package["resources"].append(
            {
                "name": "records",
                "title": f"{card.name}（数据）",
                "path": f"{base}/open/datasets/{card.slug}/download.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": schema,
            }
        )
    return package
