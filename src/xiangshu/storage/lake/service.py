"""The lake as one service: where files go, the serving store, and building a load.

The action layer decides who may load and registers the result; this service
does the heavy part beforehand, outside any metadata transaction: it validates
the file, writes the new version beside the current one and loads its serving
table. Until the action's transaction switches to it, nobody sees any of it.
"""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from xiangshu.domain.data_items import DataItem
from xiangshu.domain.lake.loads import LoadMode
from xiangshu.errors import Problem, invalid
from xiangshu.ids import new_id
from xiangshu.settings import Settings
from xiangshu.storage.db import Store
from xiangshu.storage.lake.layout import LakeLayout, file_digest, write_manifest
from xiangshu.storage.lake.progress import NoProgress, Progress
from xiangshu.storage.lake.serving import ServingStore
from xiangshu.storage.models import LakeVersionRow

if TYPE_CHECKING:
    from xiangshu.storage.lake.build import BuiltVersion

SERVING_SCHEMA = "lake_serving"


@dataclass(frozen=True, slots=True)
class LoadRequest:
    resource_id: uuid.UUID
    items: tuple[DataItem, ...]
    source: Path
    source_name: str
    source_format: str | None
    mode: LoadMode
    strict: bool
    base_version: uuid.UUID | None  # the version the load builds on (append/upsert)
    base_file: Path | None
    base_rows: int
    divisions: frozenset[str]
    today: date


@dataclass
class StagedLoad:
    load_id: uuid.UUID
    built: BuiltVersion
    directory: Path
    source_bytes: int
    source_sm3: str
    data_bytes: int = 0
    data_sm3: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def publishes(self) -> bool:
        return self.built.data_file is not None


