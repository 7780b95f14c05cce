"""Queries and conversions over the catalog tables."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import orjson
from sqlalchemy import select, update
from sqlalchemy.orm import Session, object_session

from xiangshu.domain.access import OpenType, ResourceFacts, ResourceStatus, ShareType
from xiangshu.domain.audit import canonical_json
from xiangshu.domain.catalog.classification import ClassNode
from xiangshu.domain.catalog.codes import ResourceCode, sequence_candidate
from xiangshu.domain.catalog.metadata import Extension, ResourceMetadata
from xiangshu.domain.catalog.values import (
    FormatClass,
    PlatformShareType,
    ShareMannerClass,
    UpdateCycle,
)
from xiangshu.domain.data_items import DataItem, DataItemType, Sensitivity, ValueCheck
from xiangshu.storage.models.catalog import (
    CatalogClassRow,
    CatalogHeadRow,
    DataItemRow,
    ResourceRow,
)


def class_nodes(session: Session) -> dict[str, ClassNode]:
    return {
        row.code: ClassNode(row.category, row.item, row.subject, row.detail, row.name)
        for row in session.execute(select(CatalogClassRow)).scalars()
    }


def next_change_seq(session: Session) -> int:
    """Take the catalog's next change number, holding its head row until commit."""
    head = session.execute(
        select(CatalogHeadRow).where(CatalogHeadRow.id == 1).with_for_update()
    ).scalar_one()
    session.execute(update(CatalogHeadRow).where(CatalogHeadRow.id == 1).values(seq=head.seq + 1))
    session.refresh(head)
    return head.seq


def current_change_seq(session: Session) -> int:
    return session.execute(select(CatalogHeadRow.seq).where(CatalogHeadRow.id == 1)).scalar_one()


def code_taken(session: Session, code: ResourceCode) -> bool:
    return (
        session.execute(select(ResourceRow.id).where(ResourceRow.code == code.render())).first()
        is not None
    )


def allocate_code(session: Session, node: ClassNode, provider_catalog_code: str) -> ResourceCode:
    """The provider's next free code in this classification (see ``domain/catalog/codes.py``)."""
    serial = 1
    while True:
        code = ResourceCode.of(node, sequence_candidate(provider_catalog_code, serial))
        if not code_taken(session, code):
            return code
        serial += 1


def resource_by_reference(session: Session, reference: str) -> ResourceRow | None:
    """A resource by ID or by its rendered code."""
    try:
        resource_id = uuid.UUID(reference)
    except ValueError:
        return session.execute(
            select(ResourceRow).where(ResourceRow.code == reference.strip())
        ).scalar_one_or_none()
    return session.get(ResourceRow, resource_id)


def _loads(text: str) -> Any:
    return orjson.loads(text) if text else None


def item_of(row: DataItemRow) -> DataItem:
    return DataItem(
        name=row.name,
        field=row.field,
        type=DataItemType(row.type),
        length=row.length,
        scale=row.scale,
        description=row.description,
        required=row.required,
        enumeration=tuple(_loads(row.enumeration) or ()),
        pattern=row.pattern,
        is_key=row.is_key,
        sensitivity=Sensitivity(row.sensitivity),
        check=ValueCheck(row.check),
        is_base_item=row.is_base_item,
        extra=dict(_loads(row.extra) or {}),
    )


def _item_row(item: DataItem, position: int) -> DataItemRow:
    return DataItemRow(
        position=position,
        name=item.name,
        field=item.field,
        type=item.type.value,
        length=item.length,
        scale=item.scale,
        description=item.description,
        required=item.required,
        enumeration=canonical_json(list(item.enumeration)),
        pattern=item.pattern,
        is_key=item.is_key,
        sensitivity=item.sensitivity.value,
        check=item.check.value,
        is_base_item=item.is_base_item,
        extra=canonical_json(item.extra),
    )


