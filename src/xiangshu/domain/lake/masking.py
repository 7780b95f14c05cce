"""The platform's display masking of personal information (standards.md §5).

There is no single national display rule, so the platform applies one policy
everywhere a reader may not see personal data in clear
(``ReadScope.unmasked == False``):

- 公民身份号码: first 6 and last 4 characters kept (``430102********1234``);
- 手机号码: first 3 and last 4 kept (``138****8000``);
- 姓名: the surname kept (``张*``, ``张*明``, ``欧阳*娜``);
- 银行卡号: first 6 and last 4 kept;
- 住址: generalised to the county or street (``湖南省长沙市岳麓区***``);
- other personal information: fully masked.

Masking proper (purpose-bound unmasking, keyed pseudonyms) belongs to sharing;
this module only guarantees that masked readers never see these values in clear.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from xiangshu.domain.data_items import DataItem, Sensitivity

MASK = "*"
FULLY_MASKED = "***"

# Two-character surnames (复姓) that are common enough to matter for display.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "令狐",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "百里",
        "呼延",
        "万俟",
        "钟离",
        "闻人",
        "澹台",
        "公冶",
        "太史",
        "申屠",
        "濮阳",
        "第五",
    ]
)

# Administrative levels in the order they appear in a Chinese address.
_ADDRESS_LEVELS = re.compile(
    r"^(?P<province>.{2,}?(?:省|自治区|特别行政区))?"
    r"(?P<city>.{1,}?(?:市|自治州|州|地区|盟))?"
    r"(?P<county>.{1,}?(?:区|县|市|旗))?"
    r"(?P<street>.{1,}?(?:街道|镇|乡))?"
)


def _keep_ends(value: str, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        return MASK * len(value)
    return value[:head] + MASK * (len(value) - head - tail) + value[len(value) - tail :]


def mask_id_number(value: str) -> str:
    return _keep_ends(value, 6, 4)


def mask_mobile(value: str) -> str:
    return _keep_ends(value, 3, 4)


def mask_bank_card(value: str) -> str:
    return _keep_ends(value, 6, 4)


def mask_name(value: str) -> str:
    name = value.strip()
    if len(name) <= 1:
        return MASK * len(name)
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    rest = name[len(surname) :]
    if len(rest) <= 1:
        return surname + MASK * len(rest)
    return surname + MASK * (len(rest) - 1) + rest[-1]


def mask_address(value: str) -> str:
    """Keep the address down to its street (街道/镇/乡) or county; hide the rest."""
    match = _ADDRESS_LEVELS.match(value)
    kept = match.group(0) if match else ""
    if not kept:
        return FULLY_MASKED
    return kept + FULLY_MASKED if len(kept) < len(value) else kept


_MASKERS = {
    Sensitivity.ID_NUMBER: mask_id_number,
    Sensitivity.MOBILE: mask_mobile,
    Sensitivity.BANK_CARD: mask_bank_card,
    Sensitivity.NAME: mask_name,
    Sensitivity.ADDRESS: mask_address,
}


def mask_value(sensitivity: Sensitivity, value: Any) -> Any:
    """The displayed form of one value of this kind (None stays None)."""
    if value is None or not sensitivity.is_personal:
        return value
    masker = _MASKERS.get(sensitivity)
    if masker is None or not isinstance(value, str):
        return FULLY_MASKED
    return masker(value)


class RecordMasker:
    """Masks the personal fields of records for a reader without clear access."""

    def __init__(self, items: Mapping[str, DataItem], *, unmasked: bool) -> None:
        self.personal = (
            {}
            if unmasked
            else {f: item.sensitivity for f, item in items.items() if item.sensitivity.is_personal}
        )

    @property
    def masks_anything(self) -> bool:
        return bool(self.personal)

    def masked_fields(self, fields: list[str]) -> list[str]:
        return [f for f in fields if f in self.personal]

    def apply(self, record: dict[str, Any]) -> dict[str, Any]:
        for field, sensitivity in self.personal.items():
            if field in record:
                record[field] = mask_value(sensitivity, record[field])
        return record
