"""Attached documents on disk, stored once by their digest under the data directory.

A file is written beside its final name and renamed into place, so a reader never sees
half a document; the same bytes attached twice are kept once. Whoever reads one checks
its digest again, so a file altered on disk is refused rather than served.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def document_path(folder: Path, digest: str) -> Path:
    return folder / digest[:2] / digest


def keep_document(folder: Path, digest: str, content: bytes) -> Path:
    """The document's path, written there first if it is not held yet."""
    target = document_path(folder, digest)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        partial.write_bytes(content)
        partial.replace(target)
    return target


def held_document(folder: Path, digest: str, digest_of: Callable[[bytes], str]) -> Path | None:
    """The document's path if it is held and still has its digest, else None."""
    if not digest:
        return None
    path = document_path(folder, digest)
    if not path.is_file() or digest_of(path.read_bytes()) != digest:
        return None
    return path
