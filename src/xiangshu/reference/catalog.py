"""The catalog's seed classification trees, shipped in the package."""

from __future__ import annotations

import csv
import io
from importlib import resources

from xiangshu.crypto.sm3 import sm3_hex
from xiangshu.domain.catalog.classification import ClassNode

CLASSES_FILE = "catalog-classes.csv"


def _text() -> str:
    return resources.files(__package__).joinpath(CLASSES_FILE).read_text(encoding="utf-8")


def seed_classes() -> list[ClassNode]:
    return [
        ClassNode(
            category=row["category"],
            item=row["item"],
            subject=row["subject"],
            detail=row["detail"],
            name=row["name"],
        )
        for row in csv.DictReader(io.StringIO(_text()))
    ]


def seed_classes_checksum() -> str:
    return sm3_hex(_text().encode())
