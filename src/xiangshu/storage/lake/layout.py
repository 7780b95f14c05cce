"""Where the lake keeps things, and the manifest that describes each version.

```
<lake_dir>/resources/<resource id>/
    staging/<load id>/   a load being built (DuckDB work file, spill, converted source)
    loads/<load id>/     a finished load: data.parquet (when published), quarantine.csv,
                         manifest.json — immutable once registered
```

A load directory only becomes a version when the metadata store registers it
and points the resource at it, in one transaction. Directories the metadata
store does not know (a load killed midway) are removed by :func:`clean`.
"""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from xiangshu.crypto.sm3 import SM3Stream

MANIFEST_FILE = "manifest.json"
DATA_FILE = "data.parquet"
QUARANTINE_FILE = "quarantine.csv"
KEPT_FILES = (DATA_FILE, QUARANTINE_FILE, MANIFEST_FILE)  # what a finished load keeps


@dataclass(frozen=True, slots=True)
class LakeLayout:
    root: Path

    def resource_dir(self, resource_id: uuid.UUID) -> Path:
        return self.root / "resources" / str(resource_id)

    def staging_dir(self, resource_id: uuid.UUID, load_id: uuid.UUID) -> Path:
        return self.resource_dir(resource_id) / "staging" / str(load_id)

    def load_dir(self, resource_id: uuid.UUID, load_id: uuid.UUID) -> Path:
        return self.resource_dir(resource_id) / "loads" / str(load_id)

    def uploads_dir(self) -> Path:
        return self.root / "uploads"

    def new_staging(self, resource_id: uuid.UUID, load_id: uuid.UUID) -> Path:
        path = self.staging_dir(resource_id, load_id)
        path.mkdir(parents=True, exist_ok=False)
        return path

    def finish(self, resource_id: uuid.UUID, load_id: uuid.UUID) -> Path:
        """Drop the work files and move the staged load to its final place (one rename)."""
        staging = self.staging_dir(resource_id, load_id)
        for target in staging.iterdir():  # work files: converted source, spill, COPY parts
            if target.name in KEPT_FILES:
                continue
            if target.is_dir():
                shutil.rmtree(target, ignore_errors=True)
            else:
                target.unlink(missing_ok=True)
        final = self.load_dir(resource_id, load_id)
        final.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(final)
        return final

    def discard(self, resource_id: uuid.UUID, load_id: uuid.UUID) -> None:
        shutil.rmtree(self.staging_dir(resource_id, load_id), ignore_errors=True)
        shutil.rmtree(self.load_dir(resource_id, load_id), ignore_errors=True)


def file_digest(path: Path) -> str:
    """SM3 of a file, read in chunks."""
    hasher = SM3Stream()
    with path.open("rb") as handle:
        while chunk := handle.read(4 * 1024 * 1024):
            hasher.update(chunk)
    return hasher.hexdigest()


def write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    (directory / MANIFEST_FILE).write_bytes(
        orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    )


def leftover_dirs(
    layout: LakeLayout, known_loads: Iterable[uuid.UUID], *, older_than_seconds: float
) -> list[Path]:
    """Staging and load directories no registered load owns, older than the grace period."""
    known = {str(k) for k in known_loads}
    cutoff = time.time() - older_than_seconds
    found: list[Path] = []
    base = layout.root / "resources"
    if not base.is_dir():
        return found
    for resource in base.iterdir():
        for kind in ("staging", "loads"):
            folder = resource / kind
            if not folder.is_dir():
                continue
            for entry in folder.iterdir():
                orphan = kind == "staging" or entry.name not in known
                if orphan and entry.stat().st_mtime < cutoff:
                    found.append(entry)
    return found
