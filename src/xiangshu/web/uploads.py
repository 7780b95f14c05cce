"""Uploaded documents, as the actions take them."""

from __future__ import annotations

from fastapi import UploadFile
from fastapi.exceptions import RequestValidationError

from xiangshu.domain.documents import MAX_DOCUMENT_BYTES, Document


def document_of(file: UploadFile | None) -> Document | None:
    """The upload (read up to one byte past the limit, so that an oversized file is named
    as such), or None when the form's file field was left empty."""
    if file is None or not file.filename:
        return None
    return Document(file.filename, file.file.read(MAX_DOCUMENT_BYTES + 1))


def required_document(file: UploadFile) -> Document:
    """The upload of a required file field; an empty one is refused like a missing field."""
    document = document_of(file)
    if document is None:
        raise RequestValidationError(
            [{"type": "missing", "loc": ("body", "file"), "msg": "Field required"}]
        )
    return document
