"""信息资源分类: the four-level classification 类 / 项 / 目 / 细目 and its codes.

The 分类码 is the parts written one after the other: 类 (1 digit: 1 基础, 2 主题,
3 部门), 项 (2 digits), 目 (3 digits), 细目 (optional, 2 or more digits). The parts
are kept apart everywhere; the code is only ever rendered from them.
A resource is classified at a 目 or a 细目.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from xiangshu.domain.catalog.values import ClassTree
from xiangshu.errors import Problem

PART_PATTERNS = {
    "category": re.compile(r"^[123]$"),
    "item": re.compile(r"^\d{2}$"),
    "subject": re.compile(r"^\d{3}$"),
    "detail": re.compile(r"^\d{2,6}$"),
}
LEVEL_NAMES = {1: "类", 2: "项", 3: "目", 4: "细目"}


@dataclass(frozen=True, slots=True)
class ClassNode:
    """One node of a classification tree."""

    category: str  # 类
    item: str = ""  # 项
    subject: str = ""  # 目
    detail: str = ""  # 细目
    name: str = ""

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(p for p in (self.category, self.item, self.subject, self.detail) if p)

    @property
    def code(self) -> str:
        return "".join(self.parts)

    @property
    def level(self) -> int:
        return len(self.parts)

    @property
    def tree(self) -> ClassTree:
        return ClassTree(self.category)

    @property
    def parent_code(self) -> str | None:
        parts = self.parts
        return "".join(parts[:-1]) if len(parts) > 1 else None

    @property
    def path_codes(self) -> tuple[str, ...]:
        """The codes of this node and its ancestors, root first (for facets)."""
        parts = self.parts
        return tuple("".join(parts[: n + 1]) for n in range(len(parts)))

    @property
    def may_hold_resources(self) -> bool:
        return self.level >= 3

    @property
    def is_base(self) -> bool:
        return self.tree is ClassTree.BASE


def class_node_problems(node: ClassNode, known_codes: Iterable[str] = ()) -> list[Problem]:
    """Every rule a classification node breaks: well-formed parts, no gaps, a known parent."""
    problems: list[Problem] = []
    values = {
        "category": node.category,
        "item": node.item,
        "subject": node.subject,
        "detail": node.detail,
    }
    for name, value in values.items():
        if value and not PART_PATTERNS[name].match(value):
            problems.append(Problem(f"{name} has the wrong form", field=name, value=value))
    filled = [bool(v) for v in values.values()]
    if filled != sorted(filled, reverse=True):
        problems.append(Problem("a level is filled only when the levels above it are"))
    if not node.name.strip():
        problems.append(Problem("a classification needs a name", field="name"))
    known = set(known_codes)
    parent = node.parent_code
    if parent is not None and known and parent not in known:
        problems.append(Problem(f"the parent classification {parent} does not exist"))
    if node.code in known:
        problems.append(Problem(f"classification {node.code} exists already", value=node.code))
    return problems
