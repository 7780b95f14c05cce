"""Labels of the catalog's values on pages: the guide's Chinese terms in zh-CN, plain
English otherwise. Registered as the Jinja global ``vlabel``."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from jinja2 import pass_context

from xiangshu.domain.access import OpenType, ResourceStatus, ShareType
from xiangshu.domain.catalog.template import CHECK_ZH, SENSITIVITY_ZH
from xiangshu.domain.catalog.values import FormatClass, UpdateCycle, label_of
from xiangshu.domain.data_items import Sensitivity, ValueCheck
from xiangshu.domain.units import UnitLevel


def N_(message: str) -> str:
    return message


FACET_ENUMS: dict[str, type[StrEnum]] = {
    "level": UnitLevel,
    "share_type": ShareType,
    "open_type": OpenType,
    "format_class": FormatClass,
    "update_cycle": UpdateCycle,
    "status": ResourceStatus,
}
FILTER_TITLES = {
    "class_code": N_("Classification"),
    "region": N_("Division"),
    "provider": N_("Provider"),
    "level": N_("Level"),
    "share_type": N_("Sharing type"),
    "open_type": N_("Open type"),
    "format_class": N_("Format"),
    "update_cycle": N_("Update cycle"),
    "status": N_("Status"),
}
# History entries and review buttons, named for message extraction.
STEP_LABELS = [
    N_("Create"),
    N_("Update"),
    N_("Submit"),
    N_("Return"),
    N_("Publish"),
    N_("Withdraw"),
    N_("Catalog"),
]


def _chinese(member: StrEnum) -> str:
    if isinstance(member, Sensitivity):
        return SENSITIVITY_ZH[member]
    if isinstance(member, ValueCheck):
        return CHECK_ZH[member] or "—"
    return label_of(member)


@pass_context
def vlabel(context: Any, value: Any, facet: str | None = None, fallback: str | None = None) -> str:
    """The label of a stored value (an enum member, or a facet's raw value)."""
    member: StrEnum | None = value if isinstance(value, StrEnum) else None
    if member is None and facet in FACET_ENUMS:
        member = FACET_ENUMS[facet](value)
    if member is None:
        return fallback or str(value)
    if context.get("lang") == "zh-CN":
        return _chinese(member)
    return str(member.value).replace("_", " ")