class Lake:
    def __init__(self, settings: Settings, metadata: Store) -> None:
        self.settings = settings
        self.metadata = metadata
        self.layout = LakeLayout(settings.lake_path)
        self._serving: ServingStore | None = None

    @property
    def serving(self) -> ServingStore:
        if self._serving is None:
            if self.settings.serving_url:
                self._serving = ServingStore(self.settings.serving_url, schema=SERVING_SCHEMA)
            elif self.metadata.is_sqlite:
                path = (self.layout.root / "serving.db").resolve()
                self._serving = ServingStore(f"sqlite:///{path}")
            else:
                self._serving = ServingStore(self.metadata.url, schema=SERVING_SCHEMA)
        return self._serving

    def close(self) -> None:
        if self._serving is not None:
            self._serving.dispose()
            self._serving = None

    @contextmanager
    def read_metadata(self) -> Iterator[Session]:
        """A short read transaction of its own, for checks made before the heavy work."""
        with self.metadata.transaction(write=False) as session:
            yield session

    def file_of(self, resource_id: uuid.UUID, version_id: uuid.UUID, name: str) -> Path:
        return self.layout.load_dir(resource_id, version_id) / name

    def check_size(self, source: Path, name: str) -> int:
        size = source.stat().st_size
        limit = self.settings.lake_max_upload_mb * 1024 * 1024
        if size > limit:
            raise invalid(
                [
                    Problem(
                        f"the file has {size:,} bytes; a load accepts at most "
                        f"{self.settings.lake_max_upload_mb} MiB (XIANGSHU_LAKE_MAX_UPLOAD_MB)",
                        file=name,
                    )
                ],
                "the file is too large",
            )
        return size

    def stage(self, request: LoadRequest, progress: Progress | None = None) -> StagedLoad:
        """Build and serve a new version beside the current one; nothing is switched."""
        from xiangshu.storage.lake.build import build_version, connect
        from xiangshu.storage.lake.formats import format_of
        from xiangshu.storage.lake.validation import ValidationContext

        shown = progress or NoProgress()
        size = self.check_size(request.source, request.source_name)
        fmt = format_of(request.source_name, request.source_format)
        load_id = new_id()
        workdir = self.layout.new_staging(request.resource_id, load_id)
        timings: dict[str, float] = {}
        started = time.perf_counter()
        try:
            con = connect(
                workdir,
                threads=self.settings.lake_ingest_threads,
                memory_mb=self.settings.lake_memory_mb,
            )
            try:
                built = build_version(
                    con,
                    source=request.source,
                    source_format=fmt,
                    file=request.source_name,
                    items=request.items,
                    mode=request.mode,
                    previous=request.base_file,
                    previous_rows=request.base_rows,
                    workdir=workdir,
                    context=ValidationContext(request.divisions, request.today),
                    strict=request.strict,
                    progress=shown,
                )
                timings["validate_and_write"] = time.perf_counter() - started
                if built.data_file is not None:
                    serving_started = time.perf_counter()
                    self.serving.load(
                        load_id,
                        request.items,
                        workdir / built.data_file,
                        duck=con,
                        workdir=workdir,
                        rows=built.counts.rows_published,
                        progress=shown,
                    )
                    timings["serving"] = time.perf_counter() - serving_started
            finally:
                con.close()
            staged = StagedLoad(
                load_id,
                built,
                workdir,
                source_bytes=size,
                source_sm3=file_digest(request.source),
            )
            if built.data_file is not None:
                data = workdir / built.data_file
                staged.data_bytes = data.stat().st_size
                staged.data_sm3 = file_digest(data)
            staged.timings = timings
            write_manifest(workdir, self._manifest(request, staged))
            staged.directory = self.layout.finish(request.resource_id, load_id)
        except BaseException:
            self.discard(request.resource_id, load_id)
            raise
        staged.timings["total"] = time.perf_counter() - started
        return staged

    def discard(self, resource_id: uuid.UUID, load_id: uuid.UUID) -> None:
        """Remove a load that will not be registered: its files and serving table."""
        try:
            self.serving.drop(load_id)
        finally:
            self.layout.discard(resource_id, load_id)

    @staticmethod
    def _manifest(request: LoadRequest, staged: StagedLoad) -> dict[str, object]:
        built = staged.built
        return {
            "format": "xiangshu-lake-load/1",
            "load_id": str(staged.load_id),
            "resource_id": str(request.resource_id),
            "mode": request.mode.value,
            "base_version_id": str(request.base_version) if request.base_version else None,
            "source": {
                "name": request.source_name,
                "format": built.source.format.value,
                "encoding": built.source.encoding,
                "bytes": staged.source_bytes,
                "sm3": staged.source_sm3,
            },
            "columns": [{"field": f, "type": t} for f, t in built.columns],
            "data": (
                {"file": built.data_file, "bytes": staged.data_bytes, "sm3": staged.data_sm3}
                if built.data_file
                else None
            ),
            "quarantine": built.quarantine_file,
            "counts": {
                "rows_read": built.counts.rows_read,
                "rows_valid": built.counts.rows_valid,
                "rows_rejected": built.counts.rows_rejected,
                "rows_published": built.counts.rows_published,
            },
        }

    def reserve(
        self, resource_id: uuid.UUID, version: LakeVersionRow, items: Sequence[DataItem]
    ) -> None:
        """Load an older version's serving table again from its Parquet file (rollback)."""
        from xiangshu.storage.lake.build import connect

        work = self.layout.new_staging(resource_id, new_id())
        try:
            con = connect(
                work,
                threads=self.settings.lake_ingest_threads,
                memory_mb=self.settings.lake_memory_mb,
            )
            try:
                self.serving.load(
                    version.id,
                    items,
                    self.file_of(resource_id, version.id, version.data_file),
                    duck=con,
                    workdir=work,
                    rows=version.row_count,
                    progress=NoProgress(),
                )
            finally:
                con.close()
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def drop_serving_except(
        self, keep: Sequence[uuid.UUID], candidates: Sequence[uuid.UUID]
    ) -> None:
        """Drop the serving tables of ``candidates`` not in ``keep`` (older versions)."""
        kept = set(keep)
        for version_id in candidates:
            if version_id not in kept:
                self.serving.drop(version_id)