def extension_of(text: str) -> Extension:
    raw = dict(_loads(text) or {})
    updated = raw.get("metadata_updated_on")
    return Extension(
        keywords=tuple(raw.get("keywords", ())),
        online_link=raw.get("online_link", ""),
        service_info=raw.get("service_info", ""),
        metadata_maintainer=raw.get("metadata_maintainer", ""),
        metadata_updated_on=date.fromisoformat(updated) if updated else None,
        resource_identifier=raw.get("resource_identifier", ""),
        metadata_identifier=raw.get("metadata_identifier", ""),
    )


def _extension_json(extension: Extension) -> str:
    updated = extension.metadata_updated_on
    return canonical_json(
        {
            "keywords": list(extension.keywords),
            "online_link": extension.online_link,
            "service_info": extension.service_info,
            "metadata_maintainer": extension.metadata_maintainer,
            "metadata_updated_on": updated.isoformat() if updated else None,
            "resource_identifier": extension.resource_identifier,
            "metadata_identifier": extension.metadata_identifier,
        }
    )


def metadata_of(row: ResourceRow) -> ResourceMetadata:
    return ResourceMetadata(
        class_code=row.class_code,
        name=row.name,
        provider_unit_id=row.provider_unit_id,
        abstract=row.abstract,
        format_class=FormatClass(row.format_class),
        format_type=row.format_type,
        items=tuple(item_of(i) for i in row.items),
        share_type=ShareType(row.share_type),
        share_manner_class=ShareMannerClass(row.share_manner_class),
        update_cycle=UpdateCycle(row.update_cycle),
        provider_division=row.provider_division,
        share_condition=row.share_condition,
        share_basis=row.share_basis,
        share_manner_types=tuple(
            PlatformShareType(t) for t in _loads(row.share_manner_types) or ()
        ),
        open_type=OpenType(row.open_type),
        open_condition=row.open_condition,
        update_cycle_note=row.update_cycle_note,
        published_on=row.published_on,
        related_codes=tuple(_loads(row.related_codes) or ()),
        extension=extension_of(row.extension),
    )


def write_metadata(row: ResourceRow, meta: ResourceMetadata) -> None:
    """Set every metadata column and the data items of ``row`` from ``meta``."""
    row.class_code = meta.class_code
    row.name = meta.name.strip()
    row.provider_unit_id = meta.provider_unit_id
    row.provider_division = meta.provider_division.strip()
    row.abstract = meta.abstract.strip()
    row.format_class = meta.format_class.value
    row.format_type = meta.format_type.strip()
    row.share_type = meta.share_type.value
    row.share_condition = meta.share_condition.strip()
    row.share_basis = meta.share_basis.strip()
    row.share_manner_class = meta.share_manner_class.value
    row.share_manner_types = canonical_json([t.value for t in meta.share_manner_types])
    row.open_type = meta.open_type.value
    row.open_condition = meta.open_condition.strip()
    row.update_cycle = meta.update_cycle.value
    row.update_cycle_note = meta.update_cycle_note.strip()
    row.published_on = meta.published_on
    row.related_codes = canonical_json(list(meta.related_codes))
    row.extension = _extension_json(meta.extension)
    if tuple(item_of(i) for i in row.items) != meta.items:
        row.items.clear()
        session = object_session(row)
        if session is not None:  # delete the old items before inserting their successors
            session.flush()
        row.items.extend(_item_row(item, n) for n, item in enumerate(meta.items, start=1))


def set_code(row: ResourceRow, code: ResourceCode) -> None:
    row.code_category = code.category
    row.code_item = code.item
    row.code_subject = code.subject
    row.code_detail = code.detail
    row.code_sequence = code.sequence
    row.code = code.render()


def facts_of(row: ResourceRow) -> ResourceFacts:
    return ResourceFacts(
        resource_id=row.id,
        code=row.code,
        name=row.name,
        provider_unit_id=row.provider_unit_id,
        share_type=ShareType(row.share_type),
        open_type=OpenType(row.open_type),
        status=ResourceStatus(row.status),
        items=tuple(item_of(i) for i in row.items),
    )


class CatalogDirectory:
    """The catalog's answer to "what is this resource" (``actions.ports.ResourceDirectory``)."""

    def facts(self, session: Session, reference: str) -> ResourceFacts | None:
        row = resource_by_reference(session, reference)
        return facts_of(row) if row is not None else None
