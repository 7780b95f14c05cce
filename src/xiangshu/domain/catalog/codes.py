"""信息资源代码: ``分类码/顺序码``, rendered from parts that are stored apart.

Sequence-number rule (顺序码, the node's local rule; the guide leaves it open): the
provider's nine-digit catalog department code (division code + serial, unique in the
province) followed by a four-digit serial counted per provider within the
classification. Codes therefore stay unique when city and county catalogs are
published upward into the provincial one, and say at a glance whose resource it is.
A code is never parsed back by position; an imported code is split only at its
``/`` and its 分类码 must equal the classification given beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xiangshu.domain.catalog.classification import ClassNode

SEPARATOR = "/"
SERIAL_DIGITS = 4
SEQUENCE = re.compile(r"^[0-9A-Za-z]{1,32}$")


@dataclass(frozen=True, slots=True)
class ResourceCode:
    category: str  # 类
    item: str  # 项
    subject: str  # 目
    detail: str  # 细目 ('' when the resource sits at a 目)
    sequence: str  # 顺序码

    @classmethod
    def of(cls, node: ClassNode, sequence: str) -> ResourceCode:
        return cls(node.category, node.item, node.subject, node.detail, sequence)

    @property
    def class_code(self) -> str:
        return self.category + self.item + self.subject + self.detail

    def render(self) -> str:
        return f"{self.class_code}{SEPARATOR}{self.sequence}"

    def __str__(self) -> str:
        return self.render()


def sequence_candidate(provider_catalog_code: str, serial: int) -> str:
    """The ``serial``-th sequence number of a provider within one classification."""
    return f"{provider_catalog_code}{serial:0{SERIAL_DIGITS}d}"


def split_given_code(text: str, class_code: str) -> tuple[str | None, str | None]:
    """An imported code's 顺序码, checked against its classification: (sequence, problem)."""
    prefix, separator, sequence = text.strip().partition(SEPARATOR)
    if not separator or not sequence:
        return None, f"a resource code is 分类码{SEPARATOR}顺序码"
    if prefix != class_code:
        return None, f"the code's 分类码 {prefix} is not the classification {class_code}"
    if not SEQUENCE.match(sequence):
        return None, "a 顺序码 is 1 to 32 letters or digits"
    return sequence, None
