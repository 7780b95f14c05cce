"""Documents attached to records (公函, 依据文件, a unit's report): what is accepted.

One rule for every feature that takes an attachment: the sharing requests, the plan's
observations and progress reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from xiangshu.errors import Problem

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".ofd": "application/ofd",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".wps": "application/vnd.ms-works",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".txt": "text/plain",
}


def media_type_of(name: str) -> str:
    """The media type a document is served with, by its name's suffix."""
    return DOCUMENT_TYPES.get(PurePath(name).suffix.lower(), "application/octet-stream")


@dataclass(frozen=True, slots=True)
class Document:
    """A file as it was uploaded: its name (without any folder) and its bytes."""

    name: str
    content: bytes

    @property
    def suffix(self) -> str:
        return PurePath(self.name).suffix.lower()

    @property
    def base_name(self) -> str:
        return PurePath(self.name.replace("\\", "/")).name[:200]

    @property
    def media_type(self) -> str:
        return media_type_of(self.name)


def document_problems(document: Document) -> list[Problem]:
    """Everything wrong with an upload, all at once (empty when it is accepted)."""
    problems = []
    if document.suffix not in DOCUMENT_TYPES:
        kinds = ", ".join(sorted(DOCUMENT_TYPES))
        problems.append(Problem(f"attach {kinds} files", file=document.name, field="file"))
    if not document.content:
        problems.append(Problem("the file is empty", file=document.name, field="file"))
    if len(document.content) > MAX_DOCUMENT_BYTES:
        limit = f"an attachment is at most {MAX_DOCUMENT_BYTES // 2**20} MiB"
        problems.append(Problem(limit, file=document.name, field="file"))
    return problems
