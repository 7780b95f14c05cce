"""Finding what a records request reads, in one query: the resource's access facts and
its current version — with the parsed data items kept per process.

A ``datastore_search`` asks the same few things every time: the resource's provider,
status, open and share types, its data items, and its current version. One Core
query answers all but the items; the items (the catalog's, and the version's) are
parsed once and kept, keyed by the catalog's change number and the version's ID —
both change whenever the items can, so a kept entry is never stale.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlalchemy.orm import Session

from xiangshu.domain.access import OpenType, ResourceFacts, ResourceStatus, ShareType
from xiangshu.domain.data_items import DataItem, Sensitivity
from xiangshu.storage.catalog import item_of
from xiangshu.storage.lake.bookkeeping import items_from_json
from xiangshu.storage.models import LakeCurrentRow, LakeVersionRow
from xiangshu.storage.models.catalog import DataItemRow, ResourceRow

CACHE_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class Target:
    facts: ResourceFacts
    version_id: uuid.UUID | None
    version_number: int | None
    row_count: int
    version_items: tuple[DataItem, ...]


# Built once and bound per call: the statement is the same for every request.
_TARGET = (
    sa.select(
        ResourceRow.id,
        ResourceRow.code,
        ResourceRow.name,
        ResourceRow.provider_unit_id,
        ResourceRow.share_type,
        ResourceRow.open_type,
        ResourceRow.status,
        ResourceRow.change_seq,
        LakeCurrentRow.version_id,
        LakeCurrentRow.row_count,
        LakeVersionRow.number,
        LakeVersionRow.items,
    )
    .outerjoin(LakeCurrentRow, LakeCurrentRow.resource_id == ResourceRow.id)
    .outerjoin(LakeVersionRow, LakeVersionRow.id == LakeCurrentRow.version_id)
)
_BY_ID = _TARGET.where(ResourceRow.id == sa.bindparam("resource_id"))
_BY_CODE = _TARGET.where(ResourceRow.code == sa.bindparam("code"))


class TargetCache:
    def __init__(self) -> None:
        self._items: dict[tuple[uuid.UUID, int], tuple[DataItem, ...]] = {}
        self._versions: dict[tuple[uuid.UUID, int], tuple[DataItem, ...]] = {}
        self._lock = threading.Lock()

    def _catalog_items(
        self, session: Session, resource_id: uuid.UUID, seq: int
    ) -> tuple[DataItem, ...]:
        key = (resource_id, seq)
        with self._lock:
            found = self._items.get(key)
        if found is None:
            rows = session.execute(
                sa.select(DataItemRow)
                .where(DataItemRow.resource_id == resource_id)
                .order_by(DataItemRow.position)
            ).scalars()
            found = tuple(item_of(r) for r in rows)
            with self._lock:
                if len(self._items) > CACHE_LIMIT:
                    self._items.clear()
                self._items[key] = found
        return found

    def _version_items(
        self, version_id: uuid.UUID, seq: int, text: str, catalog: tuple[DataItem, ...]
    ) -> tuple[DataItem, ...]:
        """The version's own items, personal wherever either it or the catalog says so
        (as ``actions.lake_common.version_items``)."""
        key = (version_id, seq)
        with self._lock:
            found = self._versions.get(key)
        if found is None:
            now = {i.field: i for i in catalog}
            out = []
            for stored in items_from_json(text):
                current = now.get(stored.field)
                if (
                    current is not None
                    and current.sensitivity.is_personal
                    and stored.sensitivity is Sensitivity.NONE
                ):
                    stored = replace(stored, sensitivity=current.sensitivity)  # noqa: PLW2901
                out.append(stored)
            found = tuple(out)
            with self._lock:
                if len(self._versions) > CACHE_LIMIT:
                    self._versions.clear()
                self._versions[key] = found
        return found

    def find(self, session: Session, reference: str) -> Target | None:
        """The resource by ID or rendered code, with its current version (if any)."""
        try:
            resource_id: uuid.UUID | None = uuid.UUID(reference)
        except ValueError:
            resource_id = None
        connection = session.connection()  # Core: the ORM's execution path adds nothing here
        if resource_id is not None:
            row = connection.execute(_BY_ID, {"resource_id": resource_id}).first()
        else:
            row = connection.execute(_BY_CODE, {"code": reference}).first()
        if row is None:
            return None
        items = self._catalog_items(session, row.id, row.change_seq)
        facts = ResourceFacts(
            resource_id=row.id,
            code=row.code,
            name=row.name,
            provider_unit_id=row.provider_unit_id,
            share_type=ShareType(row.share_type),
            open_type=OpenType(row.open_type),
            status=ResourceStatus(row.status),
            items=items,
        )
        version_items = (
            self._version_items(row.version_id, row.change_seq, row.items, items)
            if row.version_id is not None
            else ()
        )
        return Target(
            facts=facts,
            version_id=row.version_id,
            version_number=row.number,
            row_count=int(row.row_count or 0),
            version_items=version_items,
        )


TARGETS = TargetCache()
