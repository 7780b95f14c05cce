"""Who answers for a task: reading the division of labour's wording.

The annex writes responsibility in three ways, and each gives units a role:

- "省水利厅负责" — one unit leads (牵头/负责);
- "A、B、C等按职责分工负责" — the units share the task (按职责分工), none leads;
- "A、B牵头，C、D等按职责分工负责" — A and B lead, C and D support (配合).

Collective mentions (各市州政府, 各有关部门, 各地区) are kept as written; the
caller expands those it can (各市州政府 → each city government).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    LEAD = "lead"  # 牵头 / 负责
    JOINT = "joint"  # 按职责分工负责
    SUPPORT = "support"  # 配合

    @property
    def label_zh(self) -> str:
        return {"lead": "牵头", "joint": "按职责分工负责", "support": "配合"}[self.value]


# Mentions that stand for several units rather than one.
CITY_GOVERNMENTS = frozenset({"各市政府", "各市州政府", "各市州人民政府"})
COLLECTIVE = CITY_GOVERNMENTS | frozenset({"各有关部门", "有关部门", "各地区", "各相关部门"})

_ENDINGS = ("等按职责分工负责", "按职责分工负责", "牵头负责", "负责")


@dataclass(frozen=True, slots=True)
class Mention:
    name: str
    role: Role

    @property
    def collective(self) -> bool:
        return self.name in COLLECTIVE


def _names(text: str) -> list[str]:
    found = []
    for part in re.split(r"[、，,；;]", text):
        name = part.strip().removesuffix("等").strip()
        if name:
            found.append(name)
    return found


def _strip_ending(text: str) -> tuple[str, str]:
    for ending in _ENDINGS:
        if text.endswith(ending):
            return text[: -len(ending)], ending
    return text, ""


def parse_responsibility(text: str) -> list[Mention]:
    """Units and their roles from the annex's wording (empty text: nobody)."""
    text = text.strip().rstrip("。")
    if not text:
        return []
    if "牵头" in text:
        leading, _, rest = text.partition("牵头")
        rest, _ = _strip_ending(rest.lstrip("，,、 "))
        return [Mention(n, Role.LEAD) for n in _names(leading)] + [
            Mention(n, Role.SUPPORT) for n in _names(rest)
        ]
    body, ending = _strip_ending(text)
    names = _names(body)
    role = Role.LEAD if ending == "负责" and len(names) == 1 else Role.JOINT
    return [Mention(n, role) for n in names]


def format_responsibility(mentions: list[Mention]) -> str:
    """The annex's wording back from mentions (for tasks entered as unit lists)."""
    leads = [m.name for m in mentions if m.role is Role.LEAD]
    joint = [m.name for m in mentions if m.role is Role.JOINT]
    support = [m.name for m in mentions if m.role is Role.SUPPORT]
    if leads and support:
        return f"{'、'.join(leads)}牵头，{'、'.join(support)}等按职责分工负责"
    if leads:
        return f"{'、'.join(leads)}负责" if len(leads) == 1 else f"{'、'.join(leads)}牵头负责"
    return f"{'、'.join(joint)}等按职责分工负责" if joint else ""
